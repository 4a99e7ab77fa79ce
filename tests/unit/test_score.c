/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for score.c: the pre-score.  Every expected number is worked out
 * by hand beside it, from CMS's rules (reference/qpp-output.md sections 4
 * and 10) and the benchmark rows of the fixtures:
 *   score-measures.json          measure facts (CMS's measures-data format)
 *   score-benchmarks-2025.json   registry benchmarks of 2025 (CMS's format);
 *                                p10..p90 of each row are written beside its tests
 *   bench-deciles-2019.json      measure 110 of CMS's 2019 scoring example
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "alloc.h"
#include "score.h"
#include "testutil.h"

#define MAXQ       16
#define MAX_STRATA 24

struct fx {
    struct qpp_diags d;
    json_t *mroot, *broot;
    struct qpp_catalog_year *cy;
    struct qpp_benchmark_set *set;
    struct qpp_score_options o;
    struct qpp_submission s;
    struct qpp_measurement q[MAXQ];
    struct qpp_stratum st[MAXQ][MAX_STRATA];
    json_t *out;
    int rc;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    qpp_diags_init(&f->d);
    f->mroot = fixture_json("score-measures.json");
    f->broot = fixture_json("score-benchmarks-2025.json");
    if (qpp_catalog_load(f->mroot, "score-measures.json", &f->cy, &f->d) < 0 ||
        qpp_benchmark_load(f->broot, "score-benchmarks-2025.json", &f->set, &f->d) < 0)
        return -1;
    f->o.enabled = 1;
    f->o.benchmarks = f->set;
    f->s.entity_type = "group";
    f->s.year = 2025;
    f->s.method = "registry";
    f->s.program = "mips";
    f->s.measurements = f->q;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    json_decref(f->out);
    qpp_catalog_free(f->cy);
    qpp_benchmark_free(f->set);
    json_decref(f->mroot);
    json_decref(f->broot);
    qpp_diags_free(&f->d);
    free(f);
    return 0;
}

static struct qpp_value counts(long long met, long long not_met, long long eligible,
                               long long exclusion, long long exception)
{
    struct qpp_value v;

    v.met = met;
    v.not_met = not_met;
    v.eligible = eligible;
    v.exclusion = exclusion;
    v.exception = exception;
    return v;
}

/* A single-rate measurement: met and notMet, nobody excluded or excepted. */
static void single(struct fx *f, const char *id, long long met, long long not_met)
{
    struct qpp_measurement *q = &f->q[f->s.nmeasurements++];

    q->measure_id = id;
    q->value = counts(met, not_met, met + not_met, 0, 0);
}

static void multi(struct fx *f, const char *id, size_t n, const char *const *names,
                  const struct qpp_value *v)
{
    size_t k = f->s.nmeasurements++, i;

    f->q[k].measure_id = id;
    f->q[k].nstrata = n;
    f->q[k].strata = f->st[k];
    for (i = 0; i < n; i++) {
        f->st[k][i].name = names[i];
        f->st[k][i].value = v[i];
    }
}

static void run(struct fx *f)
{
    json_decref(f->out);
    f->out = NULL;
    f->rc = qpp_score_preview(&f->s, f->cy, &f->o, &f->out, &f->d);
    if (f->rc != 0 || !f->out) {
        diag_dump(&f->d);
        fail_msg("the preview failed");
    }
}

static json_t *meas(const struct fx *f, const char *id)
{
    json_t *list = json_object_get(f->out, "measurements"), *m;
    size_t i;

    json_array_foreach(list, i, m)
    {
        if (strcmp(json_string_value(json_object_get(m, "measureId")), id) == 0)
            return m;
    }
    fail_msg("no measurement %s in the preview", id);
    return NULL;
}

static void assert_real(json_t *v, double want, const char *what)
{
    if (!json_is_real(v) || json_real_value(v) < want - 1e-9 ||
        json_real_value(v) > want + 1e-9)
        fail_msg("%s: %s%.10g, expected %.10g", what,
                 json_is_real(v) ? "" : "not a real: ",
                 json_is_real(v) ? json_real_value(v) : 0.0, want);
}

static void assert_points(const struct fx *f, const char *id, double want)
{
    assert_real(json_object_get(meas(f, id), "achievementPoints"), want, id);
}

static void assert_decile(const struct fx *f, const char *id, int want)
{
    json_t *d = json_object_get(meas(f, id), "decile");

    if (want == 0)
        assert_true(json_is_null(d));
    else
        assert_int_equal(json_integer_value(d), want);
}

static int has_rule_in(json_t *rules, const char *code)
{
    json_t *r;
    size_t i;

    json_array_foreach(rules, i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "rule")), code) == 0)
            return 1;
    }
    return 0;
}

static size_t count_rules(const struct fx *f, const char *id, const char *code)
{
    json_t *r;
    size_t i, n = 0;

    json_array_foreach(json_object_get(meas(f, id), "rules"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "rule")), code) == 0)
            n++;
    }
    return n;
}

/* The reason of a measure's first rule with this code. */
static const char *reason(const struct fx *f, const char *id, const char *code)
{
    json_t *r;
    size_t i;

    json_array_foreach(json_object_get(meas(f, id), "rules"), i, r)
    {
        if (strcmp(json_string_value(json_object_get(r, "rule")), code) == 0)
            return json_string_value(json_object_get(r, "reason"));
    }
    fail_msg("measure %s: no rule %s", id, code);
    return NULL;
}

static void assert_rule(const struct fx *f, const char *id, const char *code)
{
    if (!has_rule_in(json_object_get(meas(f, id), "rules"), code))
        fail_msg("measure %s: no rule %s", id, code);
}

static void assert_no_rule(const struct fx *f, const char *id, const char *code)
{
    if (has_rule_in(json_object_get(meas(f, id), "rules"), code))
        fail_msg("measure %s: unexpected rule %s", id, code);
}

static json_t *quality(const struct fx *f)
{
    return json_object_get(f->out, "quality");
}

static void assert_counted(const struct fx *f, size_t n, const char *const *ids)
{
    json_t *list = json_object_get(quality(f), "measuresCounted");
    size_t i;

    assert_int_equal(json_array_size(list), n);
    for (i = 0; i < n; i++)
        assert_string_equal(json_string_value(json_array_get(list, i)), ids[i]);
}

/* ---- deciles and partial points, the arithmetic alone ---- */

/* CMS's 2019 example, measure 110: deciles 2 to 10 begin at 0, 26.89, 40.49,
 * 50, 57.07, 64.79, 73.08, 82.71, 96.44. */
static const double cms110[9] = {0, 26.89, 40.49, 50, 57.07, 64.79, 73.08, 82.71, 96.44};
static const double flat[9] = {10, 20, 30, 40, 50, 60, 70, 80, 90};

static void test_score_decile_cms_example_110(void **state)
{
    struct qpp_decile d;

    (void)state;
    /* 73.08 <= 82.31 < 82.71: decile 8; 8 + (82.31 - 73.08) / (82.71 - 73.08)
     * = 8 + 9.23 / 9.63 = 8 + 0.958463... = 8.9585 (CMS shows 8.9585). */
    qpp_score_decile(82.31, cms110, false, &d);
    assert_int_equal(d.decile, 8);
    assert_true(d.lower == 73.08 && d.upper == 82.71);
    assert_true(qpp_score_round(d.points) == 8.9585);
    assert_false(d.on_boundary);
    assert_false(d.chosen_bound);
}

static void test_score_decile_on_a_boundary_takes_the_better_decile(void **state)
{
    struct qpp_decile d;

    (void)state;
    /* 73.08 is where decile 8 begins: decile 8, 8 + 0 / 9.63 = 8. */
    qpp_score_decile(73.08, cms110, false, &d);
    assert_int_equal(d.decile, 8);
    assert_true(d.points == 8);
    assert_true(d.on_boundary);
    /* 96.44 = p90: decile 10, 10 points. */
    qpp_score_decile(96.44, cms110, false, &d);
    assert_int_equal(d.decile, 10);
    assert_true(d.points == 10);
    assert_true(d.on_boundary);
    /* Just below: 96.43 in [82.71, 96.44), decile 9:
     * 9 + (96.43 - 82.71) / (96.44 - 82.71) = 9 + 13.72 / 13.73 = 9.9993. */
    qpp_score_decile(96.43, cms110, false, &d);
    assert_int_equal(d.decile, 9);
    assert_true(qpp_score_round(d.points) == 9.9993);
    /* Inverse, flat: 20 = p20 ends (p10, p20], decile 9: 9 + (20 - 20) / 10 = 9. */
    qpp_score_decile(20, flat, true, &d);
    assert_int_equal(d.decile, 9);
    assert_true(d.points == 9);
    assert_true(d.on_boundary);
    /* Inverse, 10 = p10: decile 10. */
    qpp_score_decile(10, flat, true, &d);
    assert_int_equal(d.decile, 10);
    assert_true(d.on_boundary);
}

static void test_score_decile_1_uses_0_as_its_lower_bound(void **state)
{
    struct qpp_decile d;
    /* p10 = 40 (the S01 row). */
    static const double p[9] = {40, 50, 55.5, 60, 65, 70, 75, 80, 85.25};

    (void)state;
    /* 30 < p10 = 40: decile 1, bounds 0 (chosen) and 40: 1 + (30 - 0) / (40 - 0)
     * = 1.75. */
    qpp_score_decile(30, p, false, &d);
    assert_int_equal(d.decile, 1);
    assert_true(d.chosen_bound);
    assert_true(d.lower == 0 && d.upper == 40);
    assert_true(d.points == 1.75);
    /* 0: 1 + 0 / 40 = 1. */
    qpp_score_decile(0, p, false, &d);
    assert_true(d.points == 1);
    /* Inverse, flat: 95 > p90 = 90, decile 1, bounds 90 and 100 (chosen):
     * 1 + (100 - 95) / (100 - 90) = 1.5. */
    qpp_score_decile(95, flat, true, &d);
    assert_int_equal(d.decile, 1);
    assert_true(d.chosen_bound);
    assert_true(d.points == 1.5);
    /* Inverse, 100: 1 + (100 - 100) / 10 = 1. */
    qpp_score_decile(100, flat, true, &d);
    assert_true(d.points == 1);
}

static void test_score_decile_inverse_is_mirrored(void **state)
{
    struct qpp_decile d;

    (void)state;
    /* Flat inverse (CMS's flat benchmarks: 10 or less is decile 10):
     * 5 <= 10: decile 10. */
    qpp_score_decile(5, flat, true, &d);
    assert_int_equal(d.decile, 10);
    assert_true(d.points == 10);
    /* 15 in (10, 20]: decile 9, 9 + (20 - 15) / (20 - 10) = 9.5. */
    qpp_score_decile(15, flat, true, &d);
    assert_int_equal(d.decile, 9);
    assert_true(d.points == 9.5);
    /* 20.5 in (20, 30]: decile 8, 8 + (30 - 20.5) / 10 = 8.95. */
    qpp_score_decile(20.5, flat, true, &d);
    assert_int_equal(d.decile, 8);
    assert_true(qpp_score_round(d.points) == 8.95);
    /* 90 = p90 ends (80, 90]: decile 2 with 2 + 0 = 2. */
    qpp_score_decile(90, flat, true, &d);
    assert_int_equal(d.decile, 2);
    assert_true(d.points == 2);
}

static void test_score_decile_flat_normal_benchmark(void **state)
{
    struct qpp_decile d;

    (void)state;
    /* 90 >= p90 = 90: decile 10. */
    qpp_score_decile(90, flat, false, &d);
    assert_int_equal(d.decile, 10);
    /* 45 in [40, 50): decile 5, 5 + (45 - 40) / 10 = 5.5. */
    qpp_score_decile(45, flat, false, &d);
    assert_int_equal(d.decile, 5);
    assert_true(d.points == 5.5);
}

static void test_score_decile_topped_out_fixed_benchmark(void **state)
{
    /* CMS's fixed benchmark of measures whose cap is removed (2025 on):
     * p10 86, p20 88, ..., p70 98, p80 99, p90 100. */
    static const double p[9] = {86, 88, 90, 92, 94, 96, 98, 99, 100};
    struct qpp_decile d;

    (void)state;
    /* 100 >= p90 = 100: decile 10, the only way to 10 points. */
    qpp_score_decile(100, p, false, &d);
    assert_int_equal(d.decile, 10);
    /* 99.5 in [99, 100): decile 9, 9 + 0.5 / 1 = 9.5. */
    qpp_score_decile(99.5, p, false, &d);
    assert_int_equal(d.decile, 9);
    assert_true(d.points == 9.5);
    /* 85 < p10 = 86: decile 1, 1 + 85 / 86 = 1.988372... = 1.9884. */
    qpp_score_decile(85, p, false, &d);
    assert_int_equal(d.decile, 1);
    assert_true(qpp_score_round(d.points) == 1.9884);
}

static void test_score_decile_equal_bounds_skip_empty_deciles(void **state)
{
    /* An inverse row where most clinicians score 0 (like 238's):
     * p10..p70 = 0, p80 = 0.05, p90 = 0.625. */
    static const double p[9] = {0, 0, 0, 0, 0, 0, 0, 0.05, 0.625};
    struct qpp_decile d;

    (void)state;
    /* 0 <= p10 = 0: decile 10. */
    qpp_score_decile(0, p, true, &d);
    assert_int_equal(d.decile, 10);
    /* 0.03 in (p70, p80] = (0, 0.05]: decile 3, 3 + (0.05 - 0.03) / 0.05 = 3.4;
     * deciles 4 to 9 are empty. */
    qpp_score_decile(0.03, p, true, &d);
    assert_int_equal(d.decile, 3);
    assert_true(qpp_score_round(d.points) == 3.4);
    /* 1 > p90 = 0.625: decile 1, 1 + (100 - 1) / (100 - 0.625) = 1.99622... */
    qpp_score_decile(1, p, true, &d);
    assert_int_equal(d.decile, 1);
    assert_true(qpp_score_round(d.points) == 1.9962);
}

static void test_score_round_half_away_from_zero(void **state)
{
    (void)state;
    assert_true(qpp_score_round(8.958463) == 8.9585);
    assert_true(qpp_score_round(1.23456) == 1.2346);
    assert_true(qpp_score_round(2.5) == 2.5);
    assert_true(qpp_score_round(7) == 7);
    assert_true(qpp_score_round(0) == 0);
    /* CMS's example category: 20.9585 / 60 * 100 = 34.930833... -> 34.9308. */
    assert_true(qpp_score_round(20.9585 / 60 * 100) == 34.9308);
}

/* ---- CMS's own example, through the whole preview ---- */

static void test_score_cms_example_110_through_the_preview(void **state)
{
    struct fx *f = *state;
    struct qpp_benchmark_set *set = NULL;
    json_t *root = fixture_json("bench-deciles-2019.json"), *m;

    assert_int_equal(qpp_benchmark_load(root, "bench-deciles-2019.json", &set, &f->d), 0);
    f->o.benchmarks = set;
    f->s.year = 2019;
    /* 110 at 82.31%: 8231 / (8231 + 1769) * 100 = 82.31, 10000 cases. */
    single(f, "110", 8231, 1769);
    /* Measure facts of 110 from the built-in 2023 catalog (first year 2017). */
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2023), &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_non_null(f->out);
    m = meas(f, "110");
    assert_real(json_object_get(m, "performanceRate"), 82.31, "rate");
    assert_int_equal(json_integer_value(json_object_get(m, "decile")), 8);
    assert_real(json_object_get(json_object_get(m, "decileBounds"), "lower"), 73.08,
                "lo");
    assert_real(json_object_get(json_object_get(m, "decileBounds"), "upper"), 82.71,
                "up");
    /* 8 + 9.23 / 9.63 = 8.9585, as CMS's scoring output shows. */
    assert_real(json_object_get(m, "benchmarkPoints"), 8.9585, "benchmark points");
    assert_points(f, "110", 8.9585);
    /* The older file has deciles, not percentiles: the reason says so. */
    assert_non_null(strstr(reason(f, "110", "decile"), "the bound of decile 8 = 73.08"));
    assert_null(strstr(reason(f, "110", "decile"), "p70"));
    /* 2019 is before the rules qppbuild knows: those of 2023 apply, said so. */
    assert_true(has_rule_in(json_object_get(quality(f), "rules"), "year-rules"));
    /* One of six measures: 8.9585 / 60 * 100 = 14.930833... = 14.9308. */
    assert_real(json_object_get(quality(f), "categoryScore"), 14.9308, "category");
    qpp_benchmark_free(set);
    json_decref(root);
}

static void test_score_cms_example_three_measures_small_practice(void **state)
{
    struct fx *f = *state;
    struct qpp_benchmark_set *set = NULL;
    json_t *root = fixture_json("bench-deciles-2019.json"), *q;
    static const char *const ids[] = {"ACRAD15", "110", "046"};

    /* CMS's 2019 scoring example (scoring-example-output-quality.json), a
     * small practice's registry set of three measures, under the rules of
     * 2023 on; measure data of the built-in 2023 catalog. */
    assert_int_equal(qpp_benchmark_load(root, "bench-deciles-2019.json", &set, &f->d), 0);
    f->o.benchmarks = set;
    f->o.small_practice = 1;
    f->s.year = 2019;
    /* 110: 8231 / (8231 + 1769) * 100 = 82.31 in [73.08, 82.71): decile 8,
     * 8 + (82.31 - 73.08) / (82.71 - 73.08) = 8 + 9.23 / 9.63 = 8.958463...
     * = 8.9585 (CMS: 8.9585). */
    single(f, "110", 8231, 1769);
    /* 046 (not in the 2023 measure data): 121 / 147 * 100 = 82.312925...,
     * scored as 82.31; deciles 0, 96.15, 99.44, 100, ..., 100 (topped out,
     * not by program: no cap): [0, 96.15) is decile 2,
     * 2 + (82.31 - 0) / (96.15 - 0) = 2 + 0.856058... = 2.8561.  CMS's 2019
     * output shows 3: the 3-point floor of those years, removed in 2023. */
    single(f, "046", 121, 147 - 121);
    /* ACRAD15: 1000 eligible, 110 reported (3 met, 107 not met):
     * (3 + 107) / 1000 * 100 = 11 < 70, and no benchmark; a small practice
     * gets 3 (CMS: 3). */
    single(f, "ACRAD15", 3, 107);
    f->q[2].value.eligible = 1000;
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2023), &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_points(f, "110", 8.9585);
    assert_decile(f, "046", 2);
    assert_points(f, "046", 2.8561);
    assert_rule(f, "046", "rate-rounding");
    assert_rule(f, "046", "topped-out");
    assert_decile(f, "ACRAD15", 0);
    assert_points(f, "ACRAD15", 3);
    assert_rule(f, "ACRAD15", "data-completeness");
    assert_rule(f, "ACRAD15", "no-benchmark");
    assert_rule(f, "ACRAD15", "small-practice");
    /* ACRAD15 (an outcome measure) counts first, then by points; three of six
     * places empty.  (8.9585 + 2.8561 + 3 + 6) / 60 * 100 = 20.8146 / 60 * 100
     * = 34.691 = 34.6910.  CMS 2019: 34.9308, (8.9585 + 3 + 3 + 6) / 60 * 100;
     * the difference, 0.2398 = (3 - 2.8561) / 60 * 100, is 046's 3-point
     * floor (0.1439 points), removed in 2023. */
    q = quality(f);
    assert_counted(f, 3, ids);
    assert_real(json_object_get(q, "achievementPoints"), 14.8146, "points");
    assert_int_equal(json_integer_value(json_object_get(q, "smallPracticeBonus")), 6);
    assert_real(json_object_get(q, "categoryScore"), 34.691, "category");
    qpp_benchmark_free(set);
    json_decref(root);
}

/* ---- older benchmark files: inverse measures ---- */

static void
test_score_older_descending_deciles_with_the_measure_data_inverse(void **state)
{
    struct fx *f = *state;
    struct qpp_benchmark_set *set = NULL;
    json_t *root = fixture_json("bench-deciles-2019.json"), *m;

    /* 001 by claims in the shape of CMS's 2019 file: deciles 100, 44.44,
     * 29.03, ..., 2.78 (descending, no isInverse); the built-in 2023 measure
     * data say 001 is inverse.  Ascending: 2.78 4.76 7.14 10.53 14.81 20.69
     * 29.03 44.44 100.  Decile 10 is up to 2.78, decile 3 (29.03, 44.44],
     * decile 2 (44.44, 100]. */
    assert_int_equal(qpp_benchmark_load(root, "bench-deciles-2019.json", &set, &f->d), 0);
    f->o.benchmarks = set;
    f->s.year = 2019;
    f->s.method = "claims";
    /* 40 / (40 + 60) * 100 = 40 in (29.03, 44.44]: decile 3,
     * 3 + (44.44 - 40) / (44.44 - 29.03) = 3 + 4.44 / 15.41 = 3.288125 -> 3.2881. */
    single(f, "001", 40, 60);
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2023), &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_decile(f, "001", 3);
    assert_points(f, "001", 3.2881);
    assert_rule(f, "001", "inverse-source");
    assert_rule(f, "001", "inverse");
    m = meas(f, "001");
    assert_true(
        json_is_null(json_object_get(json_object_get(m, "benchmark"), "isInverse")));
    assert_no_diag(&f->d, QPP_INVERSE_CONFLICT);
    /* 50 in (44.44, 100]: decile 2, 2 + (100 - 50) / (100 - 44.44) = 2 + 50 / 55.56
     * = 2.899928 -> 2.8999.  2 <= 2.78: decile 10. */
    f->s.nmeasurements = 0;
    single(f, "001", 50, 50);
    json_decref(f->out);
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2023), &f->o, &f->out, &f->d);
    assert_decile(f, "001", 2);
    assert_points(f, "001", 2.8999);
    f->s.nmeasurements = 0;
    single(f, "001", 2, 98);
    json_decref(f->out);
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2023), &f->o, &f->out, &f->d);
    assert_decile(f, "001", 10);
    assert_points(f, "001", 10);
    qpp_benchmark_free(set);
    json_decref(root);
}

static void test_score_row_and_measure_data_disagree_on_inverse(void **state)
{
    struct fx *f = *state;
    struct qpp_benchmark_set *set = NULL;
    json_t *row = json_array_get(f->broot, 0);

    /* S01's row (row 0) made inverse; the measure data say S01 is not: a
     * warning, and the row applies.  63 inverse in (p40 = 60, p50 = 65]:
     * decile 6, 6 + (65 - 63) / (65 - 60) = 6.4. */
    assert_int_equal(json_object_set_new(row, "isInverse", json_true()), 0);
    assert_int_equal(
        qpp_benchmark_load(f->broot, "score-benchmarks-2025.json", &set, &f->d), 0);
    f->o.benchmarks = set;
    single(f, "S01", 63, 37);
    run(f);
    assert_diag(&f->d, QPP_INVERSE_CONFLICT, "/0/isInverse");
    assert_decile(f, "S01", 6);
    assert_points(f, "S01", 6.4);
    assert_no_rule(f, "S01", "inverse-source");
    qpp_benchmark_free(set);
}

static void test_score_row_without_inverse_takes_the_measure_data(void **state)
{
    struct fx *f = *state;
    struct qpp_benchmark_set *set = NULL;
    json_t *row = json_array_get(f->broot, 1);

    /* S02's row (row 1) without isInverse; the measure data say inverse:
     * 12 in (10, 15], decile 8, 8 + (15 - 12) / (15 - 10) = 8.6, as with it. */
    assert_int_equal(json_object_del(row, "isInverse"), 0);
    assert_int_equal(
        qpp_benchmark_load(f->broot, "score-benchmarks-2025.json", &set, &f->d), 0);
    f->o.benchmarks = set;
    single(f, "S02", 12, 88);
    run(f);
    assert_decile(f, "S02", 8);
    assert_points(f, "S02", 8.6);
    assert_rule(f, "S02", "inverse-source");
    assert_no_diag(&f->d, QPP_INVERSE_CONFLICT);
    qpp_benchmark_free(set);
}

/* ---- one measure at a time (registry, 2025) ---- */

static void test_score_normal_measure_partial_points(void **state)
{
    struct fx *f = *state;
    json_t *m;

    /* S01: p10..p90 = 40 50 55.5 60 65 70 75 80 85.25.
     * 63 / (63 + 37) * 100 = 63, in [60, 65): decile 5,
     * 5 + (63 - 60) / (65 - 60) = 5.6. */
    single(f, "S01", 63, 37);
    run(f);
    m = meas(f, "S01");
    assert_real(json_object_get(m, "performanceRate"), 63, "rate");
    assert_real(json_object_get(m, "reportingRate"), 100, "reporting");
    assert_int_equal(json_integer_value(json_object_get(m, "caseCount")), 100);
    assert_decile(f, "S01", 5);
    assert_points(f, "S01", 5.6);
    assert_rule(f, "S01", "benchmark");
    assert_rule(f, "S01", "partial-points");
    assert_no_rule(f, "S01", "decile-boundary");
    assert_no_rule(f, "S01", "topped-out-cap");
    assert_true(json_is_true(json_object_get(m, "counted")));
}

static void test_score_rate_on_a_decile_boundary(void **state)
{
    struct fx *f = *state;

    /* S01: 111 / (111 + 89) * 100 = 55.5 = p30 exactly: decile 4 begins
     * there, 4 + (55.5 - 55.5) / (60 - 55.5) = 4. */
    single(f, "S01", 111, 89);
    run(f);
    assert_decile(f, "S01", 4);
    assert_points(f, "S01", 4);
    assert_rule(f, "S01", "decile-boundary");
}

static void test_score_rate_rounded_to_2_decimals_half_up(void **state)
{
    struct fx *f = *state;

    /* S01: p10..p90 = 40 50 55.5 60 65 70 75 80 85.25.
     * 11553 / 20000 * 100 = 57.765, scored as 57.77 (half up; half to even
     * would give 57.76): [55.5, 60), decile 4, 4 + (57.77 - 55.5) / (60 -
     * 55.5) = 4 + 2.27 / 4.5 = 4.504444... = 4.5044.  The reasons keep
     * 57.765. */
    single(f, "S01", 11553, 20000 - 11553);
    run(f);
    assert_real(json_object_get(meas(f, "S01"), "performanceRate"), 57.765, "rate");
    assert_decile(f, "S01", 4);
    assert_points(f, "S01", 4.5044);
    assert_non_null(strstr(reason(f, "S01", "rate-rounding"), "57.765"));
    assert_non_null(strstr(reason(f, "S01", "decile"), "57.77"));
    /* 55499 / 100000 * 100 = 55.499, scored as 55.5 = p30: decile 4 begins
     * there, 4 points (unrounded it would be decile 3, 3.9998). */
    f->s.nmeasurements = 0;
    single(f, "S01", 55499, 100000 - 55499);
    run(f);
    assert_decile(f, "S01", 4);
    assert_points(f, "S01", 4);
    assert_rule(f, "S01", "decile-boundary");
    /* 63 / 100 = 63.00: nothing to round, no rule. */
    f->s.nmeasurements = 0;
    single(f, "S01", 63, 37);
    run(f);
    assert_no_rule(f, "S01", "rate-rounding");
}

static void test_score_rate_below_p10_is_decile_1(void **state)
{
    struct fx *f = *state;

    /* S01: 30 / (30 + 70) * 100 = 30 < p10 = 40: decile 1,
     * 1 + (30 - 0) / (40 - 0) = 1.75, with 0 as the chosen lower bound. */
    single(f, "S01", 30, 70);
    run(f);
    assert_decile(f, "S01", 1);
    assert_points(f, "S01", 1.75);
    assert_rule(f, "S01", "decile-1-bound");
}

static void test_score_inverse_measure(void **state)
{
    struct fx *f = *state;

    /* S02 (inverse): p10..p90 = 5 10 15 20 25 30 35 40 45.
     * 12 / (12 + 88) * 100 = 12 in (10, 15]: decile 8,
     * 8 + (15 - 12) / (15 - 10) = 8.6. */
    single(f, "S02", 12, 88);
    run(f);
    assert_decile(f, "S02", 8);
    assert_points(f, "S02", 8.6);
    assert_rule(f, "S02", "inverse");
    /* The row is of the performance period (benchmarkYear 2025). */
    assert_int_equal(json_integer_value(json_object_get(
                         json_object_get(meas(f, "S02"), "benchmark"), "benchmarkYear")),
                     2025);
}

static void test_score_inverse_measure_on_a_boundary(void **state)
{
    struct fx *f = *state;

    /* S02: p10 = 5, p20 = 10.  10 / (10 + 90) * 100 = 10 ends (5, 10]:
     * decile 9, 9 + (10 - 10) / (10 - 5) = 9. */
    single(f, "S02", 10, 90);
    run(f);
    assert_decile(f, "S02", 9);
    assert_points(f, "S02", 9);
    assert_rule(f, "S02", "decile-boundary");
    /* 4 / (4 + 96) * 100 = 4 <= p10 = 5: decile 10, 10 points. */
    f->s.nmeasurements = 0;
    single(f, "S02", 4, 96);
    run(f);
    assert_decile(f, "S02", 10);
    assert_points(f, "S02", 10);
}

static void test_score_topped_out_by_program_caps_at_7(void **state)
{
    struct fx *f = *state;

    /* S03 (isToppedOutByProgram): p10..p90 = 50 60 70 80 85 90 95 98 99.
     * 99 / (99 + 1) * 100 = 99 >= p90 = 99: decile 10, 10 points;
     * capped: min(10, 7) = 7. */
    single(f, "S03", 99, 1);
    run(f);
    assert_decile(f, "S03", 10);
    assert_real(json_object_get(meas(f, "S03"), "benchmarkPoints"), 10, "before the cap");
    assert_points(f, "S03", 7);
    assert_rule(f, "S03", "topped-out-cap");
    /* 55 / 100: [50, 60), 2 + 5 / 10 = 2.5; min(2.5, 7) = 2.5. */
    f->s.nmeasurements = 0;
    single(f, "S03", 55, 45);
    run(f);
    assert_points(f, "S03", 2.5);
}

static void test_score_seven_point_cap_removed_for_the_method(void **state)
{
    struct fx *f = *state;

    /* S04: sevenPointCapRemoved ["registry"]; its row (topped out by program
     * even) is CMS's fixed benchmark 86 88 90 92 94 96 98 99 100.
     * 199 / (199 + 1) * 100 = 99.5 in [99, 100): decile 9, 9 + 0.5 / 1 = 9.5,
     * not capped: the measure data remove the cap for registry. */
    single(f, "S04", 199, 1);
    run(f);
    assert_decile(f, "S04", 9);
    assert_points(f, "S04", 9.5);
    assert_rule(f, "S04", "seven-point-cap-removed");
    assert_no_rule(f, "S04", "topped-out-cap");
    /* 100% >= p90 = 100: decile 10, 10 points. */
    f->s.nmeasurements = 0;
    single(f, "S04", 200, 0);
    run(f);
    assert_points(f, "S04", 10);
}

static void test_score_flat_benchmark(void **state)
{
    struct fx *f = *state;

    /* S11: the flat benchmark 10 20 ... 90.  90 / (90 + 10) * 100 = 90 >= p90:
     * decile 10, 10 points. */
    single(f, "S11", 90, 10);
    run(f);
    assert_decile(f, "S11", 10);
    assert_points(f, "S11", 10);
    assert_rule(f, "S11", "flat-benchmark");
    assert_rule(f, "S11", "decile-boundary");
}

static void test_score_no_benchmark_is_0_points(void **state)
{
    struct fx *f = *state;

    /* S12 has no 2025 registry row: 0 points, whatever the rate. */
    single(f, "S12", 50, 50);
    run(f);
    assert_decile(f, "S12", 0);
    assert_true(json_is_null(json_object_get(meas(f, "S12"), "benchmark")));
    assert_true(json_is_null(json_object_get(meas(f, "S12"), "benchmarkPoints")));
    assert_points(f, "S12", 0);
    assert_rule(f, "S12", "no-benchmark");
}

static void test_score_small_practice_gets_3_points(void **state)
{
    struct fx *f = *state;

    f->o.small_practice = 1;
    /* S12: no benchmark, small practice: 3 points.  S01 with 19 cases (19 / 19
     * = 100%): under the case minimum of 20, 3 points. */
    single(f, "S12", 50, 50);
    single(f, "S01", 19, 0);
    run(f);
    assert_points(f, "S12", 3);
    assert_rule(f, "S12", "small-practice");
    assert_points(f, "S01", 3);
    assert_rule(f, "S01", "case-minimum");
    /* Bonus: (3 + 3 + 6) / 60 * 100 = 20. */
    assert_int_equal(
        json_integer_value(json_object_get(quality(f), "smallPracticeBonus")), 6);
    assert_real(json_object_get(quality(f), "categoryScore"), 20, "category");
}

static void test_score_case_minimum(void **state)
{
    struct fx *f = *state;

    /* S01: 19 cases, all met (100% >= p90 would be 10 points): under 20, 0 points. */
    single(f, "S01", 19, 0);
    run(f);
    assert_int_equal(json_integer_value(json_object_get(meas(f, "S01"), "caseCount")),
                     19);
    assert_decile(f, "S01", 0);
    assert_points(f, "S01", 0);
    assert_rule(f, "S01", "case-minimum");
    /* 20 cases: 20 / 20 = 100 >= p90 = 85.25, decile 10. */
    f->s.nmeasurements = 0;
    single(f, "S01", 20, 0);
    run(f);
    assert_points(f, "S01", 10);
    assert_no_rule(f, "S01", "case-minimum");
}

static void test_score_data_completeness_threshold(void **state)
{
    struct fx *f = *state;
    json_t *m;

    /* S01: 100 eligible, 74 with an answer (60 met, 14 not met): reporting rate
     * (60 + 14 + 0 + 0) / 100 * 100 = 74 < 75 (the 2025 threshold): 0 points. */
    single(f, "S01", 60, 14);
    f->q[0].value.eligible = 100;
    run(f);
    m = meas(f, "S01");
    assert_real(json_object_get(m, "reportingRate"), 74, "reporting");
    assert_int_equal(
        json_integer_value(json_object_get(f->out, "dataCompletenessThreshold")), 75);
    assert_points(f, "S01", 0);
    assert_rule(f, "S01", "data-completeness");
    /* 75 of 100 (60 met, 14 not met, 1 exception): (60 + 14 + 0 + 1) / 100 =
     * 75, the threshold met; 60 / (60 + 14) * 100 = 81.081081..., scored as
     * 81.08 (2 decimals), in [80, 85.25): 9 + (81.08 - 80) / (85.25 - 80)
     * = 9 + 1.08 / 5.25 = 9.205714... = 9.2057. */
    f->q[0].value.exception = 1;
    run(f);
    assert_no_rule(f, "S01", "data-completeness");
    assert_rule(f, "S01", "rate-rounding");
    assert_points(f, "S01", 9.2057);
}

static void test_score_2023_threshold_is_70(void **state)
{
    struct fx *f = *state;

    /* 2023 (built-in benchmarks and catalog): 70%.  113 by registry in 2023:
     * p10..p90 = 4.555 18.09 37.7 52.67 63.665 72.415 80.945 90.25 99.55.
     * 70 of 100 answered (50 met, 20 not met): (50 + 20) / 100 = 70 >= 70;
     * 50 / 70 * 100 = 71.428571..., scored as 71.43, in [63.665, 72.415):
     * decile 6, 6 + (71.43 - 63.665) / (72.415 - 63.665) = 6 + 7.765 / 8.75
     * = 6.887428... = 6.8874. */
    f->o.benchmarks = NULL;
    f->s.year = 2023;
    single(f, "113", 50, 20);
    f->q[0].value.eligible = 100;
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2023), &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_int_equal(
        json_integer_value(json_object_get(f->out, "dataCompletenessThreshold")), 70);
    assert_decile(f, "113", 6);
    assert_points(f, "113", 6.8874);
}

static void test_score_no_rate(void **state)
{
    struct fx *f = *state;

    /* S01: 30 eligible, all excepted: met + notMet = 0, no rate, 0 points. */
    single(f, "S01", 0, 0);
    f->q[0].value = counts(0, 0, 30, 0, 30);
    run(f);
    assert_true(json_is_null(json_object_get(meas(f, "S01"), "performanceRate")));
    assert_points(f, "S01", 0);
    assert_rule(f, "S01", "no-rate");
    /* Nobody eligible: no rate, no reporting rate, no case. */
    f->q[0].value = counts(0, 0, 0, 0, 0);
    run(f);
    assert_true(json_is_null(json_object_get(meas(f, "S01"), "reportingRate")));
    assert_rule(f, "S01", "data-completeness");
    assert_rule(f, "S01", "case-minimum");
    assert_points(f, "S01", 0);
}

static void test_score_new_measure_floors(void **state)
{
    struct fx *f = *state;

    /* S05 (first year 2025) and S06 (first year 2024) have no benchmark: 0
     * points, raised to the floor of year 1 (7) and year 2 (5).  S01 (first
     * year 2017) has none. */
    single(f, "S01", 63, 37);
    single(f, "S05", 30, 10);
    single(f, "S06", 30, 10);
    run(f);
    assert_points(f, "S05", 7);
    assert_points(f, "S06", 5);
    assert_rule(f, "S05", "new-measure-floor");
    assert_rule(f, "S06", "new-measure-floor");
    assert_no_rule(f, "S01", "new-measure-floor");
}

static void test_score_new_measure_floor_needs_complete_data(void **state)
{
    struct fx *f = *state;

    /* S05: 40 answered of 100 eligible, 40% < 75%: 0 points, no floor. */
    single(f, "S05", 30, 10);
    f->q[0].value.eligible = 100;
    run(f);
    assert_points(f, "S05", 0);
    assert_no_rule(f, "S05", "new-measure-floor");
}

/* ---- multi-rate measures, by overallAlgorithm ---- */

static void test_score_simple_average(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"a", "b"};
    struct qpp_value v[2];

    /* a: 40 / (40 + 10 - 5) * 100 = 88.8889 (CMS: met / (met + notMet -
     * exclusions) for simpleAverage); b: 30 / (30 + 30 - 0) * 100 = 50.
     * Mean: (88.8889 + 50) / 2 = 69.444444..., scored as 69.44.  Flat
     * benchmark: [60, 70), decile 7, 7 + (69.44 - 60) / 10 = 7.944.  Cases:
     * the largest stratum, 60. */
    v[0] = counts(40, 10, 55, 5, 0);
    v[1] = counts(30, 30, 60, 0, 0);
    multi(f, "S07", 2, names, v);
    run(f);
    assert_real(json_object_get(meas(f, "S07"), "performanceRate"), 69.4444, "rate");
    assert_int_equal(json_integer_value(json_object_get(meas(f, "S07"), "caseCount")),
                     60);
    /* Reporting, the strata summed: (40 + 10 + 5 + 0 + 30 + 30) / (55 + 60) = 100. */
    assert_real(json_object_get(meas(f, "S07"), "reportingRate"), 100, "reporting");
    assert_decile(f, "S07", 7);
    assert_points(f, "S07", 7.944);
}

static void test_score_simple_average_leaves_out_a_stratum_without_rate(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"a", "b"};
    struct qpp_value v[2];

    /* a: 45 / (45 + 5) = 90; b: 25 eligible, all excluded: no rate, left out.
     * Mean of a alone: 90 >= p90 = 90: decile 10. */
    v[0] = counts(45, 5, 50, 0, 0);
    v[1] = counts(0, 0, 25, 25, 0);
    multi(f, "S07", 2, names, v);
    run(f);
    assert_real(json_object_get(meas(f, "S07"), "performanceRate"), 90, "rate");
    assert_rule(f, "S07", "stratum-no-rate");
    assert_points(f, "S07", 10);
}

static void test_score_every_rule_is_kept_however_many_strata(void **state)
{
    struct fx *f = *state;
    static const char *const names[MAX_STRATA] = {
        "s0",  "s1",  "s2",  "s3",  "s4",  "s5",  "s6",  "s7",
        "s8",  "s9",  "s10", "s11", "s12", "s13", "s14", "s15",
        "s16", "s17", "s18", "s19", "s20", "s21", "s22", "s23"};
    struct qpp_value v[MAX_STRATA];
    size_t i;

    /* S07 (simpleAverage) with 24 strata: s0 45 / (45 + 5) = 90, the other
     * 23 all excluded (no rate), each left out of the mean with a rule of its
     * own: 23 stratum-no-rate rules, more than a fixed array once held. */
    v[0] = counts(45, 5, 50, 0, 0);
    for (i = 1; i < MAX_STRATA; i++)
        v[i] = counts(0, 0, 10, 10, 0);
    multi(f, "S07", MAX_STRATA, names, v);
    run(f);
    assert_int_equal(count_rules(f, "S07", "stratum-no-rate"), MAX_STRATA - 1);
    /* The rules after them are there too: 90 >= p90 = 90, decile 10. */
    assert_rule(f, "S07", "decile");
    assert_rule(f, "S07", "partial-points");
    assert_points(f, "S07", 10);
}

static void test_score_weighted_average(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"p", "q"};
    struct qpp_value v[2];

    /* (30 + 10) / (30 + 10 + 10 + 10) * 100 = 40 / 60 * 100 = 66.666667...,
     * scored as 66.67; [60, 70): 7 + (66.67 - 60) / 10 = 7.667.  Cases:
     * 40 + 20 = 60. */
    v[0] = counts(30, 10, 40, 0, 0);
    v[1] = counts(10, 10, 20, 0, 0);
    multi(f, "S08", 2, names, v);
    run(f);
    assert_real(json_object_get(meas(f, "S08"), "performanceRate"), 66.6667, "rate");
    assert_int_equal(json_integer_value(json_object_get(meas(f, "S08"), "caseCount")),
                     60);
    assert_points(f, "S08", 7.667);
}

static void test_score_overall_stratum_only(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"x", "overall"};
    struct qpp_value v[2];

    /* overall: 45 / (45 + 5 - 2) * 100 = 45 / 48 * 100 = 93.75 >= 90: decile
     * 10.  Cases: the overall stratum's 52; x (2 cases) does not count. */
    v[0] = counts(1, 1, 2, 0, 0);
    v[1] = counts(45, 5, 52, 2, 0);
    multi(f, "S09", 2, names, v);
    run(f);
    assert_real(json_object_get(meas(f, "S09"), "performanceRate"), 93.75, "rate");
    assert_int_equal(json_integer_value(json_object_get(meas(f, "S09"), "caseCount")),
                     52);
    assert_points(f, "S09", 10);
}

static void test_score_split(void **state)
{
    struct fx *f = *state;
    static const char *const names[] = {"reporting", "performance"};
    struct qpp_value v[2];

    /* performance: 20 / (20 + 30) * 100 = 40 = p40: decile 5 begins there, 5
     * points.  Reporting rate and cases from the reporting stratum:
     * (48 + 2) / 50 = 100, 50 cases. */
    v[0] = counts(48, 2, 50, 0, 0);
    v[1] = counts(20, 30, 50, 0, 0);
    multi(f, "S10", 2, names, v);
    run(f);
    assert_real(json_object_get(meas(f, "S10"), "performanceRate"), 40, "rate");
    assert_int_equal(json_integer_value(json_object_get(meas(f, "S10"), "caseCount")),
                     50);
    assert_decile(f, "S10", 5);
    assert_points(f, "S10", 5);
    assert_rule(f, "S10", "decile-boundary");
}

/* ---- the category ---- */

static void test_score_category_counts_six_with_a_high_priority_one(void **state)
{
    struct fx *f = *state;
    static const char *const ids[] = {"S02", "S11", "S03", "S05", "S04", "S01"};
    char *text;

    /* Seven measures; S02 (high priority) scores lowest but one, and counts:
     *   S11 90/10 -> 90 >= p90 = 90: 10
     *   S03 99/1  -> 99 >= p90 = 99: 10, capped at 7
     *   S05 30/10 -> no benchmark, new in 2025: 7
     *   S04 95/5  -> [94, 96): 6 + (95 - 94) / (96 - 94) = 6.5
     *   S01 63/37 -> 5.6
     *   S02 50/50 -> inverse, 50 > p90 = 45: 1 + (100 - 50) / (100 - 45) = 1.9091
     *   S12 50/50 -> no benchmark: 0
     * Counted: S02 first, then S11, S03, S05 (7 each: measureId order), S04,
     * S01; S12 is the seventh and does not count.
     * Points: 1.9091 + 10 + 7 + 7 + 6.5 + 5.6 = 38.0091;
     * 38.0091 / 60 * 100 = 63.3485. */
    single(f, "S01", 63, 37);
    single(f, "S02", 50, 50);
    single(f, "S03", 99, 1);
    single(f, "S04", 95, 5);
    single(f, "S05", 30, 10);
    single(f, "S11", 90, 10);
    single(f, "S12", 50, 50);
    run(f);
    assert_points(f, "S02", 1.9091);
    assert_points(f, "S04", 6.5);
    assert_counted(f, 6, ids);
    assert_false(json_is_true(json_object_get(meas(f, "S12"), "counted")));
    assert_real(json_object_get(quality(f), "achievementPoints"), 38.0091, "points");
    assert_real(json_object_get(quality(f), "categoryScore"), 63.3485, "category");
    assert_int_equal(json_integer_value(json_object_get(quality(f), "measuresMissing")),
                     0);
    assert_true(has_rule_in(json_object_get(quality(f), "rules"), "high-priority"));
    assert_true(has_rule_in(json_object_get(quality(f), "rules"), "measures-dropped"));
    /* The table says so too; its points column is 7 wide for "10.0000". */
    text = qpp_score_text(f->out);
    assert_non_null(text);
    assert_non_null(strstr(
        text, "Measure  Rate (%)  Completeness (%)  Cases  Decile   Points  Notes\n"));
    assert_non_null(strstr(text, "S12       50.0000          100.0000    100       -   "
                                 "0.0000  not counted, no-benchmark\n"));
    /* S03 (99 = p90, decile 10): its cap binds, 10 -> 7, no "not reached". */
    assert_non_null(strstr(text, "  7.0000  decile-boundary, topped-out-cap\n"));
    free(text);
}

static void test_score_category_without_high_priority_leaves_a_place_empty(void **state)
{
    struct fx *f = *state;
    static const char *const ids[] = {"S01", "S04", "S11", "S03", "S05"};

    /* Six process measures, none outcome or high priority: five count and one
     * place stays empty.
     *   S01 100/0 -> 100 >= p90 = 85.25: 10
     *   S03 100/0 -> 10, capped at 7
     *   S04 100/0 -> 100 >= p90 = 100: 10 (cap removed)
     *   S05 30/10 -> 7 (new measure)
     *   S11 100/0 -> 10
     *   S12 50/50 -> 0 (no benchmark)
     * Top five: S01, S04, S11 (10 each, measureId order), S03, S05 (7 each);
     * (10 + 10 + 10 + 7 + 7) / 60 * 100 = 44 / 60 * 100 = 73.3333. */
    single(f, "S01", 100, 0);
    single(f, "S03", 100, 0);
    single(f, "S04", 100, 0);
    single(f, "S05", 30, 10);
    single(f, "S11", 100, 0);
    single(f, "S12", 50, 50);
    run(f);
    assert_counted(f, 5, ids);
    assert_int_equal(json_integer_value(json_object_get(quality(f), "measuresMissing")),
                     1);
    assert_real(json_object_get(quality(f), "categoryScore"), 73.3333, "category");
    assert_true(has_rule_in(json_object_get(quality(f), "rules"), "no-high-priority"));
}

static void test_score_category_fewer_measures_count_zero(void **state)
{
    struct fx *f = *state;

    /* Two measures: S13 (high priority) 100/0 -> p90 = 95: 10; S01 63/37 ->
     * 5.6.  Four places empty: (10 + 5.6) / 60 * 100 = 26. */
    single(f, "S01", 63, 37);
    single(f, "S13", 100, 0);
    run(f);
    assert_int_equal(json_integer_value(json_object_get(quality(f), "measuresMissing")),
                     4);
    assert_real(json_object_get(quality(f), "categoryScore"), 26, "category");
    assert_true(has_rule_in(json_object_get(quality(f), "rules"), "measures-missing"));
}

static void test_score_category_mvp_counts_four(void **state)
{
    struct fx *f = *state;

    /* MVP G0053: four places.  S13 100/0 -> 10, S01 63/37 -> 5.6:
     * (10 + 5.6) / 40 * 100 = 39. */
    f->s.program = "G0053";
    single(f, "S01", 63, 37);
    single(f, "S13", 100, 0);
    run(f);
    assert_int_equal(json_integer_value(json_object_get(quality(f), "measuresRequired")),
                     4);
    assert_int_equal(json_integer_value(json_object_get(quality(f), "maximumPoints")),
                     40);
    assert_real(json_object_get(quality(f), "categoryScore"), 39, "category");
}

static void test_score_app1_is_an_approximation(void **state)
{
    struct fx *f = *state;

    f->s.program = "app1";
    single(f, "S13", 100, 0);
    run(f);
    assert_true(
        has_rule_in(json_object_get(quality(f), "rules"), "program-approximation"));
}

/* ---- benchmarks of the wrong year, built-in years ---- */

static void test_score_benchmarks_of_another_year(void **state)
{
    struct fx *f = *state;

    f->s.year = 2024; /* the fixture's rows are of 2025 */
    single(f, "S01", 63, 37);
    f->rc = qpp_score_preview(&f->s, f->cy, &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_null(f->out);
    assert_diag(&f->d, QPP_BENCHMARKS_YEAR, NULL);
}

static void test_score_no_builtin_benchmarks_for_2027(void **state)
{
    struct fx *f = *state;

    f->o.benchmarks = NULL;
    f->s.year = 2027;
    single(f, "S01", 63, 37);
    f->rc = qpp_score_preview(&f->s, f->cy, &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_null(f->out);
    assert_diag(&f->d, QPP_BENCHMARKS_YEAR, NULL);
}

static void test_score_builtin_2025_143_registry_cap_removed(void **state)
{
    struct fx *f = *state;

    /* CMS's 2025 data: 143 has sevenPointCapRemoved ["electronicHealthRecord",
     * "registry"]; its registry row is the fixed 86 ... 99 100.  199 / 200 =
     * 99.5 in [99, 100): 9.5, no cap. */
    f->o.benchmarks = NULL;
    single(f, "143", 199, 1);
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2025), &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_points(f, "143", 9.5);
    assert_rule(f, "143", "seven-point-cap-removed");
}

static void test_score_builtin_2025_130_ehr_capped(void **state)
{
    struct fx *f = *state;

    /* CMS's 2025 data: 130 by EHR is topped out by program; p80 = 99.46,
     * p90 = 99.91.  999 / 1000 = 99.9 in [99.46, 99.91): 9 + 0.44 / 0.45 =
     * 9.9778; capped at 7. */
    f->o.benchmarks = NULL;
    f->s.method = "electronicHealthRecord";
    single(f, "130", 999, 1);
    f->rc =
        qpp_score_preview(&f->s, qpp_catalog_builtin_year(2025), &f->o, &f->out, &f->d);
    assert_int_equal(f->rc, 0);
    assert_real(json_object_get(meas(f, "130"), "benchmarkPoints"), 9.9778, "before");
    assert_points(f, "130", 7);
    assert_rule(f, "130", "topped-out-cap");
}

/* ---- the text table ---- */

static void test_score_text_table(void **state)
{
    struct fx *f = *state;
    char *text, *want;

    /* S01 63/37 -> 5.6 (decile 5); S03 55/45 -> [50, 60), 2 + 5 / 10 = 2.5,
     * under its cap of 7; S12 -> 0 (no benchmark).  Each with 100 cases and
     * a reporting rate of 100.  (5.6 + 2.5 + 0) / 60 * 100 = 13.5. */
    single(f, "S01", 63, 37);
    single(f, "S03", 55, 45);
    single(f, "S12", 50, 50);
    run(f);
    text = qpp_score_text(f->out);
    assert_non_null(text);
    want = fixture_bytes("score-text.expected", NULL);
    if (strcmp(text, want) != 0)
        fail_msg("text differs:\n%s\nexpected:\n%s", text, want);
    free(text);
    free(want);
}

/* ---- out of memory ---- */

static void test_score_every_allocation_failure_is_clean(void **state)
{
    struct fx *f = *state;
    unsigned long n;
    int done = 0;

    single(f, "S01", 63, 37);
    single(f, "S02", 12, 88);
    single(f, "S12", 50, 50);
    qpp_alloc_setup();
    for (n = 1; !done && n < 100000; n++) {
        json_t *out = NULL;
        char *text = NULL;
        int rc;

        qpp_alloc_fail_at(n);
        rc = qpp_score_preview(&f->s, f->cy, &f->o, &out, &f->d);
        if (rc == 0 && out)
            text = qpp_score_text(out);
        qpp_alloc_fail_at(0);
        assert_true(rc == 0 ? out != NULL : out == NULL);
        done = rc == 0 && text != NULL;
        free(text);
        json_decref(out);
    }
    assert_true(done);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_score_decile_cms_example_110),
        cmocka_unit_test(test_score_decile_on_a_boundary_takes_the_better_decile),
        cmocka_unit_test(test_score_decile_1_uses_0_as_its_lower_bound),
        cmocka_unit_test(test_score_decile_inverse_is_mirrored),
        cmocka_unit_test(test_score_decile_flat_normal_benchmark),
        cmocka_unit_test(test_score_decile_topped_out_fixed_benchmark),
        cmocka_unit_test(test_score_decile_equal_bounds_skip_empty_deciles),
        cmocka_unit_test(test_score_round_half_away_from_zero),
        T(test_score_cms_example_110_through_the_preview),
        T(test_score_cms_example_three_measures_small_practice),
        T(test_score_older_descending_deciles_with_the_measure_data_inverse),
        T(test_score_row_and_measure_data_disagree_on_inverse),
        T(test_score_row_without_inverse_takes_the_measure_data),
        T(test_score_normal_measure_partial_points),
        T(test_score_rate_on_a_decile_boundary),
        T(test_score_rate_rounded_to_2_decimals_half_up),
        T(test_score_rate_below_p10_is_decile_1),
        T(test_score_inverse_measure),
        T(test_score_inverse_measure_on_a_boundary),
        T(test_score_topped_out_by_program_caps_at_7),
        T(test_score_seven_point_cap_removed_for_the_method),
        T(test_score_flat_benchmark),
        T(test_score_no_benchmark_is_0_points),
        T(test_score_small_practice_gets_3_points),
        T(test_score_case_minimum),
        T(test_score_data_completeness_threshold),
        T(test_score_2023_threshold_is_70),
        T(test_score_no_rate),
        T(test_score_new_measure_floors),
        T(test_score_new_measure_floor_needs_complete_data),
        T(test_score_simple_average),
        T(test_score_simple_average_leaves_out_a_stratum_without_rate),
        T(test_score_every_rule_is_kept_however_many_strata),
        T(test_score_weighted_average),
        T(test_score_overall_stratum_only),
        T(test_score_split),
        T(test_score_category_counts_six_with_a_high_priority_one),
        T(test_score_category_without_high_priority_leaves_a_place_empty),
        T(test_score_category_fewer_measures_count_zero),
        T(test_score_category_mvp_counts_four),
        T(test_score_app1_is_an_approximation),
        T(test_score_benchmarks_of_another_year),
        T(test_score_no_builtin_benchmarks_for_2027),
        T(test_score_builtin_2025_143_registry_cap_removed),
        T(test_score_builtin_2025_130_ehr_capped),
        T(test_score_text_table),
        T(test_score_every_allocation_failure_is_clean),
    };
#undef T

    return cmocka_run_group_tests(tests, NULL, NULL);
}
