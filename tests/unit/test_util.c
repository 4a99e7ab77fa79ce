/* SPDX-License-Identifier: MIT */
/* Unit tests for util.c: string buffer, JSON Pointer tokens, checked sums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <string.h>

#include "alloc.h"
#include "testutil.h"
#include "util.h"

static void test_util_buf_starts_empty_and_take_gives_empty_string(void **state)
{
    struct qpp_buf b;
    char *s;

    (void)state;
    qpp_buf_init(&b);
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    s = qpp_buf_take(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    assert_null(b.s);
    qpp_free(s);
}

static void test_util_buf_appends_and_formats(void **state)
{
    struct qpp_buf b;
    char *s;

    (void)state;
    qpp_buf_init(&b);
    qpp_buf_add(&b, "Measure");
    qpp_buf_addn(&b, "Report/xyz", 6);
    qpp_buf_printf(&b, "/%s-%d", "abc", 42);
    assert_false(b.failed);
    assert_int_equal(b.len, strlen("MeasureReport/abc-42"));
    assert_string_equal(b.s, "MeasureReport/abc-42");
    s = qpp_buf_take(&b);
    assert_string_equal(s, "MeasureReport/abc-42");
    assert_null(b.s);
    assert_int_equal(b.len, 0);
    qpp_free(s);
}

static void test_util_buf_printf_longer_than_small_buffer(void **state)
{
    struct qpp_buf b;
    char big[1000];

    (void)state;
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    qpp_buf_init(&b);
    qpp_buf_add(&b, "<");
    qpp_buf_printf(&b, "%s>%d", big, 7);
    assert_false(b.failed);
    assert_int_equal(b.len, 1 + 999 + 2);
    assert_int_equal(b.s[0], '<');
    assert_int_equal(b.s[1], 'x');
    assert_int_equal(b.s[999], 'x');
    assert_string_equal(b.s + 1000, ">7");
    qpp_buf_free(&b);
}

static void test_util_buf_grows_over_many_appends(void **state)
{
    struct qpp_buf b;
    int i;

    (void)state;
    qpp_buf_init(&b);
    for (i = 0; i < 10000; i++)
        qpp_buf_add(&b, "ab");
    assert_false(b.failed);
    assert_int_equal(b.len, 20000);
    assert_int_equal(strlen(b.s), 20000);
    assert_true(b.cap > b.len);
    qpp_buf_free(&b);
    assert_null(b.s);
}

static void test_util_buf_failed_append_makes_take_return_null(void **state)
{
    struct qpp_buf b;

    (void)state;
    qpp_buf_init(&b);
    qpp_alloc_fail_at(1); /* the next allocation fails */
    qpp_buf_add(&b, "abc");
    qpp_alloc_fail_at(0);
    assert_true(b.failed);
    qpp_buf_add(&b, "def"); /* ignored once failed */
    assert_true(b.failed);
    assert_null(qpp_buf_take(&b));
    assert_null(b.s);
    assert_false(b.failed);
}

static void test_util_buf_failure_keeps_earlier_string_valid(void **state)
{
    struct qpp_buf b;
    char big[64];

    (void)state;
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    qpp_buf_init(&b);
    qpp_buf_add(&b, "abc");
    qpp_alloc_fail_at(1);
    qpp_buf_add(&b, big); /* needs to grow past the first 8 bytes */
    qpp_alloc_fail_at(0);
    assert_true(b.failed);
    assert_string_equal(b.s, "abc");
    qpp_buf_free(&b);
}

static void test_util_pointer_token_plain(void **state)
{
    struct qpp_buf b;

    (void)state;
    qpp_buf_init(&b);
    qpp_buf_add_token(&b, "group");
    qpp_buf_add_token(&b, "0");
    assert_string_equal(b.s, "/group/0");
    qpp_buf_free(&b);
}

static void test_util_pointer_token_escapes_tilde_and_slash(void **state)
{
    struct qpp_buf b;

    (void)state;
    qpp_buf_init(&b);
    /* RFC 6901: "~" is written "~0" and "/" is written "~1". */
    qpp_buf_add_token(&b, "a/b~c");
    qpp_buf_add_token(&b, "~1");
    qpp_buf_add_token(&b, "/");
    assert_string_equal(b.s, "/a~1b~0c/~01/~1");
    qpp_buf_free(&b);
}

static void test_util_pointer_token_empty_is_a_lone_slash(void **state)
{
    struct qpp_buf b;

    (void)state;
    qpp_buf_init(&b);
    qpp_buf_add_token(&b, "");
    assert_string_equal(b.s, "/");
    qpp_buf_free(&b);
}

static void test_util_add_ll_sums(void **state)
{
    long long s = -1;

    (void)state;
    assert_int_equal(qpp_add_ll(2, 3, &s), 0);
    assert_true(s == 5);
    assert_int_equal(qpp_add_ll(-7, 3, &s), 0);
    assert_true(s == -4);
    assert_int_equal(qpp_add_ll(LLONG_MAX, 0, &s), 0);
    assert_true(s == LLONG_MAX);
    assert_int_equal(qpp_add_ll(LLONG_MAX, LLONG_MIN, &s), 0);
    assert_true(s == -1);
    assert_int_equal(qpp_add_ll(LLONG_MIN + 1, -1, &s), 0);
    assert_true(s == LLONG_MIN);
}

static void test_util_add_ll_rejects_overflow(void **state)
{
    long long s = 12345;

    (void)state;
    assert_int_equal(qpp_add_ll(LLONG_MAX, 1, &s), -1);
    assert_true(s == 12345); /* untouched */
    assert_int_equal(qpp_add_ll(1, LLONG_MAX, &s), -1);
    assert_int_equal(qpp_add_ll(LLONG_MAX / 2 + 1, LLONG_MAX / 2 + 1, &s), -1);
    assert_true(s == 12345);
}

static void test_util_add_ll_rejects_underflow(void **state)
{
    long long s = 12345;

    (void)state;
    assert_int_equal(qpp_add_ll(LLONG_MIN, -1, &s), -1);
    assert_int_equal(qpp_add_ll(-2, LLONG_MIN, &s), -1);
    assert_true(s == 12345);
}

static void test_util_streq_is_null_safe(void **state)
{
    (void)state;
    assert_true(qpp_streq("a", "a"));
    assert_false(qpp_streq("a", "b"));
    assert_false(qpp_streq("a", NULL));
    assert_false(qpp_streq(NULL, "a"));
    assert_true(qpp_streq(NULL, NULL));
}

static void test_util_ref_id_of_a_type(void **state)
{
    (void)state;
    assert_string_equal(qpp_ref_id("Library/lib2", "Library"), "lib2");
    assert_null(qpp_ref_id("Library/", "Library"));
    assert_null(qpp_ref_id("LibraryX/lib2", "Library"));
    assert_null(qpp_ref_id("Librar/lib2", "Library"));
    assert_null(qpp_ref_id("lib2", "Library"));
    assert_null(qpp_ref_id(NULL, "Library"));
}

static void test_util_ref_type_id_of_literal_references(void **state)
{
    char b[64];

    (void)state;
    assert_int_equal(qpp_ref_type_id("Patient/p1", b, sizeof b), 1);
    assert_string_equal(b, "Patient/p1");
    assert_int_equal(qpp_ref_type_id("Patient/p1/_history/2", b, sizeof b), 1);
    assert_string_equal(b, "Patient/p1");
    assert_int_equal(qpp_ref_type_id("https://h.example/fhir/Patient/p1", b, sizeof b),
                     1);
    assert_string_equal(b, "Patient/p1");
    assert_int_equal(
        qpp_ref_type_id("https://h.example/fhir/Patient/p1/_history/7", b, sizeof b), 1);
    assert_string_equal(b, "Patient/p1");
    assert_int_equal(qpp_ref_type_id("Patient?identifier=x|1", b, sizeof b), 0);
    assert_string_equal(b, "");
    assert_int_equal(qpp_ref_type_id("urn:uuid:1234", b, sizeof b), 0);
    assert_int_equal(qpp_ref_type_id("#p1", b, sizeof b), 0);
    assert_int_equal(qpp_ref_type_id("a/Patient/p1", b, sizeof b), 0);
    assert_int_equal(qpp_ref_type_id("patient/p1", b, sizeof b), 0);
    assert_int_equal(qpp_ref_type_id(NULL, b, sizeof b), 0);
    assert_int_equal(qpp_ref_type_id("Patient/p1", b, 5), 0);
}

static void test_util_strdup_and_strndup(void **state)
{
    char *a = qpp_strdup("hello"), *b = qpp_strndup("hello", 3);

    (void)state;
    assert_string_equal(a, "hello");
    assert_string_equal(b, "hel");
    assert_null(qpp_strdup(NULL));
    qpp_free(a);
    qpp_free(b);
}

static void test_util_calloc_zeroes_and_rejects_size_overflow(void **state)
{
    unsigned char *p = qpp_calloc(16, 4);
    size_t i;

    (void)state;
    assert_non_null(p);
    for (i = 0; i < 64; i++)
        assert_int_equal(p[i], 0);
    qpp_free(p);
    assert_null(qpp_calloc(SIZE_MAX / 2, 4));
}

static void test_util_grow_doubles_and_keeps_contents(void **state)
{
    int *v = NULL;
    size_t cap = 0, i;

    (void)state;
    assert_int_equal(qpp_grow((void **)&v, &cap, 3, sizeof *v), 0);
    assert_true(cap >= 3);
    for (i = 0; i < 3; i++)
        v[i] = (int)i + 10;
    assert_int_equal(qpp_grow((void **)&v, &cap, 100, sizeof *v), 0);
    assert_true(cap >= 100);
    assert_int_equal(v[0], 10);
    assert_int_equal(v[2], 12);
    /* Asking for no more than there is changes nothing. */
    i = cap;
    assert_int_equal(qpp_grow((void **)&v, &cap, 5, sizeof *v), 0);
    assert_int_equal(cap, i);
    qpp_free(v);
}

static void test_util_grow_rejects_impossible_size(void **state)
{
    int *v = NULL;
    size_t cap = 0;

    (void)state;
    assert_int_equal(qpp_grow((void **)&v, &cap, SIZE_MAX / 2, 16), -1);
    assert_null(v);
    assert_int_equal(cap, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_util_buf_starts_empty_and_take_gives_empty_string),
        cmocka_unit_test(test_util_buf_appends_and_formats),
        cmocka_unit_test(test_util_buf_printf_longer_than_small_buffer),
        cmocka_unit_test(test_util_buf_grows_over_many_appends),
        cmocka_unit_test(test_util_buf_failed_append_makes_take_return_null),
        cmocka_unit_test(test_util_buf_failure_keeps_earlier_string_valid),
        cmocka_unit_test(test_util_pointer_token_plain),
        cmocka_unit_test(test_util_pointer_token_escapes_tilde_and_slash),
        cmocka_unit_test(test_util_pointer_token_empty_is_a_lone_slash),
        cmocka_unit_test(test_util_add_ll_sums),
        cmocka_unit_test(test_util_add_ll_rejects_overflow),
        cmocka_unit_test(test_util_add_ll_rejects_underflow),
        cmocka_unit_test(test_util_streq_is_null_safe),
        cmocka_unit_test(test_util_strdup_and_strndup),
        cmocka_unit_test(test_util_calloc_zeroes_and_rejects_size_overflow),
        cmocka_unit_test(test_util_grow_doubles_and_keeps_contents),
        cmocka_unit_test(test_util_grow_rejects_impossible_size),
        cmocka_unit_test(test_util_ref_id_of_a_type),
        cmocka_unit_test(test_util_ref_type_id_of_literal_references),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
