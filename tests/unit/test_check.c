/* SPDX-License-Identifier: MIT */
/* Unit tests for check.c: the set-level warnings and the case count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "check.h"
#include "testutil.h"

/* Four 2025 measures of MVP G0054, single rate, 30 cases each. */
static struct qpp_measurement four[] = {
    {"001", 0, NULL, {10, 20, 30, 0, 0}},
    {"236", 0, NULL, {10, 20, 30, 0, 0}},
    {"134", 0, NULL, {10, 20, 30, 0, 0}},
    {"226", 0, NULL, {10, 20, 30, 0, 0}},
};

static void warnings_for(const char *program, struct qpp_diags *d)
{
    struct qpp_submission s;

    memset(&s, 0, sizeof s);
    s.entity_type = "group";
    s.year = 2025;
    s.method = "electronicHealthRecord";
    s.program = program;
    s.nmeasurements = 4;
    s.measurements = four;
    qpp_diags_init(d);
    qpp_check_set(qpp_catalog_builtin_year(2025), &s, 1, d);
}

static void test_check_four_measures_are_few_for_mips(void **state)
{
    struct qpp_diags d;

    (void)state;
    warnings_for("mips", &d); /* CMS asks for 6 */
    assert_int_equal(diag_count(&d, QPP_FEW_MEASURES), 1);
    qpp_diags_free(&d);
}

static void test_check_four_measures_are_enough_for_an_mvp(void **state)
{
    struct qpp_diags d;

    (void)state;
    warnings_for("G0054", &d); /* an MVP asks for 4 */
    assert_int_equal(diag_count(&d, QPP_FEW_MEASURES), 0);
    qpp_diags_free(&d);
}

static void test_check_case_count_by_algorithm(void **state)
{
    const struct qpp_catalog_year *y = qpp_catalog_builtin_year(2025);
    struct qpp_stratum st226[] = {{"reporting", {1, 2, 40, 0, 0}},
                                  {"performance", {1, 2, 7, 0, 0}},
                                  {"combinedPopulations", {1, 2, 50, 0, 0}}};
    struct qpp_stratum st009[] = {{"84Days", {1, 2, 12, 0, 0}},
                                  {"180Days", {1, 2, 9, 0, 0}}};
    struct qpp_stratum st370[] = {{"adolescents", {1, 2, 12, 0, 0}},
                                  {"adults", {1, 2, 9, 0, 0}}};
    struct qpp_measurement q226 = {"226", 3, st226, {0, 0, 0, 0, 0}};
    struct qpp_measurement q009 = {"009", 2, st009, {0, 0, 0, 0, 0}};
    struct qpp_measurement q370 = {"370", 2, st370, {0, 0, 0, 0, 0}};

    (void)state;
    /* split: the reporting stratum */
    assert_int_equal(qpp_case_count(qpp_catalog_find(y, "226"), &q226), 40);
    /* simpleAverage: the largest stratum */
    assert_int_equal(qpp_case_count(qpp_catalog_find(y, "009"), &q009), 12);
    /* weightedAverage: the sum, 12 + 9 */
    assert_int_equal(qpp_case_count(qpp_catalog_find(y, "370"), &q370), 21);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_four_measures_are_few_for_mips),
        cmocka_unit_test(test_check_four_measures_are_enough_for_an_mvp),
        cmocka_unit_test(test_check_case_count_by_algorithm),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
