/* SPDX-License-Identifier: MIT */
/* Count mapping; see map.h. */
#include "map.h"

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
