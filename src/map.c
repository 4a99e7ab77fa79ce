/* SPDX-License-Identifier: MIT */
/* Count mapping; see map.h. */
#include "map.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "tally.h"
#include "write.h"

#define HAS(g, pop) (((g)->present >> (pop)) & 1u)

int qpp_map_add(struct qpp_group *a, const struct qpp_group *b)
{
    int k;

    for (k = 0; k < QPP_NPOP; k++)
        if (qpp_add_ll(a->count[k], b->count[k], &a->count[k]) < 0)
            return -1;
    a->present |= b->present;
    return 0;
}

int qpp_value_has_rate(const struct qpp_value *v)
{
    return v->met + v->not_met > 0;
}

static enum qpp_code gross(const struct qpp_group *g, struct qpp_value *v,
                           struct qpp_buf *why)
{
    const long long *c = g->count;

    v->eligible = c[QPP_POP_DENOM];
    v->exclusion = c[QPP_POP_DENEX];
    v->exception = c[QPP_POP_DENEXCEP];
    if (c[QPP_POP_NUMEX] > c[QPP_POP_NUMER]) {
        qpp_buf_printf(why, "numerator-exclusion (%lld) exceeds numerator (%lld)",
                       c[QPP_POP_NUMEX], c[QPP_POP_NUMER]);
        return QPP_INCONSISTENT_COUNTS;
    }
    v->met = c[QPP_POP_NUMER] - c[QPP_POP_NUMEX];
    /* Counts are non-negative, yet three subtractions can pass LLONG_MIN. */
    if (qpp_add_ll(v->eligible, -v->met, &v->not_met) < 0 ||
        qpp_add_ll(v->not_met, -v->exclusion, &v->not_met) < 0 ||
        qpp_add_ll(v->not_met, -v->exception, &v->not_met) < 0 || v->not_met < 0) {
        qpp_buf_printf(why,
                       "numerator %lld + denominator-exclusion %lld + "
                       "denominator-exception %lld exceed denominator %lld",
                       v->met, v->exclusion, v->exception, v->eligible);
        if (c[QPP_POP_NUMER] <= c[QPP_POP_DENOM] && (v->exclusion || v->exception))
            qpp_buf_add(why, "; the counts read as a net denominator: try --counts net");
        return QPP_NEGATIVE_NOT_MET;
    }
    return QPP_NCODES;
}

static enum qpp_code net(const struct qpp_group *g, struct qpp_value *v,
                         struct qpp_buf *why)
{
    const long long *c = g->count;

    v->exclusion = c[QPP_POP_DENEX];
    v->exception = c[QPP_POP_DENEXCEP];
    /* Old evaluators took numerator exclusions out of the numerator already;
     * more of them than numerator is still impossible. */
    if (c[QPP_POP_NUMEX] > c[QPP_POP_NUMER]) {
        qpp_buf_printf(why, "numerator-exclusion (%lld) exceeds numerator (%lld)",
                       c[QPP_POP_NUMEX], c[QPP_POP_NUMER]);
        return QPP_INCONSISTENT_COUNTS;
    }
    v->met = c[QPP_POP_NUMER];
    if (qpp_add_ll(c[QPP_POP_DENOM], v->exclusion, &v->eligible) < 0 ||
        qpp_add_ll(v->eligible, v->exception, &v->eligible) < 0) {
        qpp_buf_add(why, "the eligible population does not fit a 64-bit count");
        return QPP_COUNT_OVERFLOW;
    }
    v->not_met = c[QPP_POP_DENOM] - c[QPP_POP_NUMER];
    if (v->not_met < 0) {
        qpp_buf_printf(why, "numerator %lld exceeds denominator %lld", c[QPP_POP_NUMER],
                       c[QPP_POP_DENOM]);
        return QPP_NEGATIVE_NOT_MET;
    }
    return QPP_NCODES;
}

/* The denominator the initial population bounds: net counts took the
 * exclusions and exceptions out of it, the eligible population puts them
 * back (-1 when that does not fit: net() reports the overflow). */
static long long denominator(const struct qpp_group *g, enum qpp_counts counts)
{
    long long d = g->count[QPP_POP_DENOM];

    if (counts == QPP_COUNTS_NET && (qpp_add_ll(d, g->count[QPP_POP_DENEX], &d) < 0 ||
                                     qpp_add_ll(d, g->count[QPP_POP_DENEXCEP], &d) < 0))
        return -1;
    return d;
}

enum qpp_code qpp_map_group(const struct qpp_group *g, enum qpp_counts counts,
                            int registry, struct qpp_value *v, struct qpp_buf *why)
{
    enum qpp_code code;

    if (!HAS(g, QPP_POP_DENOM) || !HAS(g, QPP_POP_NUMER)) {
        qpp_buf_add(why,
                    "no denominator or numerator population: not a proportion measure");
        return QPP_NOT_PROPORTION;
    }
    if (HAS(g, QPP_POP_IP) && denominator(g, counts) > g->count[QPP_POP_IP]) {
        qpp_buf_printf(why, "denominator %lld%s exceeds initial-population %lld",
                       denominator(g, counts),
                       counts == QPP_COUNTS_NET ? " (with exclusions and exceptions)"
                                                : "",
                       g->count[QPP_POP_IP]);
        return QPP_DENOMINATOR_EXCEEDS_IP;
    }
    code = counts == QPP_COUNTS_NET ? net(g, v, why) : gross(g, v, why);
    if (code == QPP_NCODES && registry) {
        v->eligible -= v->exclusion;
        v->exclusion = 0;
    }
    return code;
}

/* ---- one measure's value or strata ---- */

static void map_problem(const struct qpp_slot *s, enum qpp_code code, size_t group,
                        int summed, const char *why, struct qpp_diags *d)
{
    struct qpp_place at = qpp_report_place(s->first);
    char ptr[32];

    snprintf(ptr, sizeof ptr, "/group/%zu", group);
    if (s->nreports > 1)
        qpp_diag(d, code, &at, NULL, "measure %s, over %zu reports: %s", s->m->id,
                 s->nreports, why);
    else
        qpp_diag(d, code, &at, summed ? "/group" : ptr, "measure %s%s: %s", s->m->id,
                 summed ? ", groups summed" : "", why);
}

/* The "net" signature of reference/fhir-semantics.md section 2: exclusions
 * or exceptions, a denominator that is the initial population without
 * them, and a numerator that fits beside them.  Checked for summary counts
 * only: one patient's 0 and 1 fit it by chance. */
static int looks_net(const struct qpp_group *g)
{
    const long long *c = g->count;
    long long out = c[QPP_POP_DENEX] + c[QPP_POP_DENEXCEP];

    if (!HAS(g, QPP_POP_IP) || out <= 0 || c[QPP_POP_IP] > LLONG_MAX / 2 ||
        out > LLONG_MAX / 2)
        return 0;
    return c[QPP_POP_DENOM] == c[QPP_POP_IP] - out &&
           c[QPP_POP_NUMER] + out <= c[QPP_POP_IP];
}

static int map_one(const struct qpp_slot *s, const struct qpp_group *g, size_t group,
                   int summed, enum qpp_counts counts, int registry, struct qpp_value *v,
                   struct qpp_diags *d)
{
    struct qpp_buf why;
    enum qpp_code code;

    qpp_buf_init(&why);
    code = qpp_map_group(g, counts, registry, v, &why);
    if (why.failed) {
        qpp_buf_free(&why);
        return -1;
    }
    if (code != QPP_NCODES)
        map_problem(s, code, group, summed, why.s, d);
    else if (counts == QPP_COUNTS_GROSS && s->summary && looks_net(g))
        map_problem(s, QPP_COUNTS_LOOK_NET, group, summed,
                    "the counts look net (denominator = initial-population - "
                    "exclusions - exceptions, with exclusions or exceptions): read as "
                    "gross; if the evaluator is cqf before 2025-03 (cqf-ruler), give "
                    "--counts net",
                    d);
    qpp_buf_free(&why);
    return code == QPP_NCODES ? 0 : 1;
}

/* The index of id in names[0..n) (strings of a JSON array when names is
 * NULL and arr is given), or n when it is not there. */
static size_t index_of(const char *id, const char *const *names, json_t *arr, size_t n)
{
    size_t k;

    for (k = 0; id && k < n; k++) {
        const char *name =
            names ? names[k]
                  : json_string_value(json_object_get(json_array_get(arr, k), "id"));
        if (qpp_streq(id, name))
            return k;
    }
    return n;
}

/* A mapping of the report's groups onto the strata, used only when it sends
 * each group to its own stratum: no crash, no stratum written twice. */
static int one_to_one(const size_t *map, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        if (map[i] >= n)
            return 0;
        for (k = 0; k < i; k++)
            if (map[k] == map[i])
                return 0;
    }
    return 1;
}

/* Which stratum each report group is (the caller has checked there are as
 * many groups as strata): by name when the groups' ids are the stratum
 * names, by the FHIR Measure's group order when the ids are its group ids
 * and it has one group per stratum, else by position. */
static void strata_order(const struct qpp_slot *s, size_t *stratum, struct qpp_diags *d)
{
    const struct qpp_measure *m = s->m;
    json_t *mgroups = s->measure ? json_object_get(s->measure->json, "group") : NULL;
    size_t i, n = s->ngroups;
    int named = 0;

    for (i = 0; i < n; i++) {
        stratum[i] = index_of(s->sum[i].id, m->strata, NULL, m->nstrata);
        named |= stratum[i] < n;
    }
    if (one_to_one(stratum, n))
        return;
    for (i = 0; i < n; i++) {
        size_t k = index_of(s->sum[i].id, NULL, mgroups, json_array_size(mgroups));
        named |= k < json_array_size(mgroups);
        stratum[i] = json_array_size(mgroups) == n ? k : n;
    }
    if (one_to_one(stratum, n))
        return;
    for (i = 0; i < n; i++)
        stratum[i] = i;
    if (named) {
        struct qpp_place at = qpp_report_place(s->first);
        qpp_diag(d, QPP_STRATA_ORDER, &at, "/group",
                 "the groups' ids name strata of measure %s, but not one each: "
                 "matched by position",
                 m->id);
    }
}

/* The single-rate measures whose population sets CMS's converter adds up
 * (reference/qpp-output.md section 5). */
static int summed_measure(const char *id)
{
    static const char *const summed[] = {"005", "007", "008", "143", "438"};
    size_t i;

    for (i = 0; i < sizeof summed / sizeof summed[0]; i++)
        if (strcmp(id, summed[i]) == 0)
            return 1;
    return 0;
}

int qpp_map_measure(const struct qpp_slot *s, int year, enum qpp_counts counts,
                    int registry, struct qpp_measurement *q, struct qpp_diags *d)
{
    const struct qpp_measure *m = s->m;
    struct qpp_place at = qpp_report_place(s->first);
    size_t i, *stratum;
    int bad = 0;

    q->measure_id = m->id;
    if (!qpp_measure_is_multi_rate(m)) {
        /* Single rate over several groups (005, 007, 008, 143, 438): sum the
         * groups, then map once, as CMS's own converter does.  Other single-
         * rate measures have one population set: more groups than that are
         * not what CMS measures (reference/qpp-output.md section 7.3). */
        struct qpp_group total;
        if (s->ngroups > 1 && !summed_measure(m->id)) {
            qpp_diag(d, QPP_STRATA_MISMATCH, &at, "/group",
                     "measure %s has one performance rate and the report has %zu groups; "
                     "CMS adds groups up only for measures 005, 007, 008, 143 and 438",
                     m->id, s->ngroups);
            return 1;
        }
        memset(&total, 0, sizeof total);
        for (i = 0; i < s->ngroups; i++) {
            if (qpp_map_add(&total, &s->sum[i]) < 0) {
                qpp_diag(d, QPP_COUNT_OVERFLOW, &at, NULL,
                         "the counts of measure %s do not fit 64 bits", m->id);
                return 1;
            }
        }
        return map_one(s, &total, 0, s->ngroups > 1, counts, registry, &q->value, d);
    }
    q->strata = qpp_calloc(m->nstrata, sizeof *q->strata);
    stratum = qpp_calloc(s->ngroups, sizeof *stratum);
    if (!q->strata || !stratum) {
        qpp_free(stratum);
        qpp_free(q->strata);
        q->strata = NULL;
        return -1;
    }
    q->nstrata = m->nstrata;
    for (i = 0; i < m->nstrata; i++)
        q->strata[i].name = m->strata[i];
    if (s->ngroups == 1 && m->nstrata > 1 && strcmp(m->id, "370") == 0) {
        /* 370 is one population set in CMS's specification but two strata in
         * QPP: CMS's converter puts the counts in the first stratum and zeros
         * in the other; the overall rate (weighted average) is the same. */
        qpp_diag(
            d, QPP_STRATA_FILLED, &at, NULL,
            "measure 370: the one group's counts go to stratum %s, zeros to the rest",
            m->strata[0]);
        bad = map_one(s, &s->sum[0], 0, 0, counts, registry, &q->strata[0].value, d);
    } else if (s->ngroups != m->nstrata) {
        qpp_diag(d, QPP_STRATA_MISMATCH, &at, "/group",
                 "measure %s has %zu strata in %d, the report has %zu groups", m->id,
                 m->nstrata, year, s->ngroups);
        bad = 1;
    } else {
        strata_order(s, stratum, d);
        for (i = 0; i < s->ngroups; i++)
            bad |= map_one(s, &s->sum[i], i, 0, counts, registry,
                           &q->strata[stratum[i]].value, d);
    }
    qpp_free(stratum);
    return bad;
}
