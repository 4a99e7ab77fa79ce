/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for scan.c: the validating scanner accepts and rejects what
 * jansson does (each hand-picked case is also loaded with jansson, so a
 * wrong expectation shows), places its errors at the offending byte, hashes
 * content whatever its layout and key order, copies out of a MeasureReport
 * only what qppbuild reads, and finds where a value ends (qpp_span).
 *
 * The byte-level cases are C strings (invalid UTF-8 and NUL bytes do not
 * sit well in text files); whole resources are fixtures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "scan.h"
#include "span_ref.h"
#include "testutil.h"
#include "util.h"

/* One hand-picked input: accepted, or rejected at err_offset. */
struct jcase {
    const char *bytes;
    size_t len;
    int ok;
    size_t err_offset;
};

#define OK(lit)                                                                          \
    {                                                                                    \
        lit, sizeof lit - 1, 1, 0                                                        \
    }
#define BAD(lit, off)                                                                    \
    {                                                                                    \
        lit, sizeof lit - 1, 0, off                                                      \
    }

/* Scan bytes with base depth; returns qpp_scan's result, *s filled. */
static int scan(const char *bytes, size_t len, int depth, int reduce, struct qpp_scan *s)
{
    int rc;

    memset(s, 0, sizeof *s);
    s->depth = depth;
    if (reduce) {
        s->tree = malloc(sizeof *s->tree);
        assert_non_null(s->tree);
        qpp_tree_init(s->tree);
    }
    rc = qpp_scan(bytes, len, s);
    assert_int_not_equal(rc, -2);
    return rc;
}

/* Free what scan() made. */
static void scan_done(struct qpp_scan *s)
{
    if (s->tree) {
        qpp_tree_free(s->tree);
        free(s->tree);
        s->tree = NULL;
    }
}

static int jansson_accepts(const char *bytes, size_t len)
{
    json_error_t err;
    json_t *j = json_loadb(bytes, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &err);

    json_decref(j);
    return j != NULL;
}

/* Print a case readably in a failure message. */
static const char *shown(const char *bytes, size_t len)
{
    static char buf[160];
    size_t i, k = 0;

    for (i = 0; i < len && k + 5 < sizeof buf; i++) {
        unsigned char ch = (unsigned char)bytes[i];
        if (ch >= 0x20 && ch < 0x7F)
            buf[k++] = (char)ch;
        else
            k += (size_t)snprintf(buf + k, sizeof buf - k, "\\x%02X", ch);
    }
    buf[k] = '\0';
    return buf;
}

static void check_case(const struct jcase *c)
{
    struct qpp_scan s;
    int rc = scan(c->bytes, c->len, 0, 1, &s);

    scan_done(&s); /* before any failure */
    if (jansson_accepts(c->bytes, c->len) != c->ok)
        fail_msg("jansson %s %s: the expectation is wrong", c->ok ? "rejects" : "accepts",
                 shown(c->bytes, c->len));
    if (c->ok && rc != 0)
        fail_msg("scanner rejects %s at %zu (%s); jansson accepts it",
                 shown(c->bytes, c->len), s.err_offset, s.err_text);
    if (!c->ok && rc != -1)
        fail_msg("scanner accepts %s; jansson rejects it", shown(c->bytes, c->len));
    if (!c->ok && s.err_offset != c->err_offset)
        fail_msg("%s: error at offset %zu, want %zu (%s)", shown(c->bytes, c->len),
                 s.err_offset, c->err_offset, s.err_text);
    if (!c->ok)
        assert_true(s.err_text[0] != '\0');
}

static void check_cases(const struct jcase *v, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        check_case(&v[i]);
}

#define CHECK_CASES(v) check_cases(v, sizeof v / sizeof v[0])

/* ---- accepting and rejecting like jansson ---- */

static void test_scan_utf8_like_jansson(void **state)
{
    static const struct jcase cases[] = {
        OK("\"\xC3\xA9\""),                  /* U+00E9 */
        OK("\"\xE2\x82\xAC\""),              /* U+20AC */
        OK("\"\xF0\x9F\x98\x80\""),          /* U+1F600 */
        OK("\"\xF4\x8F\xBF\xBF\""),          /* U+10FFFF, the last */
        OK("\"\xED\x9F\xBF\""),              /* U+D7FF, just below the surrogates */
        OK("\"\xEE\x80\x80\""),              /* U+E000, just above them */
        OK("\"\xEF\xBF\xBF\""),              /* U+FFFF */
        OK("{\"\xC3\xA9\":\"\xC3\xA9\"}"),   /* in a key too */
        BAD("\"\xC0\xAF\"", 1),              /* overlong '/' in two bytes */
        BAD("\"\xC1\xBF\"", 1),              /* overlong U+007F */
        BAD("\"\xE0\x80\xAF\"", 1),          /* overlong '/' in three bytes */
        BAD("\"\xE0\x9F\xBF\"", 1),          /* overlong U+07FF */
        BAD("\"\xF0\x8F\xBF\xBF\"", 1),      /* overlong U+FFFF in four bytes */
        BAD("\"\xED\xA0\x80\"", 1),          /* U+D800 encoded in UTF-8 */
        BAD("\"\xED\xBF\xBF\"", 1),          /* U+DFFF encoded in UTF-8 */
        BAD("\"\xF4\x90\x80\x80\"", 1),      /* U+110000 */
        BAD("\"\xF5\x80\x80\x80\"", 1),      /* beyond, by its first byte */
        BAD("\"\xFF\"", 1),                  /* never in UTF-8 */
        BAD("\"ab\x80\"", 3),                /* a lone continuation byte */
        BAD("\"\xE2\x82\"", 1),              /* truncated before the quote */
        BAD("\"a\xC3\"", 2),                 /* truncated two-byte sequence */
        BAD("\"\xF0\x9F\x98 \"", 1),         /* truncated four-byte sequence */
        BAD("\"\xE2\x82", 1),                /* truncated at the end of input */
        BAD("{\"k\xC0\xAF\":1}", 3),         /* in a key */
        BAD("[\"ok\",\"\xED\xA0\x80\"]", 7), /* in a later value */
        BAD("\xC3\xA9", 0),                  /* outside a string */
        BAD("\xEF\xBB\xBF{}", 0),            /* a byte order mark */
    };

    (void)state;
    CHECK_CASES(cases);
}

static void test_scan_escapes_like_jansson(void **state)
{
    static const struct jcase cases[] = {
        OK("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\""),
        OK("\"\\u0041\\u00e9\\u00C9\\u20AC\""),
        OK("\"\\u0001\""),        /* escaped control characters are fine */
        OK("\"\\uD83D\\uDE00\""), /* a valid pair */
        OK("\"\\uDBFF\\uDFFF\""), /* U+10FFFF as a pair */
        BAD("\"\\u0000\"", 1),    /* NUL is refused without JSON_ALLOW_NUL */
        BAD("\"ab\\u0000\"", 3),
        BAD("\"\\uDC00\"", 1), /* a lone low surrogate */
        BAD("\"\\uDFFF\\uDC00\"", 1),
        BAD("\"\\uD800\"", 1), /* a high surrogate without low */
        BAD("\"\\uD800x\"", 1),
        BAD("\"\\uD800\\u0041\"", 1),
        BAD("\"\\uD800\\uD800\"", 1), /* two high ones */
        BAD("\"\\uD800\\n\"", 1),
        BAD("\"x\\uDBFF\"", 2),
        BAD("\"\\u12\"", 1), /* fewer than four hex digits */
        BAD("\"\\u12G4\"", 1),
        BAD("\"\\x41\"", 1), /* no such escape */
        BAD("\"\\'\"", 1),
        BAD("\"\\U0041\"", 1),
        BAD("\"\\", 1),    /* input ends after the backslash */
        BAD("\"\\u00", 1), /* input ends in the escape */
    };

    (void)state;
    CHECK_CASES(cases);
}

static void test_scan_control_characters_like_jansson(void **state)
{
    static const struct jcase cases[] = {
        OK("\"\x7F\""),              /* DEL is no control character in JSON */
        OK(" \t\r\n[ 1 ,\t2 ]\r\n"), /* the four white-space bytes */
        BAD("\"a\tb\"", 2),          /* a raw tab in a string */
        BAD("\"\n\"", 1),
        BAD("\"\x1F\"", 1),
        BAD("\"a\0b\"", 2),     /* a NUL byte in a string */
        BAD("{\"a\nb\":1}", 3), /* in a key */
        BAD("[\f1]", 1),        /* form feed is not white space */
        BAD("[\v1]", 1),
    };

    (void)state;
    CHECK_CASES(cases);
}

static void test_scan_numbers_like_jansson(void **state)
{
    static const struct jcase cases[] = {
        OK("0"),
        OK("-0"),
        OK("[0,-0,1,-1,10]"),
        OK("1.5"),
        OK("-0.0"),
        OK("1E5"),
        OK("1e-5"),
        OK("1.5E+10"),
        OK("9223372036854775807"),   /* LLONG_MAX */
        OK("-9223372036854775808"),  /* LLONG_MIN */
        OK("9223372036854775808.0"), /* a real may be that big */
        OK("9223372036854775808e0"),
        OK("1e-400"),                 /* underflow is fine */
        OK("1.7976931348623157e308"), /* DBL_MAX */
        BAD("01", 1),
        BAD("[01]", 2),
        BAD("-01", 2),
        BAD("00", 1),
        BAD("1.", 0),
        BAD("[1.]", 1),
        BAD(".5", 0),
        BAD("[.5]", 1),
        BAD("-", 0),
        BAD("[-]", 1),
        BAD("-a", 0),
        BAD("+1", 0),
        BAD("1e", 0),
        BAD("1e+", 0),
        BAD("1.e5", 0),
        BAD("0x10", 1),
        BAD("9223372036854775808", 0),  /* LLONG_MAX + 1 */
        BAD("-9223372036854775809", 0), /* LLONG_MIN - 1 */
        BAD("[1,9223372036854775808]", 3),
        BAD("18446744073709551616", 0), /* 2^64 */
        BAD("99999999999999999999", 0),
        BAD("1e400", 0), /* real overflow */
        BAD("-1e400", 0),
        BAD("1.8e308", 0),
        BAD("[0, 1e400]", 4),
        BAD("Infinity", 0),
        BAD("-Infinity", 0),
        BAD("NaN", 0),
        BAD("0 1", 2),
    };

    (void)state;
    CHECK_CASES(cases);
}

static void test_scan_long_reals_like_jansson(void **state)
{
    char *big = calloc(1, 512);
    struct jcase c;

    (void)state;
    assert_non_null(big);
    /* Longer than the scanner's buffer for strtod: 0.000...1 is fine, a 1
     * with 400 zeros written as a real overflows. */
    memset(big, '0', 300);
    big[1] = '.';
    big[299] = '1';
    c = (struct jcase){big, 300, 1, 0};
    check_case(&c);
    memset(big, '0', 405);
    big[0] = '1';
    memcpy(big + 401, ".0", 2);
    c = (struct jcase){big, 403, 0, 0};
    check_case(&c);
    free(big);
}

static void test_scan_literals_like_jansson(void **state)
{
    static const struct jcase cases[] = {
        OK("true"),      OK("false"),       OK("null"),      OK("[true,false,null]"),
        BAD("t", 0),     BAD("tru", 0),     BAD("True", 0),  BAD("nul", 0),
        BAD("truex", 4), BAD("[truex]", 5), BAD("nulll", 4), BAD("[nan]", 1),
        BAD("fals", 0),  BAD("x", 0),       BAD("'a'", 0),
    };

    (void)state;
    CHECK_CASES(cases);
}

/* n nested arrays; the caller frees. */
static char *nested(size_t n, size_t *len)
{
    char *b = malloc(2 * n + 1);

    assert_non_null(b);
    memset(b, '[', n);
    memset(b + n, ']', n);
    b[2 * n] = '\0';
    *len = 2 * n;
    return b;
}

static void test_scan_depth_2048_is_accepted_2049_is_not(void **state)
{
    struct qpp_scan s;
    size_t len;
    char *b;

    (void)state;
    b = nested(QPP_MAX_DEPTH, &len);
    assert_true(jansson_accepts(b, len));
    assert_int_equal(scan(b, len, 0, 0, &s), 0);
    scan_done(&s);
    free(b);
    b = nested(QPP_MAX_DEPTH + 1, &len);
    assert_false(jansson_accepts(b, len));
    assert_int_equal(scan(b, len, 0, 0, &s), -1);
    assert_int_equal(s.err_offset, QPP_MAX_DEPTH); /* the 2049th '[' */
    scan_done(&s);
    free(b);
}

static void test_scan_depth_of_objects_counts_too(void **state)
{
    struct qpp_buf b;
    struct qpp_scan s;
    int i;

    (void)state;
    /* {"a":{"a":...{"a":[]}...}}: 2047 objects and the array. */
    qpp_buf_init(&b);
    for (i = 0; i < QPP_MAX_DEPTH - 1; i++)
        qpp_buf_add(&b, "{\"a\":");
    qpp_buf_add(&b, "[]");
    for (i = 0; i < QPP_MAX_DEPTH - 1; i++)
        qpp_buf_add(&b, "}");
    assert_false(b.failed);
    assert_true(jansson_accepts(b.s, b.len));
    assert_int_equal(scan(b.s, b.len, 0, 1, &s), 0);
    scan_done(&s);
    qpp_buf_free(&b);
}

static void test_scan_depth_adds_the_base_depth(void **state)
{
    struct qpp_scan s;
    size_t len;
    char *b;

    (void)state;
    /* A value found 3 levels down in its file: 2045 more levels fit. */
    b = nested(QPP_MAX_DEPTH - 3, &len);
    assert_int_equal(scan(b, len, 3, 0, &s), 0);
    scan_done(&s);
    free(b);
    b = nested(QPP_MAX_DEPTH - 2, &len);
    assert_int_equal(scan(b, len, 3, 0, &s), -1);
    assert_int_equal(s.err_offset, QPP_MAX_DEPTH - 3);
    scan_done(&s);
    free(b);
    /* A scalar needs no level. */
    assert_int_equal(scan("1", 1, QPP_MAX_DEPTH, 0, &s), 0);
    scan_done(&s);
    assert_int_equal(scan("[]", 2, QPP_MAX_DEPTH, 0, &s), -1);
    assert_int_equal(s.err_offset, 0);
    scan_done(&s);
}

static void test_scan_duplicate_keys_in_small_objects_like_jansson(void **state)
{
    static const struct jcase cases[] = {
        BAD("{\"a\":1,\"a\":2}", 7),
        BAD("{\"a\":1,\"b\":2,\"a\":3}", 13),
        BAD("{\"\":1,\"\":2}", 6),
        BAD("{\"a\":1,\"\\u0061\":2}", 7), /* the same key, escaped */
        BAD("{\"\\u0061\":1,\"a\":2}", 12),
        BAD("{\"\\/\":1,\"/\":2}", 8),
        BAD("{\"\\u00e9\":1,\"\xC3\xA9\":2}", 12),
        BAD("{\"\\uD83D\\uDE00\":1,\"\xF0\x9F\x98\x80\":2}", 18),
        BAD("{\"a\":{\"b\":1,\"b\":2}}", 12), /* in a nested object */
        BAD("[{\"a\":1,\"a\":1}]", 8),        /* even with equal values */
        OK("{\"a\":1,\"A\":2}"),
        OK("{\"ab\":1,\"a\":2,\"abc\":3}"),
        OK("{\"a\":1,\"b\":{\"a\":2}}"), /* other objects, other keys */
        OK("[{\"a\":1},{\"a\":1}]"),
        OK("{\"a\":{\"a\":{\"a\":1}}}"),
        OK("{\"\\u0061\":1,\"\\u0062\":2}"),
    };

    (void)state;
    CHECK_CASES(cases);
}

/* An object of n keys "k0".."k<n-1>", key i replaced by the given text. */
static void big_object(struct qpp_buf *b, int n, int at, const char *key,
                       size_t *key_offset)
{
    int i;

    qpp_buf_init(b);
    qpp_buf_add(b, "{");
    for (i = 0; i < n; i++) {
        if (i)
            qpp_buf_add(b, ",");
        if (i == at) {
            *key_offset = b->len;
            qpp_buf_printf(b, "\"%s\":%d", key, i);
        } else {
            qpp_buf_printf(b, "\"k%d\":%d", i, i);
        }
    }
    qpp_buf_add(b, "}");
    assert_false(b->failed);
}

static void test_scan_large_object_without_duplicates_is_accepted(void **state)
{
    struct qpp_buf b;
    struct qpp_scan s;
    size_t off;

    (void)state;
    big_object(&b, 200, -1, NULL, &off);
    assert_true(jansson_accepts(b.s, b.len));
    assert_int_equal(scan(b.s, b.len, 0, 1, &s), 0);
    scan_done(&s);
    qpp_buf_free(&b);
}

static void check_big_duplicate(int n, int at, const char *key)
{
    struct qpp_buf b;
    struct qpp_scan s;
    size_t off = 0;
    int janssons, rc;

    big_object(&b, n, at, key, &off);
    janssons = jansson_accepts(b.s, b.len);
    rc = scan(b.s, b.len, 0, 1, &s);
    scan_done(&s);
    qpp_buf_free(&b);
    assert_false(janssons);
    if (rc != -1)
        fail_msg("%d keys, key %d \"%s\": accepted", n, at, key);
    if (s.err_offset != off)
        fail_msg("%d keys, key %d \"%s\": error at %zu, want %zu", n, at, key,
                 s.err_offset, off);
}

static void test_scan_duplicate_keys_in_large_objects_like_jansson(void **state)
{
    (void)state;
    check_big_duplicate(33, 32, "k0");       /* the 33rd key, past the linear check */
    check_big_duplicate(40, 39, "k5");       /* found at the close */
    check_big_duplicate(40, 10, "k3");       /* found as it comes */
    check_big_duplicate(40, 35, "\\u006b7"); /* escaped: k7 */
    check_big_duplicate(100, 99, "k98");     /* neighbours */
    check_big_duplicate(1000, 999, "k0");
}

static void test_scan_large_object_reports_the_first_duplicate(void **state)
{
    struct qpp_buf b;
    struct qpp_scan s;
    size_t first;
    int i;

    (void)state;
    /* Keys k0..k39, then k20 again and k1 again: the first repeat in the
     * text (k20) is the error, as jansson reports it. */
    qpp_buf_init(&b);
    qpp_buf_add(&b, "{");
    for (i = 0; i < 40; i++)
        qpp_buf_printf(&b, "\"k%d\":0,", i);
    first = b.len;
    qpp_buf_add(&b, "\"k20\":0,\"k1\":0}");
    assert_false(jansson_accepts(b.s, b.len));
    assert_int_equal(scan(b.s, b.len, 0, 0, &s), -1);
    assert_int_equal(s.err_offset, first);
    scan_done(&s);
    qpp_buf_free(&b);
}

static void test_scan_large_object_duplicate_before_a_later_error(void **state)
{
    struct qpp_buf b;
    struct qpp_scan s;
    size_t dup;
    int i, rc;

    (void)state;
    /* 40 keys, k0 repeated as the 36th, then a bad token in the same
     * object: jansson stops at the repeated key, the first error in the
     * text; the place of a syntax error is where reading goes wrong. */
    qpp_buf_init(&b);
    qpp_buf_add(&b, "{");
    for (i = 0; i < 35; i++)
        qpp_buf_printf(&b, "\"k%d\":0,", i);
    dup = b.len;
    qpp_buf_add(&b, "\"k0\":0,");
    for (i = 36; i < 40; i++)
        qpp_buf_printf(&b, "\"k%d\":0,", i);
    qpp_buf_add(&b, "\"z\":x}");
    assert_false(jansson_accepts(b.s, b.len));
    rc = scan(b.s, b.len, 0, 0, &s);
    scan_done(&s);
    qpp_buf_free(&b);
    assert_int_equal(rc, -1);
    if (s.err_offset != dup)
        fail_msg("error at %zu (%s), want the repeated key at %zu", s.err_offset,
                 s.err_text, dup);
}

/* ---- where errors are ---- */

static void test_scan_error_offsets(void **state)
{
    static const struct jcase cases[] = {
        BAD("", 0),                           /* nothing */
        BAD("   ", 3),        BAD("[1,]", 3), /* the ']' where a value belongs */
        BAD("[1 2]", 3),                      /* the '2' where ',' or ']' belongs */
        BAD("{\"a\" 1}", 5),                  /* ':' expected */
        BAD("{\"a\":}", 5),   BAD("{,}", 1),
        BAD("{\"a\":1,}", 7), BAD("{1:2}", 1), /* keys are strings */
        BAD("[", 1),                           /* premature end: where input ends */
        BAD("{\"a\":1", 6),   BAD("[1,\n", 4),
        BAD("\"abc", 4),      BAD("{} {}", 3), /* one value only */
        BAD("{}x", 2),        BAD("{\n  \"a\": x\n}", 9),
        BAD("[1]]", 3),       BAD("}", 0),
    };

    (void)state;
    CHECK_CASES(cases);
}

/* ---- hashing ---- */

static unsigned long long hash_of(const char *json)
{
    struct qpp_scan s;
    unsigned long long h;

    if (scan(json, strlen(json), 0, 0, &s) != 0)
        fail_msg("%s does not scan: %s", json, s.err_text);
    h = s.hash;
    scan_done(&s);
    return h;
}

static void assert_same_hash(const char *a, const char *b)
{
    if (hash_of(a) != hash_of(b))
        fail_msg("different hashes for %s and %s", a, b);
}

static void assert_other_hash(const char *a, const char *b)
{
    if (hash_of(a) == hash_of(b))
        fail_msg("the same hash for %s and %s", a, b);
}

static void test_scan_hash_ignores_key_order_and_white_space(void **state)
{
    (void)state;
    assert_same_hash("{\"a\":1,\"b\":[1,2]}",
                     " {\n  \"b\" : [ 1 ,\t2 ] ,\r\n\"a\":1 }\n");
    assert_same_hash("{\"a\":{\"x\":1,\"y\":\"z\"},\"b\":null}",
                     "{\"b\":null,\"a\":{\"y\":\"z\",\"x\":1}}");
    assert_same_hash("[{\"p\":1,\"q\":2},{\"r\":3}]", "[{\"q\":2,\"p\":1},{\"r\":3}]");
    assert_same_hash("{}", "{ }");
    assert_same_hash("[]", "[\n]");
}

static void test_scan_hash_of_strings_is_of_their_decoded_content(void **state)
{
    struct qpp_scan s;

    (void)state;
    assert_same_hash("\"\xC3\xA9\"", "\"\\u00e9\"");
    assert_same_hash("\"\\u00E9\"", "\"\\u00e9\"");
    assert_same_hash("\"a/b\"", "\"a\\/b\"");
    assert_same_hash("\"\xF0\x9F\x98\x80\"", "\"\\uD83D\\uDE00\"");
    assert_same_hash("{\"a\":1}", "{\"\\u0061\":1}"); /* keys too */
    assert_int_equal(scan("\"a\\u0062\"", 9, 0, 0, &s), 0);
    assert_true(s.hash == qpp_scan_string_hash("ab", 2));
    scan_done(&s);
    assert_true(hash_of("\"\"") == qpp_scan_string_hash("", 0));
    assert_true(hash_of("\"Bundle\"") == qpp_scan_string_hash("Bundle", 6));
    /* Escapes hashed as they are written (a quote, a backslash, the short
     * control escapes) and spelled otherwise, alone and mixed. */
    assert_same_hash("\"\\\"\"", "\"\\u0022\"");
    assert_same_hash("\"a\\\\b\"", "\"a\\u005Cb\"");
    assert_same_hash("\"x\\ny\"", "\"x\\u000ay\"");
    assert_same_hash("\"\\b\\f\\r\\t\"", "\"\\u0008\\u000C\\u000d\\u0009\"");
    assert_same_hash("\"<td class=\\\"a/b\\\">\"", "\"<td class=\\u0022a\\/b\\\">\"");
    assert_same_hash("\"\\u001f\"", "\"\\u001F\"");
    assert_int_equal(scan("\"q\\\"\\n\\u0001\"", 13, 0, 0, &s), 0);
    assert_true(s.hash == qpp_scan_string_hash("q\"\n\001", 4));
    scan_done(&s);
    assert_other_hash("\"\\u0001\"", "\"\\u0002\"");
    assert_other_hash("\"\\\"\"", "\"\\\\\"");
    assert_other_hash("\"\\n\"", "\"n\"");
}

static void test_scan_hash_differs_for_different_content(void **state)
{
    (void)state;
    assert_other_hash("{\"a\":1}", "{\"a\":2}");
    assert_other_hash("[1,2]", "[2,1]"); /* order matters in arrays */
    assert_other_hash("[1,2]", "[[1,2]]");
    assert_other_hash("[[1],2]", "[1,[2]]");
    assert_other_hash("[1]", "[1,1]");
    assert_other_hash("{\"a\":1}", "{\"a\":1,\"b\":1}");
    assert_other_hash("\"ab\"", "\"a\"");
    assert_other_hash("\"a\"", "\"A\"");
}

static void test_scan_hash_differs_for_same_bytes_in_another_type(void **state)
{
    (void)state;
    assert_other_hash("\"1\"", "1");
    assert_other_hash("\"true\"", "true");
    assert_other_hash("\"null\"", "null");
    assert_other_hash("\"false\"", "false");
    assert_other_hash("true", "false");
    assert_other_hash("null", "false");
    assert_other_hash("[]", "{}");
    assert_other_hash("[]", "\"\"");
    assert_other_hash("{\"a\":{}}", "{\"a\":[]}");
    assert_other_hash("{\"a\":\"1\"}", "{\"a\":1}");
    assert_other_hash("[\"a\"]", "{\"a\":null}");
    assert_other_hash("[\"a\",\"b\"]", "{\"a\":\"b\"}");
}

static void test_scan_hash_differs_when_keys_and_values_swap(void **state)
{
    (void)state;
    assert_other_hash("{\"a\":\"b\"}", "{\"b\":\"a\"}");
    assert_other_hash("{\"a\":1,\"b\":2}", "{\"a\":2,\"b\":1}");
    assert_other_hash("{\"a\":\"x\",\"b\":\"y\"}", "{\"a\":\"y\",\"b\":\"x\"}");
    assert_other_hash("{\"a\":{\"b\":1}}", "{\"b\":{\"a\":1}}");
    assert_other_hash("{\"a\":{\"b\":1},\"c\":2}", "{\"a\":{\"c\":2},\"b\":1}");
}

static void test_scan_hash_is_the_same_with_reduce(void **state)
{
    size_t len;
    char *buf = fixture_bytes("scan-report-full.json", &len);
    struct qpp_scan a, b;

    (void)state;
    assert_int_equal(scan(buf, len, 0, 0, &a), 0);
    assert_int_equal(scan(buf, len, 0, 1, &b), 0);
    assert_true(a.hash == b.hash);
    scan_done(&a);
    scan_done(&b);
    free(buf);
}

static void test_scan_hash_of_a_report_copy_with_other_layout(void **state)
{
    size_t la, lb;
    char *a = fixture_bytes("scan-report-full.json", &la);
    char *b = fixture_bytes("scan-report-reordered.json", &lb);
    struct qpp_scan sa, sb;

    (void)state;
    assert_int_equal(scan(a, la, 0, 0, &sa), 0);
    assert_int_equal(scan(b, lb, 0, 0, &sb), 0);
    assert_true(sa.hash == sb.hash);
    scan_done(&sa);
    scan_done(&sb);
    free(a);
    free(b);
}

/* ---- type and the reduced copy ---- */

static void check_type(const char *json, int is_object, const char *type, int present)
{
    struct qpp_scan s;

    if (scan(json, strlen(json), 0, 0, &s) != 0)
        fail_msg("%s does not scan: %s", json, s.err_text);
    if (s.is_object != is_object || strcmp(s.type, type) != 0 ||
        s.type_present != present)
        fail_msg("%s: is_object %d type \"%s\" present %d, want %d \"%s\" %d", json,
                 s.is_object, s.type, s.type_present, is_object, type, present);
    scan_done(&s);
}

static void test_scan_type_and_type_present(void **state)
{
    (void)state;
    check_type("{\"resourceType\":\"Patient\",\"id\":\"a\"}", 1, "Patient", 1);
    check_type("{\"id\":\"a\",\n \"resourceType\" : \"Measure\"}", 1, "Measure", 1);
    check_type("{\"resourceType\":\"Measure\\u0052eport\"}", 1, "MeasureReport", 1);
    check_type("{\"resourceType\":5}", 1, "", 1);
    check_type("{\"resourceType\":null}", 1, "", 1);
    check_type("{\"resourceType\":{\"a\":\"Patient\"}}", 1, "", 1);
    check_type("{\"resourceType\":\"\"}", 1, "", 1);
    check_type("{\"id\":\"a\"}", 1, "", 0);
    check_type("{}", 1, "", 0);
    check_type("  {\"resourceType\":\"Bundle\"}", 1, "Bundle", 1);
    /* Only the value's own member, not one further in. */
    check_type("{\"contained\":[{\"resourceType\":\"Patient\"}]}", 1, "", 0);
    check_type("{\"a\":{\"resourceType\":\"Patient\"}}", 1, "", 0);
    check_type("[{\"resourceType\":\"Patient\"}]", 0, "", 0);
    check_type("\"Patient\"", 0, "", 0);
    check_type("5", 0, "", 0);
    /* 63 characters fit, 64 do not. */
    check_type("{\"resourceType\":\"" /* 63 */
               "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk\"}",
               1, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijk", 1);
    check_type("{\"resourceType\":\"" /* 64 */
               "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyzabcdefghijkl\"}",
               1, "", 1);
}

static void test_scan_type_when_the_key_is_escaped(void **state)
{
    (void)state;
    /* "resource\u0054ype" is the key resourceType to jansson. */
    check_type("{\"resource\\u0054ype\":\"Patient\"}", 1, "Patient", 1);
}

/* The reduced copy of a fixture, loaded by jansson: a new reference. */
static json_t *reduced(const char *name)
{
    size_t len;
    char *buf = fixture_bytes(name, &len);
    struct qpp_scan s;
    json_t *j;

    assert_int_equal(scan(buf, len, 0, 1, &s), 0);
    assert_true(s.is_object);
    j = tree_json(s.tree->root);
    assert_non_null(j);
    scan_done(&s);
    free(buf);
    return j;
}

static void assert_json_equal(json_t *got, json_t *want)
{
    if (!json_equal(got, want)) {
        char *a = json_dumps(got, JSON_SORT_KEYS | JSON_COMPACT);
        char *b = json_dumps(want, JSON_SORT_KEYS | JSON_COMPACT);
        print_message("got:  %s\nwant: %s\n", a, b);
        free(a);
        free(b);
        fail_msg("reduced copy differs");
    }
}

static void test_scan_reduced_report_keeps_exactly_what_qppbuild_reads(void **state)
{
    json_t *got = reduced("scan-report-full.json");
    json_t *want = fixture_json("scan-report-reduced.json");

    (void)state;
    assert_json_equal(got, want);
    json_decref(got);
    json_decref(want);
}

static void test_scan_reduced_report_keeps_pointers(void **state)
{
    json_t *got = reduced("scan-report-full.json");
    json_t *full = fixture_json("scan-report-full.json");
    size_t gi, pi;

    (void)state;
    /* Every group and population is where it was, so /group/i/population/k
     * names the same count in the copy as in the original. */
    assert_int_equal(json_array_size(json_object_get(got, "group")),
                     json_array_size(json_object_get(full, "group")));
    for (gi = 0; gi < json_array_size(json_object_get(full, "group")); gi++) {
        json_t *fg = json_array_get(json_object_get(full, "group"), gi);
        json_t *gg = json_array_get(json_object_get(got, "group"), gi);
        json_t *fp = json_object_get(fg, "population");
        if (!json_is_object(fg)) {
            assert_true(json_equal(fg, gg));
            continue;
        }
        assert_int_equal(json_array_size(json_object_get(gg, "population")),
                         json_array_size(fp));
        for (pi = 0; pi < json_array_size(fp); pi++) {
            json_t *f = json_array_get(fp, pi);
            json_t *g = json_array_get(json_object_get(gg, "population"), pi);
            if (json_is_object(f))
                assert_true(
                    json_equal(json_object_get(f, "count"), json_object_get(g, "count")));
            else
                assert_true(json_equal(f, g));
        }
    }
    json_decref(got);
    json_decref(full);
}

static void test_scan_reduced_copy_keeps_key_order(void **state)
{
    size_t len;
    char *buf = fixture_bytes("scan-report-order.json", &len);
    struct qpp_scan s;
    json_t *j;
    char *text;

    (void)state;
    assert_int_equal(scan(buf, len, 0, 1, &s), 0);
    /* Kept members are in the order they came. */
    j = tree_json(s.tree->root);
    text = json_dumps(j, JSON_COMPACT);
    assert_non_null(text);
    if (strcmp(text, "{\"status\":\"complete\",\"id\":\"o1\",\"contained\":[],"
                     "\"resourceType\":\"MeasureReport\",\"extension\":[],"
                     "\"group\":[{\"population\":"
                     "[{\"count\":3}]}]}") != 0)
        fail_msg("reduced copy: %s", text);
    free(text);
    json_decref(j);
    scan_done(&s);
    free(buf);
}

static void test_scan_reduced_copy_of_escaped_member_names(void **state)
{
    /* "\u0069d" is the member id to jansson and to report.c. */
    json_t *got = reduced("scan-report-escaped-keys.json");
    int ok = qpp_streq(json_string_value(json_object_get(got, "id")), "e1") &&
             qpp_streq(json_string_value(json_object_get(got, "status")), "complete");

    (void)state;
    json_decref(got);
    if (!ok)
        fail_msg("id or status dropped from the reduced copy");
}

/* Reducing another resource builds nothing after its resourceType (the
 * tree of a report only is read); the whole value is still checked. */
static void test_scan_reduced_other_resource_stops_at_its_type(void **state)
{
    const char *m = "{\"id\":\"m1\",\"resourceType\":\"Measure\",\"status\":\"active\","
                    "\"group\":[{\"id\":\"g\"}]}";
    const char *bad = "{\"resourceType\":\"Measure\",\"status\":\"active\",\"x\":[1,}";
    struct qpp_scan s;
    json_t *j;
    char *text;

    (void)state;
    assert_int_equal(scan(m, strlen(m), 0, 1, &s), 0);
    assert_string_equal(s.type, "Measure");
    j = tree_json(s.tree->root);
    text = json_dumps(j, JSON_COMPACT);
    assert_non_null(text);
    assert_string_equal(text, "{\"id\":\"m1\",\"resourceType\":\"Measure\"}");
    free(text);
    json_decref(j);
    scan_done(&s);
    assert_int_equal(scan(bad, strlen(bad), 0, 1, &s), -1);
    scan_done(&s);
}

/* qpp_tree_parse keeps everything: the tree equals jansson's value. */
static void test_scan_tree_parse_keeps_all(void **state)
{
    size_t len;
    char *buf = fixture_bytes("scan-report-full.json", &len);
    json_t *want = fixture_json("scan-report-full.json"), *got;
    struct qpp_tree t;

    (void)state;
    qpp_tree_init(&t);
    assert_int_equal(qpp_tree_parse(buf, len, &t), 0);
    got = tree_json(t.root);
    assert_json_equal(got, want);
    json_decref(got);
    json_decref(want);
    qpp_tree_free(&t);
    free(buf);
}

/* One tree and one room serve value after value (as a batch's worker uses
 * them): each value's tree is its own.  The second value begins with a
 * string the first held further on, in memory the second overwrites: a
 * string remembered from the first value must not be given again. */
static void test_scan_tree_and_room_used_again(void **state)
{
    char pad[160], big[320], first[400], second[600];
    const char *values[3];
    struct qpp_tree t;
    struct qpp_scan_room room;
    size_t i;

    (void)state;
    memset(pad, 'p', sizeof pad - 1);
    pad[sizeof pad - 1] = '\0';
    memset(big, 'c', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    snprintf(first, sizeof first, "[\"%s\", \"aaaaaaaa\"]", pad);
    snprintf(second, sizeof second, "[\"aaaaaaaa\", \"%s\", {\"k\": [1, 2, 3]}]", big);
    values[0] = first;
    values[1] = second;
    values[2] = "{\"resourceType\": \"MeasureReport\", \"id\": \"aaaaaaaa\"}";
    qpp_tree_init(&t);
    memset(&room, 0, sizeof room);
    for (i = 0; i < 3; i++) {
        struct qpp_scan s;
        json_t *want = json_loads(values[i], 0, NULL), *got;

        memset(&s, 0, sizeof s);
        s.tree = &t;
        s.keep_all = 1;
        s.room = &room;
        assert_int_equal(qpp_scan(values[i], strlen(values[i]), &s), 0);
        got = tree_json(t.root);
        assert_json_equal(got, want);
        json_decref(got);
        json_decref(want);
        qpp_tree_reset(&t);
    }
    assert_non_null(room.stack);
    qpp_scan_room_free(&room);
    qpp_tree_free(&t);
}

/* A tree of many blocks, the largest a huge page each, and a string longer
 * than a block: all of it equals jansson's value, and the tree serves a
 * small value after a reset and again after that. */
static void test_scan_tree_of_many_blocks(void **state)
{
    const size_t n = 120000, longest = (size_t)5 << 20;
    size_t cap = n * 24 + longest + 64, len = 0, i, round;
    char *buf = malloc(cap);
    struct qpp_tree t;

    (void)state;
    assert_non_null(buf);
    len += (size_t)sprintf(buf, "[\"");
    memset(buf + len, 'x', longest);
    len += longest;
    len += (size_t)sprintf(buf + len, "\"");
    for (i = 0; i < n; i++)
        len += (size_t)sprintf(buf + len, ",{\"k%zu\":\"v%zu\"}", i % 7, i);
    len += (size_t)sprintf(buf + len, "]");
    assert_true(len < cap);
    qpp_tree_init(&t);
    for (round = 0; round < 2; round++) {
        json_t *want = json_loadb(buf, len, 0, NULL), *got;
        const char *small = "{\"a\": [1, \"b\"]}";

        assert_non_null(want);
        assert_int_equal(qpp_tree_parse(buf, len, &t), 0);
        assert_true(t.made > (size_t)8 << 20);
        got = tree_json(t.root);
        assert_json_equal(got, want);
        json_decref(got);
        json_decref(want);
        qpp_tree_reset(&t);
        want = json_loads(small, 0, NULL);
        assert_int_equal(qpp_tree_parse(small, strlen(small), &t), 0);
        got = tree_json(t.root);
        assert_json_equal(got, want);
        json_decref(got);
        json_decref(want);
        qpp_tree_reset(&t);
    }
    qpp_tree_free(&t);
    free(buf);
}

/* A huge report's repeated containers (each group's population code) are
 * kept once: the tree still equals jansson's value, the code objects of two
 * groups are one, and groups whose counts differ are not; in a small tree
 * nothing is shared. */
static void test_scan_tree_shares_repeated_containers(void **state)
{
    char *buf = malloc(400000);
    size_t len = 0, i;
    json_t *want, *got;
    const struct qpp_jv *g0, *g1, *code0, *code1;
    struct qpp_tree t;

    (void)state;
    assert_non_null(buf);
    len += (size_t)sprintf(buf, "{\"resourceType\":\"MeasureReport\",\"group\":[");
    for (i = 0; i < 1000; i++)
        len +=
            (size_t)sprintf(buf + len,
                            "%s{\"id\":\"g%zu\",\"population\":[{\"code\":{\"coding\":[{"
                            "\"system\":\"s\",\"code\":\"numerator\"}]},\"count\":%zu}]}",
                            i ? "," : "", i, i);
    len += (size_t)sprintf(buf + len, "]}");
    qpp_tree_init(&t);
    assert_int_equal(qpp_tree_parse(buf, len, &t), 0);
    want = json_loadb(buf, len, 0, NULL);
    got = tree_json(t.root);
    assert_json_equal(got, want);
    assert_true(t.made > QPP_TREE_SHARE_FROM);
    g0 = qpp_jv_at(qpp_jv_get(t.root, "group"), 998);
    g1 = qpp_jv_at(qpp_jv_get(t.root, "group"), 999);
    code0 = qpp_jv_get(qpp_jv_at(qpp_jv_get(g0, "population"), 0), "code");
    code1 = qpp_jv_get(qpp_jv_at(qpp_jv_get(g1, "population"), 0), "code");
    assert_non_null(code0);
    assert_ptr_equal(code0->u.kids, code1->u.kids);
    assert_ptr_not_equal(qpp_jv_get(g0, "population")->u.kids,
                         qpp_jv_get(g1, "population")->u.kids);
    /* The first groups' are their own: the tree was small then. */
    g0 = qpp_jv_at(qpp_jv_get(t.root, "group"), 0);
    g1 = qpp_jv_at(qpp_jv_get(t.root, "group"), 1);
    code0 = qpp_jv_get(qpp_jv_at(qpp_jv_get(g0, "population"), 0), "code");
    code1 = qpp_jv_get(qpp_jv_at(qpp_jv_get(g1, "population"), 0), "code");
    assert_ptr_not_equal(code0->u.kids, code1->u.kids);
    json_decref(got);
    json_decref(want);
    qpp_tree_free(&t);
    free(buf);
}

/* Kids made at a, of n strings (an object's when keys is set). */
static struct qpp_jv *kids_of(struct qpp_tree *t, const char *const *strings,
                              const char *const *keys, unsigned n)
{
    struct qpp_jv *k =
        qpp_tree_alloc(t, n * (sizeof *k + (keys ? sizeof(const char *) : 0)));
    unsigned i;

    assert_non_null(k);
    memset(k, 0, n * sizeof *k);
    for (i = 0; i < n; i++) {
        k[i].type = QPP_J_STRING;
        k[i].u.s = strings[i];
        if (keys)
            ((const char **)(void *)(k + n))[i] = keys[i];
    }
    return k;
}

/* Only the same content is shared, whatever the hash says; and nothing
 * remembered before a reset is handed out after it (its memory is the
 * tree's again). */
static void test_scan_tree_shares_only_the_same(void **state)
{
    static const char *const ab[] = {"a", "b"}, *const ac[] = {"a", "c"};
    static const char *const xy[] = {"x", "y"}, *const xz[] = {"x", "z"};
    struct qpp_tree t;
    const struct qpp_jv *first, *k;
    struct qpp_jv *made;
    char *after;

    (void)state;
    qpp_tree_init(&t);
    /* Nothing is shared in a small tree. */
    first = qpp_tree_share(&t, 7, QPP_J_ARRAY, kids_of(&t, ab, NULL, 2), 2);
    assert_ptr_not_equal(qpp_tree_share(&t, 7, QPP_J_ARRAY, kids_of(&t, ab, NULL, 2), 2),
                         first);
    assert_non_null(qpp_tree_alloc(&t, QPP_TREE_SHARE_FROM));
    first = qpp_tree_share(&t, 7, QPP_J_ARRAY, kids_of(&t, ab, NULL, 2), 2);
    /* The same hash, another element: its own. */
    made = kids_of(&t, ac, NULL, 2);
    assert_ptr_equal(qpp_tree_share(&t, 7, QPP_J_ARRAY, made, 2), made);
    /* Equal content: the one remembered (the last of that hash). */
    k = qpp_tree_share(&t, 7, QPP_J_ARRAY, kids_of(&t, ac, NULL, 2), 2);
    assert_ptr_equal(k, made);
    assert_ptr_not_equal(k, first);
    /* Objects: the same values under other keys are another object. */
    first = qpp_tree_share(&t, 9, QPP_J_OBJECT, kids_of(&t, ab, xy, 2), 2);
    made = kids_of(&t, ab, xz, 2);
    assert_ptr_equal(qpp_tree_share(&t, 9, QPP_J_OBJECT, made, 2), made);
    assert_string_equal(
        qpp_jv_key(&(struct qpp_jv){.u.kids = made, .n = 2, .type = QPP_J_OBJECT}, 1),
        "z");
    /* An array is not an object of the same elements. */
    made = kids_of(&t, ab, NULL, 2);
    assert_ptr_equal(qpp_tree_share(&t, 9, QPP_J_ARRAY, made, 2), made);
    /* After a reset the same content at the same place is new: handing the
     * old one out would give back memory that is then used again. */
    qpp_tree_free(&t);
    qpp_tree_init(&t);
    assert_non_null(qpp_tree_alloc(&t, QPP_TREE_SHARE_FROM)); /* the newest block */
    first = qpp_tree_share(&t, 7, QPP_J_ARRAY, kids_of(&t, ab, NULL, 2), 2);
    qpp_tree_reset(&t);
    t.made = QPP_TREE_SHARE_FROM; /* as if big again: the same place */
    first = qpp_tree_share(&t, 7, QPP_J_ARRAY, kids_of(&t, ab, NULL, 2), 2);
    after = qpp_tree_alloc(&t, 2 * sizeof(struct qpp_jv));
    assert_non_null(after);
    memset(after, 0xAB, 2 * sizeof(struct qpp_jv));
    assert_int_equal(first[0].type, QPP_J_STRING);
    assert_string_equal(first[1].u.s, "b");
    qpp_tree_free(&t);
}

/* ---- qpp_span ---- */

struct span_case {
    const char *bytes;
    size_t len;
    enum qpp_span_result result; /* with every byte given and at_eof */
    size_t pos;
};

#define SPAN(lit, r, p)                                                                  \
    {                                                                                    \
        lit, sizeof lit - 1, r, p                                                        \
    }

static const char *const result_names[] = {"MORE", "END", "BAD"};

/* The whole bytes at once, then a byte at a time (resumed), then with more
 * bytes after: all agree. */
static void check_span(const struct span_case *c)
{
    struct qpp_span whole, steps;
    enum qpp_span_result r = QPP_SPAN_MORE;
    size_t n;

    memset(&whole, 0, sizeof whole);
    r = qpp_span(c->bytes, c->len, 1, &whole);
    if (r != c->result || whole.pos != c->pos)
        fail_msg("span of %s: %s at %zu, want %s at %zu", shown(c->bytes, c->len),
                 result_names[r], whole.pos, result_names[c->result], c->pos);
    memset(&steps, 0, sizeof steps);
    r = QPP_SPAN_MORE;
    for (n = 0; n <= c->len && r == QPP_SPAN_MORE; n++)
        r = qpp_span(c->bytes, n, n == c->len, &steps);
    if (r != c->result || steps.pos != c->pos)
        fail_msg("span of %s a byte at a time: %s at %zu, want %s at %zu",
                 shown(c->bytes, c->len), result_names[r], steps.pos,
                 result_names[c->result], c->pos);
}

static void test_span_finds_the_end_of_values(void **state)
{
    static const struct span_case cases[] = {
        SPAN("{\"a\":[1,2]} {\"b\":1}", QPP_SPAN_END, 11),
        SPAN("[1,[2,3],{\"x\":[]}]x", QPP_SPAN_END, 18),
        SPAN("{}", QPP_SPAN_END, 2),
        SPAN("[]\n[]", QPP_SPAN_END, 2),
        SPAN("\"abc\"x", QPP_SPAN_END, 5),
        SPAN("\"\"", QPP_SPAN_END, 2),
        SPAN("{\"a\":\"}]\"}", QPP_SPAN_END, 10), /* brackets in strings */
        SPAN("[\"[\",\"{\"]", QPP_SPAN_END, 9),
        SPAN("{\"\xC3\xA9\":\"\xE2\x82\xAC\"}", QPP_SPAN_END, 12),
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_span(&cases[i]);
}

static void test_span_over_escaped_quotes_and_backslashes(void **state)
{
    static const struct span_case cases[] = {
        SPAN("\"a\\\"b\"x", QPP_SPAN_END, 6),   /* "a\"b" */
        SPAN("\"a\\\\\"x", QPP_SPAN_END, 5),    /* "a\\" */
        SPAN("\"\\\\\\\"\"x", QPP_SPAN_END, 6), /* "\\\"" */
        SPAN("\"\\\\\\\\\"]", QPP_SPAN_END, 6), /* "\\\\" */
        /* An escaped character right before 8 plain bytes. */
        SPAN("\"\\\"abcdefgh\"x", QPP_SPAN_END, 12), /* "\"abcdefgh" */
        SPAN("\"\\\\abcdefgh\"x", QPP_SPAN_END, 12), /* "\\abcdefgh" */
        SPAN("\"\\nabcdefghijklmnop\"x", QPP_SPAN_END, 20),
        SPAN("\"abcdefg\\\"abcdefgh\\\"abcdefgh\"x", QPP_SPAN_END, 29),
        SPAN("\"abcdefgh\\\\\"abcdefgh\"", QPP_SPAN_END, 12),
        SPAN("{\"k\":\"\\\"12345678\\\\\",\"z\":\"}\"}x", QPP_SPAN_END, 28),
        SPAN("[\"\\\\\",\"]\"]x", QPP_SPAN_END, 10),
        SPAN("\"\\u0022abcdefgh\"x", QPP_SPAN_END, 16),
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_span(&cases[i]);
}

static void test_span_escape_then_runs_of_plain_bytes(void **state)
{
    static const char *const escapes[] = {"\\n", "\\\"", "\\\\", "\\/", "\\u0041"};
    char v[64];
    size_t e, k;

    (void)state;
    /* "<escape><k plain bytes>"x for every k: the run may end exactly at
     * the closing quote, where skipping 8 bytes with the escape still
     * pending would take the quote for the escaped character. */
    for (e = 0; e < sizeof escapes / sizeof escapes[0]; e++) {
        for (k = 0; k <= 20; k++) {
            struct span_case c;
            struct qpp_scan s;
            size_t n = 0;

            v[n++] = '"';
            memcpy(v + n, escapes[e], strlen(escapes[e]));
            n += strlen(escapes[e]);
            memset(v + n, 'a', k);
            n += k;
            v[n++] = '"';
            v[n++] = 'x';
            c = (struct span_case){v, n, QPP_SPAN_END, n - 1};
            check_span(&c);
            /* The scanner agrees on the value (x is left over). */
            assert_int_equal(scan(v, n - 1, 0, 0, &s), 0);
            scan_done(&s);
        }
    }
}

static void test_span_of_scalars(void **state)
{
    static const struct span_case cases[] = {
        SPAN("123 ", QPP_SPAN_END, 3),
        SPAN("123", QPP_SPAN_END, 3), /* at the end of input */
        SPAN("-1.5e+3]", QPP_SPAN_END, 7),
        SPAN("1E5,", QPP_SPAN_END, 3),
        SPAN("true,", QPP_SPAN_END, 4),
        SPAN("null\n{}", QPP_SPAN_END, 4),
        SPAN("false", QPP_SPAN_END, 5),
        SPAN("nulls", QPP_SPAN_END, 5), /* the scanner says what is wrong */
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_span(&cases[i]);
}

static void test_span_of_scalar_waits_for_more(void **state)
{
    struct qpp_span s;

    (void)state;
    /* "12" may go on: "123". */
    memset(&s, 0, sizeof s);
    assert_int_equal(qpp_span("12", 2, 0, &s), QPP_SPAN_MORE);
    assert_int_equal(qpp_span("123 ", 4, 0, &s), QPP_SPAN_END);
    assert_int_equal(s.pos, 3);
    memset(&s, 0, sizeof s);
    assert_int_equal(qpp_span("", 0, 0, &s), QPP_SPAN_MORE);
    assert_int_equal(qpp_span("", 0, 1, &s), QPP_SPAN_BAD);
}

static void test_span_bad_bytes(void **state)
{
    static const struct span_case cases[] = {
        SPAN("\"a\x01"
             "b\"",
             QPP_SPAN_BAD, 3), /* cut just past the control byte */
        SPAN("{\"a\":\"x\ny\"}", QPP_SPAN_BAD, 8),
        SPAN("[\"abcdefghij\tk\"]", QPP_SPAN_BAD, 13),
        SPAN("}", QPP_SPAN_BAD, 1), /* an unbalanced close */
        SPAN("]]", QPP_SPAN_BAD, 1),
        SPAN(":1", QPP_SPAN_BAD, 1), /* a byte no value starts with */
        SPAN(",", QPP_SPAN_BAD, 1),
        SPAN("[1,2", QPP_SPAN_BAD, 4), /* truncated: cut at the end */
        SPAN("{\"a\":\"b", QPP_SPAN_BAD, 7),
        SPAN("\"abc\\", QPP_SPAN_BAD, 5),
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++)
        check_span(&cases[i]);
}

static void test_span_resumed_over_chunks_of_every_size(void **state)
{
    /* The bug class: where a chunk ends relative to an escape and a run of
     * eight plain bytes.  Every split point gives the same end. */
    static const char v[] =
        "{\"a\":\"x\\\"abcdefghijklmnop\\\\\",\"b\":[\"\\\\\\\"qrstuvwx"
        "yz012345\"]} tail";
    size_t len = sizeof v - 1, want = sizeof v - 1 - 5, cut, cut2;

    (void)state;
    for (cut = 0; cut <= want; cut++) {
        for (cut2 = cut; cut2 <= want; cut2 += 3) {
            struct qpp_span s;
            enum qpp_span_result r;

            memset(&s, 0, sizeof s);
            r = qpp_span(v, cut, 0, &s);
            if (r == QPP_SPAN_MORE)
                r = qpp_span(v, cut2, 0, &s);
            if (r == QPP_SPAN_MORE)
                r = qpp_span(v, len, 0, &s);
            if (r != QPP_SPAN_END || s.pos != want)
                fail_msg("cut at %zu and %zu: %s at %zu, want END at %zu", cut, cut2,
                         result_names[r], s.pos, want);
        }
    }
}

/* ---- qpp_span against the byte loop it replaced (span_ref.h) ---- */

/* v[0..n): at once (at the end of input or not), a byte at a time with the
 * state compared after every call, and cut in two at every place: the same
 * results and states as the byte loop. */
static void check_span_ref(const char *v, size_t n)
{
    struct qpp_span a, b;
    enum qpp_span_result ra, rb;
    const char *what;
    size_t i, cut;
    int eof;

    for (eof = 0; eof <= 1; eof++) {
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        ra = qpp_span(v, n, eof, &a);
        rb = span_ref(v, n, eof, &b);
        if ((what = span_differs(ra, &a, rb, &b)))
            fail_msg("span of %s (at_eof %d): %s differs: %s at %zu, byte loop %s at %zu",
                     shown(v, n), eof, what, result_names[ra], a.pos, result_names[rb],
                     b.pos);
    }
    memset(&a, 0, sizeof a);
    memset(&b, 0, sizeof b);
    ra = rb = QPP_SPAN_MORE;
    for (i = 0; i <= n && ra == QPP_SPAN_MORE && rb == QPP_SPAN_MORE; i++) {
        ra = qpp_span(v, i, i == n, &a);
        rb = span_ref(v, i, i == n, &b);
        if ((what = span_differs(ra, &a, rb, &b)))
            fail_msg(
                "span of %s given %zu bytes: %s differs: %s at %zu, byte loop %s at %zu",
                shown(v, n), i, what, result_names[ra], a.pos, result_names[rb], b.pos);
    }
    for (cut = 0; cut <= n; cut++) {
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        ra = qpp_span(v, cut, 0, &a);
        if (ra == QPP_SPAN_MORE)
            ra = qpp_span(v, n, 1, &a);
        rb = span_ref(v, n, 1, &b);
        if ((what = span_differs(ra, &a, rb, &b)))
            fail_msg("span of %s cut at %zu: %s differs: %s at %zu, byte loop %s at %zu",
                     shown(v, n), cut, what, result_names[ra], a.pos, result_names[rb],
                     b.pos);
    }
}

/* '[' then '"' then filler up to byte `at`, then the bytes of tail, then
 * more: the tail lands where a 64-byte block ends (at = 63, 64, ...). */
static size_t placed(char *v, size_t at, const char *tail, size_t tail_len,
                     const char *more)
{
    size_t n = 0;

    v[n++] = '[';
    v[n++] = '"';
    while (n < at)
        v[n++] = 'a';
    memcpy(v + n, tail, tail_len);
    n += tail_len;
    memcpy(v + n, more, strlen(more));
    return n + strlen(more);
}

static void check_placed(const char *tail, size_t tail_len, const char *more)
{
    char v[400];
    size_t at;

    for (at = 2; at < 140; at++)
        check_span_ref(v, placed(v, at, tail, tail_len, more));
}

static void test_span_escape_at_the_last_byte_of_a_block(void **state)
{
    char v[200];
    size_t n;

    (void)state;
    /* The backslash is byte 63: the quote that starts the next block is
     * escaped, the string goes on to the quote after "b". */
    n = placed(v, 63, "\\\"", 2, "b\"]x");
    assert_int_equal(v[63], '\\');
    check_span_ref(v, n);
    check_span(&(struct span_case){v, n, QPP_SPAN_END, n - 1});
    /* and at byte 127, of the second block */
    n = placed(v, 127, "\\\"", 2, "b\"]x");
    check_span(&(struct span_case){v, n, QPP_SPAN_END, n - 1});
    /* the escaped backslash at byte 63 escapes nothing: the quote ends */
    n = placed(v, 62, "\\\\\"", 3, "]x");
    assert_int_equal(v[63], '\\');
    check_span(&(struct span_case){v, n, QPP_SPAN_END, n - 1});
    check_placed("\\\"", 2, "b\"]x");
    check_placed("\\", 1, "\"\"]x");
}

static void test_span_runs_of_backslashes_across_blocks(void **state)
{
    static const char *const runs[] = {"\\\\\"]x", "\\\\\\\"\"]x", "\\\\\\\\\"]x",
                                       "\\\\\\\\\\\"\"]x",
                                       "\\\\\\\\\\\\\\\\\\\\\\\\\"]x"};
    size_t i;

    (void)state;
    /* \\" ends the string, \\\" does not: every run, at every place
     * around the first and second block boundaries */
    for (i = 0; i < sizeof runs / sizeof runs[0]; i++)
        check_placed(runs[i], strlen(runs[i]), "");
}

static void test_span_unicode_escape_across_blocks(void **state)
{
    (void)state;
    check_placed("\\u0022\"]x", 9, "");
    check_placed("\\u005C\\\"\"]x", 11, "");
    check_placed("\\uD83D\\uDE00\"]x", 15, "");
}

static void test_span_control_byte_in_a_string(void **state)
{
    char v[200];
    size_t n;

    (void)state;
    /* BAD just past the control byte, wherever it is in the block */
    n = placed(v, 64, "\x1F", 1, "\"]");
    check_span(&(struct span_case){v, n, QPP_SPAN_BAD, 65});
    n = placed(v, 63, "\n", 1, "\"]");
    check_span(&(struct span_case){v, n, QPP_SPAN_BAD, 64});
    check_placed("\x01\"]", 3, "");
    check_placed("\t\"]", 3, "");
    /* an escaped control byte is passed over as before (the scanner
     * rejects it) */
    check_placed("\\\n\"]x", 5, "");
    /* outside strings control bytes are white space */
    check_placed("\",\n\t\"\x01\"]", 9, "");
}

static void test_span_brackets_inside_strings(void **state)
{
    char v[200];
    size_t n;

    (void)state;
    n = placed(v, 60, "]}]}]\"]", 7, " []");
    check_span(&(struct span_case){v, n, QPP_SPAN_END, n - 3});
    check_placed("{[}]\\\"]}\"]x", 11, "");
    check_placed("\",{\"]\":\"[\"}]x", 13, "");
    /* a backslash outside any string (invalid JSON) means nothing there */
    check_placed("\",\\\"a\\\\\"]x", 10, "");
    check_placed("\"\\]x", 4, "");
}

static void test_span_resumed_at_every_offset_of_a_long_string(void **state)
{
    /* a 70-byte string value with escapes */
    static const char v[] = "\"0123456789\\\"abcdefghij\\\\klmnopqrst\\u0041vwxyz{[]}"
                            "\\\"0123456789ABCDEFG\"x";
    size_t n = sizeof v - 1, cut;

    (void)state;
    assert_int_equal(n - 1, 70);
    for (cut = 0; cut <= n; cut++) {
        struct qpp_span s;
        enum qpp_span_result r;

        memset(&s, 0, sizeof s);
        r = qpp_span(v, cut, 0, &s);
        assert_int_equal(r, cut >= n - 1 ? QPP_SPAN_END : QPP_SPAN_MORE);
        if (r == QPP_SPAN_MORE)
            r = qpp_span(v, n, 1, &s);
        if (r != QPP_SPAN_END || s.pos != n - 1)
            fail_msg("cut at %zu: %s at %zu, want END at %zu", cut, result_names[r],
                     s.pos, n - 1);
    }
    check_span_ref(v, n);
}

static void test_span_matches_the_byte_loop_on_random_bytes(void **state)
{
    static const char alphabet[] = "\"\"\"\\\\\\aaaaaaa{}[],:\x01\n \xC3";
    unsigned long long x = 88172645463325252ULL;
    char v[300];
    int k;

    (void)state;
    for (k = 0; k < 2000; k++) {
        size_t n, i;

        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        n = 1 + (size_t)(x % sizeof v);
        v[0] = "{[\""[x % 3];
        for (i = 1; i < n; i++) {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            v[i] = alphabet[x % (sizeof alphabet - 1)];
        }
        check_span_ref(v, n);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scan_utf8_like_jansson),
        cmocka_unit_test(test_scan_escapes_like_jansson),
        cmocka_unit_test(test_scan_control_characters_like_jansson),
        cmocka_unit_test(test_scan_numbers_like_jansson),
        cmocka_unit_test(test_scan_long_reals_like_jansson),
        cmocka_unit_test(test_scan_literals_like_jansson),
        cmocka_unit_test(test_scan_depth_2048_is_accepted_2049_is_not),
        cmocka_unit_test(test_scan_depth_of_objects_counts_too),
        cmocka_unit_test(test_scan_depth_adds_the_base_depth),
        cmocka_unit_test(test_scan_duplicate_keys_in_small_objects_like_jansson),
        cmocka_unit_test(test_scan_large_object_without_duplicates_is_accepted),
        cmocka_unit_test(test_scan_duplicate_keys_in_large_objects_like_jansson),
        cmocka_unit_test(test_scan_large_object_reports_the_first_duplicate),
        cmocka_unit_test(test_scan_large_object_duplicate_before_a_later_error),
        cmocka_unit_test(test_scan_error_offsets),
        cmocka_unit_test(test_scan_hash_ignores_key_order_and_white_space),
        cmocka_unit_test(test_scan_hash_of_strings_is_of_their_decoded_content),
        cmocka_unit_test(test_scan_hash_differs_for_different_content),
        cmocka_unit_test(test_scan_hash_differs_for_same_bytes_in_another_type),
        cmocka_unit_test(test_scan_hash_differs_when_keys_and_values_swap),
        cmocka_unit_test(test_scan_hash_is_the_same_with_reduce),
        cmocka_unit_test(test_scan_hash_of_a_report_copy_with_other_layout),
        cmocka_unit_test(test_scan_type_and_type_present),
        cmocka_unit_test(test_scan_type_when_the_key_is_escaped),
        cmocka_unit_test(test_scan_reduced_report_keeps_exactly_what_qppbuild_reads),
        cmocka_unit_test(test_scan_reduced_report_keeps_pointers),
        cmocka_unit_test(test_scan_reduced_copy_keeps_key_order),
        cmocka_unit_test(test_scan_reduced_copy_of_escaped_member_names),
        cmocka_unit_test(test_scan_tree_parse_keeps_all),
        cmocka_unit_test(test_scan_tree_and_room_used_again),
        cmocka_unit_test(test_scan_tree_of_many_blocks),
        cmocka_unit_test(test_scan_tree_shares_repeated_containers),
        cmocka_unit_test(test_scan_tree_shares_only_the_same),
        cmocka_unit_test(test_scan_reduced_other_resource_stops_at_its_type),
        cmocka_unit_test(test_span_finds_the_end_of_values),
        cmocka_unit_test(test_span_over_escaped_quotes_and_backslashes),
        cmocka_unit_test(test_span_escape_then_runs_of_plain_bytes),
        cmocka_unit_test(test_span_of_scalars),
        cmocka_unit_test(test_span_of_scalar_waits_for_more),
        cmocka_unit_test(test_span_bad_bytes),
        cmocka_unit_test(test_span_resumed_over_chunks_of_every_size),
        cmocka_unit_test(test_span_escape_at_the_last_byte_of_a_block),
        cmocka_unit_test(test_span_runs_of_backslashes_across_blocks),
        cmocka_unit_test(test_span_unicode_escape_across_blocks),
        cmocka_unit_test(test_span_control_byte_in_a_string),
        cmocka_unit_test(test_span_brackets_inside_strings),
        cmocka_unit_test(test_span_resumed_at_every_offset_of_a_long_string),
        cmocka_unit_test(test_span_matches_the_byte_loop_on_random_bytes),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
