/* SPDX-License-Identifier: MIT */
/* Unit tests for hashset.c: the compact set of 64-bit keys with a payload. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "hashset.h"
#include "testutil.h"

/* Keys spread like hashes (splitmix64 of i), never 0 for i < 2^32. */
static unsigned long long key_of(unsigned long long i)
{
    unsigned long long z = i + 0x9E3779B97F4A7C15ULL;

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static void test_hashset_put_then_get(void **state)
{
    struct qpp_hashset s = {NULL, 0, 0};
    const struct qpp_seen *e;
    int nomem = 0;

    (void)state;
    assert_null(qpp_hashset_get(&s, 42)); /* empty, nothing allocated */
    assert_null(qpp_hashset_put(&s, 42, 7, 3, 1, &nomem));
    assert_int_equal(nomem, 0);
    assert_int_equal(s.n, 1);
    e = qpp_hashset_get(&s, 42);
    assert_non_null(e);
    assert_true(e->key == 42);
    assert_true(e->value == 7);
    assert_int_equal(e->line, 3);
    assert_int_equal(e->source, 1);
    assert_null(qpp_hashset_get(&s, 43));
    qpp_hashset_free(&s);
    assert_null(s.v);
    assert_int_equal(s.n, 0);
    assert_int_equal(s.cap, 0);
    qpp_hashset_free(&s); /* twice is fine */
}

static void test_hashset_put_of_a_present_key_returns_the_first(void **state)
{
    struct qpp_hashset s = {NULL, 0, 0};
    const struct qpp_seen *e;
    int nomem = 0;

    (void)state;
    assert_null(qpp_hashset_put(&s, 1000, 11, 5, 0, &nomem));
    e = qpp_hashset_put(&s, 1000, 22, 9, 4, &nomem);
    assert_non_null(e);
    /* The first place and payload are kept, not overwritten. */
    assert_true(e->value == 11);
    assert_int_equal(e->line, 5);
    assert_int_equal(e->source, 0);
    assert_int_equal(s.n, 1);
    assert_int_equal(nomem, 0);
    qpp_hashset_free(&s);
}

static void test_hashset_key_zero(void **state)
{
    struct qpp_hashset s = {NULL, 0, 0};
    const struct qpp_seen *e;
    int nomem = 0;

    (void)state;
    /* 0 marks an empty slot inside; as a key it must still work. */
    assert_null(qpp_hashset_get(&s, 0));
    assert_null(qpp_hashset_put(&s, 0, 99, 12, 2, &nomem));
    e = qpp_hashset_get(&s, 0);
    assert_non_null(e);
    assert_true(e->value == 99);
    assert_int_equal(e->line, 12);
    assert_int_equal(e->source, 2);
    e = qpp_hashset_put(&s, 0, 5, 1, 1, &nomem);
    assert_non_null(e);
    assert_true(e->value == 99);
    assert_int_equal(s.n, 1);
    qpp_hashset_free(&s);
}

static void test_hashset_grows_past_many_keys(void **state)
{
    struct qpp_hashset s = {NULL, 0, 0};
    unsigned long long i, n = 100000;
    int nomem = 0;

    (void)state;
    for (i = 0; i < n; i++) {
        const struct qpp_seen *e =
            qpp_hashset_put(&s, key_of(i), i * 3, (unsigned)i, (unsigned)(i % 7), &nomem);
        if (e)
            fail_msg("key %llu taken for a duplicate of key %llu", i, e->value / 3);
        assert_int_equal(nomem, 0);
    }
    assert_int_equal(s.n, n);
    /* At most three quarters full, and a power of two. */
    assert_true(4 * s.n <= 3 * s.cap);
    assert_int_equal(s.cap & (s.cap - 1), 0);
    for (i = 0; i < n; i++) {
        const struct qpp_seen *e = qpp_hashset_get(&s, key_of(i));
        if (!e)
            fail_msg("key %llu lost", i);
        /* The payload moved with its key when the table grew. */
        assert_true(e->value == i * 3);
        assert_int_equal(e->line, (unsigned)i);
        assert_int_equal(e->source, (unsigned)(i % 7));
    }
    for (i = n; i < n + 1000; i++)
        assert_null(qpp_hashset_get(&s, key_of(i)));
    /* Putting them again finds every one. */
    for (i = 0; i < n; i += 97)
        assert_non_null(qpp_hashset_put(&s, key_of(i), 0, 0, 0, &nomem));
    assert_int_equal(s.n, n);
    qpp_hashset_free(&s);
}

static void test_hashset_keys_that_share_a_slot(void **state)
{
    struct qpp_hashset s = {NULL, 0, 0};
    unsigned long long i;
    int nomem = 0;

    (void)state;
    /* Multiples of 2^40 agree in their low bits: they collide and probe. */
    for (i = 1; i <= 5000; i++)
        assert_null(qpp_hashset_put(&s, i << 40, i, 0, 0, &nomem));
    for (i = 1; i <= 5000; i++) {
        const struct qpp_seen *e = qpp_hashset_get(&s, i << 40);
        assert_non_null(e);
        assert_true(e->value == i);
    }
    assert_null(qpp_hashset_get(&s, 5001ULL << 40));
    assert_int_equal(s.n, 5000);
    qpp_hashset_free(&s);
}

static void test_hashset_large_keys(void **state)
{
    struct qpp_hashset s = {NULL, 0, 0};
    int nomem = 0;

    (void)state;
    assert_null(qpp_hashset_put(&s, ~0ULL, 1, 0, 0, &nomem));
    assert_null(qpp_hashset_put(&s, ~0ULL - 1, 2, 0, 0, &nomem));
    assert_null(qpp_hashset_put(&s, 1ULL << 63, 3, 0, 0, &nomem));
    assert_true(qpp_hashset_get(&s, ~0ULL)->value == 1);
    assert_true(qpp_hashset_get(&s, ~0ULL - 1)->value == 2);
    assert_true(qpp_hashset_get(&s, 1ULL << 63)->value == 3);
    qpp_hashset_free(&s);
}

/* The reference vectors of SipHash-2-4 (Aumasson and Bernstein, 2012):
 * key 00 01 .. 0f, message 00 01 .. of each length. */
static void test_hashset_siphash_reference_vectors(void **state)
{
    static const struct {
        size_t n;
        unsigned long long want;
    } v[] = {{0, 0x726fdb47dd0e0e31ULL},  {1, 0x74f839c593dc67fdULL},
             {7, 0xab0200f58b01d137ULL},  {8, 0x93f5f5799a932462ULL},
             {15, 0xa129ca6149be45e5ULL}, {16, 0x3f2acc7f57c29bdbULL}};
    unsigned char k[16], m[16];
    size_t i;

    (void)state;
    for (i = 0; i < 16; i++)
        k[i] = m[i] = (unsigned char)i;
    for (i = 0; i < sizeof v / sizeof v[0]; i++)
        assert_true(qpp_siphash(k, m, v[i].n) == v[i].want);
}

static void test_hashset_key_is_stable_and_apart_by_domain(void **state)
{
    (void)state;
    assert_true(qpp_hashset_key("Patient/1", 9, 2) == qpp_hashset_key("Patient/1", 9, 2));
    assert_true(qpp_hashset_key("Patient/1", 9, 2) != qpp_hashset_key("Patient/2", 9, 2));
    assert_true(qpp_hashset_key("Patient/1", 9, 1) != qpp_hashset_key("Patient/1", 9, 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hashset_put_then_get),
        cmocka_unit_test(test_hashset_put_of_a_present_key_returns_the_first),
        cmocka_unit_test(test_hashset_key_zero),
        cmocka_unit_test(test_hashset_grows_past_many_keys),
        cmocka_unit_test(test_hashset_keys_that_share_a_slot),
        cmocka_unit_test(test_hashset_large_keys),
        cmocka_unit_test(test_hashset_siphash_reference_vectors),
        cmocka_unit_test(test_hashset_key_is_stable_and_apart_by_domain),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
