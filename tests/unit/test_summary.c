/* SPDX-License-Identifier: MIT */
/* Unit tests for summary.c: the summary MeasureReport as written, and the
 * partial-sum extension read back, merged, and refused when malformed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "summary.h"
#include "testutil.h"
#include "util.h"

/* The digests of "a" and "b" (the fixtures' two digests), sorted. */
static void two_digests(unsigned char d[2][QPP_SHA256_LEN])
{
    struct qpp_sha256 c;

    qpp_sha256_init(&c);
    qpp_sha256_update(&c, "b", 1);
    qpp_sha256_final(&c, d[0]); /* 3e23... */
    qpp_sha256_init(&c);
    qpp_sha256_update(&c, "a", 1);
    qpp_sha256_final(&c, d[1]); /* ca97... */
}

static char gid[] = "group-1";

static void test_summary_write_matches_the_fixture(void **state)
{
    unsigned char d[2][QPP_SHA256_LEN];
    struct qpp_partial p = {d, 2, 7, 1};
    struct qpp_group g[2];
    struct qpp_summary s = {"http://ecqi.healthit.gov/ecqms/Measure/Example|1.0.0",
                            "047",
                            "2025-01-01",
                            "2025-12-31",
                            NULL,
                            "123456789",
                            g,
                            2,
                            &p};
    json_t *mr = NULL, *want = fixture_json("summary-expected.json");

    (void)state;
    two_digests(d);
    memset(g, 0, sizeof g);
    g[0].id = gid;
    g[0].present = 1u << QPP_POP_IP | 1u << QPP_POP_DENOM | 1u << QPP_POP_NUMER;
    g[0].count[QPP_POP_IP] = 7;
    g[0].count[QPP_POP_DENOM] = 6;
    g[0].count[QPP_POP_NUMER] = 4;
    g[1].present = 1u << QPP_POP_DENOM | 1u << QPP_POP_DENEX;
    g[1].count[QPP_POP_DENOM] = 2;
    assert_int_equal(qpp_summary_write(&s, &mr), 0);
    if (!json_equal(mr, want)) {
        char *got = json_dumps(mr, JSON_COMPACT);
        fprintf(stderr, "got: %s\n", got);
        free(got);
        fail();
    }
    /* By reference when the reports name their reporter. */
    json_decref(mr);
    s.reporter = "Organization/org-1";
    assert_int_equal(qpp_summary_write(&s, &mr), 0);
    assert_string_equal(
        json_string_value(json_object_get(json_object_get(mr, "reporter"), "reference")),
        "Organization/org-1");
    json_decref(mr);
    json_decref(want);
}

static void test_summary_refuses_a_count_over_fhir_integer(void **state)
{
    unsigned char d[1][QPP_SHA256_LEN] = {{0}};
    struct qpp_partial p = {d, 1, 1, 0};
    struct qpp_group g;
    struct qpp_summary s = {
        "http://x/Measure/m", "001", "2025", "2025", NULL, NULL, &g, 1, &p};
    json_t *mr = NULL;

    (void)state;
    memset(&g, 0, sizeof g);
    g.present = 1u << QPP_POP_DENOM;
    g.count[QPP_POP_DENOM] = 2147483648LL;
    assert_int_equal(qpp_summary_write(&s, &mr), 1);
    assert_null(mr);
    g.count[QPP_POP_DENOM] = 2147483647LL;
    assert_int_equal(qpp_summary_write(&s, &mr), 0);
    json_decref(mr);
}

/* What is written reads back as the same partial sum. */
/* qpp_partial_read of a jansson value, read as a tree. */
static int partial_read(json_t *mr, const struct qpp_place *at, struct qpp_partial **out,
                        struct qpp_diags *d)
{
    struct qpp_tree t;
    int rc = qpp_partial_read(json_tree(mr, &t), at, out, d);

    qpp_tree_free(&t);
    return rc;
}

static void test_summary_round_trip(void **state)
{
    unsigned char d[2][QPP_SHA256_LEN];
    struct qpp_partial p = {d, 2, 9, 0}, *back = NULL;
    struct qpp_group g;
    struct qpp_summary s = {
        "http://x/Measure/m", "001", "2025", "2025", NULL, NULL, &g, 1, &p};
    struct qpp_place at = {"t", -1, -1, "MeasureReport", NULL};
    struct qpp_diags diags;
    json_t *mr = NULL;

    (void)state;
    two_digests(d);
    memset(&g, 0, sizeof g);
    g.present = 1u << QPP_POP_DENOM;
    qpp_diags_init(&diags);
    assert_int_equal(qpp_summary_write(&s, &mr), 0);
    assert_int_equal(partial_read(mr, &at, &back, &diags), 0);
    assert_non_null(back);
    assert_int_equal(back->ndigests, 2);
    assert_memory_equal(back->digests, d, sizeof d);
    assert_int_equal(back->nreports, 9);
    assert_int_equal(back->ntest, 0);
    assert_int_equal(diags.len, 0);
    qpp_partial_free(back);
    json_decref(mr);
    qpp_diags_free(&diags);
}

static void test_partial_read_sorts_and_counts(void **state)
{
    json_t *mr = fixture_json("summary-partial-ok.json");
    struct qpp_place at = {"t", -1, -1, "MeasureReport", NULL};
    unsigned char d[2][QPP_SHA256_LEN];
    struct qpp_partial *p = NULL;
    struct qpp_diags diags;

    (void)state;
    two_digests(d);
    qpp_diags_init(&diags);
    assert_int_equal(partial_read(mr, &at, &p, &diags), 0);
    assert_non_null(p);
    assert_int_equal(p->ndigests, 2);
    assert_memory_equal(p->digests, d, sizeof d);
    assert_int_equal(p->nreports, 5);
    assert_int_equal(p->ntest, 1);
    qpp_partial_free(p);
    json_decref(mr);
    qpp_diags_free(&diags);
}

/* A report without the extension is no partial sum. */
static void test_partial_read_without_the_extension(void **state)
{
    json_t *mr = json_pack("{s:s,s:[{s:s}]}", "resourceType", "MeasureReport",
                           "extension", "url", "http://other/ext");
    struct qpp_place at = {"t", -1, -1, "MeasureReport", NULL};
    struct qpp_partial *p = (struct qpp_partial *)&at;
    struct qpp_diags diags;

    (void)state;
    qpp_diags_init(&diags);
    assert_int_equal(partial_read(mr, &at, &p, &diags), 0);
    assert_null(p);
    assert_int_equal(diags.len, 0);
    json_decref(mr);
    qpp_diags_free(&diags);
}

/* Each line of the fixture is malformed in its own way: report-invalid at
 * the place named, never a partial sum. */
static void test_partial_read_refuses_malformed_extensions(void **state)
{
    static const char *const where[] = {
        "/extension/0",             /* no digest */
        "/extension/0/extension/0", /* upper-case hex */
        "/extension/0/extension/0", /* no sha256: */
        "/extension/0/extension/0", /* 65 digits */
        "/extension/0",             /* one digest twice */
        "/extension/0/extension/1", /* an extension it does not define */
        "/extension/0/extension/1", /* reports 0 */
        "/extension/0/extension/2", /* reports twice */
        "/extension/1",             /* two partial-sum extensions */
        "/extension/0",             /* no extensions inside */
    };
    char *bytes = fixture_bytes("summary-partial-bad.ndjson", NULL), *line, *save = NULL;
    struct qpp_place at = {"t", -1, -1, "MeasureReport", NULL};
    size_t n = 0;

    (void)state;
    for (line = strtok_r(bytes, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_t *mr = json_loads(line, JSON_REJECT_DUPLICATES, NULL);
        struct qpp_partial *p = NULL;
        struct qpp_diags diags;

        assert_non_null(mr);
        assert_true(n < sizeof where / sizeof where[0]);
        qpp_diags_init(&diags);
        if (partial_read(mr, &at, &p, &diags) != 1 || diags.len != 1) {
            diag_dump(&diags);
            fail_msg("line %zu: not refused", n + 1);
        }
        assert_null(p);
        assert_diag(&diags, QPP_REPORT_INVALID, where[n]);
        qpp_diags_free(&diags);
        json_decref(mr);
        n++;
    }
    assert_int_equal(n, sizeof where / sizeof where[0]);
    free(bytes);
}

static void test_partial_merge_refuses_a_digest_twice(void **state)
{
    unsigned char d[2][QPP_SHA256_LEN], one[1][QPP_SHA256_LEN], other[1][QPP_SHA256_LEN];
    struct qpp_partial a = {NULL, 0, 0, 0}, b = {one, 1, 1, 0}, c = {other, 1, 1, 0};

    (void)state;
    two_digests(d);
    memcpy(one[0], d[1], QPP_SHA256_LEN);
    memcpy(other[0], d[0], QPP_SHA256_LEN);
    assert_int_equal(qpp_partial_merge(&a, &b), 0);
    assert_int_equal(qpp_partial_merge(&a, &c), 0);
    assert_int_equal(a.ndigests, 2);
    assert_memory_equal(a.digests, d, sizeof d); /* sorted */
    assert_int_equal(qpp_partial_merge(&a, &b), 1);
    assert_int_equal(qpp_partial_merge(&a, &c), 1);
    assert_int_equal(a.ndigests, 2);
    qpp_free(a.digests);
}

static void test_summary_dumps_one_line_each(void **state)
{
    json_t *a = json_pack("[{s:i},{s:s}]", "a", 1, "b", "x");
    char *s;

    (void)state;
    s = qpp_summary_dumps(a);
    assert_string_equal(s, "{\"a\":1}\n{\"b\":\"x\"}\n");
    qpp_free(s);
    json_decref(a);
    a = json_array();
    s = qpp_summary_dumps(a);
    assert_string_equal(s, "");
    qpp_free(s);
    json_decref(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_summary_write_matches_the_fixture),
        cmocka_unit_test(test_summary_refuses_a_count_over_fhir_integer),
        cmocka_unit_test(test_summary_round_trip),
        cmocka_unit_test(test_partial_read_sorts_and_counts),
        cmocka_unit_test(test_partial_read_without_the_extension),
        cmocka_unit_test(test_partial_read_refuses_malformed_extensions),
        cmocka_unit_test(test_partial_merge_refuses_a_digest_twice),
        cmocka_unit_test(test_summary_dumps_one_line_each),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
