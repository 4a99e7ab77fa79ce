/* SPDX-License-Identifier: MIT */
/* Unit tests for diag.c: the code list, the collector and its renderings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "testutil.h"

/* A collector on the heap, freed by the teardown even when a test fails. */
static int setup(void **state)
{
    struct qpp_diags *d = malloc(sizeof *d);

    if (!d)
        return -1;
    qpp_diags_init(d);
    *state = d;
    return 0;
}

static int teardown(void **state)
{
    qpp_diags_free(*state);
    free(*state);
    return 0;
}

static int kebab_case(const char *s)
{
    const char *p;

    if (!*s || *s == '-')
        return 0;
    for (p = s; *p; p++) {
        if (*p == '-') {
            if (p[1] == '-' || p[1] == '\0')
                return 0;
        } else if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))) {
            return 0;
        }
    }
    return 1;
}

static void test_diag_code_names_are_kebab_case(void **state)
{
    int c;

    (void)state;
    for (c = 0; c < QPP_NCODES; c++)
        if (!kebab_case(qpp_code_name((enum qpp_code)c)))
            fail_msg("code %d is named \"%s\"", c, qpp_code_name((enum qpp_code)c));
}

static void test_diag_code_names_are_unique(void **state)
{
    int a, b;

    (void)state;
    for (a = 0; a < QPP_NCODES; a++)
        for (b = a + 1; b < QPP_NCODES; b++)
            if (strcmp(qpp_code_name((enum qpp_code)a),
                       qpp_code_name((enum qpp_code)b)) == 0)
                fail_msg("codes %d and %d share the name %s", a, b,
                         qpp_code_name((enum qpp_code)a));
}

static void test_diag_known_codes_and_severities(void **state)
{
    (void)state;
    assert_string_equal(qpp_code_name(QPP_JSON_SYNTAX), "json-syntax");
    assert_string_equal(qpp_code_name(QPP_NEGATIVE_COUNT), "negative-count");
    assert_string_equal(qpp_code_name(QPP_DENOMINATOR_EXCEEDS_IP),
                        "denominator-exceeds-initial-population");
    assert_int_equal(qpp_code_severity(QPP_NEGATIVE_COUNT), QPP_ERROR);
    assert_int_equal(qpp_code_severity(QPP_TEST_CASE), QPP_WARNING);
    assert_int_equal(qpp_code_severity(QPP_COUNT_MISSING), QPP_WARNING);
    assert_int_equal(qpp_code_severity(QPP_SKIPPED_RESOURCES), QPP_NOTE);
    assert_string_equal(qpp_severity_name(QPP_NOTE), "note");
    assert_string_equal(qpp_severity_name(QPP_WARNING), "warning");
    assert_string_equal(qpp_severity_name(QPP_ERROR), "error");
}

static void test_diag_out_of_range_code_is_internal_error(void **state)
{
    (void)state;
    assert_string_equal(qpp_code_name(QPP_NCODES), "internal");
    assert_int_equal(qpp_code_severity(QPP_NCODES), QPP_ERROR);
}

static void test_diag_records_place_and_joins_pointers(void **state)
{
    struct qpp_diags d;
    struct qpp_place at = {"reports.json", 4, 2, "MeasureReport", "/entry/1/resource"};
    const struct qpp_diag *g;

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_NEGATIVE_COUNT, &at, "/group/0/population/1/count", "count %d", -3);
    assert_int_equal(d.len, 1);
    g = &d.v[0];
    assert_int_equal(g->code, QPP_NEGATIVE_COUNT);
    assert_int_equal(g->severity, QPP_ERROR);
    assert_string_equal(g->source, "reports.json");
    assert_int_equal(g->line, 4);
    assert_int_equal(g->column, 2);
    assert_string_equal(g->resource, "MeasureReport");
    assert_string_equal(g->pointer, "/entry/1/resource/group/0/population/1/count");
    assert_string_equal(g->message, "count -3");
    assert_int_equal(d.count[QPP_ERROR], 1);
    assert_int_equal(qpp_diags_errors(&d), 1);
    qpp_diags_free(&d);
}

static void test_diag_copies_the_place_strings(void **state)
{
    struct qpp_diags d;
    char source[] = "a.json", resource[] = "Library/lib", pointer[] = "/useContext";
    struct qpp_place at = {source, -1, -1, resource, pointer};

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_LIBRARY_NOT_QPP, &at, NULL, "m");
    source[0] = resource[0] = pointer[1] = 'X';
    assert_string_equal(d.v[0].source, "a.json");
    assert_string_equal(d.v[0].resource, "Library/lib");
    assert_string_equal(d.v[0].pointer, "/useContext");
    qpp_diags_free(&d);
}

static void test_diag_without_place(void **state)
{
    struct qpp_diags d;
    const struct qpp_diag *g;

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_NO_REPORTS, NULL, NULL, "m");
    qpp_diag(&d, QPP_NO_REPORTS, NULL, "/group", "m");
    g = &d.v[0];
    assert_null(g->source);
    assert_null(g->resource);
    assert_null(g->pointer);
    assert_int_equal(g->line, -1);
    assert_int_equal(g->column, -1);
    assert_string_equal(d.v[1].pointer, "/group");
    qpp_diags_free(&d);
}

static void test_diag_counts_by_severity(void **state)
{
    struct qpp_diags d;

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_TEST_CASE, NULL, NULL, "w");
    qpp_diag(&d, QPP_MEASURE_ID, NULL, NULL, "n");
    qpp_diag(&d, QPP_SMALL_CASE_COUNT, NULL, NULL, "w");
    assert_int_equal(d.count[QPP_WARNING], 2);
    assert_int_equal(d.count[QPP_NOTE], 1);
    assert_int_equal(d.count[QPP_ERROR], 0);
    assert_int_equal(qpp_diags_errors(&d), 0);
    qpp_diag(&d, QPP_TIN_INVALID, NULL, NULL, "e");
    assert_int_equal(qpp_diags_errors(&d), 1);
    assert_int_equal(d.len, 4);
    qpp_diags_free(&d);
}

static void test_diag_cap_per_severity_keeps_counts_and_drops(void **state)
{
    struct qpp_diags *d = *state;
    char line[128];
    struct qpp_diag g;
    int i;

    assert_int_equal(d->cap_per_severity, QPP_DIAG_CAP);
    for (i = 0; i < QPP_DIAG_CAP + 5; i++)
        qpp_diag(d, QPP_REPORT_NOT_COMPLETE, NULL, NULL, "warning %d", i);
    for (i = 0; i < 3; i++)
        qpp_diag(d, QPP_TEST_CASE, NULL, NULL, "test case %d", i);
    for (i = 0; i < QPP_DIAG_CAP + 5; i++)
        qpp_diag(d, QPP_NEGATIVE_COUNT, NULL, NULL, "error %d", i);
    assert_int_equal(d->count[QPP_WARNING], QPP_DIAG_CAP + 8);
    /* Errors are not capped at 100. */
    assert_int_equal(d->dropped[QPP_ERROR], 0);
    assert_int_equal(diag_count(d, QPP_NEGATIVE_COUNT), QPP_DIAG_CAP + 5);
    /* The cap never hides a code: the first test-case warning is kept. */
    assert_int_equal(diag_count(d, QPP_TEST_CASE), 1);
    assert_string_equal(diag_first(d, QPP_TEST_CASE)->message, "test case 0");
    assert_int_equal(d->dropped[QPP_WARNING], 7);
    /* One line per code says how many more there were. */
    assert_true(
        qpp_diags_dropped_line(d, QPP_REPORT_NOT_COMPLETE, &g, line, sizeof line));
    assert_string_equal(line, "5 more warning[report-not-complete] not shown");
    assert_int_equal(g.code, QPP_TOO_MANY);
    assert_true(qpp_diags_dropped_line(d, QPP_TEST_CASE, &g, line, sizeof line));
    assert_string_equal(line, "2 more warning[test-case] not shown");
    assert_false(qpp_diags_dropped_line(d, QPP_NEGATIVE_COUNT, &g, line, sizeof line));
    assert_int_equal(qpp_diags_errors(d), QPP_DIAG_CAP + 5);
}

static void test_diag_smaller_cap(void **state)
{
    struct qpp_diags d;
    int i;

    (void)state;
    qpp_diags_init(&d);
    d.cap_per_severity = 2;
    for (i = 0; i < 4; i++)
        qpp_diag(&d, QPP_MEASURE_ID, NULL, NULL, "n");
    assert_int_equal(d.len, 2);
    assert_int_equal(d.count[QPP_NOTE], 4);
    assert_int_equal(d.dropped[QPP_NOTE], 2);
    qpp_diags_free(&d);
}

static void test_diag_subject_shown_only_as_type_and_id(void **state)
{
    char buf[64];
    const char *s;

    (void)state;
    assert_string_equal(qpp_diag_subject("Patient/abc-1.2", buf, sizeof buf),
                        "Patient/abc-1.2");
    s = qpp_diag_subject("Patient?identifier=http://hl7.org/fhir/sid/us-ssn|123456789"
                         "&name=Doe&birthdate=1970-01-01",
                         buf, sizeof buf);
    assert_null(strstr(s, "123456789"));
    assert_null(strstr(s, "Doe"));
    assert_non_null(strstr(s, "digest"));
    s = qpp_diag_subject("https://example.org/fhir/Patient/1?_format=json", buf,
                         sizeof buf);
    assert_null(strstr(s, "example.org"));
    s = qpp_diag_subject("identifier urn:oid:2.16.840.1.113883.4.1|123-45-6789", buf,
                         sizeof buf);
    assert_null(strstr(s, "6789"));
}

static void test_diag_io_failed_only_for_io_and_memory(void **state)
{
    struct qpp_diags d;
    struct qpp_place at = {"x.json", -1, -1, NULL, NULL};

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_JSON_SYNTAX, &at, NULL, "m");
    assert_false(qpp_diags_io_failed(&d));
    qpp_diag(&d, QPP_IO_ERROR, &at, NULL, "m");
    assert_true(qpp_diags_io_failed(&d));
    qpp_diags_free(&d);

    qpp_diags_init(&d);
    qpp_diag(&d, QPP_OUT_OF_MEMORY, NULL, NULL, "m");
    assert_true(qpp_diags_io_failed(&d));
    qpp_diags_free(&d);
}

static void test_diag_nomem_counts_as_an_io_error(void **state)
{
    struct qpp_diags d;

    (void)state;
    qpp_diags_init(&d);
    assert_int_equal(qpp_diags_errors(&d), 0);
    qpp_diag_nomem(&d);
    assert_true(qpp_diags_io_failed(&d));
    assert_int_equal(qpp_diags_errors(&d), 1);
    qpp_diags_free(&d);
}

static void test_diag_io_error_over_the_cap_still_fails_io(void **state)
{
    struct qpp_diags *d = *state;
    int i;

    /* Exit status 3 must not depend on how many data errors came first. */
    for (i = 0; i < QPP_DIAG_CAP; i++)
        qpp_diag(d, QPP_NEGATIVE_COUNT, NULL, NULL, "e");
    qpp_diag(d, QPP_IO_ERROR, NULL, NULL, "read error");
    assert_true(qpp_diags_io_failed(d));
}

static void test_diag_free_resets(void **state)
{
    struct qpp_diags d;

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_NEGATIVE_COUNT, NULL, NULL, "e");
    qpp_diags_free(&d);
    assert_int_equal(d.len, 0);
    assert_null(d.v);
    assert_int_equal(d.count[QPP_ERROR], 0);
    assert_int_equal(d.cap_per_severity, QPP_DIAG_CAP);
}

/* Render the one diagnostic made at at with pointer. */
static char *text_of(enum qpp_code code, const struct qpp_place *at, const char *pointer)
{
    struct qpp_diags d;
    char *s;

    qpp_diags_init(&d);
    qpp_diag(&d, code, at, pointer, "the message");
    assert_int_equal(d.len, 1);
    s = qpp_diag_text(&d.v[0]);
    assert_non_null(s);
    qpp_diags_free(&d);
    return s;
}

static void assert_text(enum qpp_code code, const struct qpp_place *at,
                        const char *pointer, const char *want)
{
    char *s = text_of(code, at, pointer);

    assert_string_equal(s, want);
    free(s);
}

static void test_diag_text_with_everything(void **state)
{
    struct qpp_place at = {"reports.json", 3, 7, "MeasureReport/abc", NULL};

    (void)state;
    assert_text(QPP_NEGATIVE_COUNT, &at, "/group/0/population/1/count",
                "reports.json:3:7: MeasureReport/abc /group/0/population/1/count: "
                "error[negative-count]: the message");
}

static void test_diag_text_file_resource_and_pointer(void **state)
{
    struct qpp_place at = {"reports.json", -1, -1, "MeasureReport/abc", NULL};

    (void)state;
    assert_text(QPP_NEGATIVE_COUNT, &at, "/group/0/population/1/count",
                "reports.json: MeasureReport/abc /group/0/population/1/count: "
                "error[negative-count]: the message");
}

static void test_diag_text_line_without_column(void **state)
{
    struct qpp_place at = {"reports.json", 12, -1, "Organization/o1", NULL};

    (void)state;
    assert_text(QPP_TIN_INVALID, &at, NULL,
                "reports.json:12: Organization/o1: error[tin-invalid]: the message");
}

static void test_diag_text_file_line_column_only(void **state)
{
    struct qpp_place at = {"-", 1, 5, NULL, NULL};

    (void)state;
    assert_text(QPP_JSON_SYNTAX, &at, NULL, "-:1:5: error[json-syntax]: the message");
}

static void test_diag_text_pointer_without_resource(void **state)
{
    struct qpp_place at = {"bundle.json", 1, 1, NULL, "/entry/3"};

    (void)state;
    assert_text(QPP_BUNDLE_INVALID, &at, NULL,
                "bundle.json:1:1: /entry/3: error[bundle-invalid]: the message");
}

static void test_diag_text_resource_without_file(void **state)
{
    struct qpp_place at = {NULL, -1, -1, "MeasureReport/abc", NULL};

    (void)state;
    assert_text(QPP_TEST_CASE, &at, NULL,
                "MeasureReport/abc: warning[test-case]: the message");
}

static void test_diag_text_without_place(void **state)
{
    (void)state;
    assert_text(QPP_FEW_MEASURES, NULL, NULL, "warning[few-measures]: the message");
    assert_text(QPP_MEASURE_ID, NULL, NULL, "note[measure-id]: the message");
}

static json_t *json_of(enum qpp_code code, const struct qpp_place *at,
                       const char *pointer)
{
    struct qpp_diags d;
    json_t *o;

    qpp_diags_init(&d);
    qpp_diag(&d, code, at, pointer, "the message");
    o = qpp_diag_json(&d.v[0]);
    assert_non_null(o);
    qpp_diags_free(&d);
    return o;
}

/* C1 controls and bidirectional overrides (which reorder what a terminal
 * shows) are escaped too; other non-ASCII text is kept. */
static void test_diag_escapes_c1_and_bidi_overrides(void **state)
{
    struct qpp_diags d;
    char *s;

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_REPORT_INVALID, NULL, NULL, "%s",
             "a\xc2\x9b"
             "31m b\xe2\x80\xae"
             "evil\xe2\x80\xac"
             " c\xe2\x81\xa6"
             "d\xe2\x80\xa8"
             "e caf\xc3\xa9");
    s = qpp_diag_text(&d.v[0]);
    assert_string_equal(s, "error[report-invalid]: a\\u009B31m b\\u202Eevil\\u202C "
                           "c\\u2066d\\u2028e caf\xc3\xa9");
    free(s);
    qpp_diags_free(&d);
}

/* Names and messages may carry control characters or bytes that are not
 * UTF-8 (a file name, an id, a key): shown escaped, never raw. */
static void test_diag_escapes_control_characters_and_bad_utf8(void **state)
{
    struct qpp_place at = {"lat\xe9.json", 1, 2, "MeasureReport/x\nqppbuild: fake", NULL};
    struct qpp_diags d;
    json_t *o;
    char *s;

    (void)state;
    qpp_diags_init(&d);
    qpp_diag(&d, QPP_REPORT_INVALID, &at, "/a\x1b[31m", "id %s, caf\xc3\xa9 kept",
             "t\tab");
    s = qpp_diag_text(&d.v[0]);
    assert_string_equal(
        s, "lat\\xE9.json:1:2: MeasureReport/x\\nqppbuild: fake "
           "/a\\x1B[31m: error[report-invalid]: id t\\tab, caf\xc3\xa9 kept");
    free(s);
    o = qpp_diag_json(&d.v[0]);
    assert_non_null(o); /* jansson takes only UTF-8 */
    assert_string_equal(json_string_value(json_object_get(o, "file")), "lat\\xE9.json");
    json_decref(o);
    qpp_diags_free(&d);
}

static void test_diag_json_keys_in_order(void **state)
{
    static const char *const keys[] = {"severity", "code",     "file",    "line",
                                       "column",   "resource", "pointer", "message"};
    struct qpp_place at = {"reports.json", 3, 7, "MeasureReport/abc", NULL};
    json_t *o = json_of(QPP_NEGATIVE_COUNT, &at, "/group/0");
    void *it;
    size_t i = 0;

    (void)state;
    for (it = json_object_iter(o); it; it = json_object_iter_next(o, it), i++) {
        assert_true(i < 8);
        assert_string_equal(json_object_iter_key(it), keys[i]);
    }
    assert_int_equal(i, 8);
    json_decref(o);
}

static void test_diag_json_values(void **state)
{
    struct qpp_place at = {"reports.json", 3, 7, "MeasureReport/abc", NULL};
    json_t *o = json_of(QPP_NEGATIVE_COUNT, &at, "/group/0");

    (void)state;
    assert_string_equal(json_string_value(json_object_get(o, "severity")), "error");
    assert_string_equal(json_string_value(json_object_get(o, "code")), "negative-count");
    assert_string_equal(json_string_value(json_object_get(o, "file")), "reports.json");
    assert_true(json_is_integer(json_object_get(o, "line")));
    assert_int_equal(json_integer_value(json_object_get(o, "line")), 3);
    assert_int_equal(json_integer_value(json_object_get(o, "column")), 7);
    assert_string_equal(json_string_value(json_object_get(o, "resource")),
                        "MeasureReport/abc");
    assert_string_equal(json_string_value(json_object_get(o, "pointer")), "/group/0");
    assert_string_equal(json_string_value(json_object_get(o, "message")), "the message");
    json_decref(o);
}

static void test_diag_json_unknown_parts_are_null(void **state)
{
    json_t *o = json_of(QPP_FEW_MEASURES, NULL, NULL);

    (void)state;
    assert_int_equal(json_object_size(o), 8);
    assert_true(json_is_null(json_object_get(o, "file")));
    assert_true(json_is_null(json_object_get(o, "line")));
    assert_true(json_is_null(json_object_get(o, "column")));
    assert_true(json_is_null(json_object_get(o, "resource")));
    assert_true(json_is_null(json_object_get(o, "pointer")));
    assert_string_equal(json_string_value(json_object_get(o, "severity")), "warning");
    json_decref(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_diag_code_names_are_kebab_case),
        cmocka_unit_test(test_diag_code_names_are_unique),
        cmocka_unit_test(test_diag_known_codes_and_severities),
        cmocka_unit_test(test_diag_out_of_range_code_is_internal_error),
        cmocka_unit_test(test_diag_records_place_and_joins_pointers),
        cmocka_unit_test(test_diag_copies_the_place_strings),
        cmocka_unit_test(test_diag_without_place),
        cmocka_unit_test(test_diag_counts_by_severity),
        cmocka_unit_test_setup_teardown(test_diag_cap_per_severity_keeps_counts_and_drops,
                                        setup, teardown),
        cmocka_unit_test(test_diag_smaller_cap),
        cmocka_unit_test(test_diag_subject_shown_only_as_type_and_id),
        cmocka_unit_test(test_diag_io_failed_only_for_io_and_memory),
        cmocka_unit_test(test_diag_nomem_counts_as_an_io_error),
        cmocka_unit_test_setup_teardown(test_diag_io_error_over_the_cap_still_fails_io,
                                        setup, teardown),
        cmocka_unit_test(test_diag_free_resets),
        cmocka_unit_test(test_diag_text_with_everything),
        cmocka_unit_test(test_diag_text_file_resource_and_pointer),
        cmocka_unit_test(test_diag_text_line_without_column),
        cmocka_unit_test(test_diag_text_file_line_column_only),
        cmocka_unit_test(test_diag_text_pointer_without_resource),
        cmocka_unit_test(test_diag_text_resource_without_file),
        cmocka_unit_test(test_diag_text_without_place),
        cmocka_unit_test(test_diag_json_keys_in_order),
        cmocka_unit_test(test_diag_json_values),
        cmocka_unit_test(test_diag_json_unknown_parts_are_null),
        cmocka_unit_test(test_diag_escapes_control_characters_and_bad_utf8),
        cmocka_unit_test(test_diag_escapes_c1_and_bidi_overrides),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
