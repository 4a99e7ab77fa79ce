/* SPDX-License-Identifier: MIT */
/* Unit tests for catalog.c: the built-in years and measures-data.json reading.
 * Expected facts are CMS's (qpp-measures-data, measures-data.json per year). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "catalog.h"
#include "testutil.h"

static const struct qpp_catalog_year *year(int y)
{
    const struct qpp_catalog_year *cy = qpp_catalog_builtin_year(y);

    if (!cy)
        fail_msg("no built-in year %d", y);
    return cy;
}

static const struct qpp_measure *measure(int y, const char *id)
{
    const struct qpp_measure *m = qpp_catalog_find(year(y), id);

    if (!m)
        fail_msg("no measure %s in %d", id, y);
    return m;
}

static void assert_strata(const struct qpp_measure *m, size_t n, const char *const *names)
{
    size_t i;

    assert_int_equal(m->nstrata, n);
    for (i = 0; i < n; i++)
        assert_string_equal(m->strata[i], names[i]);
}

static void test_catalog_builtin_years_2023_to_2027_exist(void **state)
{
    int y;

    (void)state;
    for (y = 2023; y <= 2027; y++)
        assert_int_equal(year(y)->year, y);
    assert_null(qpp_catalog_builtin_year(2022));
    assert_null(qpp_catalog_builtin_year(2028));
    assert_null(qpp_catalog_builtin_year(0));
    assert_true(qpp_catalog_nbuiltin >= 5);
}

static void test_catalog_only_2027_is_provisional(void **state)
{
    int y;

    (void)state;
    for (y = 2023; y <= 2026; y++)
        assert_false(year(y)->provisional);
    assert_true(year(2027)->provisional);
}

static void test_catalog_mips_left_out_of_112_113_128_from_2024(void **state)
{
    static const char *const ids[] = {"112", "113", "128"};
    size_t i;

    (void)state;
    for (i = 0; i < 3; i++) {
        assert_false(qpp_measure_has_program(measure(2025, ids[i]), "mips"));
        assert_false(qpp_measure_has_program(measure(2026, ids[i]), "mips"));
    }
    assert_true(qpp_measure_has_program(measure(2023, "113"), "mips"));
    assert_true(qpp_measure_has_program(measure(2025, "112"), "appPlus"));
    assert_false(qpp_measure_has_program(measure(2025, "113"), "appPlus"));
    assert_true(qpp_measure_has_program(measure(2026, "113"), "appPlus"));
}

static void test_catalog_companions_and_cms_computed(void **state)
{
    const struct qpp_measure *ssp = measure(2025, "001SSP");

    (void)state;
    assert_string_equal(ssp->companion, "001");
    assert_string_equal(measure(2025, "001")->companion, "001SSP");
    assert_null(measure(2025, "005")->companion);
    assert_true(qpp_measure_is_cms_computed(measure(2025, "321")));
    assert_true(qpp_measure_is_cms_computed(measure(2025, "479")));
    assert_false(qpp_measure_is_cms_computed(measure(2025, "001")));
    assert_false(qpp_measure_is_cms_computed(ssp));
}

static void test_catalog_builtin_years_oldest_first(void **state)
{
    size_t i;

    (void)state;
    for (i = 1; i < qpp_catalog_nbuiltin; i++)
        assert_true(qpp_catalog_builtin_nth(i - 1) < qpp_catalog_builtin_nth(i));
    assert_int_equal(qpp_catalog_builtin_nth(qpp_catalog_nbuiltin), 0);
}

static void test_catalog_builtin_years_hold_every_quality_measure(void **state)
{
    (void)state;
    /* Quality measures in CMS's measures-data.json of each year. */
    assert_int_equal(year(2023)->nmeasures, 471);
    assert_int_equal(year(2024)->nmeasures, 413);
    assert_int_equal(year(2025)->nmeasures, 435);
    assert_int_equal(year(2026)->nmeasures, 405);
}

static void test_catalog_builtin_measures_sorted_and_unique(void **state)
{
    size_t i, k;

    (void)state;
    for (k = 0; k < qpp_catalog_nbuiltin; k++) {
        const struct qpp_catalog_year *cy = year(qpp_catalog_builtin_nth(k));
        for (i = 1; i < cy->nmeasures; i++)
            if (strcmp(cy->measures[i - 1].id, cy->measures[i].id) >= 0)
                fail_msg("%d: %s before %s", cy->year, cy->measures[i - 1].id,
                         cy->measures[i].id);
        for (i = 1; i < cy->nprograms; i++)
            assert_true(strcmp(cy->programs[i - 1], cy->programs[i]) < 0);
        for (i = 1; i < cy->nmethods; i++)
            assert_true(strcmp(cy->methods[i - 1], cy->methods[i]) < 0);
    }
}

/* Two strings alike, NULL or not. */
static void assert_same_string(const char *a, const char *b, const char *id)
{
    if (!a || !b) {
        if (a != b)
            fail_msg("%s: %s against %s", id, a ? a : "none", b ? b : "none");
        return;
    }
    if (strcmp(a, b) != 0)
        fail_msg("%s: \"%s\" against \"%s\"", id, a, b);
}

static void assert_same_list(const char *const *a, size_t na, const char *const *b,
                             size_t nb, const char *id)
{
    size_t i;

    if (na != nb)
        fail_msg("%s: a list of %zu against %zu", id, na, nb);
    for (i = 0; i < na; i++)
        assert_same_string(a[i], b[i], id);
}

/* The built-in years are made at run time from catalog_data.c's packed
 * tables: each must be, field by field, what qpp_catalog_load makes of CMS's
 * file of the year (when ../shared is there: SHARED). */
static void test_catalog_builtin_years_equal_cms_files(void **state)
{
    const char *shared = getenv("SHARED");
    size_t k, i, years = 0;

    (void)state;
    for (k = 0; shared && k < qpp_catalog_nbuiltin; k++) {
        const struct qpp_catalog_year *b = year(qpp_catalog_builtin_nth(k));
        struct qpp_catalog_year *f = NULL;
        struct qpp_diags d;
        char path[1024];
        json_t *root;

        snprintf(path, sizeof path, "%s/qpp-data/measures/measures-data-%d.json", shared,
                 b->year);
        if (!(root = json_load_file(path, JSON_REJECT_DUPLICATES, NULL)))
            continue;
        qpp_diags_init(&d);
        assert_int_equal(qpp_catalog_load(root, path, &f, &d), 0);
        json_decref(root);
        assert_int_equal(b->nmeasures, f->nmeasures);
        for (i = 0; i < b->nmeasures; i++) {
            const struct qpp_measure *x = &b->measures[i], *y = &f->measures[i];
            const char *id = y->id;

            assert_same_string(x->id, y->id, id);
            assert_same_string(x->emeasure_id, y->emeasure_id, id);
            assert_same_string(x->title, y->title, id);
            assert_same_string(x->metric_type, y->metric_type, id);
            assert_same_string(x->overall_algorithm, y->overall_algorithm, id);
            assert_same_string(x->measure_type, y->measure_type, id);
            assert_same_string(x->companion, y->companion, id);
            assert_int_equal(x->first_year, y->first_year);
            assert_int_equal(x->last_year, y->last_year);
            assert_int_equal(x->is_inverse, y->is_inverse);
            assert_int_equal(x->is_high_priority, y->is_high_priority);
            assert_int_equal(x->is_registry_measure, y->is_registry_measure);
            assert_same_list(x->strata, x->nstrata, y->strata, y->nstrata, id);
            assert_same_list(x->methods, x->nmethods, y->methods, y->nmethods, id);
            assert_same_list(x->programs, x->nprograms, y->programs, y->nprograms, id);
            assert_same_list(x->registration_types, x->nregistration,
                             y->registration_types, y->nregistration, id);
            assert_same_list(x->cap_removed, x->ncap_removed, y->cap_removed,
                             y->ncap_removed, id);
        }
        assert_same_list(b->programs, b->nprograms, f->programs, f->nprograms,
                         "programs");
        assert_same_list(b->methods, b->nmethods, f->methods, f->nmethods, "methods");
        assert_int_equal(b->provisional, b->year == 2027);
        assert_null(b->source);
        qpp_catalog_free(f);
        qpp_diags_free(&d);
        years++;
    }
    if (years == 0)
        skip(); /* no ../shared: catalog-check is skipped too */
    assert_int_equal(years, qpp_catalog_nbuiltin);
}

/* Any thread may ask for a year first: each gets the same catalog, whole. */
static void *ask_2025(void *arg)
{
    (void)arg;
    return (void *)qpp_catalog_find(qpp_catalog_builtin_year(2025), "113");
}

static void test_catalog_builtin_year_made_once_for_threads(void **state)
{
    const struct qpp_measure *m = same_from_four_threads(ask_2025);

    (void)state;
    assert_string_equal(m->emeasure_id, "CMS130v13");
}

static void test_catalog_finds_113_in_2025(void **state)
{
    const struct qpp_measure *m = measure(2025, "113");

    (void)state;
    assert_string_equal(m->id, "113");
    assert_string_equal(m->emeasure_id, "CMS130v13");
    assert_string_equal(m->metric_type, "singlePerformanceRate");
    assert_int_equal(m->nstrata, 0);
    assert_false(qpp_measure_is_multi_rate(m));
    assert_true(qpp_measure_has_method(m, "electronicHealthRecord"));
    assert_true(qpp_measure_has_method(m, "registry"));
    assert_false(qpp_measure_has_method(m, "cmsWebInterface"));
    assert_true(qpp_measure_has_program(m, "M1422"));
    assert_false(m->is_inverse);
    assert_int_equal(m->first_year, 2017);
    assert_int_equal(m->last_year, 0);
}

static void test_catalog_113_changes_version_each_year(void **state)
{
    (void)state;
    assert_string_equal(measure(2023, "113")->emeasure_id, "CMS130v11");
    assert_string_equal(measure(2024, "113")->emeasure_id, "CMS130v12");
    assert_string_equal(measure(2026, "113")->emeasure_id, "CMS130v14");
    assert_true(qpp_measure_has_method(measure(2024, "113"), "cmsWebInterface"));
}

static void test_catalog_seven_point_cap_removed_by_method(void **state)
{
    (void)state;
    /* sevenPointCapRemoved in CMS's measures-data.json: 143 ["electronicHealthRecord",
     * "registry"] in 2025; 144 ["registry"] in 2026 only; no such field before 2025. */
    assert_true(qpp_measure_cap_removed(measure(2025, "143"), "electronicHealthRecord"));
    assert_true(qpp_measure_cap_removed(measure(2025, "143"), "registry"));
    assert_false(qpp_measure_cap_removed(measure(2025, "144"), "registry"));
    assert_true(qpp_measure_cap_removed(measure(2026, "144"), "registry"));
    assert_false(qpp_measure_cap_removed(measure(2026, "144"), "electronicHealthRecord"));
    assert_false(qpp_measure_cap_removed(measure(2024, "143"), "registry"));
    assert_int_equal(measure(2025, "113")->ncap_removed, 0);
}

static void test_catalog_226_strata_in_2023(void **state)
{
    static const char *const names[] = {"screened", "overall", "combinedPopulations"};
    const struct qpp_measure *m = measure(2023, "226");

    (void)state;
    assert_string_equal(m->metric_type, "multiPerformanceRate");
    assert_true(qpp_measure_is_multi_rate(m));
    assert_string_equal(m->overall_algorithm, "overallStratumOnly");
    assert_strata(m, 3, names);
}

static void test_catalog_226_strata_in_2025(void **state)
{
    static const char *const names[] = {"reporting", "performance",
                                        "combinedPopulations"};
    const struct qpp_measure *m = measure(2025, "226");

    (void)state;
    assert_string_equal(m->overall_algorithm, "split");
    assert_strata(m, 3, names);
}

static void test_catalog_370_adolescents_and_adults(void **state)
{
    static const char *const names[] = {"adolescents", "adults"};
    int y;

    (void)state;
    for (y = 2023; y <= 2026; y++) {
        const struct qpp_measure *m = measure(y, "370");
        assert_string_equal(m->overall_algorithm, "weightedAverage");
        assert_strata(m, 2, names);
        assert_true(m->is_high_priority);
        assert_true(qpp_measure_is_outcome(m));
    }
}

static void test_catalog_001_is_inverse_intermediate_outcome(void **state)
{
    const struct qpp_measure *m = measure(2025, "001");

    (void)state;
    assert_string_equal(m->emeasure_id, "CMS122v13");
    assert_true(m->is_inverse);
    assert_true(m->is_high_priority);
    assert_string_equal(m->measure_type, "intermediateOutcome");
    assert_true(qpp_measure_is_outcome(m));
    assert_false(qpp_measure_is_outcome(measure(2025, "113"))); /* process */
}

static void test_catalog_find_needs_the_padded_id(void **state)
{
    (void)state;
    assert_null(qpp_catalog_find(year(2025), "1"));
    assert_null(qpp_catalog_find(year(2025), "01"));
    assert_null(qpp_catalog_find(year(2025), ""));
    assert_null(qpp_catalog_find(year(2025), "999"));
}

static void test_catalog_measure_110_ends_in_2024(void **state)
{
    (void)state;
    assert_non_null(qpp_catalog_find(year(2024), "110"));
    assert_null(qpp_catalog_find(year(2025), "110"));
}

static void test_catalog_find_cms_number(void **state)
{
    (void)state;
    assert_string_equal(qpp_catalog_find_cms(year(2025), 130)->id, "113");
    assert_string_equal(qpp_catalog_find_cms(year(2025), 122)->id, "001");
    assert_string_equal(qpp_catalog_find_cms(year(2025), 159)->id, "370");
    assert_string_equal(qpp_catalog_find_cms(year(2025), 68)->id, "130");
    assert_string_equal(qpp_catalog_find_cms(year(2023), 147)->id, "110");
    assert_null(qpp_catalog_find_cms(year(2025), 147));
}

static void test_catalog_find_cms_matches_whole_numbers(void **state)
{
    (void)state;
    /* CMS2 is 134 and CMS22 is 317; CMS13 is no measure though CMS130 is. */
    assert_string_equal(qpp_catalog_find_cms(year(2025), 2)->id, "134");
    assert_string_equal(qpp_catalog_find_cms(year(2025), 22)->id, "317");
    assert_null(qpp_catalog_find_cms(year(2025), 13));
    assert_null(qpp_catalog_find_cms(year(2025), 1));
    assert_null(qpp_catalog_find_cms(year(2025), 0));
}

static void test_catalog_programs_by_year(void **state)
{
    int y;

    (void)state;
    for (y = 2023; y <= 2026; y++) {
        assert_true(qpp_catalog_year_has_program(year(y), "mips"));
        assert_true(qpp_catalog_year_has_program(year(y), "app1"));
        assert_false(qpp_catalog_year_has_program(year(y), "cpcPlus"));
        assert_false(qpp_catalog_year_has_program(year(y), "app_plus"));
    }
    assert_true(qpp_catalog_year_has_program(year(2024), "pcf"));
    assert_false(qpp_catalog_year_has_program(year(2025), "pcf"));
    assert_true(qpp_catalog_year_has_program(year(2025), "appPlus"));
    assert_false(qpp_catalog_year_has_program(year(2024), "appPlus"));
    assert_true(qpp_catalog_year_has_program(year(2023), "G0056"));
    assert_false(qpp_catalog_year_has_program(year(2024), "G0056"));
    assert_true(qpp_catalog_year_has_program(year(2025), "M1422"));
    assert_false(qpp_catalog_year_has_program(year(2025), "M1498"));
    assert_true(qpp_catalog_year_has_program(year(2026), "M1498"));
    assert_false(qpp_catalog_year_has_program(year(2026), "ssp")); /* PI only */
    assert_int_equal(year(2025)->nprograms, 24);
    assert_int_equal(year(2026)->nprograms, 30);
}

static void test_catalog_methods_by_year(void **state)
{
    int y;

    (void)state;
    for (y = 2023; y <= 2026; y++) {
        assert_true(qpp_catalog_year_has_method(year(y), "electronicHealthRecord"));
        assert_true(qpp_catalog_year_has_method(year(y), "registry"));
        assert_false(qpp_catalog_year_has_method(year(y), "ehr"));
    }
    assert_true(qpp_catalog_year_has_method(year(2024), "cmsWebInterface"));
    assert_false(qpp_catalog_year_has_method(year(2025), "cmsWebInterface"));
    assert_false(qpp_catalog_year_has_method(year(2026), "cmsWebInterface"));
}

static void test_catalog_virtual_group_always_allowed(void **state)
{
    const struct qpp_measure *m = measure(2025, "113");

    (void)state;
    /* CMS leaves virtual groups out of allowedRegistrationTypes on purpose. */
    assert_true(m->nregistration > 0);
    assert_true(qpp_measure_allows_entity(m, "virtualGroup"));
    assert_true(qpp_measure_allows_entity(m, "group"));
    assert_true(qpp_measure_allows_entity(m, "individual"));
    assert_true(qpp_measure_allows_entity(m, "apm"));
    assert_true(qpp_measure_allows_entity(m, "subgroup"));
}

static void test_catalog_program_is_mvp(void **state)
{
    (void)state;
    assert_true(qpp_program_is_mvp("G0053"));
    assert_true(qpp_program_is_mvp("M1366"));
    assert_true(qpp_program_is_mvp("M0001"));
    assert_false(qpp_program_is_mvp("mips"));
    assert_false(qpp_program_is_mvp("app1"));
    assert_false(qpp_program_is_mvp("G005"));
    assert_false(qpp_program_is_mvp("G00531"));
    assert_false(qpp_program_is_mvp("X0053"));
    assert_false(qpp_program_is_mvp("g0053"));
    assert_false(qpp_program_is_mvp("G00A3"));
    assert_false(qpp_program_is_mvp(""));
}

/* ---- qpp_catalog_load ---- */

struct fx {
    struct qpp_diags d;
    struct qpp_catalog_year *y;
    int rc;
};

static void load(struct fx *f, const char *name)
{
    json_t *root = fixture_json(name);

    f->rc = qpp_catalog_load(root, "measures-data.json", &f->y, &f->d);
    json_decref(root); /* the catalog keeps its own reference */
}

/* Idempotent: also the teardown's work when a test fails half-way. */
static void done(struct fx *f)
{
    qpp_catalog_free(f->y);
    f->y = NULL;
    qpp_diags_free(&f->d);
}

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
    done(*state);
    free(*state);
    return 0;
}

static void test_catalog_load_valid_file(void **state)
{
    static const char *const names[] = {"adolescents", "adults"};
    const struct qpp_measure *m;
    struct fx *f = *state;

    load(f, "catalog-valid.json");
    assert_int_equal(f->rc, 0);
    assert_no_errors(&f->d);
    assert_non_null(f->y);
    assert_int_equal(f->y->year, 0);
    assert_int_equal(f->y->nmeasures, 3); /* the IA activity is left out */
    assert_string_equal(f->y->measures[0].id, "001");
    assert_string_equal(f->y->measures[1].id, "370");
    assert_string_equal(f->y->measures[2].id, "ACRAD15");
    assert_null(qpp_catalog_find(f->y, "IA_EPA_1"));

    m = qpp_catalog_find(f->y, "370");
    assert_non_null(m);
    assert_string_equal(m->title, "Depression Remission at Twelve Months");
    assert_string_equal(m->emeasure_id, "CMS159v13");
    assert_string_equal(m->metric_type, "multiPerformanceRate");
    assert_string_equal(m->overall_algorithm, "weightedAverage");
    assert_string_equal(m->measure_type, "outcome");
    assert_strata(m, 2, names);
    assert_int_equal(m->first_year, 2017);
    assert_int_equal(m->last_year, 0);
    assert_true(m->is_high_priority);
    assert_false(m->is_inverse);
    assert_int_equal(m->nmethods, 2);
    assert_int_equal(m->nprograms, 2);
    assert_int_equal(m->nregistration, 2);

    m = qpp_catalog_find(f->y, "001");
    assert_non_null(m);
    assert_int_equal(m->nstrata, 0); /* unnamed strata of a single-rate eCQM */
    assert_int_equal(m->last_year, 2030);
    assert_true(m->is_inverse);
    assert_null(m->overall_algorithm);

    m = qpp_catalog_find(f->y, "ACRAD15");
    assert_non_null(m);
    assert_true(m->is_registry_measure);
    assert_null(m->emeasure_id);
    done(f);
}

static void test_catalog_load_unions_programs_and_methods(void **state)
{
    struct fx *f = *state;

    load(f, "catalog-valid.json");
    assert_int_equal(f->rc, 0);
    /* mips, M1369, app1, appPlus, G0053: sorted, each once. */
    assert_int_equal(f->y->nprograms, 5);
    assert_string_equal(f->y->programs[0], "G0053");
    assert_string_equal(f->y->programs[1], "M1369");
    assert_string_equal(f->y->programs[2], "app1");
    assert_string_equal(f->y->programs[3], "appPlus");
    assert_string_equal(f->y->programs[4], "mips");
    assert_int_equal(f->y->nmethods, 3);
    assert_string_equal(f->y->methods[0], "claims");
    assert_string_equal(f->y->methods[1], "electronicHealthRecord");
    assert_string_equal(f->y->methods[2], "registry");
    assert_true(qpp_catalog_year_has_program(f->y, "appPlus"));
    assert_false(qpp_catalog_year_has_program(f->y, "pcf"));
    assert_false(qpp_catalog_year_has_method(f->y, "cmsWebInterface"));
    done(f);
}

static void test_catalog_load_find_cms(void **state)
{
    struct fx *f = *state;

    load(f, "catalog-valid.json");
    assert_string_equal(qpp_catalog_find_cms(f->y, 159)->id, "370");
    assert_string_equal(qpp_catalog_find_cms(f->y, 122)->id, "001");
    assert_null(qpp_catalog_find_cms(f->y, 130));
    done(f);
}

static void test_catalog_load_registration_types_restrict_entities(void **state)
{
    struct fx *f = *state;
    const struct qpp_measure *m;

    load(f, "catalog-valid.json");
    m = qpp_catalog_find(f->y, "370"); /* group and individual only */
    assert_true(qpp_measure_allows_entity(m, "group"));
    assert_true(qpp_measure_allows_entity(m, "individual"));
    assert_false(qpp_measure_allows_entity(m, "apm"));
    assert_false(qpp_measure_allows_entity(m, "subgroup"));
    assert_true(qpp_measure_allows_entity(m, "virtualGroup"));
    m = qpp_catalog_find(f->y, "ACRAD15"); /* no list: no restriction */
    assert_true(qpp_measure_allows_entity(m, "apm"));
    assert_true(qpp_measure_allows_entity(m, "subgroup"));
    done(f);
}

static void test_catalog_load_wrong_array_types_point_at_fields(void **state)
{
    struct fx *f = *state;

    load(f, "catalog-wrong-types.json");
    assert_int_equal(f->rc, -1);
    assert_null(f->y);
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/0/strata");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/0/submissionMethods");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/0/allowedPrograms");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/1/allowedRegistrationTypes");
    assert_string_equal(diag_first(&f->d, QPP_MEASURES_DATA_INVALID)->source,
                        "measures-data.json");
    done(f);
}

static void test_catalog_load_wrong_scalar_types_point_at_fields(void **state)
{
    struct fx *f = *state;

    load(f, "catalog-wrong-scalars.json");
    assert_int_equal(f->rc, -1);
    assert_null(f->y);
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/1/measureId");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/1/isInverse");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/1/firstPerformanceYear");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/1/eMeasureId");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/2/title");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/2/metricType");
    assert_null(diag_find(&f->d, QPP_MEASURES_DATA_INVALID, "/0/measureId"));
    done(f);
}

static void test_catalog_load_reports_array_and_scalar_errors_together(void **state)
{
    struct fx *f = *state;

    /* Every problem of the file in one run, not the first kind only. */
    load(f, "catalog-mixed-errors.json");
    assert_int_equal(f->rc, -1);
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/1/submissionMethods");
    assert_diag(&f->d, QPP_MEASURES_DATA_INVALID, "/0/measureId");
    done(f);
}

static void test_catalog_load_rejects_non_array_root(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    load(f, "catalog-object-root.json");
    assert_int_equal(f->rc, -1);
    assert_null(f->y);
    g = diag_first(&f->d, QPP_MEASURES_DATA_INVALID);
    assert_non_null(g);
    assert_null(g->pointer);
    assert_string_equal(g->source, "measures-data.json");
    done(f);
}

static void test_catalog_load_rejects_duplicate_ids(void **state)
{
    struct fx *f = *state;

    load(f, "catalog-duplicate.json");
    assert_int_equal(f->rc, -1);
    assert_null(f->y);
    assert_int_equal(diag_count(&f->d, QPP_MEASURES_DATA_INVALID), 1);
    done(f);
}

static void test_catalog_load_rejects_file_without_quality_measure(void **state)
{
    struct fx *f = *state;

    load(f, "catalog-no-quality.json");
    assert_int_equal(f->rc, -1);
    assert_null(f->y);
    assert_int_equal(diag_count(&f->d, QPP_MEASURES_DATA_INVALID), 1);
    done(f);
}

static void test_catalog_free_accepts_null(void **state)
{
    (void)state;
    qpp_catalog_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        /* First: no year is made yet. */
        cmocka_unit_test(test_catalog_builtin_year_made_once_for_threads),
        cmocka_unit_test(test_catalog_builtin_years_2023_to_2027_exist),
        cmocka_unit_test(test_catalog_only_2027_is_provisional),
        cmocka_unit_test(test_catalog_mips_left_out_of_112_113_128_from_2024),
        cmocka_unit_test(test_catalog_companions_and_cms_computed),
        cmocka_unit_test(test_catalog_builtin_years_oldest_first),
        cmocka_unit_test(test_catalog_builtin_years_hold_every_quality_measure),
        cmocka_unit_test(test_catalog_builtin_measures_sorted_and_unique),
        cmocka_unit_test(test_catalog_seven_point_cap_removed_by_method),
        cmocka_unit_test(test_catalog_finds_113_in_2025),
        cmocka_unit_test(test_catalog_113_changes_version_each_year),
        cmocka_unit_test(test_catalog_226_strata_in_2023),
        cmocka_unit_test(test_catalog_226_strata_in_2025),
        cmocka_unit_test(test_catalog_370_adolescents_and_adults),
        cmocka_unit_test(test_catalog_001_is_inverse_intermediate_outcome),
        cmocka_unit_test(test_catalog_find_needs_the_padded_id),
        cmocka_unit_test(test_catalog_measure_110_ends_in_2024),
        cmocka_unit_test(test_catalog_find_cms_number),
        cmocka_unit_test(test_catalog_find_cms_matches_whole_numbers),
        cmocka_unit_test(test_catalog_programs_by_year),
        cmocka_unit_test(test_catalog_methods_by_year),
        cmocka_unit_test(test_catalog_virtual_group_always_allowed),
        cmocka_unit_test(test_catalog_program_is_mvp),
        cmocka_unit_test(test_catalog_builtin_years_equal_cms_files),
        cmocka_unit_test_setup_teardown(test_catalog_load_valid_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_load_unions_programs_and_methods,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_load_find_cms, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_catalog_load_registration_types_restrict_entities, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_catalog_load_wrong_array_types_point_at_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_catalog_load_wrong_scalar_types_point_at_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_catalog_load_reports_array_and_scalar_errors_together, setup, teardown),
        cmocka_unit_test_setup_teardown(test_catalog_load_rejects_non_array_root, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_catalog_load_rejects_duplicate_ids, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_catalog_load_rejects_file_without_quality_measure, setup, teardown),
        cmocka_unit_test(test_catalog_free_accepts_null),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
