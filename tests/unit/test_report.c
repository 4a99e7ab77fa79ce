/* SPDX-License-Identifier: MIT */
/* Unit tests for report.c: reading a MeasureReport into counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "report.h"
#include "summary.h"
#include "testutil.h"

#define BIT(pop) (1u << (pop))

struct fx {
    struct qpp_diags d;
    json_t *json;
    struct qpp_tree tree;
    struct qpp_report *r;
};

/* Read the fixture as a report found at line 3 of "reports.json", with base
 * as the pointer from the file's value to it (NULL: the value itself). */
static void read_report(struct fx *f, const char *name, const char *base)
{
    struct qpp_place at = {"reports.json", 3, 1, NULL, base};

    qpp_diags_init(&f->d);
    f->json = fixture_json(name);
    f->r = NULL;
    assert_int_equal(qpp_report_read(json_tree(f->json, &f->tree), &at, &f->r, &f->d), 0);
    assert_non_null(f->r);
}

static void done(struct fx *f)
{
    qpp_report_free(f->r);
    qpp_tree_free(&f->tree);
    json_decref(f->json);
    qpp_diags_free(&f->d);
}

static void test_report_reads_summary_counts_per_group(void **state)
{
    struct fx f;
    const struct qpp_group *g;

    (void)state;
    read_report(&f, "report-summary.json", NULL);
    /* A known code under another system is a near match: said, not read. */
    assert_int_equal(f.d.len, 1);
    assert_diag(&f.d, QPP_POPULATION_SYSTEM_UNKNOWN, "/group/0/population/6");
    assert_int_equal(f.r->ngroups, 2);
    g = &f.r->groups[0];
    assert_true(g->count[QPP_POP_IP] == 120);
    assert_true(g->count[QPP_POP_DENOM] == 100);
    assert_true(g->count[QPP_POP_DENEX] == 5);
    assert_true(g->count[QPP_POP_DENEXCEP] == 3);
    assert_true(g->count[QPP_POP_NUMER] == 60);
    /* numerator-exclusion of another code system is not read. */
    assert_true(g->count[QPP_POP_NUMEX] == 0);
    assert_int_equal(g->present, BIT(QPP_POP_IP) | BIT(QPP_POP_DENOM) |
                                     BIT(QPP_POP_DENEX) | BIT(QPP_POP_DENEXCEP) |
                                     BIT(QPP_POP_NUMER));
    g = &f.r->groups[1];
    assert_true(g->count[QPP_POP_IP] == 10);
    assert_true(g->count[QPP_POP_DENOM] == 10);
    assert_true(g->count[QPP_POP_NUMER] == 4); /* the stratifier is not added */
    assert_true(g->count[QPP_POP_NUMEX] == 1);
    assert_int_equal(g->present, BIT(QPP_POP_IP) | BIT(QPP_POP_DENOM) |
                                     BIT(QPP_POP_NUMER) | BIT(QPP_POP_NUMEX));
    done(&f);
}

/* qppbuild's own summary: a partial sum of many reports, its period as
 * written. */
static void test_report_reads_a_partial_sum(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "summary-expected.json", NULL);
    assert_int_equal(f.d.len, 0);
    assert_false(f.r->invalid);
    assert_non_null(f.r->partial);
    assert_int_equal(f.r->partial->ndigests, 2);
    assert_int_equal(f.r->nreports, 7);
    assert_int_equal(f.r->ntest, 1);
    assert_string_equal(f.r->period_start, "2025-01-01");
    assert_string_equal(f.r->period_end, "2025-12-31");
    done(&f);
}

static void test_report_partial_sum_must_be_a_summary(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-partial-individual.json", NULL);
    assert_diag(&f.d, QPP_REPORT_INVALID, "/type");
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_keeps_ids_names_and_references(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-summary.json", NULL);
    assert_string_equal(f.r->id, "mr1");
    assert_string_equal(f.r->name, "MeasureReport/mr1");
    assert_string_equal(f.r->source, "reports.json");
    assert_int_equal(f.r->line, 3);
    assert_string_equal(f.r->measure, "https://madie.cms.gov/Measure/"
                                      "CMS130FHIRColorectalCancerScreening|0.1.000");
    assert_string_equal(f.r->reporter, "Organization/org1");
    assert_string_equal(f.r->groups[0].id, "g1");
    assert_null(f.r->groups[1].id);
    assert_int_equal(f.r->type, QPP_REPORT_SUMMARY);
    assert_false(f.r->test_case);
    done(&f);
}

static void test_report_reads_period(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-summary.json", NULL);
    assert_true(f.r->has_period);
    assert_int_equal(f.r->start.local.year, 2025);
    assert_int_equal(f.r->start.local.month, 1);
    assert_int_equal(f.r->start.local.day, 1);
    assert_int_equal(f.r->end.local.year, 2025);
    assert_int_equal(f.r->end.local.month, 12);
    assert_int_equal(f.r->end.local.day, 31);
    assert_true(f.r->end.instant > f.r->start.instant);
    done(&f);
}

static void test_report_reads_subject_list_with_offset_period(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-subject-list.json", NULL);
    assert_no_errors(&f.d);
    assert_int_equal(f.r->type, QPP_REPORT_SUBJECT_LIST);
    assert_true(f.r->has_period);
    assert_int_equal(f.r->start.local.year, 2019);
    assert_int_equal(f.r->end.local.month, 12);
    assert_int_equal(f.r->end.local.day, 31);
    assert_true(f.r->groups[0].count[QPP_POP_DENOM] == 24);
    assert_true(f.r->groups[0].count[QPP_POP_NUMER] == 12);
    done(&f);
}

/* Lists may be cut short, so only one longer than its count is an error. */
static void test_report_subject_list_longer_than_count_is_an_error(void **state)
{
    struct fx f;
    const struct qpp_diag *g;

    (void)state;
    read_report(&f, "report-subject-list-lists.json", NULL);
    assert_int_equal(diag_count(&f.d, QPP_SUBJECT_LIST_COUNT), 1);
    g = diag_find(&f.d, QPP_SUBJECT_LIST_COUNT, "/group/0/population/3/count");
    assert_non_null(g);
    assert_string_equal(g->message,
                        "numerator counts 2 but its List #num names 3 subjects");
    assert_true(f.r->invalid);
    assert_true(f.r->groups[0].count[QPP_POP_NUMER] == 2); /* the count, not the List */
    done(&f);
}

static void test_report_lists_of_other_types_are_not_checked(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-summary-lists.json", NULL);
    assert_no_errors(&f.d);
    done(&f);
}

static void test_report_test_case_modifier_sets_flag(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-testcase.json", NULL);
    assert_no_errors(&f.d);
    assert_true(f.r->test_case);
    assert_false(f.r->invalid);
    assert_int_equal(f.r->type, QPP_REPORT_INDIVIDUAL);
    done(&f);
}

static void test_report_test_case_modifier_false_is_understood(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-testcase-false.json", NULL);
    assert_no_errors(&f.d);
    assert_false(f.r->test_case);
    done(&f);
}

static void test_report_unknown_modifier_is_an_error(void **state)
{
    struct fx f;
    const struct qpp_diag *g;

    (void)state;
    read_report(&f, "report-unknown-modifier.json", NULL);
    assert_true(f.r->invalid);
    assert_true(f.r->test_case); /* the one it understands still counts */
    assert_diag(&f.d, QPP_UNKNOWN_MODIFIER, "/modifierExtension/1");
    assert_diag(&f.d, QPP_UNKNOWN_MODIFIER, "/modifierExtension/2");
    assert_null(diag_find(&f.d, QPP_UNKNOWN_MODIFIER, "/modifierExtension/0"));
    g = diag_find(&f.d, QPP_UNKNOWN_MODIFIER, "/modifierExtension/1");
    assert_int_equal(g->severity, QPP_ERROR);
    assert_string_equal(g->resource, "MeasureReport/um1");
    assert_string_equal(g->source, "reports.json");
    assert_int_equal(g->line, 3);
    done(&f);
}

static void test_report_count_real_string_negative_missing_have_pointers(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-bad-counts.json", NULL);
    assert_true(f.r->invalid);
    assert_diag(&f.d, QPP_COUNT_NOT_INTEGER, "/group/0/population/1/count");
    assert_diag(&f.d, QPP_COUNT_NOT_INTEGER, "/group/0/population/2/count");
    assert_diag(&f.d, QPP_NEGATIVE_COUNT, "/group/0/population/3/count");
    assert_diag(&f.d, QPP_COUNT_MISSING, "/group/0/population/4/count");
    assert_diag(&f.d, QPP_DUPLICATE_POPULATION, "/group/1/population/2");
    assert_diag(&f.d, QPP_COUNT_NOT_INTEGER, "/group/1/population/3/count");
    assert_diag(&f.d, QPP_REPORT_INVALID, "/group/1/population/4");
    assert_int_equal(diag_count(&f.d, QPP_COUNT_NOT_INTEGER), 3);
    assert_int_equal(diag_count(&f.d, QPP_NEGATIVE_COUNT), 1);
    assert_true(f.r->groups[0].count[QPP_POP_DENEXCEP] == 0);
    done(&f);
}

static void test_report_missing_count_is_a_warning_and_zero(void **state)
{
    struct fx f;
    const struct qpp_diag *g;

    (void)state;
    read_report(&f, "report-missing-count.json", NULL);
    g = diag_find(&f.d, QPP_COUNT_MISSING, "/group/0/population/1/count");
    assert_non_null(g);
    assert_int_equal(g->severity, QPP_WARNING);
    assert_no_errors(&f.d);
    assert_false(f.r->invalid);
    assert_true(f.r->groups[0].present & BIT(QPP_POP_NUMER));
    assert_true(f.r->groups[0].count[QPP_POP_NUMER] == 0);
    done(&f);
}

static void test_report_without_id_points_from_the_file_value(void **state)
{
    struct fx f;
    const struct qpp_diag *g;

    (void)state;
    read_report(&f, "report-noid-negative.json", "/entry/1/resource");
    assert_null(f.r->id);
    assert_string_equal(f.r->name, "MeasureReport");
    g = diag_find(&f.d, QPP_NEGATIVE_COUNT,
                  "/entry/1/resource/group/0/population/1/count");
    if (!g)
        diag_dump(&f.d);
    assert_non_null(g);
    assert_string_equal(g->resource, "MeasureReport");
    done(&f);
}

static void test_report_with_id_points_from_the_resource(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-bad-counts.json", "/entry/0/resource");
    /* A report with an id is named by it: pointers start at the report. */
    assert_diag(&f.d, QPP_NEGATIVE_COUNT, "/group/0/population/3/count");
    done(&f);
}

static void test_report_place_names_the_report(void **state)
{
    struct fx f;
    struct qpp_place at;

    (void)state;
    read_report(&f, "report-summary.json", "/entry/0/resource");
    at = qpp_report_place(f.r);
    assert_string_equal(at.source, "reports.json");
    assert_int_equal(at.line, 3);
    assert_string_equal(at.resource, "MeasureReport/mr1");
    assert_null(at.pointer);
    done(&f);
    read_report(&f, "report-noid-negative.json", "/entry/2/resource");
    at = qpp_report_place(f.r);
    assert_string_equal(at.resource, "MeasureReport");
    assert_string_equal(at.pointer, "/entry/2/resource");
    done(&f);
}

static void test_report_data_collection_needs_no_groups(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-data-collection.json", NULL);
    assert_no_errors(&f.d);
    assert_int_equal(f.r->type, QPP_REPORT_DATA_COLLECTION);
    assert_int_equal(f.r->ngroups, 0);
    done(&f);
}

static void test_report_not_complete_is_a_warning(void **state)
{
    struct fx f;
    const struct qpp_diag *g;

    (void)state;
    read_report(&f, "report-pending-no-measure.json", NULL);
    g = diag_find(&f.d, QPP_REPORT_NOT_COMPLETE, "/status");
    assert_non_null(g);
    assert_int_equal(g->severity, QPP_WARNING);
    done(&f);
}

static void test_report_without_measure_is_invalid(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-pending-no-measure.json", NULL);
    assert_diag(&f.d, QPP_REPORT_INVALID, "/measure");
    assert_null(f.r->measure);
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_unknown_type_is_invalid(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-bad-type.json", NULL); /* DSTU3's patient-list */
    assert_diag(&f.d, QPP_REPORT_INVALID, "/type");
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_missing_type_is_invalid(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-no-type.json", NULL);
    assert_diag(&f.d, QPP_REPORT_INVALID, "/type");
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_without_period_is_period_missing(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-no-period.json", NULL);
    assert_non_null(diag_first(&f.d, QPP_PERIOD_MISSING));
    assert_false(f.r->has_period);
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_period_without_end_is_period_missing(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-period-no-end.json", NULL);
    assert_diag(&f.d, QPP_PERIOD_MISSING, "/period");
    assert_false(f.r->has_period);
    done(&f);
}

static void test_report_invalid_period_ends_point_at_each(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-period-invalid.json", NULL);
    assert_diag(&f.d, QPP_PERIOD_INVALID, "/period/start");
    assert_diag(&f.d, QPP_PERIOD_INVALID, "/period/end");
    assert_false(f.r->has_period);
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_reversed_period(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-period-reversed.json", NULL);
    assert_diag(&f.d, QPP_PERIOD_REVERSED, "/period");
    assert_false(f.r->has_period);
    done(&f);
}

static void test_report_one_day_period_is_in_order(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-period-same-day.json", NULL);
    assert_no_diag(&f.d, QPP_PERIOD_REVERSED);
    assert_true(f.r->has_period);
    done(&f);
}

static void test_report_without_group_is_invalid(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-no-group.json", NULL);
    assert_non_null(diag_first(&f.d, QPP_REPORT_INVALID));
    assert_true(f.r->invalid);
    assert_int_equal(f.r->ngroups, 0);
    done(&f);
    read_report(&f, "report-empty-group.json", NULL);
    assert_diag(&f.d, QPP_REPORT_INVALID, "/group");
    assert_true(f.r->invalid);
    done(&f);
}

static void test_report_malformed_groups_point_at_each(void **state)
{
    struct fx f;

    (void)state;
    read_report(&f, "report-group-shapes.json", NULL);
    assert_diag(&f.d, QPP_REPORT_INVALID, "/group/0/population");
    assert_diag(&f.d, QPP_REPORT_INVALID, "/group/1");
    assert_diag(&f.d, QPP_REPORT_INVALID, "/group/2/population");
    assert_null(diag_find(&f.d, QPP_REPORT_INVALID, "/group/3/population"));
    assert_int_equal(f.r->ngroups, 4);
    assert_string_equal(f.r->groups[0].id, "a");
    done(&f);
}

static void test_report_type_names(void **state)
{
    (void)state;
    assert_string_equal(qpp_report_type_name(QPP_REPORT_SUMMARY), "summary");
    assert_string_equal(qpp_report_type_name(QPP_REPORT_INDIVIDUAL), "individual");
    assert_string_equal(qpp_report_type_name(QPP_REPORT_SUBJECT_LIST), "subject-list");
    assert_string_equal(qpp_report_type_name(QPP_REPORT_DATA_COLLECTION),
                        "data-collection");
}

static void test_report_population_codes(void **state)
{
    (void)state;
    assert_string_equal(qpp_pop_code[QPP_POP_IP], "initial-population");
    assert_string_equal(qpp_pop_code[QPP_POP_DENOM], "denominator");
    assert_string_equal(qpp_pop_code[QPP_POP_DENEX], "denominator-exclusion");
    assert_string_equal(qpp_pop_code[QPP_POP_DENEXCEP], "denominator-exception");
    assert_string_equal(qpp_pop_code[QPP_POP_NUMER], "numerator");
    assert_string_equal(qpp_pop_code[QPP_POP_NUMEX], "numerator-exclusion");
}

static void test_report_free_accepts_null(void **state)
{
    (void)state;
    qpp_report_free(NULL);
}

static void set_group(struct qpp_group *g, char *id, long long ip, long long den,
                      long long denex, long long num)
{
    memset(g, 0, sizeof *g);
    g->id = id;
    g->count[QPP_POP_IP] = ip;
    g->count[QPP_POP_DENOM] = den;
    g->count[QPP_POP_DENEX] = denex;
    g->count[QPP_POP_NUMER] = num;
    g->present =
        BIT(QPP_POP_IP) | BIT(QPP_POP_DENOM) | BIT(QPP_POP_DENEX) | BIT(QPP_POP_NUMER);
}

static void test_report_groups_matched_by_id_when_ids_settle_it(void **state)
{
    char g1[] = "g1", g2[] = "g2", g3[] = "g3";
    struct qpp_group a[3], b[3];
    size_t perm[3];

    (void)state;
    set_group(&a[0], g1, 0, 0, 0, 0);
    set_group(&a[1], g2, 0, 0, 0, 0);
    set_group(&a[2], g3, 0, 0, 0, 0);
    set_group(&b[0], g3, 0, 0, 0, 0);
    set_group(&b[1], g1, 0, 0, 0, 0);
    set_group(&b[2], g2, 0, 0, 0, 0);
    assert_int_equal(qpp_report_match_groups(a, 3, b, 3, perm), 0);
    assert_int_equal(perm[0], 2);
    assert_int_equal(perm[1], 0);
    assert_int_equal(perm[2], 1);
    /* Ids on every group of one side only: the order of the named side
     * may not be the other's, so no match (not a guess by position). */
    b[1].id = NULL;
    assert_int_equal(qpp_report_match_groups(a, 3, b, 3, perm), -1);
    assert_int_equal(qpp_report_match_groups(b, 3, a, 3, perm), -1);
    /* Without ids on every group of either side: by position. */
    a[1].id = NULL;
    assert_int_equal(qpp_report_match_groups(a, 3, b, 3, perm), 0);
    assert_int_equal(perm[0], 0);
    assert_int_equal(perm[2], 2);
    a[1].id = g2;
    /* Ids that name other groups, or other numbers of groups: no match. */
    b[1].id = g3;
    b[0].id = g1;
    b[2].id = g2;
    a[2].id = g1 + 1; /* "1": not an id of b */
    assert_int_equal(qpp_report_match_groups(a, 3, b, 3, perm), -1);
    assert_int_equal(qpp_report_match_groups(a, 2, b, 3, perm), -1);
}

static void test_report_individual_judged_on_its_own(void **state)
{
    struct qpp_report r;
    struct qpp_group g[2];
    struct qpp_diags d;

    (void)state;
    memset(&r, 0, sizeof r);
    r.type = QPP_REPORT_INDIVIDUAL;
    r.groups = g;
    r.ngroups = 2;
    /* Numerator 1 with denominator 0: impossible for one patient. */
    set_group(&g[0], NULL, 1, 0, 0, 1);
    set_group(&g[1], NULL, 1, 1, 0, 1);
    qpp_diags_init(&d);
    assert_int_equal(qpp_report_judge(&r, 0, 0, &d), 0);
    assert_true(r.invalid);
    assert_int_equal(diag_count(&d, QPP_NEGATIVE_NOT_MET), 1);
    assert_string_equal(diag_first(&d, QPP_NEGATIVE_NOT_MET)->pointer, "/group/0");
    qpp_diags_free(&d);
    /* Excluded and met: likewise. */
    memset(&r, 0, sizeof r);
    r.type = QPP_REPORT_INDIVIDUAL;
    r.groups = g;
    r.ngroups = 1;
    set_group(&g[0], NULL, 1, 1, 1, 1);
    qpp_diags_init(&d);
    assert_int_equal(qpp_report_judge(&r, 0, 0, &d), 0);
    assert_true(r.invalid);
    qpp_diags_free(&d);
    /* Counts above 1 are noted for the Measure's basis to judge. */
    memset(&r, 0, sizeof r);
    r.type = QPP_REPORT_INDIVIDUAL;
    r.groups = g;
    r.ngroups = 2;
    set_group(&g[0], NULL, 1, 1, 0, 1);
    set_group(&g[1], NULL, 40, 40, 0, 30);
    qpp_diags_init(&d);
    assert_int_equal(qpp_report_judge(&r, 0, 0, &d), 0);
    assert_false(r.invalid);
    assert_int_equal(d.len, 0);
    assert_int_equal(r.nover, 1);
    assert_int_equal(r.over_groups, 2u);
    assert_int_equal(r.over_group, 1);
    assert_true(r.over_count == 40);
    qpp_diags_free(&d);
    /* A summary is judged when it is mapped, not here. */
    r.type = QPP_REPORT_SUMMARY;
    set_group(&g[0], NULL, 1, 0, 0, 1);
    r.nover = 0;
    qpp_diags_init(&d);
    assert_int_equal(qpp_report_judge(&r, 0, 0, &d), 0);
    assert_int_equal(d.len, 0);
    qpp_diags_free(&d);
}

/* A report's strings and groups live in blocks of its own: many groups with
 * long ids (several blocks, one larger than a block's most) keep every id
 * and count, and the strings read before them. */
static void test_report_many_groups_keep_their_ids_and_counts(void **state)
{
    enum { NG = 3000 };
    json_t *mr = json_pack("{s:s, s:s, s:s, s:s, s:s, s:{s:s, s:s}}", "resourceType",
                           "MeasureReport", "id", "many", "status", "complete", "type",
                           "summary", "measure", "https://example.org/Measure/m",
                           "period", "start", "2025-01-01", "end", "2025-12-31");
    json_t *groups = json_array();
    struct qpp_place at = {"reports.json", 3, 1, NULL, NULL};
    struct qpp_diags d;
    struct qpp_tree tree;
    struct qpp_report *r = NULL;
    char id[300];
    size_t i;

    (void)state;
    for (i = 0; i < NG; i++) {
        memset(id, 'g', sizeof id - 12);
        snprintf(id + sizeof id - 12, 12, "%zu", i);
        json_array_append_new(
            groups, json_pack("{s:s, s:[{s:{s:[{s:s, s:s}]}, s:I}]}", "id", id,
                              "population", "code", "coding", "system",
                              "http://terminology.hl7.org/CodeSystem/measure-population",
                              "code", "initial-population", "count", (json_int_t)i));
    }
    json_object_set_new(mr, "group", groups);
    qpp_diags_init(&d);
    assert_int_equal(qpp_report_read(json_tree(mr, &tree), &at, &r, &d), 0);
    assert_non_null(r);
    assert_int_equal(r->ngroups, NG);
    for (i = 0; i < NG; i++) {
        memset(id, 'g', sizeof id - 12);
        snprintf(id + sizeof id - 12, 12, "%zu", i);
        assert_string_equal(r->groups[i].id, id);
        assert_true(r->groups[i].count[QPP_POP_IP] == (long long)i);
    }
    assert_string_equal(r->id, "many");
    assert_string_equal(r->name, "MeasureReport/many");
    assert_string_equal(r->source, "reports.json");
    assert_string_equal(r->measure, "https://example.org/Measure/m");
    assert_string_equal(r->period_start, "2025-01-01");
    assert_string_equal(r->period_end, "2025-12-31");
    qpp_report_free(r);
    qpp_tree_free(&tree);
    json_decref(mr);
    qpp_diags_free(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_report_reads_summary_counts_per_group),
        cmocka_unit_test(test_report_keeps_ids_names_and_references),
        cmocka_unit_test(test_report_reads_period),
        cmocka_unit_test(test_report_reads_subject_list_with_offset_period),
        cmocka_unit_test(test_report_subject_list_longer_than_count_is_an_error),
        cmocka_unit_test(test_report_lists_of_other_types_are_not_checked),
        cmocka_unit_test(test_report_test_case_modifier_sets_flag),
        cmocka_unit_test(test_report_test_case_modifier_false_is_understood),
        cmocka_unit_test(test_report_unknown_modifier_is_an_error),
        cmocka_unit_test(test_report_count_real_string_negative_missing_have_pointers),
        cmocka_unit_test(test_report_missing_count_is_a_warning_and_zero),
        cmocka_unit_test(test_report_without_id_points_from_the_file_value),
        cmocka_unit_test(test_report_with_id_points_from_the_resource),
        cmocka_unit_test(test_report_place_names_the_report),
        cmocka_unit_test(test_report_data_collection_needs_no_groups),
        cmocka_unit_test(test_report_not_complete_is_a_warning),
        cmocka_unit_test(test_report_without_measure_is_invalid),
        cmocka_unit_test(test_report_unknown_type_is_invalid),
        cmocka_unit_test(test_report_missing_type_is_invalid),
        cmocka_unit_test(test_report_without_period_is_period_missing),
        cmocka_unit_test(test_report_period_without_end_is_period_missing),
        cmocka_unit_test(test_report_invalid_period_ends_point_at_each),
        cmocka_unit_test(test_report_reversed_period),
        cmocka_unit_test(test_report_one_day_period_is_in_order),
        cmocka_unit_test(test_report_without_group_is_invalid),
        cmocka_unit_test(test_report_malformed_groups_point_at_each),
        cmocka_unit_test(test_report_type_names),
        cmocka_unit_test(test_report_population_codes),
        cmocka_unit_test(test_report_free_accepts_null),
        cmocka_unit_test(test_report_reads_a_partial_sum),
        cmocka_unit_test(test_report_partial_sum_must_be_a_summary),
        cmocka_unit_test(test_report_groups_matched_by_id_when_ids_settle_it),
        cmocka_unit_test(test_report_individual_judged_on_its_own),
        cmocka_unit_test(test_report_many_groups_keep_their_ids_and_counts),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
