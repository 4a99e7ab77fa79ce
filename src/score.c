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
#include "scoring.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util.h"
#include "write.h"

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

/* ---- rules ---- */

void qpp_score_add_rule(struct ctx *c, struct rules *rs, const char *code,
                        const char *fmt, va_list ap)
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

void qpp_score_rule(struct ctx *c, struct scored *x, const char *code, const char *fmt,
                    ...)
{
    va_list ap;

    va_start(ap, fmt);
    qpp_score_add_rule(c, &x->rules, code, fmt, ap);
    va_end(ap);
}

void qpp_score_free_rules(struct rules *rs)
{
    size_t i;

    for (i = 0; i < rs->n; i++)
        qpp_free(rs->v[i].reason);
    qpp_free(rs->v);
    memset(rs, 0, sizeof *rs);
}

/* ---- one measurement ---- */

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
    qpp_score_rule(c, x, "benchmark", "CMS's %d benchmark for %s by %s (%s), %s",
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
        qpp_score_rule(
            c, x, "inverse-source",
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
        qpp_score_rule(
            c, x, "inverse-source",
            "neither the benchmark row nor the measure data say whether the measure is "
            "inverse: its deciles are in %s order, so %s",
            b->descending ? "descending" : "ascending",
            b->descending ? "inverse, as CMS writes an inverse measure's"
                          : "not inverse");
    } else {
        x->inverse = false;
        qpp_score_rule(
            c, x, "inverse-source",
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
    const char *r = qpp_score_num(&nr, x->scored_rate),
               *lo = qpp_score_num(&nl, d->lower);
    const char *up = qpp_score_num(&nu, d->upper);
    const char *pts = qpp_score_num(&np, x->benchmark_points);
    char own[32], next[32];

    bound_name(own, sizeof own, x, d->decile);
    bound_name(next, sizeof next, x, d->decile < 10 ? d->decile + 1 : 10);
    if (inv && b->from_deciles)
        qpp_score_rule(
            c, x, "inverse",
            "an inverse measure: a lower rate is better; CMS's deciles are where "
            "deciles 2 to 10 begin from 100 down%s, so decile d covers the rates "
            "above the bound of decile d + 1 up to its own: up to the bound of decile "
            "10 is decile 10",
            b->descending ? " (written in descending order, read here reversed)" : "");
    else if (inv)
        qpp_score_rule(
            c, x, "inverse",
            "an inverse measure: a lower rate is better, so decile d covers (p(100-10d), "
            "p(110-10d)]: up to p10 is decile 10, above p90 decile 1");
    if (flat(b))
        qpp_score_rule(
            c, x, "flat-benchmark",
            "a flat benchmark: the deciles begin every 10 percentage points (%s)",
            inv ? "10 or less for decile 10" : "90 or more for decile 10");
    if (d->decile == 10 && !inv)
        qpp_score_rule(c, x, "decile", "%s >= %s = %s: decile 10", r, own, lo);
    else if (d->decile == 10)
        qpp_score_rule(c, x, "decile", "%s <= %s = %s: decile 10", r, own, up);
    else if (d->decile == 1)
        qpp_score_rule(c, x, "decile", "%s %s %s = %s: decile 1", r, inv ? ">" : "<",
                       next, inv ? lo : up);
    else if (!inv)
        qpp_score_rule(c, x, "decile", "%s = %s <= %s < %s = %s: decile %d", own, lo, r,
                       next, up, d->decile);
    else
        qpp_score_rule(c, x, "decile", "%s = %s < %s <= %s = %s: decile %d", next, lo, r,
                       own, up, d->decile);
    if (d->on_boundary)
        qpp_score_rule(
            c, x, "decile-boundary",
            "the rate is exactly the bound between deciles %d and %d: a bound belongs to "
            "the better decile, here with no partial points",
            d->decile - 1, d->decile);
    if (d->chosen_bound && b->from_deciles)
        qpp_score_rule(
            c, x, "decile-1-bound",
            "the older deciles have no p1 and p99; their schema implies the rates "
            "run from %s (the worst) to %s: decile 1 %s at %s",
            inv ? "100" : "0", inv ? "0" : "100", inv ? "ends" : "starts",
            inv ? "100" : "0");
    else if (d->chosen_bound && !inv && b->has_p1)
        qpp_score_rule(
            c, x, "decile-1-bound",
            "CMS does not say whether decile 1 starts at 0 or at p1 (= %s): qppbuild "
            "takes 0, the lowest rate there is",
            qpp_score_num(&n1, b->p1));
    else if (d->chosen_bound && inv && b->has_p99)
        qpp_score_rule(
            c, x, "decile-1-bound",
            "CMS does not say whether decile 1 ends at 100 or at p99 (= %s): qppbuild "
            "takes 100, the highest rate there is",
            qpp_score_num(&n1, b->p99));
    else if (d->chosen_bound)
        qpp_score_rule(
            c, x, "decile-1-bound",
            "CMS does not say where decile 1 %s: qppbuild takes %s, the %s rate there is",
            inv ? "ends" : "starts", inv ? "100" : "0", inv ? "highest" : "lowest");
    if (d->decile == 10)
        qpp_score_rule(c, x, "partial-points",
                       "decile 10 earns 10 points, with no partial points");
    else if (!inv)
        qpp_score_rule(c, x, "partial-points", "%d + (%s - %s) / (%s - %s) = %s",
                       d->decile, r, lo, up, lo, pts);
    else
        qpp_score_rule(c, x, "partial-points", "%d + (%s - %s) / (%s - %s) = %s",
                       d->decile, up, r, up, lo, pts);
}

static void topped_out(struct ctx *c, struct scored *x)
{
    const struct qpp_benchmark *b = x->b;
    const char *method = c->s->method;
    struct num n1 = {{0}}, n2 = {{0}};
    bool removed = x->m && qpp_measure_cap_removed(x->m, method);

    if (removed) {
        qpp_score_rule(
            c, x, "seven-point-cap-removed",
            "the measure data remove the 7-point cap of %s by %s (sevenPointCapRemoved): "
            "scored on CMS's benchmark for it, without a cap",
            x->q->measure_id, method);
    } else if (b->is_topped_out_by_program) {
        double capped = x->points < TOPPED_OUT_CAP ? x->points : TOPPED_OUT_CAP;
        qpp_score_rule(
            c, x, "topped-out-cap",
            "topped out by program (isToppedOutByProgram) for %s: at most %d points, "
            "min(%s, %d) = %s%s",
            method, TOPPED_OUT_CAP, qpp_score_num(&n1, x->points), TOPPED_OUT_CAP,
            qpp_score_num(&n2, capped),
            x->points < TOPPED_OUT_CAP ? ": the cap is not reached" : "");
        x->points = capped;
    } else if (b->is_topped_out) {
        qpp_score_rule(c, x, "topped-out",
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
    qpp_score_rates(c, x);
    x->b = qpp_benchmark_find(c->set, x->q->measure_id, s->method);
    if (x->b) {
        benchmark_rule(c, x);
        inverse_source(c, x);
    }
    complete = x->has_reporting && x->reporting >= c->completeness;
    if (!complete && x->has_reporting)
        qpp_score_rule(
            c, x, "data-completeness",
            "the reporting rate %s is below the data completeness threshold of %d%%: "
            "0 points",
            qpp_score_num(&n1, x->reporting), c->completeness);
    else if (!complete)
        qpp_score_rule(
            c, x, "data-completeness",
            "without a reporting rate (no eligible patient) the data completeness "
            "threshold of %d%% is not met: 0 points",
            c->completeness);
    if (x->cases < CASE_MINIMUM)
        qpp_score_rule(
            c, x, "case-minimum",
            "%lld cases, fewer than CMS's case minimum of %d: not scored against a "
            "benchmark, 0 points",
            x->cases, CASE_MINIMUM);
    if (!x->b)
        qpp_score_rule(
            c, x, "no-benchmark",
            "CMS published no %d benchmark for %s by %s: 0 points, unless CMS makes one "
            "from the performance period's data after the year",
            s->year, x->q->measure_id, s->method);
    x->benchmarked = complete && x->cases >= CASE_MINIMUM && x->b && x->has_rate;
    if (x->benchmarked) {
        x->scored_rate = qpp_score_round_rate(x->rate);
        if (x->scored_rate != x->rate)
            qpp_score_rule(
                c, x, "rate-rounding",
                "CMS keeps a performance rate to 2 decimals: %s is scored as %s, "
                "rounded half up",
                qpp_score_num(&n1, x->rate), qpp_score_num(&n2, x->scored_rate));
        qpp_score_decile(x->scored_rate, x->b->deciles, x->inverse, &x->dec);
        x->benchmark_points = x->points = qpp_score_round(x->dec.points);
        decile_rules(c, x);
        topped_out(c, x);
    } else if (c->o->small_practice) {
        x->points = SMALL_PRACTICE_FLOOR;
        qpp_score_rule(c, x, "small-practice",
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
        qpp_score_rule(
            c, x, "new-measure-floor",
            "a new measure (first performance year %d, so year %d of 2): at least %d "
            "points, max(%s, %d) = %s",
            m->first_year, age + 1, least, qpp_score_num(&n1, before), least,
            qpp_score_num(&n2, x->points));
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

static void total_rule(struct ctx *c, struct total *t, const char *code, const char *fmt,
                       ...) __attribute__((format(printf, 4, 5)));

static void total_rule(struct ctx *c, struct total *t, const char *code, const char *fmt,
                       ...)
{
    va_list ap;

    va_start(ap, fmt);
    qpp_score_add_rule(c, &t->rules, code, fmt, ap);
    va_end(ap);
}

/* The bonus, the category score and the notes every total ends with. */
static void category_score(struct ctx *c, struct total *t, size_t n)
{
    struct num n1 = {{0}}, n2 = {{0}};

    if (c->o->small_practice && n > 0) {
        t->bonus = SMALL_PRACTICE_BONUS;
        total_rule(c, t, "small-practice-bonus",
                   "a small practice (--small-practice) that submits a quality measure "
                   "gets %d bonus points",
                   SMALL_PRACTICE_BONUS);
    }
    t->score = t->required
                   ? qpp_score_round(100.0 * (t->points + t->bonus) / (t->required * 10))
                   : 0;
    total_rule(c, t, "category-score", "(%s + %d) / (%d * 10) * 100 = %s%s",
               qpp_score_num(&n1, t->points), t->bonus, t->required,
               qpp_score_num(&n2, t->score), t->score > 100 ? ", at most 100" : "");
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
}

/* The submitted measure that fills APP Plus's place for m (or its Medicare
 * CQM companion), not counted yet; -1 when none. */
static long app_plus_fill(const struct qpp_measure *m, const struct scored *v, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++)
        if (!v[k].counted && (strcmp(v[k].q->measure_id, m->id) == 0 ||
                              qpp_streq(v[k].q->measure_id, m->companion)))
            return (long)k;
    return -1;
}

/* APP and APP Plus [policy]: CMS scores every measure of the year's set of
 * the program, each one not reported 0 points; none is dropped and no
 * high-priority place is kept.
 * The measures CMS computes itself (CAHPS, claims) it scores too, but their
 * points are CMS's: the preview leaves them out of the total and says so. */
static int app_total(struct ctx *c, struct scored *v, size_t n, struct total *t)
{
    const struct qpp_catalog_year *y = c->cy;
    const char *p = c->s->program;
    const char *set = strcmp(p, "appPlus") == 0 ? "APP Plus" : "APP";
    struct qpp_buf counted, missing, computed;
    double sum = 0;
    size_t i;

    t->counted = qpp_calloc(n + 1, sizeof *t->counted);
    if (!t->counted)
        return -1;
    qpp_buf_init(&counted);
    qpp_buf_init(&missing);
    qpp_buf_init(&computed);
    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        long k;

        if (!qpp_measure_has_program(m, p) || qpp_check_app_alternative(y, m, p))
            continue;
        if (qpp_measure_is_cms_computed(m)) {
            qpp_buf_printf(&computed, "%s%s", computed.len ? ", " : "", m->id);
            continue;
        }
        t->required++;
        k = app_plus_fill(m, v, n);
        if (k < 0) {
            qpp_buf_printf(&missing, "%s%s", missing.len ? ", " : "", m->id);
            continue;
        }
        v[k].counted = true;
        t->counted[t->ncounted++] = (size_t)k;
        sum += v[k].points;
        qpp_buf_printf(&counted, "%s%s", counted.len ? ", " : "", v[k].q->measure_id);
    }
    t->points = qpp_score_round(sum);
    t->missing = t->required - (int)t->ncounted;
    total_rule(c, t, "measures-counted",
               "%s %d: every measure of the %s set counts (a Medicare CQM in its "
               "companion's place): %s",
               p, c->s->year, set, counted.s ? counted.s : "none");
    if (t->missing > 0)
        total_rule(c, t, "measures-missing",
                   "%zu of the %d measures of the %s set are reported: %s missing, 0 "
                   "points each",
                   t->ncounted, t->required, set, missing.s ? missing.s : "");
    if (n > t->ncounted)
        total_rule(c, t, "measures-dropped",
                   "%zu measures outside the %s set do not count", n - t->ncounted, set);
    if (computed.len)
        total_rule(c, t, "cms-computed",
                   "CMS also scores %s, which it computes itself (CAHPS survey, "
                   "administrative claims): the preview cannot know their points and "
                   "leaves them out of the total",
                   computed.s);
    category_score(c, t, n);
    if (counted.failed || missing.failed || computed.failed)
        c->failed = 1;
    qpp_buf_free(&counted);
    qpp_buf_free(&missing);
    qpp_buf_free(&computed);
    return 0;
}

/* Which measures count and the category score [policy]: the required number
 * of highest-scoring measures with an outcome or high-priority one among
 * them, each missing one 0 points; the small practice bonus; points over 10
 * per required measure. */
static int total(struct ctx *c, struct scored *v, size_t n, struct total *t)
{
    const char *program = c->s->program;
    size_t *order;
    struct qpp_buf list;
    size_t i, k, room;
    int mvp = qpp_program_is_mvp(program), priority = -1;
    double sum = 0;

    if ((strcmp(program, "appPlus") == 0 || strcmp(program, "app1") == 0) &&
        qpp_catalog_year_has_program(c->cy, program))
        return app_total(c, v, n, t);
    order = qpp_calloc(n + 1, sizeof *order);
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
    category_score(c, t, n);
    if (list.failed)
        c->failed = 1;
    qpp_buf_free(&list);
    qpp_free(order);
    return 0;
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
    c.cy = cy;
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
        *out = qpp_score_json(&c, v, s->nmeasurements, &t);
        rc = *out ? 0 : -1;
    }
    for (i = 0; i < s->nmeasurements; i++)
        qpp_score_free_rules(&v[i].rules);
    qpp_score_free_rules(&t.rules);
    qpp_free(t.counted);
    qpp_free(v);
    return rc;
}
