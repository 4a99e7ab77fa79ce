/* SPDX-License-Identifier: MIT */
/* Reports added up per measure; see tally.h. */
#include "tally.h"

#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "util.h"

struct qpp_slot *qpp_tally_slot(struct qpp_tally *t, const struct qpp_measure *m)
{
    size_t i;

    for (i = 0; i < t->nslots; i++)
        if (t->slots[i].m == m)
            return &t->slots[i];
    if (qpp_grow((void **)&t->slots, &t->capslots, t->nslots + 1, sizeof *t->slots) < 0)
        return NULL;
    memset(&t->slots[t->nslots], 0, sizeof *t->slots);
    t->slots[t->nslots].m = m;
    t->slots[t->nslots].order = (size_t)-1;
    return &t->slots[t->nslots++];
}

void qpp_tally_free(struct qpp_tally *t)
{
    size_t i;

    for (i = 0; i < t->nslots; i++)
        qpp_free(t->slots[i].sum);
    qpp_free(t->slots);
    t->slots = NULL;
    t->nslots = t->capslots = 0;
}

/* Sums of individual reports under two canonicals of one measure (two
 * versions, say) must not count a patient twice.  1 when they do (or when
 * out of memory: then s->bad is not set). */
static int overlap(struct qpp_tally *t, struct qpp_slot *s, const struct qpp_report *r)
{
    struct qpp_hashset *seen = (struct qpp_hashset *)&s->first->subjects;
    size_t i;
    int nomem = 0;

    for (i = 0; i < r->subjects.cap; i++) {
        const struct qpp_seen *e = &r->subjects.v[i], *prev;
        char first[256], again[256];

        if (!e->key)
            continue;
        prev = qpp_hashset_put(seen, e->key, e->value, e->line, e->source, &nomem);
        if (nomem)
            return 1;
        if (prev) {
            /* Placed at the report that counts the subject again; named
             * when it is the sum's first report, whose name is kept. */
            struct qpp_place at = {t->ix->sources[e->source], (int)e->line, (int)e->value,
                                   NULL, NULL};
            if (e->line == (unsigned int)r->line && (int)e->value == r->column &&
                qpp_streq(at.source, r->source))
                at = qpp_report_place(r);
            qpp_index_where(t->ix, prev, (int)prev->value, first, sizeof first);
            qpp_index_where(t->ix, e, (int)e->value, again, sizeof again);
            qpp_diag(
                t->d, QPP_DUPLICATE_SUBJECT, &at, NULL,
                "a subject is counted twice for measure %s: by the report at %s (%s) "
                "and by the report at %s (%s)",
                s->m->id, first, s->first->measure, again, r->measure);
            s->bad = 1;
            return 1;
        }
    }
    return 0;
}

int qpp_tally_add(struct qpp_tally *t, struct qpp_slot *s, const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r);
    int summary = r->type != QPP_REPORT_INDIVIDUAL, positional;
    size_t i, perm[64];

    if (s->nreports > 0 && (summary || s->summary)) {
        struct qpp_place first = qpp_report_place(s->first);
        enum qpp_code code =
            summary && s->summary ? QPP_DUPLICATE_MEASURE : QPP_MIXED_REPORT_TYPES;
        qpp_diag(t->d, code, &at, NULL,
                 code == QPP_DUPLICATE_MEASURE
                     ? "a second report for measure %s (the first is %s in %s)"
                     : "measure %s mixes summary and individual reports (%s in %s)",
                 s->m->id, first.resource, first.source ? first.source : "-");
        s->bad = 1;
        return 0;
    }
    if (s->nreports == 0) {
        s->first = r;
        s->summary = summary;
        s->ngroups = r->ngroups;
        s->sum = qpp_calloc(r->ngroups ? r->ngroups : 1, sizeof *s->sum);
        if (!s->sum)
            return -1;
    } else if (r->ngroups > sizeof perm / sizeof perm[0] ||
               qpp_report_match_groups(s->sum, s->ngroups, r->groups, r->ngroups, perm) <
                   0) {
        /* Groups are matched by id whenever the ids settle it. */
        qpp_diag(t->d, QPP_GROUP_MISMATCH, &at, "/group",
                 "%zu groups, or groups of other ids, where the other reports of "
                 "measure %s have %zu",
                 r->ngroups, s->m->id, s->ngroups);
        s->bad = 1;
        return 0;
    }
    if (!summary && s->nreports > 0 && overlap(t, s, r))
        return s->bad ? 0 : -1;
    positional = s->nreports == 0;
    s->nreports += r->nreports;
    s->ntest += r->ntest;
    for (i = 0; i < r->ngroups; i++) {
        struct qpp_group g = r->groups[i];
        size_t k = positional ? i : perm[i];
        g.id = NULL;
        if (qpp_map_add(&s->sum[k], &g) < 0) {
            qpp_diag(t->d, QPP_COUNT_OVERFLOW, &at, NULL,
                     "the counts of measure %s do not fit 64 bits", s->m->id);
            s->bad = 1;
        }
        if (!s->sum[k].id)
            s->sum[k].id = r->groups[i].id; /* borrowed from the report */
    }
    return 0;
}

static int cmp_slot(const void *a, const void *b)
{
    const struct qpp_slot *x = a, *y = b;

    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->m->id, y->m->id);
}

void qpp_tally_sort(struct qpp_tally *t)
{
    if (t->nslots)
        qsort(t->slots, t->nslots, sizeof *t->slots, cmp_slot);
}
