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

    for (i = 0; i < t->nslots; i++) {
        qpp_free(t->slots[i].sum);
        qpp_free(t->slots[i].digests.digests);
    }
    qpp_free(t->slots);
    t->slots = NULL;
    t->nslots = t->capslots = 0;
}

/* Sums of individual reports under two canonicals of one measure (two
 * versions, say) must not count a patient twice.  1 when they do (or when
 * out of memory: then s->bad is not set). */
/* Whether a is before b in the input (source, line, then column). */
static int before(const struct qpp_seen *a, const struct qpp_seen *b)
{
    if (a->source != b->source)
        return a->source < b->source;
    if (a->line != b->line)
        return a->line < b->line;
    return a->value < b->value;
}

/* Whether r counts a subject the slot has counted: an error naming the
 * first such pair in input order (the table's order is random, drawn anew
 * each run, and must not choose). */
static int overlap(struct qpp_tally *t, struct qpp_slot *s, const struct qpp_report *r)
{
    struct qpp_hashset *seen = (struct qpp_hashset *)&s->first->subjects;
    struct qpp_seen again, first;
    size_t i;
    int nomem = 0, found = 0;

    for (i = 0; i < r->subjects.cap; i++) {
        const struct qpp_seen *e = &r->subjects.v[i], *prev;

        if (!e->key)
            continue;
        prev = qpp_hashset_put(seen, e->key, e->value, e->line, e->source, &nomem);
        if (nomem)
            return 1;
        if (prev && (!found || before(e, &again) ||
                     (!before(&again, e) && before(prev, &first)))) {
            again = *e;
            first = *prev;
            found = 1;
        }
    }
    if (found) {
        /* Placed at the report that counts the subject again; named when
         * it is the sum's first report, whose name is kept. */
        struct qpp_place at = {t->ix->sources[again.source], (int)again.line,
                               (int)again.value, NULL, NULL};
        char where_first[256], where_again[256];

        if (again.line == (unsigned int)r->line && (int)again.value == r->column &&
            qpp_streq(at.source, r->source))
            at = qpp_report_place(r);
        qpp_index_where(t->ix, &first, (int)first.value, where_first, sizeof where_first);
        qpp_index_where(t->ix, &again, (int)again.value, where_again, sizeof where_again);
        qpp_diag(t->d, QPP_DUPLICATE_SUBJECT, &at, NULL,
                 "a subject is counted twice for measure %s: by the report at %s (%s) "
                 "and by the report at %s (%s)",
                 s->m->id, where_first, s->first->measure, where_again, r->measure);
        s->bad = 1;
    }
    return found;
}

/* The earliest start and latest end of what the slot counts, for its
 * summary's period. */
static void note_period(struct qpp_slot *s, const struct qpp_report *r)
{
    size_t v;

    if (r->has_period && (!s->earliest || r->start.instant < s->earliest->start.instant))
        s->earliest = r;
    if (r->has_period && (!s->latest || r->end.instant > s->latest->end.instant))
        s->latest = r;
    for (v = 0; v < r->nvariants; v++)
        note_period(s, r->variants[v]);
}

/* A partial sum's digests joined to the slot's: 1 when one was counted
 * before (reported), -1 when out of memory. */
static int add_digests(struct qpp_tally *t, struct qpp_slot *s,
                       const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r), first = qpp_report_place(s->first);
    int rc = qpp_partial_merge(&s->digests, r->partial);

    if (rc > 0) {
        qpp_diag(t->d, QPP_PARTIAL_SUM_TWICE, &at, "/extension",
                 "measure %s: this partial sum counts a shard already counted for it "
                 "(the measure's first report is %s in %s)",
                 s->m->id, first.resource, first.source ? first.source : "-");
        s->bad = 1;
    }
    return rc;
}

int qpp_tally_add(struct qpp_tally *t, struct qpp_slot *s, const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r);
    int summary = r->type != QPP_REPORT_INDIVIDUAL, positional, rc;
    size_t i, perm[64];

    if (s->nreports > 0 && (summary || s->summary) && !(r->partial && s->partial)) {
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
        s->partial = r->partial != NULL;
        s->reporter = r->reporter;
        s->ngroups = r->ngroups;
        s->sum = qpp_calloc(r->ngroups ? r->ngroups : 1, sizeof *s->sum);
        if (!s->sum)
            return -1;
    } else if (r->ngroups > sizeof perm / sizeof perm[0] ||
               qpp_report_match_groups(s->sum, s->ngroups, r->groups, r->ngroups, perm) <
                   0) {
        /* Groups are matched by id whenever the ids settle it. */
        qpp_diag(t->d, QPP_GROUP_MISMATCH, &at, "/group",
                 "%zu groups, or groups of other ids (or ids on one side only, which "
                 "order cannot match), where the other reports of measure %s have %zu",
                 r->ngroups, s->m->id, s->ngroups);
        s->bad = 1;
        return 0;
    }
    if (!summary && s->nreports > 0 && overlap(t, s, r))
        return s->bad ? 0 : -1;
    positional = s->nreports == 0;
    if (r->partial && (rc = add_digests(t, s, r)) != 0)
        return rc < 0 ? -1 : 0;
    if (!qpp_streq(s->reporter, r->reporter) || r->mixed_reporters)
        s->mixed_reporters = 1;
    note_period(s, r);
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

int qpp_tally_summaries(struct qpp_tally *t, const unsigned char digest[QPP_SHA256_LEN],
                        const char *tin, json_t **out)
{
    unsigned char leaf[1][QPP_SHA256_LEN];
    size_t i;

    memcpy(leaf[0], digest, QPP_SHA256_LEN);
    if (!(*out = json_array()))
        return -1;
    for (i = 0; i < t->nslots; i++) {
        const struct qpp_slot *s = &t->slots[i];
        struct qpp_partial p = {leaf, 1, s->nreports, s->ntest};
        struct qpp_summary sum;
        json_t *mr = NULL;
        int rc;

        if (s->bad || s->nreports == 0)
            continue;
        if (s->partial) {
            p.digests = s->digests.digests;
            p.ndigests = s->digests.ndigests;
        }
        memset(&sum, 0, sizeof sum);
        sum.measure = s->first->measure;
        sum.measure_id = s->m->id;
        sum.start = s->earliest ? s->earliest->period_start : NULL;
        sum.end = s->latest ? s->latest->period_end : NULL;
        sum.reporter = s->mixed_reporters ? NULL : s->reporter;
        sum.tin = sum.reporter ? NULL : tin;
        sum.groups = s->sum;
        sum.ngroups = s->ngroups;
        sum.partial = &p;
        rc = qpp_summary_write(&sum, &mr);
        if (rc > 0) {
            struct qpp_place at = qpp_report_place(s->first);
            qpp_diag(t->d, QPP_COUNT_OVERFLOW, &at, NULL,
                     "the counts of measure %s do not fit a FHIR integer (2^31 - 1)",
                     s->m->id);
        }
        if (rc != 0 || json_array_append_new(*out, mr)) {
            json_decref(*out);
            *out = NULL;
            return rc > 0 ? 1 : -1;
        }
    }
    return 0;
}
