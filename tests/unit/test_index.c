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

    struct qpp_read_options ro = {2, NULL, NULL};

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
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
