/* SPDX-License-Identifier: MIT */
/* Unit tests for build.c: whole runs on small fixture files, through the
 * library interface of qppbuild.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "qppbuild.h"
#include "testutil.h"

#define CEHRT "2025CABCDEF1234"

struct fx {
    struct qpp_diags d;
    struct qpp_options o;
    struct qpp_run *run;
    json_t *out;
    int rc;
};

/* Options as a user gives them for 2025: the defaults and a CEHRT id. */
static void start(struct fx *f)
{
    qpp_diags_init(&f->d);
    qpp_options_init(&f->o);
    f->o.cehrt_id = CEHRT;
}

static void input(struct fx *f, const char *name)
{
    size_t len;
    char *buf = fixture_bytes(name, &len);

    if (!f->run) {
        f->run = qpp_run_new(&f->o, &f->d);
        assert_non_null(f->run);
    }
    assert_int_equal(qpp_run_read_buffer(f->run, buf, len, name), 0);
    free(buf);
}

static void build(struct fx *f)
{
    f->rc = qpp_run_build(f->run, &f->out);
}

/* Idempotent: also the teardown's work when a test fails half-way. */
static void done(struct fx *f)
{
    json_decref(f->out);
    qpp_run_free(f->run);
    qpp_diags_free(&f->d);
    memset(f, 0, sizeof *f);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    done(*state);
    free(*state);
    return 0;
}

static void assert_built(const struct fx *f)
{
    if (f->rc != 0 || !f->out) {
        diag_dump(&f->d);
        fail_msg("the run failed");
    }
}

static void assert_failed(const struct fx *f)
{
    assert_int_equal(f->rc, -1);
    assert_null(f->out);
    assert_true(qpp_diags_errors(&f->d) > 0);
}

/* The value of measurement i of the (first) measurement set. */
static json_t *measurement(json_t *out, size_t i)
{
    json_t *set = json_array_get(json_object_get(out, "measurementSets"), 0);

    return json_array_get(json_object_get(set, "measurements"), i);
}

static long long count(json_t *value, const char *key)
{
    json_t *v = json_object_get(value, key);

    if (!json_is_integer(v))
        fail_msg("%s is not an integer", key);
    return json_integer_value(v);
}

static void assert_counts(json_t *value, long long met, long long eligible,
                          long long not_met, long long exclusion, long long exception)
{
    assert_true(count(value, "performanceMet") == met);
    assert_true(count(value, "eligiblePopulation") == eligible);
    assert_true(count(value, "performanceNotMet") == not_met);
    assert_true(count(value, "eligiblePopulationExclusion") == exclusion);
    assert_true(count(value, "eligiblePopulationException") == exception);
}

static void test_build_group_submission_matches_expected_bytes(void **state)
{
    struct fx *f = *state;
    json_t *want;
    char *a, *b;

    start(f);
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    want = fixture_json("build-base-2025.expected.json");
    /* Same content and the same key order. */
    a = json_dumps(f->out, JSON_COMPACT);
    b = json_dumps(want, JSON_COMPACT);
    assert_string_equal(a, b);
    free(a);
    free(b);
    json_decref(want);
    assert_int_equal(qpp_run_year(f->run), 2025);
    done(f);
}

static void test_build_notes_and_warnings_of_the_base_run(void **state)
{
    struct fx *f = *state;

    start(f);
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    /* 370's single group fills the first stratum, said in a note. */
    assert_non_null(diag_first(&f->d, QPP_STRATA_FILLED));
    assert_non_null(diag_first(&f->d, QPP_FEW_MEASURES)); /* 3 of 6 */
    assert_no_diag(&f->d, QPP_NO_HIGH_PRIORITY);          /* 001 and 370 are */
    assert_no_diag(&f->d, QPP_SMALL_CASE_COUNT);
    assert_no_diag(&f->d, QPP_PERIOD_PARTIAL);
    assert_int_equal(diag_count(&f->d, QPP_MEASURE_ID), 3);
    done(f);
}

static void test_build_individual_entity_has_npi(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.entity_type = "individual";
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    assert_string_equal(json_string_value(json_object_get(f->out, "entityType")),
                        "individual");
    assert_string_equal(
        json_string_value(json_object_get(f->out, "nationalProviderIdentifier")),
        "1234567893");
    assert_string_equal(
        json_string_value(json_object_get(f->out, "taxpayerIdentificationNumber")),
        "123456789");
    done(f);
}

static void test_build_apm_takes_entity_id_from_xx_identifier(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.entity_type = "apm";
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    assert_string_equal(json_string_value(json_object_get(f->out, "entityId")), "APM-1");
    assert_null(json_object_get(f->out, "taxpayerIdentificationNumber"));
    assert_null(json_object_get(f->out, "nationalProviderIdentifier"));
    done(f);
}

static void test_build_entity_id_option_wins(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.entity_type = "virtualGroup";
    f->o.entity_id = "VG-42";
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    assert_string_equal(json_string_value(json_object_get(f->out, "entityId")), "VG-42");
    done(f);
}

static void test_build_measurement_structure_for_one_report(void **state)
{
    static const char *const ids[] = {"mr-dia"};
    struct fx *f = *state;

    start(f);
    f->o.structure = QPP_MEASUREMENT;
    f->o.measurement_set_id = "set-9";
    f->o.report_ids = ids;
    f->o.nreport_ids = 1;
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    assert_string_equal(json_string_value(json_object_get(f->out, "measurementSetId")),
                        "set-9");
    assert_string_equal(json_string_value(json_object_get(f->out, "measureId")), "001");
    assert_counts(json_object_get(f->out, "value"), 6, 30, 24, 0, 0);
    done(f);
}

static void test_build_measurement_structure_needs_one_measurement(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.structure = QPP_MEASUREMENT;
    f->o.measurement_set_id = "set-9";
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_MEASUREMENT_COUNT));
    done(f);
}

static void test_build_measurement_set_structure(void **state)
{
    struct fx *f = *state;
    json_t *sub;

    start(f);
    f->o.structure = QPP_MEASUREMENT_SET;
    input(f, "build-base-2025.json");
    build(f);
    assert_built(f);
    sub = json_object_get(f->out, "submission");
    assert_string_equal(json_string_value(json_object_get(sub, "entityType")), "group");
    assert_int_equal(json_integer_value(json_object_get(sub, "performanceYear")), 2025);
    assert_string_equal(json_string_value(json_object_get(f->out, "category")),
                        "quality");
    assert_int_equal(json_array_size(json_object_get(f->out, "measurements")), 3);
    done(f);
}

static void test_build_missing_report_id_is_report_not_found(void **state)
{
    static const char *const ids[] = {"mr-crc", "nope"};
    struct fx *f = *state;

    start(f);
    f->o.report_ids = ids;
    f->o.nreport_ids = 2;
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_REPORT_NOT_FOUND));
    done(f);
}

static void test_build_period_outside_the_given_year(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.year = 2024;
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_diag(&f->d, QPP_PERIOD_OUTSIDE_YEAR, "/period");
    assert_int_equal(diag_count(&f->d, QPP_PERIOD_OUTSIDE_YEAR), 3);
    assert_string_equal(diag_find(&f->d, QPP_PERIOD_OUTSIDE_YEAR, "/period")->resource,
                        "MeasureReport/mr-crc");
    done(f);
}

static void test_build_year_without_data_is_unsupported(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.year = 2019;
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_YEAR_UNSUPPORTED));
    done(f);
}

static void test_build_second_summary_report_is_duplicate_measure(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    start(f);
    input(f, "build-base-2025.json");
    input(f, "build-second-crc-report.json");
    build(f);
    assert_failed(f);
    g = diag_first(&f->d, QPP_DUPLICATE_MEASURE);
    assert_non_null(g);
    assert_string_equal(g->resource, "MeasureReport/mr-crc-2");
    assert_string_equal(g->source, "build-second-crc-report.json");
    done(f);
}

static void test_build_report_not_in_library(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    start(f);
    input(f, "build-base-2025.json");
    input(f, "build-not-in-library.json");
    build(f);
    assert_failed(f);
    g = diag_find(&f->d, QPP_NOT_IN_LIBRARY, "/measure");
    assert_non_null(g);
    assert_string_equal(g->resource, "MeasureReport/mr-cerv");
    done(f);
}

static void test_build_no_program_library_skips_membership(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-base-2025.json");
    input(f, "build-not-in-library.json");
    build(f);
    assert_built(f);
    assert_non_null(diag_first(&f->d, QPP_NO_PROGRAM_LIBRARY));
    /* Without a Library: measurements by measureId. */
    assert_string_equal(
        json_string_value(json_object_get(measurement(f->out, 0), "measureId")), "001");
    assert_string_equal(
        json_string_value(json_object_get(measurement(f->out, 1), "measureId")), "236");
    assert_string_equal(
        json_string_value(json_object_get(measurement(f->out, 2), "measureId")), "309");
    assert_string_equal(
        json_string_value(json_object_get(measurement(f->out, 3), "measureId")), "370");
    done(f);
}

static void test_build_sums_individual_reports(void **state)
{
    struct fx *f = *state;

    start(f);
    input(f, "build-individual.ndjson");
    build(f);
    assert_built(f);
    /* Four patients: IP 4, denominator 3, exclusion 1, numerator 1. */
    assert_counts(json_object_get(measurement(f->out, 0), "value"), 1, 3, 1, 1, 0);
    /* They are test cases: counted, with a warning. */
    assert_non_null(diag_first(&f->d, QPP_TEST_CASE));
    assert_non_null(diag_first(&f->d, QPP_SMALL_CASE_COUNT));
    done(f);
}

static void test_build_sums_groups_of_single_rate_measure(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-multigroup-005.json");
    build(f);
    assert_built(f);
    assert_string_equal(
        json_string_value(json_object_get(measurement(f->out, 0), "measureId")), "005");
    /* denominator 10 + 20, exclusion 2, exception 1, numerator 6 + 15. */
    assert_counts(json_object_get(measurement(f->out, 0), "value"), 21, 30, 6, 2, 1);
    done(f);
}

static void test_build_net_counts(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    f->o.counts = QPP_COUNTS_NET;
    input(f, "build-net.json");
    build(f);
    assert_built(f);
    assert_counts(json_object_get(measurement(f->out, 0), "value"), 60, 100, 32, 5, 3);
    done(f);
}

static void test_build_registry_folds_exclusions(void **state)
{
    struct fx *f = *state;
    json_t *set, *value;

    start(f);
    f->o.method = "registry";
    f->o.cehrt_id = NULL;
    f->o.no_program_library = 1;
    input(f, "build-net.json");
    build(f);
    assert_built(f);
    set = json_array_get(json_object_get(f->out, "measurementSets"), 0);
    assert_string_equal(json_string_value(json_object_get(set, "submissionMethod")),
                        "registry");
    assert_null(json_object_get(set, "cehrtId"));
    value = json_object_get(measurement(f->out, 0), "value");
    assert_true(json_is_false(json_object_get(value, "isEndToEndReported")));
    /* Gross reading of 92 / 5 / 3 / 60, exclusions taken out of eligible. */
    assert_counts(value, 60, 87, 24, 0, 3);
    done(f);
}

static void test_build_cehrt_id_required_for_ehr_from_2025(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.cehrt_id = NULL;
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_CEHRT_ID_MISSING));
    done(f);
}

static void test_build_malformed_cehrt_id(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.cehrt_id = "2025XABCDEF1234";
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_CEHRT_ID_INVALID));
    done(f);
}

static void test_build_program_of_another_year(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.program = "pcf"; /* Primary Care First ended with 2024 */
    f->o.entity_type = "apm";
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_PROGRAM_UNKNOWN));
    done(f);
}

static void test_build_no_reports(void **state)
{
    struct fx *f = *state;

    start(f);
    input(f, "entity-org.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_NO_REPORTS));
    done(f);
}

static const char *stratum_name(json_t *value, size_t i)
{
    return json_string_value(
        json_object_get(json_array_get(json_object_get(value, "strata"), i), "stratum"));
}

static json_t *stratum(json_t *value, size_t i)
{
    return json_array_get(json_object_get(value, "strata"), i);
}

static void test_build_multi_rate_groups_matched_to_strata_by_name(void **state)
{
    struct fx *f = *state;
    json_t *value;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-226-by-name.json");
    build(f);
    assert_built(f);
    value = json_object_get(measurement(f->out, 0), "value");
    /* CMS's order for 226 in 2025, whatever the order of the groups. */
    assert_int_equal(json_array_size(json_object_get(value, "strata")), 3);
    assert_string_equal(stratum_name(value, 0), "reporting");
    assert_string_equal(stratum_name(value, 1), "performance");
    assert_string_equal(stratum_name(value, 2), "combinedPopulations");
    assert_counts(stratum(value, 0), 70, 100, 30, 0, 0);
    assert_counts(stratum(value, 1), 40, 90, 50, 0, 0);
    assert_counts(stratum(value, 2), 30, 80, 50, 0, 0);
    done(f);
}

static void test_build_multi_rate_with_wrong_group_count_is_strata_mismatch(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-226-two-groups.json");
    build(f);
    assert_failed(f);
    g = diag_find(&f->d, QPP_STRATA_MISMATCH, "/group");
    assert_non_null(g);
    assert_string_equal(g->resource, "MeasureReport/mr-226");
    done(f);
}

static void test_build_negative_not_met_points_at_the_group(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-negative.json");
    build(f);
    assert_failed(f);
    g = diag_find(&f->d, QPP_NEGATIVE_NOT_MET, "/group/0");
    if (!g)
        diag_dump(&f->d);
    assert_non_null(g);
    assert_string_equal(g->resource, "MeasureReport/mr-neg");
    assert_string_equal(g->source, "build-negative.json");
    done(f);
}

static void test_build_half_year_period_is_an_error(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-half-year.json");
    build(f);
    assert_failed(f);
    assert_diag(&f->d, QPP_PERIOD_PARTIAL, "/period");
    done(f);
}

static void test_build_shifted_utc_period_is_the_full_year(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-shifted-period.json");
    build(f);
    assert_built(f);
    assert_int_equal(qpp_run_year(f->run), 2025);
    assert_no_diag(&f->d, QPP_PERIOD_OUTSIDE_YEAR);
    assert_no_diag(&f->d, QPP_PERIOD_PARTIAL);
    done(f);
}

static void test_build_reports_of_two_years_are_year_ambiguous(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-two-years.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_YEAR_AMBIGUOUS));
    done(f);
}

static void test_build_summary_and_individual_reports_do_not_mix(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-mixed-types.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_MIXED_REPORT_TYPES));
    done(f);
}

static void test_build_same_subject_twice_for_a_measure_is_an_error(void **state)
{
    struct fx *f = *state;

    /* DESIGN 4: the same subject counted twice for one measure is an error. */
    start(f);
    f->o.no_program_library = 1;
    input(f, "build-same-subject-twice.json");
    build(f);
    assert_failed(f);
    assert_diag(&f->d, QPP_DUPLICATE_SUBJECT, "/subject");
    done(f);
}

static void test_build_organization_chosen_by_reporter(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-two-orgs-reporter.json");
    build(f);
    assert_built(f);
    assert_string_equal(
        json_string_value(json_object_get(f->out, "taxpayerIdentificationNumber")),
        "987654321");
    done(f);
}

static void test_build_two_organizations_without_reporter_are_ambiguous(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-two-orgs-no-reporter.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_ORGANIZATION_AMBIGUOUS));
    done(f);
}

static void test_build_organization_option_wins(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    f->o.organization_id = "org1";
    input(f, "build-two-orgs-no-reporter.json");
    build(f);
    assert_built(f);
    assert_string_equal(
        json_string_value(json_object_get(f->out, "taxpayerIdentificationNumber")),
        "123456789");
    done(f);
}

static void test_build_short_tin_is_tin_invalid(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-short-tin.json");
    build(f);
    assert_failed(f);
    g = diag_find(&f->d, QPP_TIN_INVALID, "/identifier");
    assert_non_null(g);
    assert_string_equal(g->resource, "Organization/org1");
    done(f);
}

static void test_build_app_plus_is_not_for_virtual_groups(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.program = "appPlus";
    f->o.entity_type = "virtualGroup";
    f->o.entity_id = "VG-1";
    input(f, "build-base-2025.json");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_PROGRAM_ENTITY));
    done(f);
}

static void assert_226_strata(json_t *value)
{
    assert_int_equal(json_array_size(json_object_get(value, "strata")), 3);
    assert_string_equal(stratum_name(value, 0), "reporting");
    assert_string_equal(stratum_name(value, 1), "performance");
    assert_string_equal(stratum_name(value, 2), "combinedPopulations");
    assert_counts(stratum(value, 0), 70, 100, 30, 0, 0);
    assert_counts(stratum(value, 1), 40, 90, 50, 0, 0);
    assert_counts(stratum(value, 2), 30, 80, 50, 0, 0);
}

static void test_build_multi_rate_groups_matched_by_measure_group_ids(void **state)
{
    struct fx *f = *state;

    /* The report's groups come in another order than the Measure's; the
     * Measure's group order is the strata order. */
    start(f);
    f->o.no_program_library = 1;
    input(f, "build-226-by-measure-group.json");
    build(f);
    assert_built(f);
    assert_226_strata(json_object_get(measurement(f->out, 0), "value"));
    done(f);
}

static void test_build_multi_rate_groups_without_ids_go_by_position(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "build-226-by-position.json");
    build(f);
    assert_built(f);
    assert_226_strata(json_object_get(measurement(f->out, 0), "value"));
    done(f);
}

/* ---- patient-level reports summed as they stream in ---- */

/* The first diagnostic with this code about this resource, or a failure. */
static const struct qpp_diag *diag_about(const struct qpp_diags *d, enum qpp_code code,
                                         const char *resource)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        if (d->v[i].code == code && qpp_streq(d->v[i].resource, resource))
            return &d->v[i];
    diag_dump(d);
    fail_msg("no %s about %s", qpp_code_name(code), resource);
    return NULL;
}

static void test_build_individual_periods_each_checked_against_the_year(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    start(f);
    f->o.no_program_library = 1;
    f->o.year = 2025;
    input(f, "agg-periods.ndjson");
    build(f);
    assert_failed(f);
    /* v4 (line 5) covers 2024: its own period is checked, not only the
     * first report's. */
    assert_int_equal(diag_count(&f->d, QPP_PERIOD_OUTSIDE_YEAR), 1);
    g = diag_about(&f->d, QPP_PERIOD_OUTSIDE_YEAR, "MeasureReport/v4");
    assert_int_equal(g->line, 5);
    assert_string_equal(g->pointer, "/period");
    /* v2 (line 3) covers half of 2025: a warning; v3 has the same period. */
    assert_int_equal(diag_count(&f->d, QPP_PERIOD_PARTIAL), 1);
    g = diag_about(&f->d, QPP_PERIOD_PARTIAL, "MeasureReport/v2");
    assert_int_equal(g->line, 3);
    done(f);
}

static void test_build_individual_periods_of_two_years_are_year_ambiguous(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-periods.ndjson");
    build(f);
    assert_failed(f);
    assert_non_null(diag_first(&f->d, QPP_YEAR_AMBIGUOUS));
    done(f);
}

static void test_build_individual_group_mismatch_fails(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-group-mismatch.ndjson");
    build(f);
    assert_failed(f);
    assert_string_equal(
        diag_about(&f->d, QPP_GROUP_MISMATCH, "MeasureReport/g2")->pointer, "/group");
    done(f);
}

static void test_build_invalid_individual_report_fails_the_run(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-invalid.ndjson");
    build(f);
    assert_failed(f);
    diag_about(&f->d, QPP_NEGATIVE_COUNT, "MeasureReport/i2");
    done(f);
}

static void test_build_individual_then_summary_is_mixed_report_types(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-mixed-individual-first.ndjson");
    build(f);
    assert_failed(f);
    diag_about(&f->d, QPP_MIXED_REPORT_TYPES, "MeasureReport/x2");
    done(f);
}

static void test_build_two_canonicals_sharing_a_subject_is_duplicate_subject(void **state)
{
    struct fx *f = *state;

    /* The url and url|0.1.000 are one QPP measure (236): Patient/71 is in
     * k2 and in k3. */
    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-two-canonicals.ndjson");
    build(f);
    assert_failed(f);
    assert_int_equal(diag_count(&f->d, QPP_DUPLICATE_SUBJECT), 1);
    diag_about(&f->d, QPP_DUPLICATE_SUBJECT, "MeasureReport/k3");
    done(f);
}

static void test_build_two_canonicals_of_one_measure_are_summed(void **state)
{
    struct fx *f = *state;

    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-two-canonicals-apart.ndjson");
    build(f);
    assert_built(f);
    assert_string_equal(
        json_string_value(json_object_get(measurement(f->out, 0), "measureId")), "236");
    assert_null(measurement(f->out, 1));
    /* k1 met, k2 not met, k3 excluded. */
    assert_counts(json_object_get(measurement(f->out, 0), "value"), 1, 3, 1, 1, 0);
    done(f);
}

static void test_build_report_ids_choose_individual_reports(void **state)
{
    struct fx *f = *state;
    static const char *const ids[] = {"k1", "k3"};

    /* Without k2, Patient/71 is counted once. */
    start(f);
    f->o.no_program_library = 1;
    f->o.report_ids = ids;
    f->o.nreport_ids = 2;
    input(f, "agg-two-canonicals.ndjson");
    build(f);
    assert_built(f);
    assert_counts(json_object_get(measurement(f->out, 0), "value"), 2, 2, 0, 0, 0);
    done(f);
}

static void test_build_two_canonicals_duplicate_subject_names_its_report(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    /* Patient/71 is in k2 (line 3, the url) and in k4 (line 5, url|0.1.000),
     * not in k3 (line 4), the first report of the second canonical. */
    start(f);
    f->o.no_program_library = 1;
    input(f, "agg-two-canonicals-second.ndjson");
    build(f);
    assert_failed(f);
    assert_int_equal(diag_count(&f->d, QPP_DUPLICATE_SUBJECT), 1);
    g = diag_first(&f->d, QPP_DUPLICATE_SUBJECT);
    if (g->line != 5) {
        diag_dump(&f->d);
        fail_msg("duplicate-subject at line %d (%s), want line 5 (k4)", g->line,
                 g->resource ? g->resource : "-");
    }
    done(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_build_group_submission_matches_expected_bytes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_notes_and_warnings_of_the_base_run,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_individual_entity_has_npi, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_apm_takes_entity_id_from_xx_identifier,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_entity_id_option_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_measurement_structure_for_one_report,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_measurement_structure_needs_one_measurement, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_measurement_set_structure, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_missing_report_id_is_report_not_found,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_period_outside_the_given_year, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_year_without_data_is_unsupported,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_second_summary_report_is_duplicate_measure, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_report_not_in_library, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_no_program_library_skips_membership,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_sums_individual_reports, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_sums_groups_of_single_rate_measure,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_net_counts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_registry_folds_exclusions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_cehrt_id_required_for_ehr_from_2025,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_malformed_cehrt_id, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_program_of_another_year, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_no_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_multi_rate_groups_matched_by_measure_group_ids, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_multi_rate_groups_without_ids_go_by_position, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_multi_rate_groups_matched_to_strata_by_name, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_multi_rate_with_wrong_group_count_is_strata_mismatch, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_build_negative_not_met_points_at_the_group,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_half_year_period_is_an_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_shifted_utc_period_is_the_full_year,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_reports_of_two_years_are_year_ambiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_summary_and_individual_reports_do_not_mix, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_same_subject_twice_for_a_measure_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_organization_chosen_by_reporter, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_build_two_organizations_without_reporter_are_ambiguous, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_organization_option_wins, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_short_tin_is_tin_invalid, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_build_app_plus_is_not_for_virtual_groups,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_individual_periods_each_checked_against_the_year, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_individual_periods_of_two_years_are_year_ambiguous, setup,
            teardown),
        cmocka_unit_test_setup_teardown(test_build_individual_group_mismatch_fails, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_build_invalid_individual_report_fails_the_run, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_individual_then_summary_is_mixed_report_types, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_two_canonicals_sharing_a_subject_is_duplicate_subject, setup,
            teardown),
        cmocka_unit_test_setup_teardown(
            test_build_two_canonicals_of_one_measure_are_summed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_build_report_ids_choose_individual_reports,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_build_two_canonicals_duplicate_subject_names_its_report, setup,
            teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
