/* SPDX-License-Identifier: MIT */
/* Unit tests for index.c: finding resources, copies and duplicates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "index.h"
#include "read.h"
#include "testutil.h"
#include "util.h"

struct fx {
    struct qpp_diags d;
    struct qpp_index *ix;
};

static void index_fixture(struct fx *f, const char *name)
{
    size_t len;
    char *buf = fixture_bytes(name, &len);

    struct qpp_read_options ro = {2, NULL, NULL, NULL, 0};

    qpp_diags_init(&f->d);
    f->ix = qpp_index_new(&f->d, NULL, 0);
    assert_non_null(f->ix);
    assert_int_equal(qpp_read_buffer(buf, len, name, &ro, qpp_index_add, f->ix, &f->d),
                     0);
    free(buf);
}

static const struct qpp_report *find_report(const struct qpp_index *ix, const char *id)
{
    size_t i;

    for (i = 0; i < ix->nreports; i++)
        if (qpp_streq(ix->reports[i]->id, id))
            return ix->reports[i];
    return NULL;
}

static void done(struct fx *f)
{
    qpp_index_free(f->ix);
    qpp_diags_free(&f->d);
}

static void test_index_identical_copies_count_once(void **state)
{
    struct fx f;
    size_t i;

    (void)state;
    index_fixture(&f, "index-dupes.ndjson");
    /* Lines 1 and 2 are the same Organization with keys in another order;
     * lines 8 and 9 the same MeasureReport.  Neither copy is a problem. */
    for (i = 0; i < f.d.len; i++)
        if (f.d.v[i].code == QPP_DUPLICATE_RESOURCE &&
            (f.d.v[i].line == 2 || f.d.v[i].line == 9))
            fail_msg("identical copy on line %d reported", f.d.v[i].line);
    assert_int_equal(f.ix->nres[QPP_ORGANIZATION], 1);
    assert_int_equal(f.ix->nreports, 1);
    done(&f);
}

static void test_index_different_content_same_id_is_duplicate_resource(void **state)
{
    struct fx f;
    size_t i, n = 0;

    (void)state;
    index_fixture(&f, "index-dupes.ndjson");
    for (i = 0; i < f.d.len; i++) {
        const struct qpp_diag *g = &f.d.v[i];
        if (g->code != QPP_DUPLICATE_RESOURCE)
            continue;
        n++;
        assert_string_equal(g->source, "index-dupes.ndjson");
        if (strcmp(g->resource, "Organization/o1") == 0)
            assert_int_equal(g->line, 3);
        else if (strcmp(g->resource, "MeasureReport/mr1") == 0)
            assert_int_equal(g->line, 10);
        else
            fail_msg("duplicate-resource for %s", g->resource);
        assert_int_equal(g->severity, QPP_ERROR);
    }
    assert_int_equal(n, 2);
    done(&f);
}

static void test_index_keeps_the_first_of_a_duplicate(void **state)
{
    struct fx f;
    const struct qpp_resource *org;
    const struct qpp_report *r;

    (void)state;
    index_fixture(&f, "index-dupes.ndjson");
    org = qpp_index_find(f.ix, QPP_ORGANIZATION, "o1");
    assert_non_null(org);
    assert_string_equal(json_string_value(json_object_get(org->json, "name")), "A");
    assert_int_equal(org->line, 1);
    r = find_report(f.ix, "mr1");
    assert_non_null(r);
    assert_true(r->groups[0].count[QPP_POP_NUMER] == 4);
    done(&f);
}

static void test_index_same_id_in_other_types_is_no_duplicate(void **state)
{
    struct fx f;
    const struct qpp_resource *lib;

    (void)state;
    index_fixture(&f, "index-dupes.ndjson");
    lib = qpp_index_find(f.ix, QPP_LIBRARY, "o1");
    assert_non_null(lib);
    assert_string_equal(lib->name, "Library/o1");
    assert_string_equal(lib->url, "http://example.org/Library/qpp");
    assert_string_equal(lib->version, "2025");
    done(&f);
}

static void test_index_counts_skipped_types(void **state)
{
    struct fx f;

    (void)state;
    index_fixture(&f, "index-dupes.ndjson");
    assert_int_equal(json_integer_value(json_object_get(f.ix->skipped, "Patient")), 2);
    assert_int_equal(json_integer_value(json_object_get(f.ix->skipped, "Encounter")), 1);
    assert_null(json_object_get(f.ix->skipped, "Organization"));
    assert_null(json_object_get(f.ix->skipped, "MeasureReport"));
    assert_null(json_object_get(f.ix->skipped, "Measure"));
    assert_null(json_object_get(f.ix->skipped, "Library"));
    assert_int_equal(json_object_size(f.ix->skipped), 2);
    assert_int_equal(diag_count(&f.d, QPP_SKIPPED_RESOURCES), 0); /* counted, not said */
    done(&f);
}

static void test_index_finds_measure_by_id_with_url_and_version(void **state)
{
    struct fx f;
    const struct qpp_resource *m;
    struct qpp_place at;

    (void)state;
    index_fixture(&f, "index-dupes.ndjson");
    m = qpp_index_find(f.ix, QPP_MEASURE, "m1");
    assert_non_null(m);
    assert_string_equal(m->id, "m1");
    assert_string_equal(m->url, "http://example.org/Measure/m1");
    assert_string_equal(m->version, "1.0");
    assert_string_equal(m->name, "Measure/m1");
    at = qpp_resource_place(m);
    assert_string_equal(at.source, "index-dupes.ndjson");
    assert_int_equal(at.line, 11);
    assert_string_equal(at.resource, "Measure/m1");
    assert_null(at.pointer);
    assert_null(qpp_index_find(f.ix, QPP_MEASURE, "m2"));
    assert_null(qpp_index_find(f.ix, QPP_ORGANIZATION, "m1"));
    assert_null(find_report(f.ix, "nope"));
    done(&f);
}

static void test_index_bundle_with_nested_copy_counts_once(void **state)
{
    struct fx f;

    (void)state;
    index_fixture(&f, "index-bundle-copy.json");
    assert_no_diag(&f.d, QPP_DUPLICATE_RESOURCE);
    assert_non_null(find_report(f.ix, "mr2"));
    /* mr2 once, and the two reports without an id, which cannot be told
     * apart from two real ones. */
    assert_int_equal(f.ix->nreports, 3);
    done(&f);
}

static void test_index_resource_without_id_is_placed_by_pointer(void **state)
{
    struct fx f;
    const struct qpp_resource *org;
    struct qpp_place at;

    (void)state;
    index_fixture(&f, "index-bundle-copy.json");
    assert_int_equal(f.ix->nres[QPP_ORGANIZATION], 1);
    org = &f.ix->res[QPP_ORGANIZATION][0];
    assert_null(org->id);
    assert_string_equal(org->name, "Organization");
    at = qpp_resource_place(org);
    assert_string_equal(at.resource, "Organization");
    assert_string_equal(at.pointer, "/entry/1/resource");
    done(&f);
}

static void test_index_new_and_free_empty(void **state)
{
    struct qpp_diags d;
    struct qpp_index *ix;

    (void)state;
    qpp_diags_init(&d);
    ix = qpp_index_new(&d, NULL, 0);
    assert_non_null(ix);
    assert_int_equal(ix->nreports, 0);
    assert_null(qpp_index_find(ix, QPP_LIBRARY, "x"));
    qpp_index_free(ix);
    qpp_index_free(NULL);
    qpp_diags_free(&d);
}

/* ---- individual reports summed per Measure canonical ---- */

#define AGG_A "http://example.org/Measure/agg-a"
#define AGG_B "http://example.org/Measure/agg-b"

/* The index being read, for the teardown to free when a test fails (the
 * tests below keep it in static storage: the stack is gone by then). */
static struct fx *agg_live;

static void agg_done(struct fx *f)
{
    done(f);
    agg_live = NULL;
}

static int agg_teardown(void **state)
{
    (void)state;
    if (agg_live)
        agg_done(agg_live);
    return 0;
}

/* Read the files in turn into one index, keeping only ids (when given). */
static void agg_index(struct fx *f, const char *const *names, size_t n,
                      const char *const *ids, size_t nids, int jobs)
{
    struct qpp_read_options ro = {jobs, NULL, NULL, NULL, 0};
    size_t i;

    qpp_diags_init(&f->d);
    agg_live = f;
    f->ix = qpp_index_new(&f->d, ids, nids);
    assert_non_null(f->ix);
    for (i = 0; i < n; i++) {
        size_t len;
        char *buf = fixture_bytes(names[i], &len);
        assert_int_equal(
            qpp_read_buffer(buf, len, names[i], &ro, qpp_index_add, f->ix, &f->d), 0);
        free(buf);
    }
}

/* The sum of the individual reports of a canonical, or NULL. */
static const struct qpp_report *sum_of(const struct qpp_index *ix, const char *measure)
{
    size_t i;

    for (i = 0; i < ix->nreports; i++)
        if (ix->reports[i]->type == QPP_REPORT_INDIVIDUAL &&
            qpp_streq(ix->reports[i]->measure, measure))
            return ix->reports[i];
    return NULL;
}

static void assert_group(const struct qpp_report *r, size_t g, long long ip,
                         long long den, long long denex, long long denexcep,
                         long long num, long long numex)
{
    const long long *c;

    assert_true(g < r->ngroups);
    c = r->groups[g].count;
    if (c[QPP_POP_IP] != ip || c[QPP_POP_DENOM] != den || c[QPP_POP_DENEX] != denex ||
        c[QPP_POP_DENEXCEP] != denexcep || c[QPP_POP_NUMER] != num ||
        c[QPP_POP_NUMEX] != numex)
        fail_msg(
            "group %zu: %lld %lld %lld %lld %lld %lld, want %lld %lld %lld %lld %lld "
            "%lld",
            g, c[QPP_POP_IP], c[QPP_POP_DENOM], c[QPP_POP_DENEX], c[QPP_POP_DENEXCEP],
            c[QPP_POP_NUMER], c[QPP_POP_NUMEX], ip, den, denex, denexcep, num, numex);
}

/* The one diagnostic with this code, checked for its place. */
static const struct qpp_diag *assert_diag_place(const struct qpp_diags *d,
                                                enum qpp_code code, const char *source,
                                                int line, const char *resource)
{
    size_t i;

    for (i = 0; i < d->len; i++) {
        const struct qpp_diag *g = &d->v[i];
        if (g->code == code && qpp_streq(g->source, source) && g->line == line &&
            qpp_streq(g->resource, resource))
            return g;
    }
    diag_dump(d);
    fail_msg("no %s at %s:%d for %s", qpp_code_name(code), source, line, resource);
    return NULL;
}

static void test_index_individual_reports_summed_group_by_group(void **state)
{
    static const char *const files[] = {"agg-sum.ndjson"};
    const struct qpp_report *a, *b;
    static struct fx f;
    int jobs;

    (void)state;
    /* One thread or several: the same sums. */
    for (jobs = 1; jobs <= 4; jobs += 3) {
        agg_index(&f, files, 1, NULL, 0, jobs);
        assert_no_errors(&f.d);
        assert_int_equal(f.ix->nreports, 2); /* one sum per canonical */
        a = sum_of(f.ix, AGG_A);
        b = sum_of(f.ix, AGG_B);
        assert_non_null(a);
        assert_non_null(b);
        /* r1, r2, r4 and r5, into the first of them. */
        assert_string_equal(a->id, "r1");
        assert_int_equal(a->nreports, 4);
        assert_int_equal(a->ngroups, 2);
        assert_group(a, 0, 4, 3, 1, 0, 2, 1);
        assert_group(a, 1, 3, 2, 0, 0, 1, 0);
        assert_false(a->invalid);
        /* Patient/1 again, but for another measure: no problem. */
        assert_string_equal(b->id, "r3");
        assert_int_equal(b->nreports, 1);
        assert_group(b, 0, 1, 1, 0, 0, 1, 0);
        assert_no_diag(&f.d, QPP_DUPLICATE_SUBJECT);
        agg_done(&f);
    }
}

static void test_index_subject_twice_names_the_first_place(void **state)
{
    static const char *const files[] = {"agg-subjects-a.ndjson", "agg-subjects-b.ndjson"};
    const struct qpp_diag *g;
    static struct fx f;

    (void)state;
    agg_index(&f, files, 2, NULL, 0, 2);
    assert_int_equal(diag_count(&f.d, QPP_DUPLICATE_SUBJECT), 3);
    /* Patient/11 of s4 (b, line 2) was counted by s2 (a, line 2). */
    g = assert_diag_place(&f.d, QPP_DUPLICATE_SUBJECT, "agg-subjects-b.ndjson", 2,
                          "MeasureReport/s4");
    assert_string_equal(g->pointer, "/subject");
    assert_non_null(strstr(g->message, "agg-subjects-a.ndjson:2:1"));
    /* Patient/10 of s5 (b, line 3), by s1 (a, line 1): the sum's own. */
    g = assert_diag_place(&f.d, QPP_DUPLICATE_SUBJECT, "agg-subjects-b.ndjson", 3,
                          "MeasureReport/s5");
    assert_non_null(strstr(g->message, "agg-subjects-a.ndjson:1:1"));
    /* Patient/12 of s6 (b, line 4), by s3 in the same file. */
    g = assert_diag_place(&f.d, QPP_DUPLICATE_SUBJECT, "agg-subjects-b.ndjson", 4,
                          "MeasureReport/s6");
    assert_non_null(strstr(g->message, "agg-subjects-b.ndjson:1:1"));
    assert_true(sum_of(f.ix, AGG_A)->invalid);
    agg_done(&f);
}

static void test_index_individual_copies_count_once(void **state)
{
    static const char *const files[] = {"agg-copies.ndjson"};
    const struct qpp_report *a;
    const struct qpp_diag *g;
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, NULL, 0, 2);
    a = sum_of(f.ix, AGG_A);
    assert_non_null(a);
    /* c1 three times (keys in another order, an escaped '/'), c2 twice. */
    assert_int_equal(a->nreports, 2);
    assert_group(a, 0, 2, 2, 0, 0, 1, 0);
    assert_no_diag(&f.d, QPP_DUPLICATE_SUBJECT);
    /* The second c2 has other counts: an error naming the first. */
    assert_int_equal(diag_count(&f.d, QPP_DUPLICATE_RESOURCE), 1);
    g = assert_diag_place(&f.d, QPP_DUPLICATE_RESOURCE, "agg-copies.ndjson", 4,
                          "MeasureReport/c2");
    assert_non_null(strstr(g->message, "agg-copies.ndjson:3"));
    agg_done(&f);
}

static void test_index_reports_without_subject_each_count(void **state)
{
    static const char *const files[] = {"agg-no-subject.ndjson"};
    const struct qpp_report *a;
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, NULL, 0, 2);
    a = sum_of(f.ix, AGG_A);
    assert_non_null(a);
    /* Two without id are alike, yet both count: nothing tells them apart. */
    assert_int_equal(a->nreports, 5);
    assert_int_equal(a->ntest, 2);
    assert_group(a, 0, 5, 4, 0, 0, 3, 0);
    assert_no_diag(&f.d, QPP_DUPLICATE_SUBJECT);
    assert_no_diag(&f.d, QPP_DUPLICATE_RESOURCE);
    agg_done(&f);
}

static void test_index_other_periods_are_kept_as_variants(void **state)
{
    static const char *const files[] = {"agg-periods.ndjson"};
    const struct qpp_report *a;
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, NULL, 0, 2);
    a = sum_of(f.ix,
               "https://madie.cms.gov/Measure/CMS165FHIRControllingHighBloodPressure");
    assert_non_null(a);
    assert_int_equal(a->nreports, 5);
    assert_group(a, 0, 5, 5, 0, 0, 3, 0);
    /* v2 (half a year; v3 has the same period) and v4 (2024). */
    assert_int_equal(a->nvariants, 2);
    assert_string_equal(a->variants[0]->id, "v2");
    assert_int_equal(a->variants[0]->line, 3);
    assert_string_equal(a->variants[1]->id, "v4");
    assert_int_equal(a->variants[1]->line, 5);
    agg_done(&f);
}

static void test_index_group_count_mismatch_makes_the_sum_invalid(void **state)
{
    static const char *const files[] = {"agg-group-mismatch.ndjson"};
    const struct qpp_report *a;
    const struct qpp_diag *g;
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, NULL, 0, 2);
    g = assert_diag_place(&f.d, QPP_GROUP_MISMATCH, "agg-group-mismatch.ndjson", 3,
                          "MeasureReport/g2");
    assert_string_equal(g->pointer, "/group");
    a = sum_of(f.ix,
               "https://madie.cms.gov/Measure/CMS165FHIRControllingHighBloodPressure");
    assert_non_null(a);
    assert_true(a->invalid);
    agg_done(&f);
}

static void test_index_invalid_report_makes_its_measure_unusable(void **state)
{
    static const char *const later[] = {"agg-invalid.ndjson"};
    static const char *const first[] = {"agg-invalid-first.ndjson"};
    static struct fx f;

    (void)state;
    agg_index(&f, later, 1, NULL, 0, 2);
    assert_diag(&f.d, QPP_NEGATIVE_COUNT, "/group/0/population/2/count");
    assert_true(
        sum_of(f.ix,
               "https://madie.cms.gov/Measure/CMS165FHIRControllingHighBloodPressure")
            ->invalid);
    /* The other measure is not touched. */
    assert_false(
        sum_of(f.ix, "https://madie.cms.gov/Measure/CMS122FHIRDiabetesGlycemicStatus")
            ->invalid);
    agg_done(&f);
    /* The first report of the measure is the invalid one. */
    agg_index(&f, first, 1, NULL, 0, 2);
    assert_diag(&f.d, QPP_COUNT_NOT_INTEGER, "/group/0/population/2/count");
    assert_true(
        sum_of(f.ix,
               "https://madie.cms.gov/Measure/CMS165FHIRControllingHighBloodPressure")
            ->invalid);
    agg_done(&f);
}

static void test_index_selection_of_individual_reports_by_id(void **state)
{
    static const char *const files[] = {"agg-sum.ndjson"};
    static const char *const ids[] = {"r2", "r4"};
    static const char *const others[] = {"r3", "nope"};
    const struct qpp_report *a;
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, ids, 2, 2);
    assert_int_equal(f.ix->nreports, 1);
    a = sum_of(f.ix, AGG_A);
    assert_non_null(a);
    assert_string_equal(a->id, "r2");
    assert_int_equal(a->nreports, 2);
    assert_group(a, 0, 2, 1, 1, 0, 0, 0);
    assert_group(a, 1, 2, 1, 0, 0, 1, 0);
    assert_null(sum_of(f.ix, AGG_B));
    assert_true(f.ix->report_found[0] && f.ix->report_found[1]);
    agg_done(&f);
    agg_index(&f, files, 1, others, 2, 2);
    assert_int_equal(f.ix->nreports, 1);
    assert_string_equal(sum_of(f.ix, AGG_B)->id, "r3");
    assert_true(f.ix->report_found[0]);
    assert_false(f.ix->report_found[1]);
    agg_done(&f);
}

/* The one diagnostic of code is at line:column. */
static void assert_code_at(const struct qpp_diags *d, enum qpp_code code,
                           const char *source, int line, int column)
{
    const struct qpp_diag *g = diag_first(d, code);

    if (diag_count(d, code) != 1 || !qpp_streq(g->source, source) || g->line != line ||
        g->column != column) {
        diag_dump(d);
        fail_msg("want one %s at %s:%d:%d", qpp_code_name(code), source, line, column);
    }
}

static void assert_syntax_at(const struct qpp_diags *d, const char *source, int line,
                             int column)
{
    assert_code_at(d, QPP_JSON_SYNTAX, source, line, column);
}

static void test_index_syntax_error_in_a_bundle_frame_is_placed(void **state)
{
    static const char *const files[] = {"split-error-missing-comma.json"};
    static struct fx f;

    (void)state;
    /* The second entry's '{' where ',' or ']' belongs. */
    agg_index(&f, files, 1, NULL, 0, 2);
    assert_syntax_at(&f.d, "split-error-missing-comma.json", 3, 3);
    agg_done(&f);
}

static void test_index_syntax_error_in_an_entry_resource_is_placed(void **state)
{
    static const char *const files[] = {"split-error-in-entry.json"};
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, NULL, 0, 2);
    assert_syntax_at(&f.d, "split-error-in-entry.json", 4, 23);
    /* The entry before it was read. */
    assert_non_null(qpp_index_find(f.ix, QPP_ORGANIZATION, "o1"));
    agg_done(&f);
}

static void test_index_premature_end_of_a_bundle_is_placed(void **state)
{
    static const char *const files[] = {"split-error-truncated.json"};
    static struct fx f;

    (void)state;
    agg_index(&f, files, 1, NULL, 0, 2);
    /* The file ends inside the Bundle: cut short, said as such. */
    assert_code_at(&f.d, QPP_INPUT_TRUNCATED, "split-error-truncated.json", 2, 56);
    agg_done(&f);
}

static void test_index_syntax_error_in_a_bundle_frame_has_no_pointer(void **state)
{
    static const char *const names[] = {"split-error-missing-comma.json",
                                        "split-error-truncated.json",
                                        "split-error-in-entry.json"};
    size_t i;

    (void)state;
    /* A syntax error is placed by line and column alone, as test_read.c
     * expects of one inside a value: no JSON Pointer (there is no resource
     * for it to point into). */
    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        static struct fx f;
        const struct qpp_diag *g;

        agg_index(&f, &names[i], 1, NULL, 0, 2);
        g = diag_first(&f.d, QPP_JSON_SYNTAX);
        if (!g)
            g = diag_first(&f.d, QPP_INPUT_TRUNCATED);
        assert_non_null(g);
        if (g->pointer)
            fail_msg("%s: json-syntax at %d:%d has pointer %s", names[i], g->line,
                     g->column, g->pointer);
        agg_done(&f);
    }
}

static void test_index_bad_ndjson_line_ends_the_file(void **state)
{
    static const char *const files[] = {"split-ndjson-bad-line.ndjson"};
    static struct fx f;
    int jobs;

    (void)state;
    for (jobs = 1; jobs <= 4; jobs += 3) {
        agg_index(&f, files, 1, NULL, 0, jobs);
        assert_syntax_at(&f.d, "split-ndjson-bad-line.ndjson", 2, 32);
        /* Nothing after the error is read. */
        assert_null(qpp_index_find(f.ix, QPP_ORGANIZATION, "o9"));
        agg_done(&f);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_index_identical_copies_count_once),
        cmocka_unit_test(test_index_different_content_same_id_is_duplicate_resource),
        cmocka_unit_test(test_index_keeps_the_first_of_a_duplicate),
        cmocka_unit_test(test_index_same_id_in_other_types_is_no_duplicate),
        cmocka_unit_test(test_index_counts_skipped_types),
        cmocka_unit_test(test_index_finds_measure_by_id_with_url_and_version),
        cmocka_unit_test(test_index_bundle_with_nested_copy_counts_once),
        cmocka_unit_test(test_index_resource_without_id_is_placed_by_pointer),
        cmocka_unit_test(test_index_new_and_free_empty),
        cmocka_unit_test_teardown(test_index_individual_reports_summed_group_by_group,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_subject_twice_names_the_first_place,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_individual_copies_count_once, agg_teardown),
        cmocka_unit_test_teardown(test_index_reports_without_subject_each_count,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_other_periods_are_kept_as_variants,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_group_count_mismatch_makes_the_sum_invalid,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_invalid_report_makes_its_measure_unusable,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_selection_of_individual_reports_by_id,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_syntax_error_in_a_bundle_frame_is_placed,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_syntax_error_in_an_entry_resource_is_placed,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_premature_end_of_a_bundle_is_placed,
                                  agg_teardown),
        cmocka_unit_test_teardown(test_index_bad_ndjson_line_ends_the_file, agg_teardown),
        cmocka_unit_test_teardown(
            test_index_syntax_error_in_a_bundle_frame_has_no_pointer, agg_teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
