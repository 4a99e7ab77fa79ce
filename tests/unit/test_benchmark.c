/* SPDX-License-Identifier: MIT */
/* Unit tests for benchmark.c: the built-in years and the reader of CMS's
 * benchmarks file.  Expected facts are CMS's (qpp-measures-data,
 * benchmarks/<year>.json), looked up by hand. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "benchmark.h"
#include "testutil.h"

static const struct qpp_benchmark_set *year(int y)
{
    const struct qpp_benchmark_set *set = qpp_benchmark_builtin_year(y);

    if (!set)
        fail_msg("no built-in benchmarks for %d", y);
    return set;
}

static const struct qpp_benchmark *row(const struct qpp_benchmark_set *set,
                                       const char *id, const char *method)
{
    const struct qpp_benchmark *b = qpp_benchmark_find(set, id, method);

    if (!b)
        fail_msg("no benchmark for %s by %s", id, method);
    return b;
}

static void assert_deciles(const struct qpp_benchmark *b, const double *want)
{
    int k;

    for (k = 0; k < 9; k++)
        if (b->deciles[k] != want[k])
            fail_msg("%s %s decile bound %d: %g, expected %g", b->measure_id, b->method,
                     k + 2, b->deciles[k], want[k]);
}

static void test_benchmark_builtin_years_2023_to_2026(void **state)
{
    size_t i;

    (void)state;
    /* Rows in CMS's benchmarks files: 385, 358, 380 and 293. */
    assert_int_equal(year(2023)->nrows, 385);
    assert_int_equal(year(2024)->nrows, 358);
    assert_int_equal(year(2025)->nrows, 380);
    assert_int_equal(year(2026)->nrows, 293);
    assert_null(qpp_benchmark_builtin_year(2022));
    assert_null(qpp_benchmark_builtin_year(2027));
    for (i = 0; i < qpp_benchmark_nbuiltin; i++) {
        assert_null(year(qpp_benchmark_builtin_nth(i))->source);
        if (i > 0)
            assert_true(qpp_benchmark_builtin_nth(i - 1) < qpp_benchmark_builtin_nth(i));
    }
    assert_int_equal(qpp_benchmark_builtin_nth(qpp_benchmark_nbuiltin), 0);
}

static void test_benchmark_builtin_rows_sorted_unique_and_of_their_year(void **state)
{
    size_t i, k;

    (void)state;
    for (k = 0; k < qpp_benchmark_nbuiltin; k++) {
        const struct qpp_benchmark_set *set = year(qpp_benchmark_builtin_nth(k));
        for (i = 0; i < set->nrows; i++) {
            const struct qpp_benchmark *a = &set->rows[i];
            int c = i ? strcmp(set->rows[i - 1].measure_id, a->measure_id) : -1;
            assert_int_equal(a->performance_year, set->year);
            if (c > 0 || (c == 0 && strcmp(set->rows[i - 1].method, a->method) >= 0))
                fail_msg("%d: rows out of order at %s %s", set->year, a->measure_id,
                         a->method);
        }
    }
}

/* Any thread may ask for a year first: each gets the same set, whole. */
static void *ask_2025(void *arg)
{
    (void)arg;
    return (void *)qpp_benchmark_find(qpp_benchmark_builtin_year(2025), "113",
                                      "electronicHealthRecord");
}

static void test_benchmark_builtin_year_made_once_for_threads(void **state)
{
    const struct qpp_benchmark *b = same_from_four_threads(ask_2025);

    (void)state;
    assert_string_equal(b->measure_id, "113");
    assert_int_equal(b->performance_year, 2025);
}

/* The built-in years are made at run time from benchmark_data.c's packed
 * rows: each must be, field by field, what qpp_benchmark_load makes of CMS's
 * file of the year (when ../shared is there: SHARED). */
static void test_benchmark_builtin_years_equal_cms_files(void **state)
{
    const char *shared = getenv("SHARED");
    size_t k, i, years = 0;
    int j;

    (void)state;
    for (k = 0; shared && k < qpp_benchmark_nbuiltin; k++) {
        const struct qpp_benchmark_set *b = year(qpp_benchmark_builtin_nth(k));
        struct qpp_benchmark_set *f = NULL;
        struct qpp_diags d;
        char path[1024];
        json_t *root;

        snprintf(path, sizeof path, "%s/qpp-data/benchmarks/benchmarks-%d.json", shared,
                 b->year);
        if (!(root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL)))
            continue;
        qpp_diags_init(&d);
        assert_int_equal(qpp_benchmark_load(root, path, &f, &d), 0);
        json_decref(root);
        assert_int_equal(b->year, f->year);
        assert_int_equal(b->nrows, f->nrows);
        assert_null(b->source);
        for (i = 0; i < b->nrows; i++) {
            const struct qpp_benchmark *x = &b->rows[i], *y = &f->rows[i];

            assert_string_equal(x->measure_id, y->measure_id);
            assert_string_equal(x->method, y->method);
            assert_int_equal(x->performance_year, y->performance_year);
            assert_int_equal(x->benchmark_year, y->benchmark_year);
            assert_int_equal(x->row, y->row);
            assert_int_equal(x->is_inverse, y->is_inverse);
            assert_int_equal(x->inverse_given, y->inverse_given);
            assert_int_equal(x->is_topped_out, y->is_topped_out);
            assert_int_equal(x->is_topped_out_by_program, y->is_topped_out_by_program);
            assert_int_equal(x->from_deciles, y->from_deciles);
            assert_int_equal(x->descending, y->descending);
            assert_int_equal(x->has_average, y->has_average);
            assert_int_equal(x->has_p1, y->has_p1);
            assert_int_equal(x->has_p99, y->has_p99);
            assert_true(!x->has_average || x->average == y->average);
            assert_true(!x->has_p1 || x->p1 == y->p1);
            assert_true(!x->has_p99 || x->p99 == y->p99);
            for (j = 0; j < 9; j++)
                assert_true(x->deciles[j] == y->deciles[j]);
        }
        qpp_benchmark_free(f);
        qpp_diags_free(&d);
        years++;
    }
    if (years == 0)
        skip(); /* no ../shared: catalog-check is skipped too */
    assert_int_equal(years, qpp_benchmark_nbuiltin);
}

static void test_benchmark_2023_113_ehr(void **state)
{
    /* benchmarks-2023.json: 113 electronicHealthRecord, benchmarkYear 2021,
     * percentiles 10..90 = 7.22 22.61 34.53 43.9 51.89 59.65 66.98 75.51 85.69,
     * averagePerformanceRate 49.64. */
    static const double want[9] = {7.22,  22.61, 34.53, 43.9, 51.89,
                                   59.65, 66.98, 75.51, 85.69};
    const struct qpp_benchmark *b = row(year(2023), "113", "electronicHealthRecord");

    (void)state;
    assert_int_equal(b->benchmark_year, 2021);
    assert_false(b->is_inverse);
    assert_false(b->is_topped_out);
    assert_true(b->has_average);
    assert_true(b->average == 49.64);
    assert_deciles(b, want);
}

static void test_benchmark_2025_flags(void **state)
{
    const struct qpp_benchmark *b;

    (void)state;
    /* 130 by EHR is topped out by program in 2025 (isToppedOutByProgram). */
    b = row(year(2025), "130", "electronicHealthRecord");
    assert_true(b->is_topped_out);
    assert_true(b->is_topped_out_by_program);
    /* 143 by registry: CMS's fixed topped-out benchmark (p10 86 ... p80 99,
     * p90 100), topped out but not by program (its cap is removed). */
    b = row(year(2025), "143", "registry");
    assert_true(b->is_topped_out);
    assert_false(b->is_topped_out_by_program);
    assert_true(b->deciles[0] == 86 && b->deciles[7] == 99 && b->deciles[8] == 100);
    /* 001 is inverse; its claims row is the flat benchmark 10, 20, ..., 90. */
    b = row(year(2025), "001", "claims");
    assert_true(b->is_inverse);
    assert_true(b->deciles[0] == 10 && b->deciles[8] == 90);
    /* A null averagePerformanceRate. */
    assert_false(row(year(2023), "113", "cmsWebInterface")->has_average);
    assert_null(
        qpp_benchmark_find(year(2025), "113", "cmsWebInterface")); /* gone in 2025 */
    assert_null(qpp_benchmark_find(year(2025), "999", "registry"));
}

struct fx {
    struct qpp_diags d;
    json_t *root;
    struct qpp_benchmark_set *set;
    int rc;
};

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    qpp_diags_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fx *f = *state;

    qpp_benchmark_free(f->set);
    json_decref(f->root);
    qpp_diags_free(&f->d);
    free(f);
    return 0;
}

static void load(struct fx *f, const char *name)
{
    f->root = fixture_json(name);
    f->rc = qpp_benchmark_load(f->root, name, &f->set, &f->d);
}

static void test_benchmark_load_percentiles(void **state)
{
    struct fx *f = *state;
    static const double want236[9] = {40, 50, 55.5, 60, 65, 70, 75, 80, 85.25};
    const struct qpp_benchmark *b;

    load(f, "bench-valid.json");
    assert_int_equal(f->rc, 0);
    assert_no_errors(&f->d);
    assert_int_equal(f->set->year, 2025);
    assert_string_equal(f->set->source, "bench-valid.json");
    assert_int_equal(f->set->nrows, 3);
    /* Sorted: 001 electronicHealthRecord, 001 registry, 236 registry. */
    assert_string_equal(f->set->rows[0].method, "electronicHealthRecord");
    assert_string_equal(f->set->rows[2].measure_id, "236");
    b = row(f->set, "236", "registry");
    assert_int_equal(b->benchmark_year, 2023);
    assert_true(b->has_average && b->average == 63.1);
    assert_deciles(b, want236);
    b = row(f->set, "001", "electronicHealthRecord");
    assert_true(b->is_inverse);
    assert_false(b->has_average); /* null */
    b = row(f->set, "001", "registry");
    assert_true(b->is_topped_out_by_program);
    assert_int_equal(b->benchmark_year, 2023);
}

static void assert_no_diags(struct fx *f)
{
    if (f->d.len) {
        diag_dump(&f->d);
        fail_msg("unexpected diagnostics");
    }
}

static void test_benchmark_load_older_deciles_format(void **state)
{
    struct fx *f = *state;
    /* Rows written by hand in the shape of CMS's 2019 file (benchmarkYear
     * 2017, deciles, no isInverse).  110 and 046 carry the deciles of CMS's
     * 2019 scoring example; 001 by claims begins 100, 44.44, 29.03 and ends
     * 2.78 as CMS's 2019 row does, its middle made up.  CMS wrote an inverse
     * measure's deciles descending, from 100: they are kept ascending. */
    static const double want110[9] = {0,     26.89, 40.49, 50,   57.07,
                                      64.79, 73.08, 82.71, 96.44};
    static const double want046[9] = {0, 96.15, 99.44, 100, 100, 100, 100, 100, 100};
    static const double want001[9] = {2.78,  4.76,  7.14,  10.53, 14.81,
                                      20.69, 29.03, 44.44, 100};
    const struct qpp_benchmark *b;

    load(f, "bench-deciles-2019.json");
    assert_int_equal(f->rc, 0);
    assert_no_diags(f);
    assert_int_equal(f->set->year, 2019);
    assert_int_equal(f->set->nrows, 3);
    b = row(f->set, "110", "registry");
    assert_int_equal(b->benchmark_year, 2017);
    assert_true(b->from_deciles);
    assert_false(b->descending);
    assert_false(b->inverse_given); /* scoring takes the measure data's */
    assert_false(b->has_p1 || b->has_p99);
    assert_deciles(b, want110);
    b = row(f->set, "046", "registry");
    assert_true(b->is_topped_out);
    assert_false(b->descending); /* ascending, 100 repeated */
    assert_deciles(b, want046);
    b = row(f->set, "001", "claims");
    assert_true(b->descending);
    assert_false(b->inverse_given);
    assert_int_equal(b->row, 0);
    assert_deciles(b, want001);
}

static void test_benchmark_load_skips_rows_it_cannot_use(void **state)
{
    struct fx *f = *state;
    /* Rows in the shape of CMS's 2022 file, numbers made up:
     *   /0 001 inverse, CMS's flat inverse deciles 100, 80, ..., 10: kept,
     *      ascending 10, 20, ..., 80, 100;
     *   /1 236 with years 2022.0 and 2020.0 (the schema's type is number): kept;
     *   /2 a cost measure's 10 deciles: skipped;
     *   /3 benchmarkYear 2020.5: skipped;
     *   /4 deciles in neither order: skipped;
     *   /5 134 descending but isInverse false: kept, with a warning. */
    static const double want001[9] = {10, 20, 30, 40, 50, 60, 70, 80, 100};
    const struct qpp_benchmark *b;

    load(f, "bench-deciles-2022.json");
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->set->nrows, 3);
    assert_int_equal(f->set->year, 2022);
    b = row(f->set, "001", "registry");
    assert_true(b->inverse_given && b->is_inverse && b->descending);
    assert_deciles(b, want001);
    b = row(f->set, "236", "registry");
    assert_int_equal(b->performance_year, 2022);
    assert_int_equal(b->benchmark_year, 2020);
    assert_int_equal(b->row, 1);
    assert_null(qpp_benchmark_find(f->set, "TPCC_1", "administrativeClaims"));
    assert_null(qpp_benchmark_find(f->set, "238", "registry"));
    assert_null(qpp_benchmark_find(f->set, "117", "registry"));
    assert_diag(&f->d, QPP_BENCHMARK_SKIPPED, "/2/deciles");
    assert_diag(&f->d, QPP_BENCHMARK_SKIPPED, "/3/benchmarkYear");
    assert_diag(&f->d, QPP_BENCHMARK_SKIPPED, "/4/deciles");
    assert_int_equal(diag_count(&f->d, QPP_BENCHMARK_SKIPPED), 3);
    assert_diag(&f->d, QPP_INVERSE_CONFLICT, "/5/isInverse");
    assert_int_equal(qpp_diags_errors(&f->d), 0);
}

static void test_benchmark_load_rejects_a_file_of_unusable_rows(void **state)
{
    struct fx *f = *state;

    /* The 2022 rows that cannot be used, alone: nothing left to score with. */
    f->root = fixture_json("bench-deciles-2022.json");
    assert_int_equal(json_array_remove(f->root, 5), 0);
    assert_int_equal(json_array_remove(f->root, 1), 0);
    assert_int_equal(json_array_remove(f->root, 0), 0);
    f->rc = qpp_benchmark_load(f->root, "unusable.json", &f->set, &f->d);
    assert_int_equal(f->rc, -1);
    assert_int_equal(diag_count(&f->d, QPP_BENCHMARK_SKIPPED), 3);
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, NULL);
}

static void test_benchmark_load_wrong_types(void **state)
{
    struct fx *f = *state;

    load(f, "bench-wrong-types.json");
    assert_int_equal(f->rc, -1);
    assert_null(f->set);
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/0/measureId");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/0/performanceYear");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/0/isInverse");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/0/averagePerformanceRate");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/0/percentiles/20");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/1");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/2/deciles");
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/3");
    assert_int_equal(diag_count(&f->d, QPP_BENCHMARKS_INVALID), 8);
}

static void test_benchmark_load_skips_percentiles_out_of_order(void **state)
{
    struct fx *f = *state;

    /* CMS writes the percentiles of inverse measures ascending too (unlike the
     * older deciles): a row whose percentiles descend is skipped, the rest
     * of the file is read. */
    load(f, "bench-descending.json");
    assert_int_equal(f->rc, 0);
    assert_diag(&f->d, QPP_BENCHMARK_SKIPPED, "/0/percentiles");
    assert_int_equal(f->set->nrows, 1);
    assert_null(qpp_benchmark_find(f->set, "001", "registry"));
    assert_non_null(qpp_benchmark_find(f->set, "236", "registry"));
}

static void test_benchmark_load_skips_negative_bounds(void **state)
{
    struct fx *f = *state;

    /* No rate or count is negative: such a row is skipped, in either format;
     * a huge bound is a number like any other. */
    load(f, "bench-negative.json");
    assert_int_equal(f->rc, 0);
    assert_diag(&f->d, QPP_BENCHMARK_SKIPPED, "/0/percentiles");
    assert_diag(&f->d, QPP_BENCHMARK_SKIPPED, "/1/deciles");
    assert_int_equal(f->set->nrows, 1);
    assert_non_null(qpp_benchmark_find(f->set, "236", "registry"));
}

static void test_benchmark_load_rejects_two_years(void **state)
{
    struct fx *f = *state;

    load(f, "bench-two-years.json");
    assert_int_equal(f->rc, -1);
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, "/1/performanceYear");
}

static void test_benchmark_load_rejects_duplicate_rows(void **state)
{
    struct fx *f = *state;

    load(f, "bench-duplicate.json");
    assert_int_equal(f->rc, -1);
    assert_diag(&f->d, QPP_BENCHMARKS_INVALID, NULL);
}

static void test_benchmark_load_rejects_object_and_empty_roots(void **state)
{
    struct fx *f = *state;

    load(f, "bench-object-root.json");
    assert_int_equal(f->rc, -1);
    json_decref(f->root);
    load(f, "bench-empty.json");
    assert_int_equal(f->rc, -1);
    assert_int_equal(diag_count(&f->d, QPP_BENCHMARKS_INVALID), 2);
}

static void test_benchmark_free_accepts_null(void **state)
{
    (void)state;
    qpp_benchmark_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First: no year is made yet. */
        cmocka_unit_test(test_benchmark_builtin_year_made_once_for_threads),
        cmocka_unit_test(test_benchmark_builtin_years_2023_to_2026),
        cmocka_unit_test(test_benchmark_builtin_rows_sorted_unique_and_of_their_year),
        cmocka_unit_test(test_benchmark_builtin_years_equal_cms_files),
        cmocka_unit_test(test_benchmark_2023_113_ehr),
        cmocka_unit_test(test_benchmark_2025_flags),
        cmocka_unit_test_setup_teardown(test_benchmark_load_percentiles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_benchmark_load_older_deciles_format, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_benchmark_load_wrong_types, setup, teardown),
        cmocka_unit_test_setup_teardown(test_benchmark_load_skips_rows_it_cannot_use,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_benchmark_load_rejects_a_file_of_unusable_rows, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_benchmark_load_skips_percentiles_out_of_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_benchmark_load_skips_negative_bounds, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_benchmark_load_rejects_two_years, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_benchmark_load_rejects_duplicate_rows, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_benchmark_load_rejects_object_and_empty_roots, setup, teardown),
        cmocka_unit_test(test_benchmark_free_accepts_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
