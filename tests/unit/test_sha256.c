/* SPDX-License-Identifier: MIT */
/* Unit tests for sha256.c: NIST's example vectors (FIPS 180-4 examples,
 * csrc.nist.gov "SHA256.pdf" and the CAVP short-message Len = 0 case), the
 * padding boundaries, and updates of any size giving one digest. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "sha256.h"
#include "testutil.h"

static void hex_of(const void *p, size_t n, char hex[65])
{
    struct qpp_sha256 c;
    unsigned char d[QPP_SHA256_LEN];

    qpp_sha256_init(&c);
    qpp_sha256_update(&c, p, n);
    qpp_sha256_final(&c, d);
    qpp_sha256_hex(d, hex);
}

static void test_sha256_nist_one_block(void **state)
{
    char hex[65];

    (void)state;
    hex_of("abc", 3, hex);
    assert_string_equal(
        hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

static void test_sha256_nist_two_blocks(void **state)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    char hex[65];

    (void)state;
    hex_of(m, strlen(m), hex);
    assert_string_equal(
        hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

static void test_sha256_nist_empty(void **state)
{
    char hex[65];

    (void)state;
    hex_of("", 0, hex);
    assert_string_equal(
        hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

/* A million 'a', given 1000 at a time. */
static void test_sha256_nist_million_a(void **state)
{
    struct qpp_sha256 c;
    unsigned char d[QPP_SHA256_LEN];
    char a[1000], hex[65];
    int i;

    (void)state;
    memset(a, 'a', sizeof a);
    qpp_sha256_init(&c);
    for (i = 0; i < 1000; i++)
        qpp_sha256_update(&c, a, sizeof a);
    qpp_sha256_final(&c, d);
    qpp_sha256_hex(d, hex);
    assert_string_equal(
        hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

/* Lengths around the padding's edges (55 bytes pads in one block, 56 needs
 * two); expected values from coreutils' sha256sum. */
static void test_sha256_padding_boundaries(void **state)
{
    static const struct {
        size_t n;
        const char *hex;
    } cases[] = {
        {55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072"},
        {56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e"},
        {63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2"},
        {64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c"},
        {65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9"},
    };
    char x[65], hex[65];
    size_t i;

    (void)state;
    memset(x, 'x', sizeof x);
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        hex_of(x, cases[i].n, hex);
        assert_string_equal(hex, cases[i].hex);
    }
}

/* Any split of the input gives the same digest. */
static void test_sha256_updates_of_any_size(void **state)
{
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
                    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    size_t n = strlen(m), step, i;
    char whole[65], hex[65];

    (void)state;
    hex_of(m, n, whole);
    for (step = 1; step <= 70; step++) {
        struct qpp_sha256 c;
        unsigned char d[QPP_SHA256_LEN];

        qpp_sha256_init(&c);
        for (i = 0; i < n; i += step)
            qpp_sha256_update(&c, m + i, n - i < step ? n - i : step);
        qpp_sha256_final(&c, d);
        qpp_sha256_hex(d, hex);
        assert_string_equal(hex, whole);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha256_nist_one_block),
        cmocka_unit_test(test_sha256_nist_two_blocks),
        cmocka_unit_test(test_sha256_nist_empty),
        cmocka_unit_test(test_sha256_nist_million_a),
        cmocka_unit_test(test_sha256_padding_boundaries),
        cmocka_unit_test(test_sha256_updates_of_any_size),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
