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

static void test_check_cehrt_id_forms(void **state)
{
    (void)state;
    /* CMS: 2025CXXXXXXXXXX or XX15CXXXXXXXXXX, X a digit or capital letter. */
    assert_true(qpp_check_cehrt_form("2025CABCDEF1234"));
    assert_true(qpp_check_cehrt_form("A015C01OVAUWWN7"));
    assert_true(qpp_check_cehrt_form("0015C0000000000"));
    assert_false(qpp_check_cehrt_form("0025CABCDEF1234")); /* neither form */
    assert_false(qpp_check_cehrt_form("2024CABCDEF1234"));
    assert_false(qpp_check_cehrt_form("0016CABCDEF1234"));
    assert_false(qpp_check_cehrt_form("2025EABCDEF1234")); /* fifth is not C */
    assert_false(qpp_check_cehrt_form("2025cABCDEF1234"));
    assert_false(qpp_check_cehrt_form("2025CABCDEF123"));   /* 14 */
    assert_false(qpp_check_cehrt_form("2025CABCDEF12345")); /* 16 */
    assert_false(qpp_check_cehrt_form("2025C-BCDEF1234"));
    assert_false(qpp_check_cehrt_form("0015CABCDEFabcd"));
    assert_false(qpp_check_cehrt_form(""));
}

static void test_check_cehrt_id_required_on_ehr_sets_from_2025(void **state)
{
    struct qpp_diags d;

    (void)state;
    qpp_diags_init(&d);
    assert_int_equal(qpp_check_cehrt(NULL, "electronicHealthRecord", 2025, &d), 1);
    assert_int_equal(qpp_check_cehrt(NULL, "electronicHealthRecord", 2024, &d), 0);
    assert_int_equal(qpp_check_cehrt(NULL, "registry", 2025, &d), 0);
    assert_int_equal(qpp_check_cehrt("0025CABCDEF1234", "registry", 2025, &d), 1);
    assert_int_equal(diag_count(&d, QPP_CEHRT_ID_MISSING), 1);
    assert_int_equal(diag_count(&d, QPP_CEHRT_ID_INVALID), 1);
    qpp_diags_free(&d);
}

static int measure_errors(int year, const char *id, const char *program)
{
    const struct qpp_catalog_year *y = qpp_catalog_builtin_year(year);
    struct qpp_diags d;
    int n;

    qpp_diags_init(&d);
    n = qpp_check_measure(y, qpp_catalog_find(y, id), year, program, "registry", "group",
                          NULL, &d);
    qpp_diags_free(&d);
    return n;
}

static void test_check_allowed_programs_hold_for_mips(void **state)
{
    (void)state;
    assert_int_equal(measure_errors(2025, "128", "mips"), 1);
    assert_int_equal(measure_errors(2025, "112", "mips"), 1);
    assert_int_equal(measure_errors(2025, "113", "mips"), 1);
    assert_int_equal(measure_errors(2023, "113", "mips"), 0);
    assert_int_equal(measure_errors(2025, "236", "mips"), 0);
    assert_int_equal(measure_errors(2025, "001SSP", "mips"), 1);
    assert_int_equal(measure_errors(2025, "001SSP", "appPlus"), 0);
    assert_int_equal(measure_errors(2025, "113", "M1422"), 0);
}

static int program_errors(int year, const char *program, const char *entity_type)
{
    struct qpp_diags d;
    int n;

    qpp_diags_init(&d);
    n = qpp_check_program(qpp_catalog_builtin_year(year), year, program, "registry",
                          entity_type, &d);
    qpp_diags_free(&d);
    return n;
}

static void test_check_subgroups_report_only_through_an_mvp(void **state)
{
    (void)state;
    assert_int_equal(program_errors(2025, "mips", "subgroup"), 1);
    assert_int_equal(program_errors(2025, "appPlus", "subgroup"), 1);
    assert_int_equal(program_errors(2025, "app1", "subgroup"), 1);
    assert_int_equal(program_errors(2025, "M0005", "subgroup"), 0);
    assert_int_equal(program_errors(2025, "mips", "group"), 0);
}

static void test_check_2027_is_provisional(void **state)
{
    struct qpp_diags d;

    (void)state;
    qpp_diags_init(&d);
    qpp_check_program(qpp_catalog_builtin_year(2027), 2027, "mips", "registry", "group",
                      &d);
    qpp_check_program(qpp_catalog_builtin_year(2026), 2026, "mips", "registry", "group",
                      &d);
    assert_int_equal(diag_count(&d, QPP_YEAR_PROVISIONAL), 1);
    qpp_diags_free(&d);
}

static void set_of(struct qpp_submission *s, int year, const char *program,
                   struct qpp_measurement *m, size_t n)
{
    memset(s, 0, sizeof *s);
    s->entity_type = "apm";
    s->year = year;
    s->method = "electronicHealthRecord";
    s->program = program;
    s->nmeasurements = n;
    s->measurements = m;
}

static void test_check_app_plus_names_each_missing_measure(void **state)
{
    static struct qpp_measurement ssp[] = {
        {"001SSP", 0, NULL, {10, 20, 30, 0, 0}},
        {"134", 0, NULL, {10, 20, 30, 0, 0}},
    };
    struct qpp_submission s;
    struct qpp_diags d;

    (void)state;
    set_of(&s, 2025, "appPlus", ssp, 2);
    qpp_diags_init(&d);
    qpp_check_set(qpp_catalog_builtin_year(2025), &s, 1, &d);
    /* 2025: 001 (here 001SSP), 112, 134, 236; 321 and 479 CMS computes. */
    assert_int_equal(diag_count(&d, QPP_APP_PLUS_MISSING), 2);
    assert_int_equal(diag_count(&d, QPP_CMS_COMPUTED), 1);
    assert_int_equal(diag_count(&d, QPP_FEW_MEASURES), 0);
    qpp_diags_free(&d);
    set_of(&s, 2026, "appPlus", ssp, 2); /* 2026 adds 113 */
    qpp_diags_init(&d);
    qpp_check_set(qpp_catalog_builtin_year(2026), &s, 1, &d);
    assert_int_equal(diag_count(&d, QPP_APP_PLUS_MISSING), 3);
    qpp_diags_free(&d);
}

static void test_check_mvp_without_the_outcome_it_offers(void **state)
{
    static struct qpp_measurement process[] = {
        {"134", 0, NULL, {10, 20, 30, 0, 0}},
        {"438", 0, NULL, {10, 20, 30, 0, 0}},
        {"475", 0, NULL, {10, 20, 30, 0, 0}},
        {"305", 0, NULL, {10, 20, 30, 0, 0}},
    };
    struct qpp_submission s;
    struct qpp_diags d;

    (void)state;
    set_of(&s, 2025, "M0005", process, 4); /* M0005 offers 001 and 236 by EHR */
    qpp_diags_init(&d);
    qpp_check_set(qpp_catalog_builtin_year(2025), &s, 1, &d);
    assert_int_equal(diag_count(&d, QPP_MVP_NO_OUTCOME), 1);
    qpp_diags_free(&d);
    warnings_for("G0054", &d); /* 236 is an intermediate outcome */
    assert_int_equal(diag_count(&d, QPP_MVP_NO_OUTCOME), 0);
    qpp_diags_free(&d);
}

static void test_check_app1_names_the_missing_measures_of_its_set(void **state)
{
    static struct qpp_measurement one[] = {{"001", 0, NULL, {10, 20, 30, 0, 0}}};
    struct qpp_submission s;
    struct qpp_diags d;

    (void)state;
    set_of(&s, 2025, "app1", one, 1); /* 001, 134, 236: two missing */
    qpp_diags_init(&d);
    qpp_check_set(qpp_catalog_builtin_year(2025), &s, 1, &d);
    assert_int_equal(diag_count(&d, QPP_FEW_MEASURES), 1);
    assert_int_equal(diag_count(&d, QPP_APP_PLUS_MISSING), 0);
    assert_int_equal(diag_count(&d, QPP_CMS_COMPUTED), 1);
    qpp_diags_free(&d);
}

static void test_check_a_file_without_program_lists_does_not_gate(void **state)
{
    struct qpp_catalog_year *y = NULL;
    struct qpp_diags d;
    json_t *root = fixture_json("check-no-programs.json");

    (void)state;
    qpp_diags_init(&d);
    assert_int_equal(qpp_catalog_load(root, "check-no-programs.json", &y, &d), 0);
    json_decref(root);
    assert_int_equal(qpp_check_measure(y, qpp_catalog_find(y, "236"), 2025, "mips",
                                       "registry", "group", NULL, &d),
                     0);
    qpp_catalog_free(y);
    qpp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_four_measures_are_few_for_mips),
        cmocka_unit_test(test_check_four_measures_are_enough_for_an_mvp),
        cmocka_unit_test(test_check_case_count_by_algorithm),
        cmocka_unit_test(test_check_cehrt_id_forms),
        cmocka_unit_test(test_check_cehrt_id_required_on_ehr_sets_from_2025),
        cmocka_unit_test(test_check_allowed_programs_hold_for_mips),
        cmocka_unit_test(test_check_subgroups_report_only_through_an_mvp),
        cmocka_unit_test(test_check_2027_is_provisional),
        cmocka_unit_test(test_check_app_plus_names_each_missing_measure),
        cmocka_unit_test(test_check_mvp_without_the_outcome_it_offers),
        cmocka_unit_test(test_check_a_file_without_program_lists_does_not_gate),
        cmocka_unit_test(test_check_app1_names_the_missing_measures_of_its_set),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
