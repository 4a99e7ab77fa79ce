/* SPDX-License-Identifier: MIT */
/* Unit tests for listing.c: --list-measures and its lookup of one measure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "listing.h"
#include "testutil.h"
#include "util.h"

static const struct qpp_measure *measure(int year, const char *id)
{
    const struct qpp_measure *m = qpp_catalog_find(qpp_catalog_builtin_year(year), id);

    assert_non_null(m);
    return m;
}

static void test_listing_matches_qpp_id_with_or_without_zeros(void **state)
{
    (void)state;
    assert_true(qpp_listing_match(measure(2025, "001"), "001"));
    assert_true(qpp_listing_match(measure(2025, "001"), "1"));
    assert_true(qpp_listing_match(measure(2025, "113"), "113"));
    assert_false(qpp_listing_match(measure(2025, "113"), "13"));
    assert_false(qpp_listing_match(measure(2025, "001"), "0001"));
}

static void test_listing_matches_cms_number_not_qpp_number(void **state)
{
    (void)state;
    /* CMS130 is QPP 113; QPP 130 is another measure. */
    assert_true(qpp_listing_match(measure(2025, "113"), "CMS130"));
    assert_true(qpp_listing_match(measure(2025, "113"), "cms130"));
    assert_false(qpp_listing_match(measure(2025, "130"), "CMS130"));
    assert_false(qpp_listing_match(measure(2025, "113"), "130"));
    assert_false(qpp_listing_match(measure(2025, "113"), "CMS13"));
}

static void test_listing_cms_version_must_agree_when_given(void **state)
{
    const struct qpp_measure *m = measure(2025, "113");
    char key[32];

    (void)state;
    snprintf(key, sizeof key, "%s", m->emeasure_id); /* CMS130v13 */
    assert_true(qpp_listing_match(m, key));
    assert_false(qpp_listing_match(m, "CMS130v1"));
}

static void test_listing_has_header_then_one_line_a_measure(void **state)
{
    const struct qpp_catalog_year *y = qpp_catalog_builtin_year(2025);
    struct qpp_diags d;
    char *s = NULL, *p;
    size_t lines = 0;

    (void)state;
    qpp_diags_init(&d);
    assert_int_equal(qpp_listing_measures(y, NULL, 0, &s, &d), 0);
    assert_non_null(s);
    assert_true(strncmp(s, QPP_LISTING_HEADER, strlen(QPP_LISTING_HEADER)) == 0);
    for (p = s; *p; p++)
        lines += *p == '\n';
    assert_int_equal(lines, y->nmeasures + 1);
    qpp_free(s);
    qpp_diags_free(&d);
}

static void test_listing_of_named_measures_only(void **state)
{
    const struct qpp_catalog_year *y = qpp_catalog_builtin_year(2025);
    const char *const keys[] = {"CMS130", "1"};
    struct qpp_diags d;
    char *s = NULL;

    (void)state;
    qpp_diags_init(&d);
    assert_int_equal(qpp_listing_measures(y, keys, 2, &s, &d), 0);
    /* In the catalog's order: 001 before 113. */
    assert_non_null(strstr(s, "\n001\t"));
    assert_true(strstr(s, "\n001\t") < strstr(s, "\n113\t"));
    assert_null(strstr(s, "\n130\t"));
    qpp_free(s);
    qpp_diags_free(&d);
}

static void test_listing_unknown_measure_is_an_error_and_lists_nothing(void **state)
{
    const struct qpp_catalog_year *y = qpp_catalog_builtin_year(2025);
    const char *const keys[] = {"113", "CMS9999"};
    struct qpp_diags d;
    char *s = NULL;

    (void)state;
    qpp_diags_init(&d);
    assert_int_equal(qpp_listing_measures(y, keys, 2, &s, &d), -1);
    assert_null(s);
    assert_int_equal(d.len, 1);
    assert_int_equal(d.v[0].code, QPP_MEASURE_NOT_IN_YEAR);
    assert_non_null(strstr(d.v[0].message, "CMS9999"));
    qpp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_listing_matches_qpp_id_with_or_without_zeros),
        cmocka_unit_test(test_listing_matches_cms_number_not_qpp_number),
        cmocka_unit_test(test_listing_cms_version_must_agree_when_given),
        cmocka_unit_test(test_listing_has_header_then_one_line_a_measure),
        cmocka_unit_test(test_listing_of_named_measures_only),
        cmocka_unit_test(test_listing_unknown_measure_is_an_error_and_lists_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
