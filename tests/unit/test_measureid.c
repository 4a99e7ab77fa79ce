/* SPDX-License-Identifier: MIT */
/* Unit tests for measureid.c: which QPP measure a FHIR Measure is. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "measureid.h"
#include "testutil.h"

#define MADIE_CRC_URL "https://madie.cms.gov/Measure/CMS130FHIRColorectalCancerScreening"

struct found {
    enum qpp_code code;
    const struct qpp_measure *m;
};

/* Look up a Measure fixture (NULL: none) with the Measure's url, or url
 * when given. */
static struct found find(int year, const char *fixture, const char *url,
                         const struct qpp_measure_map *maps, size_t nmaps)
{
    const struct qpp_catalog_year *y = qpp_catalog_builtin_year(year);
    json_t *measure = fixture ? fixture_json(fixture) : NULL;
    static const struct qpp_measure dummy;
    struct found f;
    struct qpp_buf how;

    assert_non_null(y);
    if (!url)
        url = json_string_value(json_object_get(measure, "url"));
    qpp_buf_init(&how);
    f.m = &dummy; /* must be set either way */
    f.code = qpp_measureid_find(y, url, measure, maps, nmaps, &f.m, &how);
    assert_false(how.failed);
    assert_true(how.len > 0); /* an account of the decision, either way */
    qpp_buf_free(&how);
    json_decref(measure);
    if (f.code == QPP_NCODES)
        assert_non_null(f.m);
    else
        assert_null(f.m);
    return f;
}

static void assert_found(struct found f, const char *id)
{
    if (f.code != QPP_NCODES)
        fail_msg("no measure found (%s), want %s", qpp_code_name(f.code), id);
    assert_string_equal(f.m->id, id);
}

static void test_measureid_madie_measure_goes_by_cms_number(void **state)
{
    (void)state;
    assert_found(find(2025, "measureid-madie.json", NULL, NULL, 0), "113");
    assert_found(find(2023, "measureid-madie.json", NULL, NULL, 0), "113");
}

static void test_measureid_madie_publisher_cms_id_is_not_a_qpp_id(void **state)
{
    (void)state;
    /* publisher-typed, system .../cmsId, value 130FHIR: CMS130, so 113. */
    assert_found(find(2025, "measureid-madie-publisher-only.json", NULL, NULL, 0), "113");
}

static void test_measureid_madie_publisher_digits_are_a_cms_number(void **state)
{
    (void)state;
    /* "130" under .../cmsId is CMS130 (113), not QPP measure 130 (CMS68). */
    assert_found(find(2025, "measureid-madie-digits.json", NULL, NULL, 0), "113");
}

static void test_measureid_fhir_number_under_any_system(void **state)
{
    (void)state;
    /* "130FHIR" under a system of its own is still CMS130 (113); "12FHIRX"
     * is not a CMS number. */
    assert_found(find(2025, "measureid-publisher-fhir-other-system.json", NULL, NULL, 0),
                 "113");
}

static void test_measureid_publisher_identifier_with_qpp_id(void **state)
{
    (void)state;
    /* The QPP id wins over the CMS number of the short name (CMS122: 001). */
    assert_found(find(2025, "measureid-publisher-qpp.json", NULL, NULL, 0), "113");
}

static void test_measureid_publisher_identifier_is_zero_padded(void **state)
{
    (void)state;
    assert_found(find(2025, "measureid-publisher-short.json", NULL, NULL, 0), "001");
}

static void test_measureid_publisher_id_not_in_year(void **state)
{
    (void)state;
    /* 110 was a measure up to 2024. */
    assert_found(find(2023, "measureid-publisher-110.json", NULL, NULL, 0), "110");
    assert_int_equal(find(2025, "measureid-publisher-110.json", NULL, NULL, 0).code,
                     QPP_MEASURE_NOT_IN_YEAR);
}

static void test_measureid_short_name_identifier(void **state)
{
    (void)state;
    assert_found(find(2025, "measureid-shortname.json", NULL, NULL, 0), "113");
}

static void test_measureid_ecqm_r4_cms_identifier(void **state)
{
    (void)state;
    assert_found(find(2025, "measureid-ecqm-r4.json", NULL, NULL, 0), "113");
}

static void test_measureid_versioned_cms_identifier(void **state)
{
    (void)state;
    assert_found(find(2025, "measureid-versioned-id.json", NULL, NULL, 0), "113");
}

static void test_measureid_url_with_cms_number(void **state)
{
    (void)state;
    /* No Measure in the input: the url alone. */
    assert_found(find(2025, NULL, MADIE_CRC_URL, NULL, 0), "113");
    assert_found(find(2025, NULL,
                      "https://madie.cms.gov/Measure/CMS122FHIRDiabetesGlycemic", NULL,
                      0),
                 "001");
}

static void test_measureid_cms_number_not_in_year(void **state)
{
    (void)state;
    /* CMS147 (110) has no eCQM in 2025. */
    assert_int_equal(
        find(2025, NULL, "https://madie.cms.gov/Measure/CMS147FHIRPreventiveFlu", NULL, 0)
            .code,
        QPP_MEASURE_NOT_IN_YEAR);
}

static void test_measureid_unknown(void **state)
{
    (void)state;
    assert_int_equal(find(2025, "measureid-unknown.json", NULL, NULL, 0).code,
                     QPP_MEASURE_ID_UNKNOWN);
    assert_int_equal(find(2025, NULL, "http://example.org/Measure/x", NULL, 0).code,
                     QPP_MEASURE_ID_UNKNOWN);
    /* The MADiE url names no CMS number: the host's "cms" is no eCQM id. */
    assert_int_equal(find(2025, NULL,
                          "https://madie.cms.gov/Measure/ColonCancerScreeningFHIR", NULL,
                          0)
                         .code,
                     QPP_MEASURE_ID_UNKNOWN);
}

static void test_measureid_measure_map_wins(void **state)
{
    static const struct qpp_measure_map maps[] = {
        {"http://example.org/Measure/other", "226"},
        {"http://example.org/Measure/crc", "001"},
    };

    (void)state;
    /* The Measure's publisher identifier says 113; the map says 001. */
    assert_found(find(2025, "measureid-publisher-qpp.json", NULL, maps, 2), "001");
}

static void test_measureid_measure_map_pads_and_needs_no_measure(void **state)
{
    static const struct qpp_measure_map maps[] = {{"http://example.org/Measure/x", "1"}};

    (void)state;
    assert_found(find(2025, NULL, "http://example.org/Measure/x", maps, 1), "001");
}

static void test_measureid_measure_map_for_another_url_is_ignored(void **state)
{
    static const struct qpp_measure_map maps[] = {
        {"http://example.org/Measure/y", "001"}};

    (void)state;
    assert_found(find(2025, NULL, MADIE_CRC_URL, maps, 1), "113");
}

static void test_measureid_measure_map_to_id_not_in_year(void **state)
{
    static const struct qpp_measure_map maps[] = {
        {"http://example.org/Measure/x", "110"}};

    (void)state;
    assert_int_equal(find(2025, NULL, "http://example.org/Measure/x", maps, 1).code,
                     QPP_MEASURE_NOT_IN_YEAR);
}

static void test_measureid_cms_number_forms(void **state)
{
    (void)state;
    assert_int_equal(qpp_cms_number("CMS130FHIR"), 130);
    assert_int_equal(qpp_cms_number("CMS130v13"), 130);
    assert_int_equal(qpp_cms_number(MADIE_CRC_URL), 130);
    assert_int_equal(qpp_cms_number("Measure/CMS165FHIR|1.0.000"), 165);
    assert_int_equal(
        qpp_cms_number(
            "https://madie.cms.gov/Measure/CMS2FHIRPCSDepressionScreenAndFollowUp"),
        2);
    assert_int_equal(qpp_cms_number("http://ecqi.healthit.gov/ecqms/Measure/CMS22v12"),
                     22);
    assert_int_equal(qpp_cms_number("X_CMS22v1"), 22);
}

static void test_measureid_cms_number_edge_cases(void **state)
{
    (void)state;
    assert_int_equal(qpp_cms_number(NULL), 0);
    assert_int_equal(qpp_cms_number(""), 0);
    assert_int_equal(qpp_cms_number("CMS"), 0);
    assert_int_equal(qpp_cms_number("CMSv13"), 0);
    assert_int_equal(qpp_cms_number("130FHIR"), 0);
    assert_int_equal(qpp_cms_number("EXM130"), 0);
    assert_int_equal(qpp_cms_number("ECMS130"), 0); /* CMS must start a word */
    assert_int_equal(qpp_cms_number("https://madie.cms.gov/Measure/ColonCancerScreening"),
                     0);
    /* The first CMS followed by a number counts. */
    assert_int_equal(qpp_cms_number("CMSFOO/CMS130"), 130);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_measureid_madie_measure_goes_by_cms_number),
        cmocka_unit_test(test_measureid_madie_publisher_cms_id_is_not_a_qpp_id),
        cmocka_unit_test(test_measureid_madie_publisher_digits_are_a_cms_number),
        cmocka_unit_test(test_measureid_fhir_number_under_any_system),
        cmocka_unit_test(test_measureid_publisher_identifier_with_qpp_id),
        cmocka_unit_test(test_measureid_publisher_identifier_is_zero_padded),
        cmocka_unit_test(test_measureid_publisher_id_not_in_year),
        cmocka_unit_test(test_measureid_short_name_identifier),
        cmocka_unit_test(test_measureid_ecqm_r4_cms_identifier),
        cmocka_unit_test(test_measureid_versioned_cms_identifier),
        cmocka_unit_test(test_measureid_url_with_cms_number),
        cmocka_unit_test(test_measureid_cms_number_not_in_year),
        cmocka_unit_test(test_measureid_unknown),
        cmocka_unit_test(test_measureid_measure_map_wins),
        cmocka_unit_test(test_measureid_measure_map_pads_and_needs_no_measure),
        cmocka_unit_test(test_measureid_measure_map_for_another_url_is_ignored),
        cmocka_unit_test(test_measureid_measure_map_to_id_not_in_year),
        cmocka_unit_test(test_measureid_cms_number_forms),
        cmocka_unit_test(test_measureid_cms_number_edge_cases),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
