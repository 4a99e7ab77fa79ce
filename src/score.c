/* SPDX-License-Identifier: MIT */
/*
 * Pre-score; see score.h.  Every number of the preview comes with the rules
 * that made it: a stable code and a reason that shows the arithmetic.
 *
 * Where each rule comes from (reference/qpp-output.md, sections 4 and 10):
 * [doc] CMS's developer documentation or scoring example; [policy] CMS's rule
 * for the year as secondary sources report it; [inferred] read from CMS's data
 * where CMS does not state the rule; [choice] qppbuild's own where CMS
 * publishes nothing.  The man page lists them all.
 */
#include "score.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"
#include "write.h"

#define CASE_MINIMUM         20 /* [policy] section 10.1 */
#define TOPPED_OUT_CAP       7  /* [policy] section 10.4 */
#define SMALL_PRACTICE_FLOOR 3  /* [policy] section 10.6 */
#define SMALL_PRACTICE_BONUS 6  /* [policy] added to the category's points */
#define NEW_MEASURE_FLOOR_1  7  /* [policy] section 10.6: first year */
#define NEW_MEASURE_FLOOR_2  5  /* second year */
#define MEASURES_MIPS        6  /* [policy] six measures, one outcome or high priority */
#define MEASURES_MVP         4  /* [policy] an MVP asks for four */

/* The data completeness threshold of each year, in percent [policy]. */
static const struct {
    int year, completeness;
} years[] = {
    {2023, 70}, /* the CY 2023 PFS final rule kept 2022's 70% */
    {2024, 75}, /* section 10.1: 75% for 2024 to 2026 ... */
    {2025, 75}, {2026, 75},
    {2027, 75}, /* ... and the CY 2025 PFS final rule kept it through 2028 */
    {2028, 75},
};
#define NYEARS (sizeof years / sizeof years[0])

/* The rules that are steps of every scored measure; the text table shows
 * only the others (caps, floors and notes). */
static const char *const steps[] = {"performance-rate", "reporting-rate",
                                    "case-count",       "benchmark",
                                    "decile",           "partial-points"};

struct rule {
    const char *code;
    char *reason;
};

/* The rules of a measure or of the category, as many as apply. */
struct rules {
    struct rule *v;
    size_t n, cap;
};

/* One measurement and how it scored. */
struct scored {
    const struct qpp_measurement *q;
    const struct qpp_measure *m; /* NULL when the catalog lacks it */
    const struct qpp_benchmark *b;
    bool has_rate, has_reporting, benchmarked, counted, priority;
    bool inverse;       /* the benchmark is scored as an inverse measure's */
    double scored_rate; /* rate rounded to 2 decimals, as CMS keeps it */
    double rate, reporting;
    long long cases;
    struct qpp_decile dec;
    double benchmark_points, points; /* rounded */
    struct rules rules;
};

struct ctx {
    const struct qpp_submission *s;
    const struct qpp_score_options *o;
    const struct qpp_benchmark_set *set;
    struct qpp_diags *d;
    int completeness; /* threshold of the year, percent */
    int rules_year;   /* the year whose threshold applies */
    int failed;       /* out of memory */
};

/* ---- numbers ---- */

double qpp_score_round(double x)
{
    double a = x < 0 ? -x : x;

    if (!(a < 9e14)) /* too large to hold 4 decimals, or not a number */
        return x;
    a = (double)(long long)(a * 10000.0 + 0.5) / 10000.0;
    return x < 0 ? -a : a;
}

/* A number in a reason: rounded to 4 decimals, without trailing zeros.  The
 * caller owns the buffer, so a number stays valid while others are made. */
struct num {
    char s[48];
};

static const char *num(struct num *n, double x)
{
    char *s = n->s;
    size_t len;

    if (!(x > -1e15 && x < 1e15)) { /* no 4 decimals to show; %.4f would not fit */
        snprintf(s, sizeof n->s, "%g", x);
        return s;
    }
    snprintf(s, sizeof n->s, "%.4f", qpp_score_round(x));
    len = strlen(s);
    while (len > 1 && strchr(s, '.') && (s[len - 1] == '0' || s[len - 1] == '.'))
        s[--len] = '\0';
    if (strcmp(s, "-0") == 0)
        snprintf(s, sizeof n->s, "0");
    return s;
}

/* A performance rate as CMS keeps it, a percentage to 2 decimals, rounded
 * half up [inferred]: CMS's example scores 110 from 82.31 (82.31 - 73.08 =
 * 9.23).  The small margin takes a rate within 1e-9 of a half (48.125 that
 * binary fractions hold as 48.12499...) up. */
static double round_rate(double x)
{
    if (!(x >= 0 && x < 1e12)) /* a count of sumNumerators, or not a number */
        return x;
    return (double)(long long)(x * 100.0 + 0.5 + 1e-7) / 100.0;
}

static double pct(long long part, long long whole)
{
    /* One rounding: a rate equal to a bound read from JSON compares equal. */
    return (100.0 * (double)part) / (double)whole;
}

void qpp_score_decile(double rate, const double p[9], bool inverse, struct qpp_decile *o)
{
    double frac = 0;
    int k;

    memset(o, 0, sizeof *o);
    if (!inverse && rate >= p[8]) {
        o->decile = 10;
        o->has_lower = true;
        o->lower = p[8];
        o->on_boundary = rate == p[8];
        o->points = 10;
        return;
    }
    if (inverse && rate <= p[0]) {
        o->decile = 10;
        o->has_upper = true;
        o->upper = p[0];
        o->on_boundary = rate == p[0];
        o->points = 10;
        return;
    }
    o->has_lower = o->has_upper = true;
    if (!inverse && rate < p[0]) {
        o->decile = 1;
        o->lower = 0;
        o->upper = p[0];
        o->chosen_bound = true;
    } else if (!inverse) {
        for (k = 7; k > 0 && p[k] > rate; k--)
            ; /* p[k] <= rate < p[k + 1] */
        o->decile = k + 2;
        o->lower = p[k];
        o->upper = p[k + 1];
        o->on_boundary = rate == p[k];
    } else if (rate > p[8]) {
        o->decile = 1;
        o->lower = p[8];
        o->upper = 100;
        o->chosen_bound = true;
    } else {
        for (k = 1; k < 8 && rate > p[k]; k++)
            ; /* p[k - 1] < rate <= p[k] */
        o->decile = 10 - k;
        o->lower = p[k - 1];
        o->upper = p[k];
        o->on_boundary = rate == p[k];
    }
    if (o->upper > o->lower)
        frac = (inverse ? o->upper - rate : rate - o->lower) / (o->upper - o->lower);
    if (frac < 0)
        frac = 0;
    o->points = o->decile + (frac < 1 ? frac : 1);
}

/* ---- rules ---- */

static void add_rule(struct ctx *c, struct rules *rs, const char *code, const char *fmt,
                     va_list ap)
{
    struct qpp_buf b;
    char *reason;

    qpp_buf_init(&b);
    qpp_buf_vprintf(&b, fmt, ap);
    reason = qpp_buf_take(&b);
    if (!reason || qpp_grow((void **)&rs->v, &rs->cap, rs->n + 1, sizeof *rs->v) < 0) {
        qpp_free(reason);
        c->failed = 1;
        return;
    }
    rs->v[rs->n].code = code;
    rs->v[rs->n].reason = reason;
    rs->n++;
}

static void rule(struct ctx *c, struct scored *x, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void rule(struct ctx *c, struct scored *x, const char *code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_rule(c, &x->rules, code, fmt, ap);
    va_end(ap);
}

static void free_rules(struct rules *rs)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        qpp_free(rs->v[i].reason);
    qpp_free(rs->v);
    memset(rs, 0, sizeof *rs);
}

/* ---- one measurement ---- */

static const char *algorithm(const struct scored *x)
{
    const char *a = x->m ? x->m->overall_algorithm : NULL;

    return a ? a : "weightedAverage";
}

/* CMS's documentation: for simpleAverage and overallStratumOnly a stratum's
 * rate is met / (met + notMet - exclusions) [doc]. */
static int minus_exclusions(const char *alg)
{
    return strcmp(alg, "simpleAverage") == 0 || strcmp(alg, "overallStratumOnly") == 0;
}

static long long rate_denominator(const char *alg, const struct qpp_value *v)
{
    return v->met + v->not_met - (minus_exclusions(alg) ? v->exclusion : 0);
}

static bool stratum_rate(const char *alg, const struct qpp_value *v, double *rate)
{
    long long den = rate_denominator(alg, v);

    if (den <= 0)
        return false;
    *rate = pct(v->met, den);
    return true;
}

static const struct qpp_value *stratum(const struct qpp_measurement *q, const char *name)
{
    size_t i;

    for (i = 0; i < q->nstrata; i++)
        if (strcmp(q->strata[i].name, name) == 0)
            return &q->strata[i].value;
    return NULL;
}

/* CMS's documented formula for simpleAverage and overallStratumOnly takes
 * the exclusions off performanceNotMet, which for eCQMs already leaves them
 * out, so it can pass 100.  Followed as documented, and said. */
static void above_100(struct ctx *c, struct scored *x, const char *what, double rate)
{
    struct num n = {{0}};

    if (rate > 100)
        rule(c, x, "rate-above-100",
             "%s: the documented formula gives %s, above 100, because "
             "eligiblePopulationExclusion is taken off performanceNotMet, which already "
             "leaves the exclusions out; CMS's own result may differ",
             what, num(&n, rate));
}

static void one_rate(struct ctx *c, struct scored *x, const char *what,
                     const struct qpp_value *v, const char *alg)
{
    struct num n = {{0}};

    if (!v || !stratum_rate(alg, v, &x->rate)) {
        rule(c, x, "no-rate",
             "%s: performanceMet + performanceNotMet%s is 0, so CMS computes no "
             "performance rate and the measure cannot be scored against a benchmark",
             what, v && minus_exclusions(alg) ? " - eligiblePopulationExclusion" : "");
        return;
    }
    x->has_rate = true;
    if (minus_exclusions(alg)) {
        rule(c, x, "performance-rate",
             "%s: performanceMet / (performanceMet + performanceNotMet - "
             "eligiblePopulationExclusion) * 100, as CMS documents it for %s = %lld / "
             "(%lld "
             "+ %lld - %lld) * 100 = %s",
             what, alg, v->met, v->met, v->not_met, v->exclusion, num(&n, x->rate));
        above_100(c, x, what, x->rate);
    } else {
        rule(c, x, "performance-rate",
             "%s: performanceMet / (performanceMet + performanceNotMet) * 100 = %lld / "
             "(%lld + %lld) * 100 = %s",
             what, v->met, v->met, v->not_met, num(&n, x->rate));
    }
}

/* The overall rate of a multi-rate measure, by its overallAlgorithm [doc];
 * "overall" strata are left out except by overallStratumOnly. */
static void multi_rate(struct ctx *c, struct scored *x)
{
    const struct qpp_measurement *q = x->q;
    const char *alg = algorithm(x);
    struct num n = {{0}};
    struct qpp_buf b;
    long long met = 0, den = 0;
    double sum = 0;
    size_t i, k = 0;

    if (!x->m || !x->m->overall_algorithm)
        rule(c, x, "algorithm-unknown",
             "the measure data name no overallAlgorithm: the weighted average is used");
    if (strcmp(alg, "overallStratumOnly") == 0) {
        one_rate(c, x, "overallStratumOnly, the rate of stratum overall",
                 stratum(q, "overall"), alg);
        return;
    }
    if (strcmp(alg, "split") == 0) {
        one_rate(c, x, "split, the rate of stratum performance",
                 stratum(q, "performance"), alg);
        return;
    }
    qpp_buf_init(&b);
    for (i = 0; i < q->nstrata; i++) {
        const struct qpp_value *v = &q->strata[i].value;
        double r;

        if (strcmp(q->strata[i].name, "overall") == 0)
            continue;
        met += v->met;
        den += v->met + v->not_met;
        if (strcmp(alg, "simpleAverage") != 0)
            continue;
        if (!stratum_rate(alg, v, &r)) {
            rule(c, x, "stratum-no-rate",
                 "stratum %s has no rate (performanceMet + performanceNotMet - "
                 "eligiblePopulationExclusion is 0) and is left out of the mean",
                 q->strata[i].name);
            continue;
        }
        above_100(c, x, q->strata[i].name, r);
        qpp_buf_printf(&b, "%s%s", k ? " + " : "", num(&n, r));
        sum += r;
        k++;
    }
    if (strcmp(alg, "simpleAverage") == 0 && k > 0) {
        x->has_rate = true;
        x->rate = sum / (double)k;
        rule(
            c, x, "performance-rate",
            "simpleAverage: the mean of the stratum rates, each performanceMet / "
            "(performanceMet + performanceNotMet - eligiblePopulationExclusion) * 100 as "
            "CMS documents it = (%s) / %zu = %s",
            b.s ? b.s : "", k, num(&n, x->rate));
    } else if (strcmp(alg, "sumNumerators") == 0) {
        x->has_rate = true;
        x->rate = (double)met;
        rule(c, x, "performance-rate",
             "sumNumerators: the sum of the strata's performanceMet = %lld (a count, not "
             "a percentage)",
             met);
    } else if (strcmp(alg, "simpleAverage") != 0 && den > 0) {
        x->has_rate = true;
        x->rate = pct(met, den);
        rule(c, x, "performance-rate",
             "%s: the strata's performanceMet / their (performanceMet + "
             "performanceNotMet) * 100 = %lld / %lld * 100 = %s",
             alg, met, den, num(&n, x->rate));
    } else {
        rule(c, x, "no-rate",
             "%s: no stratum has a performance rate, so the measure cannot be scored "
             "against a benchmark",
             alg);
    }
    if (b.failed)
        c->failed = 1;
    qpp_buf_free(&b);
}

/* Data completeness [doc]: (met + notMet + exclusion + exception) /
 * eligiblePopulation * 100; a multi-rate measure's from its reporting
 * stratum (split), its overall stratum (overallStratumOnly), else the
 * strata's sums. */
static void reporting(struct ctx *c, struct scored *x)
{
    const struct qpp_measurement *q = x->q;
    struct qpp_value sum = {0, 0, 0, 0, 0};
    const struct qpp_value *v = &q->value;
    const char *what = "";
    struct num n = {{0}};
    long long part;
    size_t i;

    if (q->nstrata) {
        const char *alg = algorithm(x);
        if (strcmp(alg, "split") == 0) {
            v = stratum(q, "reporting");
            what = " of stratum reporting";
        } else if (strcmp(alg, "overallStratumOnly") == 0) {
            v = stratum(q, "overall");
            what = " of stratum overall";
        } else {
            for (i = 0; i < q->nstrata; i++) {
                const struct qpp_value *s = &q->strata[i].value;
                if (strcmp(q->strata[i].name, "overall") == 0)
                    continue;
                sum.met += s->met;
                sum.not_met += s->not_met;
                sum.exclusion += s->exclusion;
                sum.exception += s->exception;
                sum.eligible += s->eligible;
            }
            v = &sum;
            what = ", the strata summed";
        }
    }
    if (!v || v->eligible <= 0) {
        rule(c, x, "reporting-rate", "eligiblePopulation%s is 0: no reporting rate",
             what);
        return;
    }
    part = v->met + v->not_met + v->exclusion + v->exception;
    x->has_reporting = true;
    x->reporting = pct(part, v->eligible);
    rule(c, x, "reporting-rate",
         "(performanceMet + performanceNotMet + eligiblePopulationExclusion + "
         "eligiblePopulationException) / eligiblePopulation * 100%s = "
         "(%lld + %lld + %lld + %lld) / %lld * 100 = %s; the data completeness threshold "
         "of %d is %d",
         what, v->met, v->not_met, v->exclusion, v->exception, v->eligible,
         num(&n, x->reporting), c->rules_year, c->completeness);
}

static void case_count(struct ctx *c, struct scored *x)
{
    const char *alg = algorithm(x);
    const char *how = "eligiblePopulation";

    x->cases = x->m ? qpp_case_count(x->m, x->q) : x->q->value.eligible;
    if (x->q->nstrata == 0)
        how = "eligiblePopulation";
    else if (strcmp(alg, "simpleAverage") == 0)
        how = "simpleAverage: the largest stratum's eligiblePopulation";
    else if (strcmp(alg, "overallStratumOnly") == 0)
        how = "overallStratumOnly: stratum overall's eligiblePopulation";
    else if (strcmp(alg, "split") == 0)
        how = "split: stratum reporting's eligiblePopulation";
    else
        how = "the sum of the strata's eligiblePopulation";
    rule(c, x, "case-count", "caseCount = %s = %lld; CMS's case minimum is %d", how,
         x->cases, CASE_MINIMUM);
}

static bool flat(const struct qpp_benchmark *b)
{
    int k;

    for (k = 0; k < 9; k++)
        if (b->deciles[k] != (k + 1) * 10)
            return false;
    return true;
}

static void benchmark_rule(struct ctx *c, struct scored *x)
{
    const struct qpp_benchmark *b = x->b;
    struct qpp_buf from;

    qpp_buf_init(&from);
    if (b->benchmark_year == b->performance_year)
        qpp_buf_add(&from, "from the performance period's own data");
    else if (b->benchmark_year)
        qpp_buf_printf(&from, "from the data of %d (historical)", b->benchmark_year);
    else
        qpp_buf_add(&from, "of a data year the file does not give");
    rule(c, x, "benchmark", "CMS's %d benchmark for %s by %s (%s), %s",
         b->performance_year, b->measure_id, b->method,
         c->set->source ? c->set->source : "built in", from.s ? from.s : "");
    if (from.failed)
        c->failed = 1;
    qpp_buf_free(&from);
}

static const char *yes_no(bool b)
{
    return b ? "true" : "false";
}

/* Whether the benchmark is scored as an inverse measure's: the row's
 * isInverse; a row without it (older files often lack it) takes the measure
 * data's; without either, the older deciles' order, descending for an inverse
 * measure in CMS's files [inferred].  A conflict is a warning. */
static void inverse_source(struct ctx *c, struct scored *x)
{
    const struct qpp_benchmark *b = x->b;
    const struct qpp_measure *m = x->m;
    struct qpp_place at = {c->set->source, -1, -1, NULL, NULL};
    char ptr[40];

    snprintf(ptr, sizeof ptr, "/%u/isInverse", b->row);
    if (b->inverse_given) {
        x->inverse = b->is_inverse;
        if (m && m->is_inverse != b->is_inverse)
            qpp_diag(c->d, QPP_INVERSE_CONFLICT, &at, ptr,
                     "the benchmark of %s by %s says isInverse %s, the measure data %s: "
                     "the benchmark's applies",
                     b->measure_id, b->method, yes_no(b->is_inverse),
                     yes_no(m->is_inverse));
    } else if (m) {
        x->inverse = m->is_inverse;
        rule(c, x, "inverse-source",
             "the benchmark row has no isInverse: the measure data's (%s) applies",
             yes_no(m->is_inverse));
        if (b->descending && !m->is_inverse)
            qpp_diag(c->d, QPP_INVERSE_CONFLICT, &at, ptr,
                     "the deciles of %s by %s are in descending order, as CMS writes an "
                     "inverse measure's, but the measure data say it is not inverse: "
                     "the measure data apply",
                     b->measure_id, b->method);
    } else if (b->from_deciles) {
        x->inverse = b->descending;
        rule(c, x, "inverse-source",
             "neither the benchmark row nor the measure data say whether the measure is "
             "inverse: its deciles are in %s order, so %s",
             b->descending ? "descending" : "ascending",
             b->descending ? "inverse, as CMS writes an inverse measure's"
                           : "not inverse");
    } else {
        x->inverse = false;
        rule(c, x, "inverse-source",
             "neither the benchmark row nor the measure data say whether the measure is "
             "inverse: taken as not inverse");
    }
}

/* The bound where decile d begins (for an inverse measure its upper end):
 * the percentile it is, or in the older format just that. */
static const char *bound_name(char *buf, size_t size, const struct scored *x, int d)
{
    if (x->b->from_deciles)
        snprintf(buf, size, "the bound of decile %d", d);
    else
        snprintf(buf, size, "p%d", x->inverse ? (11 - d) * 10 : (d - 1) * 10);
    return buf;
}

/* Decile and partial points of a benchmark-scored measure. */
static void decile_rules(struct ctx *c, struct scored *x)
{
    const struct qpp_benchmark *b = x->b;
    const struct qpp_decile *d = &x->dec;
    const bool inv = x->inverse;
    struct num nr = {{0}}, nl = {{0}}, nu = {{0}}, np = {{0}}, n1 = {{0}};
    const char *r = num(&nr, x->scored_rate), *lo = num(&nl, d->lower);
    const char *up = num(&nu, d->upper);
    const char *pts = num(&np, x->benchmark_points);
    char own[32], next[32];

    bound_name(own, sizeof own, x, d->decile);
    bound_name(next, sizeof next, x, d->decile < 10 ? d->decile + 1 : 10);
    if (inv && b->from_deciles)
        rule(c, x, "inverse",
             "an inverse measure: a lower rate is better; CMS's deciles are where "
             "deciles 2 to 10 begin from 100 down%s, so decile d covers the rates "
             "above the bound of decile d + 1 up to its own: up to the bound of decile "
             "10 is decile 10",
             b->descending ? " (written in descending order, read here reversed)" : "");
    else if (inv)
        rule(
            c, x, "inverse",
            "an inverse measure: a lower rate is better, so decile d covers (p(100-10d), "
            "p(110-10d)]: up to p10 is decile 10, above p90 decile 1");
    if (flat(b))
        rule(c, x, "flat-benchmark",
             "a flat benchmark: the deciles begin every 10 percentage points (%s)",
             inv ? "10 or less for decile 10" : "90 or more for decile 10");
    if (d->decile == 10 && !inv)
        rule(c, x, "decile", "%s >= %s = %s: decile 10", r, own, lo);
    else if (d->decile == 10)
        rule(c, x, "decile", "%s <= %s = %s: decile 10", r, own, up);
    else if (d->decile == 1)
        rule(c, x, "decile", "%s %s %s = %s: decile 1", r, inv ? ">" : "<", next,
             inv ? lo : up);
    else if (!inv)
        rule(c, x, "decile", "%s = %s <= %s < %s = %s: decile %d", own, lo, r, next, up,
             d->decile);
    else
        rule(c, x, "decile", "%s = %s < %s <= %s = %s: decile %d", next, lo, r, own, up,
             d->decile);
    if (d->on_boundary)
        rule(
            c, x, "decile-boundary",
            "the rate is exactly the bound between deciles %d and %d: a bound belongs to "
            "the better decile, here with no partial points",
            d->decile - 1, d->decile);
    if (d->chosen_bound && b->from_deciles)
        rule(c, x, "decile-1-bound",
             "the older deciles have no p1 and p99; their schema implies the rates "
             "run from %s (the worst) to %s: decile 1 %s at %s",
             inv ? "100" : "0", inv ? "0" : "100", inv ? "ends" : "starts",
             inv ? "100" : "0");
    else if (d->chosen_bound && !inv && b->has_p1)
        rule(c, x, "decile-1-bound",
             "CMS does not say whether decile 1 starts at 0 or at p1 (= %s): qppbuild "
             "takes 0, the lowest rate there is",
             num(&n1, b->p1));
    else if (d->chosen_bound && inv && b->has_p99)
        rule(c, x, "decile-1-bound",
             "CMS does not say whether decile 1 ends at 100 or at p99 (= %s): qppbuild "
             "takes 100, the highest rate there is",
             num(&n1, b->p99));
    else if (d->chosen_bound)
        rule(
            c, x, "decile-1-bound",
            "CMS does not say where decile 1 %s: qppbuild takes %s, the %s rate there is",
            inv ? "ends" : "starts", inv ? "100" : "0", inv ? "highest" : "lowest");
    if (d->decile == 10)
        rule(c, x, "partial-points", "decile 10 earns 10 points, with no partial points");
    else if (!inv)
        rule(c, x, "partial-points", "%d + (%s - %s) / (%s - %s) = %s", d->decile, r, lo,
             up, lo, pts);
    else
        rule(c, x, "partial-points", "%d + (%s - %s) / (%s - %s) = %s", d->decile, up, r,
             up, lo, pts);
}

static void topped_out(struct ctx *c, struct scored *x)
{
    const struct qpp_benchmark *b = x->b;
    const char *method = c->s->method;
    struct num n1 = {{0}}, n2 = {{0}};
    bool removed = x->m && qpp_measure_cap_removed(x->m, method);

    if (removed) {
        rule(
            c, x, "seven-point-cap-removed",
            "the measure data remove the 7-point cap of %s by %s (sevenPointCapRemoved): "
            "scored on CMS's benchmark for it, without a cap",
            x->q->measure_id, method);
    } else if (b->is_topped_out_by_program) {
        double capped = x->points < TOPPED_OUT_CAP ? x->points : TOPPED_OUT_CAP;
        rule(c, x, "topped-out-cap",
             "topped out by program (isToppedOutByProgram) for %s: at most %d points, "
             "min(%s, %d) = %s%s",
             method, TOPPED_OUT_CAP, num(&n1, x->points), TOPPED_OUT_CAP,
             num(&n2, capped),
             x->points < TOPPED_OUT_CAP ? ": the cap is not reached" : "");
        x->points = capped;
    } else if (b->is_topped_out) {
        rule(c, x, "topped-out",
             "topped out (isToppedOut) but not by program: no cap applies");
    }
}

static void score_one(struct ctx *c, struct scored *x, const struct qpp_catalog_year *cy)
{
    const struct qpp_submission *s = c->s;
    const struct qpp_measure *m;
    struct num n1 = {{0}}, n2 = {{0}};
    bool complete;
    int least = 0, age;

    m = x->m = qpp_catalog_find(cy, x->q->measure_id);
    x->priority = m && (m->is_high_priority || qpp_measure_is_outcome(m));
    if (x->q->nstrata)
        multi_rate(c, x);
    else
        one_rate(c, x, "performanceRate", &x->q->value, "");
    reporting(c, x);
    case_count(c, x);
    x->b = qpp_benchmark_find(c->set, x->q->measure_id, s->method);
    if (x->b) {
        benchmark_rule(c, x);
        inverse_source(c, x);
    }
    complete = x->has_reporting && x->reporting >= c->completeness;
    if (!complete && x->has_reporting)
        rule(c, x, "data-completeness",
             "the reporting rate %s is below the data completeness threshold of %d%%: "
             "0 points",
             num(&n1, x->reporting), c->completeness);
    else if (!complete)
        rule(c, x, "data-completeness",
             "without a reporting rate (no eligible patient) the data completeness "
             "threshold of %d%% is not met: 0 points",
             c->completeness);
    if (x->cases < CASE_MINIMUM)
        rule(c, x, "case-minimum",
             "%lld cases, fewer than CMS's case minimum of %d: not scored against a "
             "benchmark, 0 points",
             x->cases, CASE_MINIMUM);
    if (!x->b)
        rule(c, x, "no-benchmark",
             "CMS published no %d benchmark for %s by %s: 0 points, unless CMS makes one "
             "from the performance period's data after the year",
             s->year, x->q->measure_id, s->method);
    x->benchmarked = complete && x->cases >= CASE_MINIMUM && x->b && x->has_rate;
    if (x->benchmarked) {
        x->scored_rate = round_rate(x->rate);
        if (x->scored_rate != x->rate)
            rule(c, x, "rate-rounding",
                 "CMS keeps a performance rate to 2 decimals: %s is scored as %s, "
                 "rounded half up",
                 num(&n1, x->rate), num(&n2, x->scored_rate));
        qpp_score_decile(x->scored_rate, x->b->deciles, x->inverse, &x->dec);
        x->benchmark_points = x->points = qpp_score_round(x->dec.points);
        decile_rules(c, x);
        topped_out(c, x);
    } else if (c->o->small_practice) {
        x->points = SMALL_PRACTICE_FLOOR;
        rule(c, x, "small-practice",
             "a small practice (--small-practice) gets %d points for a measure "
             "that cannot be scored against a benchmark",
             SMALL_PRACTICE_FLOOR);
    }
    /* New measures [policy]: a floor in their first two years, when the data
     * is complete. */
    age = m && m->first_year ? s->year - m->first_year : -1;
    if (age == 0)
        least = NEW_MEASURE_FLOOR_1;
    else if (age == 1)
        least = NEW_MEASURE_FLOOR_2;
    if (least && complete) {
        double before = x->points;
        if (x->points < least)
            x->points = least;
        rule(c, x, "new-measure-floor",
             "a new measure (first performance year %d, so year %d of 2): at least %d "
             "points, max(%s, %d) = %s",
             m->first_year, age + 1, least, num(&n1, before), least, num(&n2, x->points));
    }
}

/* ---- the category ---- */

/* x goes before y: more points, then measureId order. */
static bool before(const struct scored *x, const struct scored *y)
{
    if (x->points != y->points)
        return x->points > y->points;
    return strcmp(x->q->measure_id, y->q->measure_id) < 0;
}

struct total {
    int required, missing, bonus;
    size_t *counted; /* indices of the measures that count, in the order picked */
    size_t ncounted;
    double points, score;
    struct rules rules;
};

static void total_rule(struct ctx *c, struct total *t, const char *code, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

static void total_rule(struct ctx *c, struct total *t, const char *code, const char *fmt,
                       ...)
{
    va_list ap;

    va_start(ap, fmt);
    add_rule(c, &t->rules, code, fmt, ap);
    va_end(ap);
}

/* Which measures count and the category score [policy]: the required number
 * of highest-scoring measures with an outcome or high-priority one among
 * them, each missing one 0 points; the small practice bonus; points over 10
 * per required measure. */
static int total(struct ctx *c, struct scored *v, size_t n, struct total *t)
{
    const char *program = c->s->program;
    size_t *order = qpp_calloc(n + 1, sizeof *order);
    struct qpp_buf list;
    struct num n1 = {{0}}, n2 = {{0}};
    size_t i, k, room;
    int mvp = qpp_program_is_mvp(program), priority = -1;
    double sum = 0;

    t->counted = qpp_calloc(n + 1, sizeof *t->counted);
    if (!order || !t->counted) {
        qpp_free(order);
        return -1;
    }
    qpp_buf_init(&list);
    t->required = mvp ? MEASURES_MVP : MEASURES_MIPS;
    for (i = 0; i < n; i++) {
        order[i] = i;
        for (k = i; k > 0 && before(&v[order[k]], &v[order[k - 1]]); k--) {
            size_t swap = order[k];
            order[k] = order[k - 1];
            order[k - 1] = swap;
        }
    }
    for (i = 0; i < n && priority < 0; i++)
        if (v[order[i]].priority)
            priority = (int)i;
    /* Without an outcome or high-priority measure one required place stays
     * empty, unless fewer measures than required leave places empty anyway. */
    room = (size_t)t->required - (priority < 0 && n >= (size_t)t->required ? 1 : 0);
    if (priority >= 0) {
        v[order[priority]].counted = true;
        t->counted[t->ncounted++] = order[priority];
    }
    for (i = 0; i < n && t->ncounted < room; i++) {
        if (!v[order[i]].counted) {
            v[order[i]].counted = true;
            t->counted[t->ncounted++] = order[i];
        }
    }
    for (i = 0; i < t->ncounted; i++) {
        qpp_buf_printf(&list, "%s%s", i ? ", " : "", v[t->counted[i]].q->measure_id);
        sum += v[t->counted[i]].points;
    }
    t->points = qpp_score_round(sum);
    t->missing = t->required - (int)t->ncounted;
    if (mvp)
        total_rule(c, t, "measures-counted",
                   "MVP %s: the %d highest-scoring measures count, an outcome or "
                   "high-priority measure among them: %s",
                   program, t->required, list.s ? list.s : "none");
    else
        total_rule(
            c, t, "measures-counted",
            "%s: the %d highest-scoring measures count, an outcome or high-priority "
            "measure among them: %s",
            program, t->required, list.s ? list.s : "none");
    if (strcmp(program, "mips") != 0 && !mvp)
        total_rule(
            c, t, "program-approximation",
            "CMS scores %s with its own measure set, some measures of which CMS "
            "computes itself (CAHPS, administrative claims); the preview counts the "
            "submitted measures as traditional MIPS does",
            program);
    if (priority < 0 && n >= (size_t)t->required)
        total_rule(
            c, t, "no-high-priority",
            "no outcome or high-priority measure: one of the %d places stays empty "
            "(0 points), unless CMS finds that none applies to the practice",
            t->required);
    else if (priority < 0 && n > 0)
        total_rule(c, t, "no-high-priority",
                   "no outcome or high-priority measure: CMS expects one, unless none "
                   "applies to the practice");
    else if (priority >= 0)
        total_rule(
            c, t, "high-priority",
            "measure %s is the highest-scoring outcome or high-priority measure and "
            "counts first",
            v[order[priority]].q->measure_id);
    if (t->missing > 0)
        total_rule(c, t, "measures-missing",
                   "%zu of %d required measures count: %d missing, 0 points each",
                   t->ncounted, t->required, t->missing);
    if (n > t->ncounted)
        total_rule(c, t, "measures-dropped", "%zu lower-scoring measures do not count",
                   n - t->ncounted);
    if (c->o->small_practice && n > 0) {
        t->bonus = SMALL_PRACTICE_BONUS;
        total_rule(c, t, "small-practice-bonus",
                   "a small practice (--small-practice) that submits a quality measure "
                   "gets %d bonus points",
                   SMALL_PRACTICE_BONUS);
    }
    t->score = qpp_score_round(100.0 * (t->points + t->bonus) / (t->required * 10));
    total_rule(c, t, "category-score", "(%s + %d) / (%d * 10) * 100 = %s%s",
               num(&n1, t->points), t->bonus, t->required, num(&n2, t->score),
               t->score > 100 ? ", at most 100" : "");
    if (t->score > 100)
        t->score = 100;
    total_rule(c, t, "improvement-not-included",
               "CMS adds up to 10 percentage points for improvement over last year's "
               "quality score; the preview cannot know it");
    if (c->rules_year != c->s->year)
        total_rule(
            c, t, "year-rules",
            "qppbuild knows CMS's scoring rules of 2023 to 2028; for %d it applies "
            "those of %d",
            c->s->year, c->rules_year);
    if (list.failed)
        c->failed = 1;
    qpp_buf_free(&list);
    qpp_free(order);
    return 0;
}

/* ---- JSON ---- */

static int set(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v); /* frees v on failure, and NULL fails */
}

static json_t *real_or_null(bool has, double v)
{
    return has ? json_real(v) : json_null();
}

static json_t *rules_json(const struct rules *rs)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < rs->n; i++) {
        json_t *r = json_object();
        if (!r || json_array_append_new(a, r) ||
            set(r, "rule", json_string(rs->v[i].code)) ||
            set(r, "reason", json_string(rs->v[i].reason))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *benchmark_json(const struct qpp_benchmark *b)
{
    json_t *o = json_object(), *d = json_array();
    int k;

    for (k = 0; d && k < 9; k++)
        if (json_array_append_new(d, json_real(b->deciles[k])))
            break;
    if (!o || !d || k < 9) {
        json_decref(d);
        json_decref(o);
        return NULL;
    }
    if (set(o, "performanceYear", json_integer(b->performance_year)) ||
        set(o, "benchmarkYear",
            b->benchmark_year ? json_integer(b->benchmark_year) : json_null()) ||
        set(o, "submissionMethod", json_string(b->method)) ||
        set(o, "isInverse",
            b->inverse_given ? json_boolean(b->is_inverse) : json_null()) ||
        set(o, "isToppedOut", json_boolean(b->is_topped_out)) ||
        set(o, "isToppedOutByProgram", json_boolean(b->is_topped_out_by_program)) ||
        set(o, "averagePerformanceRate", real_or_null(b->has_average, b->average))) {
        json_decref(d);
        json_decref(o);
        return NULL;
    }
    if (set(o, "deciles", d)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *measurement_json(const struct scored *x)
{
    const struct qpp_measurement *q = x->q;
    json_t *o = json_object(), *strata, *bounds;
    size_t i;

    if (!o || set(o, "measureId", json_string(q->measure_id)) ||
        set(o, "title", x->m ? json_string(x->m->title) : json_null()))
        goto fail;
    if (q->nstrata == 0) {
        if (qpp_write_counts(o, &q->value))
            goto fail;
    } else {
        const char *alg = algorithm(x);
        if (set(o, "overallAlgorithm", json_string(alg)) || !(strata = json_array()) ||
            json_object_set_new(o, "strata", strata))
            goto fail;
        for (i = 0; i < q->nstrata; i++) {
            json_t *st = json_object();
            double r = 0;
            bool has = stratum_rate(alg, &q->strata[i].value, &r);
            if (!st || json_array_append_new(strata, st) ||
                set(st, "stratum", json_string(q->strata[i].name)) ||
                qpp_write_counts(st, &q->strata[i].value) ||
                set(st, "performanceRate", real_or_null(has, qpp_score_round(r))))
                goto fail;
        }
    }
    if (set(o, "performanceRate", real_or_null(x->has_rate, qpp_score_round(x->rate))) ||
        set(o, "reportingRate",
            real_or_null(x->has_reporting, qpp_score_round(x->reporting))) ||
        set(o, "caseCount", json_integer(x->cases)) ||
        set(o, "benchmark", x->b ? benchmark_json(x->b) : json_null()) ||
        set(o, "decile", x->benchmarked ? json_integer(x->dec.decile) : json_null()))
        goto fail;
    if (!x->benchmarked) {
        bounds = json_null();
    } else if (!(bounds = json_object()) ||
               set(bounds, "lower", real_or_null(x->dec.has_lower, x->dec.lower)) ||
               set(bounds, "upper", real_or_null(x->dec.has_upper, x->dec.upper))) {
        json_decref(bounds);
        goto fail;
    }
    if (set(o, "decileBounds", bounds) ||
        set(o, "benchmarkPoints", real_or_null(x->benchmarked, x->benchmark_points)) ||
        set(o, "achievementPoints", json_real(x->points)) ||
        set(o, "counted", json_boolean(x->counted)) ||
        set(o, "rules", rules_json(&x->rules)))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *total_json(const struct total *t, const struct scored *v, size_t n)
{
    json_t *o = json_object(), *ids = json_array();
    size_t i;

    for (i = 0; ids && i < t->ncounted; i++)
        if (json_array_append_new(ids, json_string(v[t->counted[i]].q->measure_id)))
            break;
    if (!o || !ids || i < t->ncounted ||
        set(o, "measuresRequired", json_integer(t->required)) ||
        set(o, "measuresSubmitted", json_integer((json_int_t)n))) {
        json_decref(ids);
        json_decref(o);
        return NULL;
    }
    if (set(o, "measuresCounted", ids) ||
        set(o, "measuresMissing", json_integer(t->missing)) ||
        set(o, "achievementPoints", json_real(t->points)) ||
        set(o, "smallPracticeBonus", json_integer(t->bonus)) ||
        set(o, "maximumPoints", json_integer((json_int_t)t->required * 10)) ||
        set(o, "categoryScore", json_real(t->score)) ||
        set(o, "rules", rules_json(&t->rules))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *preview_json(const struct ctx *c, const struct scored *v, size_t n,
                            const struct total *t)
{
    const struct qpp_submission *s = c->s;
    json_t *o = json_object(), *list;
    char source[96];
    size_t i;

    snprintf(source, sizeof source, "built in: CMS qpp-measures-data benchmarks/%d.json",
             c->set->year);
    if (!o || set(o, "performanceYear", json_integer(s->year)) ||
        set(o, "submissionMethod", json_string(s->method)) ||
        set(o, "programName", json_string(s->program)) ||
        set(o, "benchmarks",
            c->set->source ? json_string(c->set->source) : json_string(source)) ||
        set(o, "smallPractice", json_boolean(c->o->small_practice)) ||
        set(o, "dataCompletenessThreshold", json_integer(c->completeness)) ||
        set(o, "caseMinimum", json_integer(CASE_MINIMUM)) || !(list = json_array()) ||
        json_object_set_new(o, "measurements", list))
        goto fail;
    for (i = 0; i < n; i++)
        if (json_array_append_new(list, measurement_json(&v[i])))
            goto fail;
    if (set(o, "quality", total_json(t, v, n)) ||
        set(o, "notice",
            json_string("a preview computed offline from CMS's published benchmarks and "
                        "rules; CMS's own scoring of the submission is the one that "
                        "counts")))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

int qpp_score_preview(const struct qpp_submission *s, const struct qpp_catalog_year *cy,
                      const struct qpp_score_options *o, json_t **out,
                      struct qpp_diags *d)
{
    struct ctx c;
    struct scored *v;
    struct total t;
    size_t i, k;
    int rc = -1;

    *out = NULL;
    memset(&c, 0, sizeof c);
    memset(&t, 0, sizeof t);
    c.s = s;
    c.o = o;
    c.d = d;
    c.set = o->benchmarks ? o->benchmarks : qpp_benchmark_builtin_year(s->year);
    if (!c.set || c.set->year != s->year) {
        if (c.set)
            qpp_diag(d, QPP_BENCHMARKS_YEAR, NULL, NULL,
                     "the benchmarks of %s are for %d, not %d", c.set->source,
                     c.set->year, s->year);
        else if (cy->provisional)
            qpp_diag(d, QPP_BENCHMARKS_YEAR, NULL, NULL,
                     "there are no %d benchmarks: CMS has published none for a year "
                     "whose data it still calls in progress; give CMS's file with "
                     "--benchmarks when it does",
                     s->year);
        else
            qpp_diag(
                d, QPP_BENCHMARKS_YEAR, NULL, NULL,
                "no benchmarks for %d are built in; give CMS's file with --benchmarks",
                s->year);
        return 0;
    }
    /* The nearest year whose rules are known. */
    for (k = 0; k + 1 < NYEARS && years[k].year < s->year; k++)
        ;
    c.rules_year = years[k].year;
    c.completeness = years[k].completeness;
    v = qpp_calloc(s->nmeasurements + 1, sizeof *v);
    if (!v)
        return -1;
    for (i = 0; i < s->nmeasurements; i++) {
        v[i].q = &s->measurements[i];
        score_one(&c, &v[i], cy);
    }
    if (!c.failed && total(&c, v, s->nmeasurements, &t) == 0 && !c.failed) {
        *out = preview_json(&c, v, s->nmeasurements, &t);
        rc = *out ? 0 : -1;
    }
    for (i = 0; i < s->nmeasurements; i++)
        free_rules(&v[i].rules);
    free_rules(&t.rules);
    qpp_free(t.counted);
    qpp_free(v);
    return rc;
}

/* ---- the text table ---- */

static bool is_step(const char *code)
{
    size_t i;

    for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(code, steps[i]) == 0)
            return true;
    return false;
}

static const char *str(json_t *v)
{
    const char *s = json_string_value(v);

    return s ? s : "-";
}

static void fixed(char *buf, size_t size, json_t *v)
{
    if (json_is_number(v))
        snprintf(buf, size, "%.4f", json_number_value(v));
    else
        snprintf(buf, size, "-");
}

/* A cap that did not lower the points: the measure is capped at 7 but
 * earned less. */
static bool cap_not_reached(json_t *m, const char *code)
{
    json_t *before = json_object_get(m, "benchmarkPoints");

    return strcmp(code, "topped-out-cap") == 0 && json_is_number(before) &&
           json_number_value(before) < TOPPED_OUT_CAP;
}

/* The table's cells of one measurement. */
enum { C_ID, C_RATE, C_REPORTING, C_CASES, C_DECILE, C_POINTS, NCOLS };
struct row {
    char cell[NCOLS][48];
    char *notes;
};

static const char *const heads[NCOLS] = {"Measure", "Rate (%)", "Completeness (%)",
                                         "Cases",   "Decile",   "Points"};

static char *notes(json_t *m)
{
    struct qpp_buf b;
    json_t *r;
    size_t i;

    qpp_buf_init(&b);
    if (!json_is_true(json_object_get(m, "counted")))
        qpp_buf_add(&b, "not counted");
    json_array_foreach(json_object_get(m, "rules"), i, r)
    {
        const char *code = json_string_value(json_object_get(r, "rule"));
        if (!code || is_step(code))
            continue;
        qpp_buf_printf(&b, "%s%s%s", b.len ? ", " : "", code,
                       cap_not_reached(m, code) ? " (7, not reached)" : "");
    }
    if (!b.s)
        qpp_buf_add(&b, "");
    return qpp_buf_take(&b);
}

/* Under the table: each measure's rules beyond the steps, with their
 * reasons. */
static void reasons(struct qpp_buf *b, json_t *list)
{
    json_t *m, *r;
    size_t i, k;
    bool any = false;

    json_array_foreach(list, i, m)
    {
        json_array_foreach(json_object_get(m, "rules"), k, r)
        {
            const char *code = json_string_value(json_object_get(r, "rule"));
            if (!code || is_step(code))
                continue;
            if (!any)
                qpp_buf_add(b, "\nWhy, by measure:\n");
            any = true;
            qpp_buf_printf(b, "  %s %s: %s\n", str(json_object_get(m, "measureId")), code,
                           str(json_object_get(r, "reason")));
        }
    }
}

char *qpp_score_text(json_t *p)
{
    json_t *list = json_object_get(p, "measurements"), *m;
    json_t *q = json_object_get(p, "quality"), *id, *r;
    struct row *rows = qpp_calloc(json_array_size(list) + 1, sizeof *rows);
    int w[NCOLS];
    struct qpp_buf b;
    size_t i, n = 0;
    int k;
    char *s = NULL;

    if (!rows)
        return NULL;
    for (k = 0; k < NCOLS; k++)
        w[k] = (int)strlen(heads[k]);
    qpp_buf_init(&b);
    json_array_foreach(list, i, m)
    {
        struct row *x = &rows[n++];
        json_t *dec = json_object_get(m, "decile"),
               *cases = json_object_get(m, "caseCount");

        snprintf(x->cell[C_ID], sizeof x->cell[C_ID], "%s",
                 str(json_object_get(m, "measureId")));
        fixed(x->cell[C_RATE], sizeof x->cell[C_RATE],
              json_object_get(m, "performanceRate"));
        fixed(x->cell[C_REPORTING], sizeof x->cell[C_REPORTING],
              json_object_get(m, "reportingRate"));
        if (json_is_integer(cases))
            snprintf(x->cell[C_CASES], sizeof x->cell[C_CASES], "%lld",
                     (long long)json_integer_value(cases));
        else
            snprintf(x->cell[C_CASES], sizeof x->cell[C_CASES], "-");
        if (json_is_integer(dec))
            snprintf(x->cell[C_DECILE], sizeof x->cell[C_DECILE], "%d",
                     (int)json_integer_value(dec));
        else
            snprintf(x->cell[C_DECILE], sizeof x->cell[C_DECILE], "-");
        fixed(x->cell[C_POINTS], sizeof x->cell[C_POINTS],
              json_object_get(m, "achievementPoints"));
        if (!(x->notes = notes(m)))
            goto out;
        for (k = 0; k < NCOLS; k++) {
            int len = (int)strlen(x->cell[k]);
            w[k] = len > w[k] ? len : w[k];
        }
    }
    qpp_buf_printf(&b, "Pre-score of %s by %s, performance year %lld\n",
                   str(json_object_get(p, "programName")),
                   str(json_object_get(p, "submissionMethod")),
                   (long long)json_integer_value(json_object_get(p, "performanceYear")));
    qpp_buf_printf(&b, "Benchmarks: %s\n", str(json_object_get(p, "benchmarks")));
    qpp_buf_printf(
        &b, "Data completeness threshold %lld%%, case minimum %lld, %s\n\n",
        (long long)json_integer_value(json_object_get(p, "dataCompletenessThreshold")),
        (long long)json_integer_value(json_object_get(p, "caseMinimum")),
        json_is_true(json_object_get(p, "smallPractice")) ? "small practice"
                                                          : "not a small practice");
    qpp_buf_printf(&b, "%-*s", w[0], heads[0]);
    for (k = 1; k < NCOLS; k++)
        qpp_buf_printf(&b, "  %*s", w[k], heads[k]);
    qpp_buf_add(&b, "  Notes\n");
    for (i = 0; i < n; i++) {
        qpp_buf_printf(&b, "%-*s", w[0], rows[i].cell[0]);
        for (k = 1; k < NCOLS; k++)
            qpp_buf_printf(&b, "  %*s", w[k], rows[i].cell[k]);
        qpp_buf_printf(&b, "%s%s\n", *rows[i].notes ? "  " : "", rows[i].notes);
    }
    reasons(&b, list);
    qpp_buf_printf(&b, "\nQuality: %lld of %lld measures counted (",
                   (long long)json_array_size(json_object_get(q, "measuresCounted")),
                   (long long)json_integer_value(json_object_get(q, "measuresRequired")));
    json_array_foreach(json_object_get(q, "measuresCounted"), i, id)
    {
        qpp_buf_printf(&b, "%s%s", i ? " " : "", str(id));
    }
    qpp_buf_printf(&b, "), %lld missing\n",
                   (long long)json_integer_value(json_object_get(q, "measuresMissing")));
    qpp_buf_printf(
        &b, "Category score: (%.4f points + %lld bonus) / %lld * 100 = %.4f%%\n",
        json_number_value(json_object_get(q, "achievementPoints")),
        (long long)json_integer_value(json_object_get(q, "smallPracticeBonus")),
        (long long)json_integer_value(json_object_get(q, "maximumPoints")),
        json_number_value(json_object_get(q, "categoryScore")));
    json_array_foreach(json_object_get(q, "rules"), i, r)
    {
        const char *code = json_string_value(json_object_get(r, "rule"));
        if (code && strcmp(code, "category-score") != 0 &&
            strcmp(code, "measures-counted") != 0)
            qpp_buf_printf(&b, "  %s: %s\n", code, str(json_object_get(r, "reason")));
    }
    qpp_buf_printf(&b, "\nThe rules behind each number: qppbuild --pre-score (JSON).\n"
                       "A preview: CMS's own scoring of the submission is the one that "
                       "counts.\n");
    s = qpp_buf_take(&b);
out:
    qpp_buf_free(&b);
    for (i = 0; i < n; i++)
        qpp_free(rows[i].notes);
    qpp_free(rows);
    return s;
}
