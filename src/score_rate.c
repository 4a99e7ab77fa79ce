/* SPDX-License-Identifier: MIT */
/*
 * Pre-score arithmetic: rounding, deciles, and each measurement's
 * performance rate, data completeness and case count with their rules; see
 * score.h and scoring.h.  Sources as in score.c.
 */
#include "scoring.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"

/* ---- numbers ---- */

double qpp_score_round(double x)
{
    double a = x < 0 ? -x : x;

    if (!(a < 9e14)) /* too large to hold 4 decimals, or not a number */
        return x;
    a = (double)(long long)(a * 10000.0 + 0.5) / 10000.0;
    return x < 0 ? -a : a;
}

const char *qpp_score_num(struct num *n, double x)
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
double qpp_score_round_rate(double x)
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

/* ---- one measurement ---- */

const char *qpp_score_algorithm(const struct scored *x)
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

bool qpp_score_stratum_rate(const char *alg, const struct qpp_value *v, double *rate)
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
        qpp_score_rule(
            c, x, "rate-above-100",
            "%s: the documented formula gives %s, above 100, because "
            "eligiblePopulationExclusion is taken off performanceNotMet, which already "
            "leaves the exclusions out; CMS's own result may differ",
            what, qpp_score_num(&n, rate));
}

static void one_rate(struct ctx *c, struct scored *x, const char *what,
                     const struct qpp_value *v, const char *alg)
{
    struct num n = {{0}};

    if (!v || !qpp_score_stratum_rate(alg, v, &x->rate)) {
        qpp_score_rule(
            c, x, "no-rate",
            "%s: performanceMet + performanceNotMet%s is 0, so CMS computes no "
            "performance rate and the measure cannot be scored against a benchmark",
            what, v && minus_exclusions(alg) ? " - eligiblePopulationExclusion" : "");
        return;
    }
    x->has_rate = true;
    if (minus_exclusions(alg)) {
        qpp_score_rule(
            c, x, "performance-rate",
            "%s: performanceMet / (performanceMet + performanceNotMet - "
            "eligiblePopulationExclusion) * 100, as CMS documents it for %s = %lld / "
            "(%lld "
            "+ %lld - %lld) * 100 = %s",
            what, alg, v->met, v->met, v->not_met, v->exclusion,
            qpp_score_num(&n, x->rate));
        above_100(c, x, what, x->rate);
    } else {
        qpp_score_rule(
            c, x, "performance-rate",
            "%s: performanceMet / (performanceMet + performanceNotMet) * 100 = %lld / "
            "(%lld + %lld) * 100 = %s",
            what, v->met, v->met, v->not_met, qpp_score_num(&n, x->rate));
    }
}

/* The overall rate of a multi-rate measure, by its overallAlgorithm [doc];
 * "overall" strata are left out except by overallStratumOnly. */
static void multi_rate(struct ctx *c, struct scored *x)
{
    const struct qpp_measurement *q = x->q;
    const char *alg = qpp_score_algorithm(x);
    struct num n = {{0}};
    struct qpp_buf b;
    long long met = 0, den = 0;
    double sum = 0;
    size_t i, k = 0;

    if (!x->m || !x->m->overall_algorithm)
        qpp_score_rule(
            c, x, "algorithm-unknown",
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
        if (!qpp_score_stratum_rate(alg, v, &r)) {
            qpp_score_rule(
                c, x, "stratum-no-rate",
                "stratum %s has no rate (performanceMet + performanceNotMet - "
                "eligiblePopulationExclusion is 0) and is left out of the mean",
                q->strata[i].name);
            continue;
        }
        above_100(c, x, q->strata[i].name, r);
        qpp_buf_printf(&b, "%s%s", k ? " + " : "", qpp_score_num(&n, r));
        sum += r;
        k++;
    }
    if (strcmp(alg, "simpleAverage") == 0 && k > 0) {
        x->has_rate = true;
        x->rate = sum / (double)k;
        qpp_score_rule(
            c, x, "performance-rate",
            "simpleAverage: the mean of the stratum rates, each performanceMet / "
            "(performanceMet + performanceNotMet - eligiblePopulationExclusion) * 100 as "
            "CMS documents it = (%s) / %zu = %s",
            b.s ? b.s : "", k, qpp_score_num(&n, x->rate));
    } else if (strcmp(alg, "sumNumerators") == 0) {
        x->has_rate = true;
        x->rate = (double)met;
        qpp_score_rule(
            c, x, "performance-rate",
            "sumNumerators: the sum of the strata's performanceMet = %lld (a count, not "
            "a percentage)",
            met);
    } else if (strcmp(alg, "simpleAverage") != 0 && den > 0) {
        x->has_rate = true;
        x->rate = pct(met, den);
        qpp_score_rule(c, x, "performance-rate",
                       "%s: the strata's performanceMet / their (performanceMet + "
                       "performanceNotMet) * 100 = %lld / %lld * 100 = %s",
                       alg, met, den, qpp_score_num(&n, x->rate));
    } else {
        qpp_score_rule(
            c, x, "no-rate",
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
        const char *alg = qpp_score_algorithm(x);
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
        qpp_score_rule(c, x, "reporting-rate",
                       "eligiblePopulation%s is 0: no reporting rate", what);
        return;
    }
    part = v->met + v->not_met + v->exclusion + v->exception;
    x->has_reporting = true;
    x->reporting = pct(part, v->eligible);
    qpp_score_rule(
        c, x, "reporting-rate",
        "(performanceMet + performanceNotMet + eligiblePopulationExclusion + "
        "eligiblePopulationException) / eligiblePopulation * 100%s = "
        "(%lld + %lld + %lld + %lld) / %lld * 100 = %s; the data completeness threshold "
        "of %d is %d",
        what, v->met, v->not_met, v->exclusion, v->exception, v->eligible,
        qpp_score_num(&n, x->reporting), c->rules_year, c->completeness);
}

static void case_count(struct ctx *c, struct scored *x)
{
    const char *alg = qpp_score_algorithm(x);
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
    qpp_score_rule(c, x, "case-count", "caseCount = %s = %lld; CMS's case minimum is %d",
                   how, x->cases, CASE_MINIMUM);
}

void qpp_score_rates(struct ctx *c, struct scored *x)
{
    if (x->q->nstrata)
        multi_rate(c, x);
    else
        one_rate(c, x, "performanceRate", &x->q->value, "");
    reporting(c, x);
    case_count(c, x);
}
