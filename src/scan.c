/* SPDX-License-Identifier: MIT */
/* The JSON scanner; see scan.h. */
#include "scan.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#if defined(__SSE2__) && defined(__GNUC__) && !defined(QPP_NO_SIMD)
#include <emmintrin.h>
#define QPP_SSE2 1
#endif

/* ---- hashing ---- */

#define K1 0x9E3779B97F4A7C15ULL
#define K2 0xC2B2AE3D27D4EB4FULL

static unsigned long long fmix(unsigned long long h)
{
    h ^= h >> 33;
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

/* A fast hash of bytes, not cryptographic: it only tells copies of one
 * resource from different resources under the same id (hashset.h keys the
 * ids themselves).  Incremental, so that a string with escapes is hashed as
 * it is decoded, in pieces, without a copy.  Bytes go in 32 at a time into
 * four lanes that do not wait on each other; fewer than 32 bytes in all go
 * 8 at a time into one.  Their number goes in at the end. */
#define LANES 4
#define BLOCK ((size_t)8 * LANES)

struct hasher {
    unsigned long long h[LANES];
    unsigned char tail[BLOCK]; /* bytes not yet a whole block */
    size_t ntail, total;
};

static void hasher_init(struct hasher *x, unsigned long long seed)
{
    int k;

    for (k = 0; k < LANES; k++)
        x->h[k] = seed + (unsigned long long)k * K1;
    x->ntail = 0;
    x->total = 0;
}

static unsigned long long hash_word(unsigned long long h, const unsigned char *b)
{
    unsigned long long w;

    memcpy(&w, b, 8);
    h = (h ^ w) * K2;
    return h ^ (h >> 29);
}

static void hash_block(struct hasher *x, const unsigned char *b)
{
    x->h[0] = hash_word(x->h[0], b);
    x->h[1] = hash_word(x->h[1], b + 8);
    x->h[2] = hash_word(x->h[2], b + 16);
    x->h[3] = hash_word(x->h[3], b + 24);
}

static void hasher_add(struct hasher *x, const void *p, size_t n)
{
    const unsigned char *b = p;

    x->total += n;
    if (x->ntail) {
        size_t k = BLOCK - x->ntail < n ? BLOCK - x->ntail : n;
        memcpy(x->tail + x->ntail, b, k);
        x->ntail += k;
        b += k;
        n -= k;
        if (x->ntail < BLOCK)
            return;
        hash_block(x, x->tail);
        x->ntail = 0;
    }
    for (; n >= BLOCK; b += BLOCK, n -= BLOCK)
        hash_block(x, b);
    memcpy(x->tail, b, n);
    x->ntail = n;
}

static unsigned long long hasher_end(struct hasher *x)
{
    unsigned long long h = x->h[0];
    size_t i;
    int k;

    if (x->total >= BLOCK) /* the lanes were used: one value of them */
        for (k = 1; k < LANES; k++)
            h = (h ^ fmix(x->h[k])) * K2;
    for (i = 0; i < x->ntail; i += 8) {
        unsigned char w[8] = {0};
        memcpy(w, x->tail + i, x->ntail - i < 8 ? x->ntail - i : 8);
        h = hash_word(h, w);
    }
    return fmix(h ^ (x->total * K1));
}

static unsigned long long hash_bytes(const void *p, size_t n, unsigned long long seed)
{
    struct hasher x;

    hasher_init(&x, seed);
    hasher_add(&x, p, n);
    return hasher_end(&x);
}

/* Tags keep values of different kinds with the same bytes apart. */
enum { H_STRING = 1, H_NUMBER, H_TRUE, H_FALSE, H_NULL, H_ARRAY, H_OBJECT, H_REAL };

/* ---- the parser state ---- */

/* What of an object to copy out: a key and how to copy its value (NULL:
 * whole).  A sub-filter applies to an object value, or to each object in an
 * array value.  Lists end with a NULL key. */
struct field {
    const char *key;
    const struct field *sub;
};

static const struct field coding_fields[] = {
    {"system", NULL}, {"code", NULL}, {NULL, NULL}};
static const struct field code_fields[] = {{"coding", coding_fields}, {NULL, NULL}};
static const struct field population_fields[] = {
    {"code", code_fields}, {"count", NULL}, {"subjectResults", NULL}, {NULL, NULL}};
static const struct field group_fields[] = {
    {"id", NULL}, {"population", population_fields}, {NULL, NULL}};
/* Of a contained List, only how many entries it has. */
static const struct field no_fields[] = {{NULL, NULL}};
/* Of a contained Organization or Practitioner (a reporter), its identifiers. */
static const struct field identifier_fields[] = {
    {"system", NULL}, {"value", NULL}, {NULL, NULL}};
static const struct field contained_fields[] = {{"resourceType", NULL},
                                                {"id", NULL},
                                                {"entry", no_fields},
                                                {"identifier", identifier_fields},
                                                {NULL, NULL}};
/* What report.c reads of a MeasureReport. */
static const struct field report_fields[] = {
    {"resourceType", NULL},
    {"id", NULL},
    {"status", NULL},
    {"type", NULL},
    {"measure", NULL},
    {"subject", NULL},
    {"reporter", NULL},
    {"period", NULL},
    {"modifierExtension", NULL},
    {"extension", NULL}, /* qppbuild's partial sum */
    {"group", group_fields},
    {"contained", contained_fields},
    {NULL, NULL},
};

struct key {
    unsigned long long hash; /* of the decoded key */
    size_t off, len;         /* the raw key, without quotes */
};

/* A value built, and its key when it is a member. */
struct built {
    struct qpp_jv v;
    const char *key;
};

struct sc {
    const char *buf, *p, *end;
    int depth;
    struct qpp_scan *s;
    struct built *stack; /* values built, not yet in their container */
    size_t nstack, capstack;
    struct key *keys; /* the keys of the open objects */
    size_t nkeys, capkeys;
    int nomem;
    int not_report; /* reducing, and the resourceType is another one: build no more */
};

static int fail(struct sc *c, const char *at, const char *fmt, const char *arg)
{
    c->s->err_offset = (size_t)(at - c->buf);
    snprintf(c->s->err_text, sizeof c->s->err_text, fmt, arg);
    return -1;
}

static void skip_ws(struct sc *c)
{
    while (c->p < c->end &&
           (*c->p == ' ' || *c->p == '\n' || *c->p == '\r' || *c->p == '\t'))
        c->p++;
}

/* ---- building the tree (with copy set) ---- */

static int push(struct sc *c, const struct qpp_jv *v)
{
    if (qpp_grow((void **)&c->stack, &c->capstack, c->nstack + 1, sizeof *c->stack) < 0) {
        c->nomem = 1;
        return -1;
    }
    c->stack[c->nstack].v = *v;
    c->stack[c->nstack++].key = NULL;
    return 0;
}

/* The values pushed since mark become the elements or members of one (an
 * object's keys after its values); the same made before is shared (h: the
 * value's hash). */
static int push_container(struct sc *c, size_t mark, enum qpp_jtype type,
                          unsigned long long h)
{
    size_t n = c->nstack - mark, i, size = n * sizeof(struct qpp_jv);
    struct qpp_jv v, *kids = NULL;

    memset(&v, 0, sizeof v);
    v.type = (unsigned char)type;
    v.n = (unsigned)n;
    if (type == QPP_J_OBJECT)
        size += n * sizeof(const char *);
    /* More than 4 billion would need 64 GB here: none so large fits. */
    if (n > UINT_MAX || (n && !(kids = qpp_tree_alloc(c->s->tree, size)))) {
        c->nomem = 1;
        return -1;
    }
    for (i = 0; i < n; i++)
        kids[i] = c->stack[mark + i].v;
    if (type == QPP_J_OBJECT && n) {
        const char **keys = (const char **)(void *)(kids + n);
        for (i = 0; i < n; i++)
            keys[i] = c->stack[mark + i].key;
    }
    v.u.kids = n ? qpp_tree_share(c->s->tree, h, v.type, kids, v.n) : NULL;
    c->nstack = mark;
    return push(c, &v);
}

static size_t decode_into(char *d, const char *s, size_t n);

/* A string of the tree: the raw content decoded (h the hash string()
 * gave).  NULL when out of memory. */
static const char *tree_string(struct sc *c, const char *raw, size_t n, int escaped,
                               unsigned long long h)
{
    const char *r;
    char *d;

    if (!escaped)
        r = qpp_tree_string(c->s->tree, h, raw, n);
    else if ((r = d = qpp_tree_alloc(c->s->tree, n + 1)) != NULL)
        d[decode_into(d, raw, n)] = '\0';
    if (!r)
        c->nomem = 1;
    return r;
}

/* ---- strings ---- */

#define ONES        0x0101010101010101ULL
#define HIGHS       0x8080808080808080ULL
#define HAS_ZERO(v) (((v)-ONES) & ~(v)&HIGHS)

/* Eight bytes with no quote, backslash, control character or non-ASCII. */
static int plain8(const char *p)
{
    unsigned long long w;

    memcpy(&w, p, 8);
    return !((w & HIGHS) | HAS_ZERO(w ^ (ONES * '"')) | HAS_ZERO(w ^ (ONES * '\\')) |
             ((w - ONES * 0x20) & ~w & HIGHS));
}

/* The first byte from p on (end when none) that is a quote, a backslash, a
 * control character or not ASCII: 16 bytes at a time with SSE2 (where the
 * compiler has it), else 8.  It only finds a place: the result is the same
 * on every machine. */
static const char *skip_plain(const char *p, const char *end)
{
#ifdef QPP_SSE2
    const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);

    while (end - p >= 16) {
        __m128i x = _mm_loadu_si128((const void *)p);
        /* signed: bytes from 0x80 are below the space too */
        __m128i m = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, backslash)),
            _mm_cmplt_epi8(x, space));
        int bits = _mm_movemask_epi8(m);

        if (bits)
            return p + __builtin_ctz((unsigned)bits);
        p += 16;
    }
#endif
    while (end - p >= 8 && plain8(p))
        p += 8;
    return p;
}

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

static long hex4(const char *p)
{
    long v = 0;
    int i;

    for (i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

static size_t unescape(const char *s, char u[4], size_t *used);

/*
 * A string is hashed in one canonical form of its content, so that two
 * spellings of one string ("a/b" and "a\/b", "\u00e9" and "é") hash
 * alike: the content with '"', '\\' and the control characters escaped
 * (\b \f \n \r \t, else \u00xx), everything else as it is.  Most strings
 * are already written so (no escape, or only escaped quotes as in a
 * narrative): their raw bytes are hashed as they are, in one pass.
 */

/* Bytes on their way to a hasher, gathered so that short runs go in a few
 * hundred bytes at a time. */
struct gathered {
    struct hasher x;
    size_t n;
    unsigned char buf[256];
};

static void gathered_add(struct gathered *g, const void *p, size_t n)
{
    if (n > sizeof g->buf - g->n) {
        hasher_add(&g->x, g->buf, g->n);
        g->n = 0;
        if (n > sizeof g->buf) {
            hasher_add(&g->x, p, n);
            return;
        }
    }
    memcpy(g->buf + g->n, p, n);
    g->n += n;
}

/* Content bytes d[0..n) in the canonical form. */
static void canonical_add(struct gathered *g, const unsigned char *d, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    size_t i, run = 0;

    for (i = 0; i < n; i++) {
        unsigned char ch = d[i];
        char e[6] = {'\\', 0, '0', '0', 0, 0};
        size_t k = 2;

        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        gathered_add(g, d + run, i - run);
        run = i + 1;
        switch (ch) {
            case '"':
            case '\\':
                e[1] = (char)ch;
                break;
            case '\b':
                e[1] = 'b';
                break;
            case '\f':
                e[1] = 'f';
                break;
            case '\n':
                e[1] = 'n';
                break;
            case '\r':
                e[1] = 'r';
                break;
            case '\t':
                e[1] = 't';
                break;
            default:
                e[1] = 'u';
                e[4] = hex[ch >> 4];
                e[5] = hex[ch & 15];
                k = 6;
        }
        gathered_add(g, e, k);
    }
    gathered_add(g, d + run, n - run);
}

/* The hash of the validated raw string s[0..n) when it is not written in
 * the canonical form: decoded and written so. */
static unsigned long long recanonical_hash(const char *s, size_t n)
{
    const char *end = s + n;
    struct gathered g;

    hasher_init(&g.x, H_STRING);
    g.n = 0;
    while (s < end) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        char u[4];
        size_t k, used;

        if (!bs)
            bs = end;
        gathered_add(&g, s, (size_t)(bs - s)); /* plain: canonical */
        if (bs == end)
            break;
        k = unescape(bs, u, &used);
        canonical_add(&g, (const unsigned char *)u, k);
        s = bs + used;
    }
    hasher_add(&g.x, g.buf, g.n);
    return hasher_end(&g.x);
}

unsigned long long qpp_scan_string_hash(const char *s, size_t n)
{
    struct gathered g;

    hasher_init(&g.x, H_STRING);
    g.n = 0;
    canonical_add(&g, (const unsigned char *)s, n);
    hasher_add(&g.x, g.buf, g.n);
    return hasher_end(&g.x);
}

/* A string at c->p (the opening quote).  Sets the raw content's bounds,
 * whether it has escapes, and the hash of its content (as
 * qpp_scan_string_hash of the decoded content). */
static int string(struct sc *c, const char **raw, size_t *rawlen, int *escaped,
                  unsigned long long *h)
{
    const char *start = ++c->p;
    int canonical = 1; /* no escape but \" \\ \b \f \n \r \t */

    *escaped = 0;
    for (;;) {
        unsigned char ch;

        c->p = skip_plain(c->p, c->end);
        if (c->p >= c->end)
            return fail(c, c->p, "%s", "premature end of input in a string");
        ch = (unsigned char)*c->p;
        if (ch == '"')
            break;
        if (ch < 0x20)
            return fail(c, c->p, "%s", "control character in a string");
        if (ch == '\\') {
            if (c->end - c->p < 2)
                return fail(c, c->p, "%s", "premature end of input in a string");
            *escaped = 1;
            switch (c->p[1]) {
                case '"':
                case '\\':
                case 'b':
                case 'f':
                case 'n':
                case 'r':
                case 't':
                    c->p += 2;
                    break;
                case '/':
                    canonical = 0;
                    c->p += 2;
                    break;
                case 'u': {
                    long v = c->end - c->p >= 6 ? hex4(c->p + 2) : -1;
                    canonical = 0;
                    if (v < 0)
                        return fail(c, c->p, "%s", "invalid \\u escape");
                    if (v == 0)
                        return fail(c, c->p, "%s", "\\u0000 is not allowed");
                    if (v >= 0xDC00 && v <= 0xDFFF)
                        return fail(c, c->p, "%s", "invalid Unicode: lone low surrogate");
                    if (v >= 0xD800 && v <= 0xDBFF) {
                        long lo = c->end - c->p >= 12 && c->p[6] == '\\' && c->p[7] == 'u'
                                      ? hex4(c->p + 8)
                                      : -1;
                        if (lo < 0xDC00 || lo > 0xDFFF)
                            return fail(c, c->p, "%s",
                                        "invalid Unicode: high surrogate without low");
                        c->p += 6;
                    }
                    c->p += 6;
                    break;
                }
                default:
                    return fail(c, c->p, "%s", "invalid escape");
            }
            continue;
        }
        if (ch >= 0x80) {
            size_t n =
                qpp_utf8_len((const unsigned char *)c->p, (const unsigned char *)c->end);
            if (!n)
                return fail(c, c->p, "%s", "invalid UTF-8 in a string");
            c->p += n;
            continue;
        }
        c->p++;
    }
    *raw = start;
    *rawlen = (size_t)(c->p - start);
    *h = canonical ? hash_bytes(start, *rawlen, H_STRING)
                   : recanonical_hash(start, *rawlen);
    c->p++; /* the closing quote */
    return 0;
}

/* The UTF-8 bytes of the escape at s (validated): into u, their number
 * returned; *used the escape's length. */
static size_t unescape(const char *s, char u[4], size_t *used)
{
    long v;

    *used = 2;
    switch (s[1]) {
        case 'b':
            u[0] = '\b';
            return 1;
        case 'f':
            u[0] = '\f';
            return 1;
        case 'n':
            u[0] = '\n';
            return 1;
        case 'r':
            u[0] = '\r';
            return 1;
        case 't':
            u[0] = '\t';
            return 1;
        case 'u':
            break;
        default:
            u[0] = s[1]; /* " \ / */
            return 1;
    }
    v = hex4(s + 2);
    *used = 6;
    if (v >= 0xD800 && v <= 0xDBFF) {
        v = 0x10000 + ((v - 0xD800) << 10) + (hex4(s + 8) - 0xDC00);
        *used = 12;
    }
    if (v < 0x80) {
        u[0] = (char)v;
        return 1;
    }
    if (v < 0x800) {
        u[0] = (char)(0xC0 | (v >> 6));
        u[1] = (char)(0x80 | (v & 0x3F));
        return 2;
    }
    if (v < 0x10000) {
        u[0] = (char)(0xE0 | (v >> 12));
        u[1] = (char)(0x80 | ((v >> 6) & 0x3F));
        u[2] = (char)(0x80 | (v & 0x3F));
        return 3;
    }
    u[0] = (char)(0xF0 | (v >> 18));
    u[1] = (char)(0x80 | ((v >> 12) & 0x3F));
    u[2] = (char)(0x80 | ((v >> 6) & 0x3F));
    u[3] = (char)(0x80 | (v & 0x3F));
    return 4;
}

/* Decode a validated raw string with escapes into d (UTF-8); runs without
 * escapes go in whole. */
static void decode(const char *s, size_t n, struct qpp_buf *d)
{
    const char *end = s + n;

    while (s < end) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        char u[4];
        size_t k, used;

        if (!bs)
            bs = end;
        if (bs > s)
            qpp_buf_addn(d, s, (size_t)(bs - s));
        if (bs == end)
            break;
        k = unescape(bs, u, &used);
        qpp_buf_addn(d, u, k);
        s = bs + used;
    }
}

/* The same into d, which has room for n bytes (decoding never lengthens);
 * returns the length. */
static size_t decode_into(char *d, const char *s, size_t n)
{
    const char *end = s + n;
    char *o = d;

    while (s < end) {
        const char *bs = memchr(s, '\\', (size_t)(end - s));
        size_t used;

        if (!bs)
            bs = end;
        memcpy(o, s, (size_t)(bs - s));
        o += bs - s;
        if (bs == end)
            break;
        o += unescape(bs, o, &used);
        s = bs + used;
    }
    return (size_t)(o - d);
}

/* ---- numbers and literals ---- */

static int is_digit(char ch)
{
    return ch >= '0' && ch <= '9';
}

/* A number: its hash in *h, its value in *v. */
static int number(struct sc *c, unsigned long long *h, struct qpp_jv *jv)
{
    const char *start = c->p, *q = c->p;
    int real = 0;

    if (*q == '-')
        q++;
    if (q < c->end && *q == '0')
        q++;
    else if (q < c->end && *q >= '1' && *q <= '9')
        while (q < c->end && is_digit(*q))
            q++;
    else
        return fail(c, start, "%s", "invalid number");
    if (q < c->end && *q == '.') {
        q++;
        if (q >= c->end || !is_digit(*q))
            return fail(c, start, "%s", "invalid number");
        while (q < c->end && is_digit(*q))
            q++;
        real = 1;
    }
    if (q < c->end && (*q == 'e' || *q == 'E')) {
        q++;
        if (q < c->end && (*q == '+' || *q == '-'))
            q++;
        if (q >= c->end || !is_digit(*q))
            return fail(c, start, "%s", "invalid number");
        while (q < c->end && is_digit(*q))
            q++;
        real = 1;
    }
    c->p = q;
    /* Numbers hash by value, as jansson compares them: 1.0 and 1.00 are one
     * real, -0 and 0 one integer; an integer is never a real. */
    if (!real) {
        /* jansson stores integers in a long long. */
        const char *d = start + (*start == '-');
        unsigned long long v = 0, lim = *start == '-' ? (unsigned long long)LLONG_MAX + 1
                                                      : (unsigned long long)LLONG_MAX;
        for (; d < q; d++) {
            if (v > (lim - (unsigned long long)(*d - '0')) / 10)
                return fail(c, start, "%s", "too big integer");
            v = v * 10 + (unsigned long long)(*d - '0');
        }
        jv->type = QPP_J_INTEGER;
        jv->u.i = *start != '-'                       ? (long long)v
                  : v > (unsigned long long)LLONG_MAX ? LLONG_MIN
                                                      : -(long long)v;
        if (*start == '-')
            v = 0 - v;
        *h = fmix(v * K1 ^ H_NUMBER);
    } else {
        char small[64], *copy = small;
        size_t n = (size_t)(q - start);
        double v;
        unsigned long long bits;

        if (n >= sizeof small && !(copy = qpp_malloc(n + 1))) {
            c->nomem = 1;
            return -1;
        }
        memcpy(copy, start, n);
        copy[n] = '\0';
        errno = 0;
        v = strtod(copy, NULL);
        if (copy != small)
            qpp_free(copy);
        if (errno == ERANGE && isinf(v))
            return fail(c, start, "%s", "real number overflow");
        jv->type = QPP_J_REAL;
        jv->u.r = v;
        if (v == 0)
            v = 0; /* -0.0 is 0.0 */
        memcpy(&bits, &v, sizeof bits);
        *h = fmix(bits * K2 ^ H_REAL);
    }
    return 0;
}

static int literal(struct sc *c, const char *word, int tag, unsigned long long *h,
                   struct qpp_jv *jv)
{
    size_t n = strlen(word);

    if ((size_t)(c->end - c->p) < n || memcmp(c->p, word, n) != 0)
        return fail(c, c->p, "%s", "invalid token");
    c->p += n;
    *h = fmix((unsigned long long)tag * K1);
    jv->type = tag == H_TRUE ? QPP_J_TRUE : tag == H_FALSE ? QPP_J_FALSE : QPP_J_NULL;
    return 0;
}

/* ---- objects and arrays ---- */

static int value(struct sc *c, const struct field *filter, int copy,
                 unsigned long long *h);

static int key_equal(struct sc *c, const struct key *a, const struct key *b)
{
    struct qpp_buf x, y;
    int eq;

    if (a->len == b->len && memcmp(c->buf + a->off, c->buf + b->off, a->len) == 0)
        return 1;
    if (!memchr(c->buf + a->off, '\\', a->len) && !memchr(c->buf + b->off, '\\', b->len))
        return 0;
    qpp_buf_init(&x);
    qpp_buf_init(&y);
    decode(c->buf + a->off, a->len, &x);
    decode(c->buf + b->off, b->len, &y);
    eq = x.len == y.len && (x.len == 0 || memcmp(x.s, y.s, x.len) == 0);
    if (x.failed || y.failed)
        c->nomem = 1;
    qpp_buf_free(&x);
    qpp_buf_free(&y);
    return eq;
}

/* Duplicate keys, checked as each key comes so the first error in the text
 * is the one reported: by comparing with the earlier keys while an object
 * is small, through a table of them once it is large (no quadratic time on
 * hostile input). */
#define LINEAR_KEYS 32

struct keytab {
    size_t *slot; /* index into c->keys plus one; 0 is empty */
    size_t cap;   /* a power of two, or 0 */
};

static int keytab_add(struct sc *c, struct keytab *t, size_t k)
{
    size_t i;

    if (!t->slot)
        return 0;
    for (i = c->keys[k].hash & (t->cap - 1); t->slot[i]; i = (i + 1) & (t->cap - 1)) {
        const struct key *o = &c->keys[t->slot[i] - 1];
        if (o->hash == c->keys[k].hash && key_equal(c, o, &c->keys[k]))
            return 1;
    }
    t->slot[i] = k + 1;
    return 0;
}

static int check_new_key(struct sc *c, size_t first, struct keytab *t)
{
    size_t n = c->nkeys - first, last = c->nkeys - 1, i;
    const struct key *k = &c->keys[last];

    if (n <= LINEAR_KEYS) {
        for (i = first; i < last; i++)
            if (c->keys[i].hash == k->hash && key_equal(c, &c->keys[i], k))
                return fail(c, c->buf + k->off - 1, "%s", "duplicate object key");
        return 0;
    }
    if (2 * n > t->cap) { /* (re)build the table at half load at most */
        size_t cap = t->cap ? t->cap * 2 : 128, *slot = qpp_calloc(cap, sizeof *slot);
        if (!slot) {
            c->nomem = 1;
            return -1;
        }
        qpp_free(t->slot);
        t->slot = slot;
        t->cap = cap;
        for (i = first; i < last; i++)
            keytab_add(c, t, i);
    }
    if (keytab_add(c, t, last))
        return fail(c, c->buf + k->off - 1, "%s", "duplicate object key");
    return 0;
}

/* Note the resourceType string of the top-level object; its value (a valid
 * JSON value) starts at v and ends at c->p. */
static void resource_type(struct sc *c, const char *v)
{
    size_t n = (size_t)(c->p - v) - 2;
    struct qpp_buf d;

    c->s->type_present = 1;
    if (*v != '"')
        return;
    if (!memchr(v + 1, '\\', n)) { /* no escape: the bytes are the content */
        if (n > 0 && n < sizeof c->s->type) {
            memcpy(c->s->type, v + 1, n);
            c->s->type[n] = '\0';
        }
        return;
    }
    qpp_buf_init(&d);
    decode(v + 1, n, &d);
    if (d.failed)
        c->nomem = 1;
    else if (d.len > 0 && d.len < sizeof c->s->type && !memchr(d.s, '\0', d.len))
        memcpy(c->s->type, d.s, d.len + 1);
    qpp_buf_free(&d);
}

static const struct field *find_field(const struct field *f, const char *key, size_t n)
{
    for (; f && f->key; f++)
        if (strlen(f->key) == n && memcmp(f->key, key, n) == 0)
            return f;
    return NULL;
}

/* The key's decoded text when it has escapes ("\u0069d" is "id"), else the
 * raw bytes: set *key and *n, using d for the decoding. */
static void key_text(struct sc *c, const char *raw, size_t rawlen, int escaped,
                     struct qpp_buf *d, const char **key, size_t *n)
{
    *key = raw;
    *n = rawlen;
    if (!escaped)
        return;
    decode(raw, rawlen, d);
    if (d->failed) {
        c->nomem = 1;
        return;
    }
    *key = d->s ? d->s : "";
    *n = d->len;
}

/* An object at c->p.  copy: build it in the tree, only the members filter
 * names when filter is set (each through its sub-filter), else whole. */
static int object(struct sc *c, const struct field *filter, int copy,
                  unsigned long long *h)
{
    size_t first = c->nkeys, mark = c->nstack;
    unsigned long long sum = 0;
    int rc = -1;
    int top = c->depth == 1;
    struct keytab tab = {NULL, 0};

    c->p++;
    skip_ws(c);
    if (c->p < c->end && *c->p == '}') {
        c->p++;
        goto done;
    }
    for (;;) {
        const char *raw, *vstart, *key, *kept = NULL;
        size_t rawlen, keylen;
        int escaped, is_type;
        struct qpp_buf d;
        unsigned long long kh, vh;
        const struct field *f = NULL;
        int keep;

        if (c->p >= c->end || *c->p != '"') {
            fail(c, c->p, "%s",
                 c->p >= c->end ? "premature end of input" : "string or '}' expected");
            goto out;
        }
        if (string(c, &raw, &rawlen, &escaped, &kh) < 0)
            goto out;
        if (qpp_grow((void **)&c->keys, &c->capkeys, c->nkeys + 1, sizeof *c->keys) < 0) {
            c->nomem = 1;
            goto out;
        }
        c->keys[c->nkeys].hash = kh;
        c->keys[c->nkeys].off = (size_t)(raw - c->buf);
        c->keys[c->nkeys].len = rawlen;
        c->nkeys++;
        if (check_new_key(c, first, &tab) < 0)
            goto out;
        skip_ws(c);
        if (c->p >= c->end || *c->p != ':') {
            fail(c, c->p, "%s", "':' expected");
            goto out;
        }
        c->p++;
        skip_ws(c);
        qpp_buf_init(&d);
        key_text(c, raw, rawlen, escaped, &d, &key, &keylen);
        if (copy)
            f = find_field(filter, key, keylen);
        is_type = top && keylen == 12 && memcmp(key, "resourceType", 12) == 0;
        qpp_buf_free(&d);
        if (c->nomem)
            goto out;
        keep = copy && !c->not_report && (f != NULL || !filter);
        /* A key the filter names is its own string. */
        if (keep && !(kept = f ? f->key : tree_string(c, raw, rawlen, escaped, kh)))
            goto out;
        vstart = c->p;
        if (value(c, f ? f->sub : NULL, keep, &vh) < 0)
            goto out;
        if (keep)
            c->stack[c->nstack - 1].key = kept;
        if (is_type) {
            resource_type(c, vstart);
            /* Only a MeasureReport's tree is read: of any other resource
             * the rest is checked and hashed, not built. */
            if (filter && strcmp(c->s->type, "MeasureReport") != 0)
                c->not_report = 1;
        }
        sum += fmix(kh * K1 ^ vh);
        skip_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            skip_ws(c);
            continue;
        }
        if (c->p < c->end && *c->p == '}') {
            c->p++;
            break;
        }
        fail(c, c->p, "%s",
             c->p >= c->end ? "premature end of input" : "',' or '}' expected");
        goto out;
    }
done:
    *h = fmix(sum ^ H_OBJECT * K2);
    if (copy && push_container(c, mark, QPP_J_OBJECT, *h) < 0)
        goto out;
    rc = 0;
out:
    qpp_free(tab.slot);
    c->nkeys = first;
    return rc;
}

static int array(struct sc *c, const struct field *filter, int copy,
                 unsigned long long *h)
{
    unsigned long long acc = H_ARRAY;
    size_t mark = c->nstack;

    c->p++;
    skip_ws(c);
    if (c->p < c->end && *c->p == ']') {
        c->p++;
        goto done;
    }
    for (;;) {
        unsigned long long vh = 0;

        if (value(c, filter, copy, &vh) < 0)
            return -1;
        acc = fmix(acc * K1 + vh);
        skip_ws(c);
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            skip_ws(c);
            continue;
        }
        if (c->p < c->end && *c->p == ']') {
            c->p++;
            break;
        }
        return fail(c, c->p, "%s",
                    c->p >= c->end ? "premature end of input" : "',' or ']' expected");
    }
done:
    *h = fmix(acc);
    if (copy && push_container(c, mark, QPP_J_ARRAY, *h) < 0)
        return -1;
    return 0;
}

/* A value at c->p.  copy: build it in the tree, through filter when that is
 * set and the value is an object (or an array of them). */
static int value(struct sc *c, const struct field *filter, int copy,
                 unsigned long long *h)
{
    struct qpp_jv v;
    int rc;

    memset(&v, 0, sizeof v);

    if (c->p >= c->end)
        return fail(c, c->p, "%s", "premature end of input");
    switch (*c->p) {
        case '{':
        case '[':
            if (c->s->depth + ++c->depth > QPP_MAX_DEPTH)
                return fail(c, c->p, "%s", "maximum parsing depth reached");
            rc = *c->p == '{' ? object(c, filter, copy, h) : array(c, filter, copy, h);
            c->depth--;
            return rc;
        case '"': {
            const char *raw;
            size_t n;
            int escaped;
            rc = string(c, &raw, &n, &escaped, h);
            if (rc == 0 && copy) {
                v.type = QPP_J_STRING;
                if (!(v.u.s = tree_string(c, raw, n, escaped, *h)))
                    return -1;
            }
            break;
        }
        case 't':
            rc = literal(c, "true", H_TRUE, h, &v);
            break;
        case 'f':
            rc = literal(c, "false", H_FALSE, h, &v);
            break;
        case 'n':
            rc = literal(c, "null", H_NULL, h, &v);
            break;
        default:
            if (*c->p == '-' || is_digit(*c->p))
                rc = number(c, h, &v);
            else
                return fail(c, c->p, "%s", "invalid token");
    }
    if (rc == 0 && copy)
        rc = push(c, &v);
    return rc;
}

int qpp_scan(const char *buf, size_t len, struct qpp_scan *s)
{
    struct sc c;
    int rc, copy = s->tree != NULL;

    memset(&c, 0, sizeof c);
    if (s->room) {
        c.stack = s->room->stack;
        c.capstack = s->room->capstack;
        c.keys = s->room->keys;
        c.capkeys = s->room->capkeys;
    }
    c.buf = c.p = buf;
    c.end = buf + len;
    c.s = s;
    s->hash = 0;
    s->is_object = 0;
    s->type[0] = '\0';
    s->type_present = 0;
    s->err_offset = 0;
    s->err_text[0] = '\0';
    skip_ws(&c);
    s->is_object = c.p < c.end && *c.p == '{';
    rc = value(&c, copy && !s->keep_all && s->is_object ? report_fields : NULL, copy,
               &s->hash);
    if (rc == 0) {
        skip_ws(&c);
        if (c.p != c.end)
            rc = fail(&c, c.p, "%s", "end of input expected");
    }
    if (rc == 0 && copy) {
        struct qpp_jv *root = qpp_tree_alloc(s->tree, sizeof *root);
        if (!root)
            c.nomem = 1;
        else
            *root = c.stack[0].v, s->tree->root = root;
    }
    if (s->room) {
        s->room->stack = c.stack;
        s->room->capstack = c.capstack;
        s->room->keys = c.keys;
        s->room->capkeys = c.capkeys;
    } else {
        qpp_free(c.keys);
        qpp_free(c.stack);
    }
    if (c.nomem)
        return -2;
    return rc;
}

void qpp_scan_room_free(struct qpp_scan_room *room)
{
    qpp_free(room->stack);
    qpp_free(room->keys);
    memset(room, 0, sizeof *room);
}

/* ---- spans ---- */

/*
 * A value's end is found 64 bytes at a time.  Each block becomes bit masks
 * (bit i for byte i): quotes, backslashes, control characters, opening and
 * closing brackets.  From the backslashes come the escaped bytes (those
 * after an odd run of backslashes); from the quotes not escaped, by a prefix
 * XOR, the bytes inside strings; the brackets outside strings give the
 * depth.  So an escape costs no branch, and a block inside a long string
 * (the usual narrative) is passed with a few operations.  Only where a
 * backslash stands outside a string (invalid JSON, where it means nothing)
 * do the masks not tell: that block goes a byte at a time.  The result is
 * the same as going a byte at a time on every machine: SSE2 only makes the
 * masks faster.
 */

#ifdef __GNUC__
#define SPAN_INLINE inline __attribute__((always_inline))
#else
#define SPAN_INLINE inline
#endif

#define SPAN_BLOCK 64
#define EVEN_BITS  0x5555555555555555ULL

struct span_masks {
    uint64_t quote, backslash, control, open, close;
};

static inline unsigned ctz64(uint64_t x)
{
#ifdef __GNUC__
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned i = 0;

    while (!(x & 1)) {
        x >>= 1;
        i++;
    }
    return i;
#endif
}

static inline int popcount64(uint64_t x)
{
#if defined(__GNUC__) && defined(__POPCNT__)
    return __builtin_popcountll(x);
#else
    x -= (x >> 1) & EVEN_BITS;
    x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
    x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
    return (int)((x * ONES) >> 56);
#endif
}

/* popcount64(a) - popcount64(b) */
static inline int count_diff(uint64_t a, uint64_t b)
{
#if defined(__GNUC__) && defined(__POPCNT__)
    return __builtin_popcountll(a) - __builtin_popcountll(b);
#else
    const uint64_t m2 = 0x3333333333333333ULL, m4 = 0x0F0F0F0F0F0F0F0FULL;

    a -= (a >> 1) & EVEN_BITS;
    b -= (b >> 1) & EVEN_BITS;
    a = (a & m2) + ((a >> 2) & m2);
    b = (b & m2) + ((b >> 2) & m2);
    a = (a + (a >> 4)) & m4;
    b = (b + (b >> 4)) & m4;
    /* each byte a + 8 - b is from 0 to 16: no carry, their sum below 256 */
    return (int)(((a + ONES * 8 - b) * ONES) >> 56) - 64;
#endif
}

/* Bit i set when bit i or a lower one is set an odd number of times. */
static inline uint64_t prefix_xor(uint64_t x)
{
    x ^= x << 1;
    x ^= x << 2;
    x ^= x << 4;
    x ^= x << 8;
    x ^= x << 16;
    x ^= x << 32;
    return x;
}

/* The backslashes that escape the byte after them: in each run of
 * backslashes the first, third, ... (the run at bit 0 counts from bit 1
 * when first_escaped: the previous block ended with an escaping one). */
static inline uint64_t escapers(uint64_t bs, uint64_t first_escaped)
{
    uint64_t starts, odd_runs;

    bs &= ~first_escaped;
    starts = bs & ~(bs << 1);
    /* adding a run's start bit clears the run: for runs starting on odd bits */
    odd_runs = bs & ~(bs + (starts & ~EVEN_BITS));
    return (bs & ~odd_runs & EVEN_BITS) | (odd_runs & ~EVEN_BITS);
}

#ifdef QPP_SSE2
/* 64 bytes as four vectors. */
struct block64 {
    __m128i x[4];
};

static inline uint64_t mask64(__m128i m0, __m128i m1, __m128i m2, __m128i m3)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(m0) |
           (uint64_t)(unsigned)_mm_movemask_epi8(m1) << 16 |
           (uint64_t)(unsigned)_mm_movemask_epi8(m2) << 32 |
           (uint64_t)(unsigned)_mm_movemask_epi8(m3) << 48;
}

static inline void load64(struct block64 *v, const unsigned char *b)
{
    v->x[0] = _mm_loadu_si128((const void *)b);
    v->x[1] = _mm_loadu_si128((const void *)(b + 16));
    v->x[2] = _mm_loadu_si128((const void *)(b + 32));
    v->x[3] = _mm_loadu_si128((const void *)(b + 48));
}

/* The bytes equal to ch. */
static inline uint64_t equal64(const struct block64 *v, char ch)
{
    const __m128i c = _mm_set1_epi8(ch);

    return mask64(_mm_cmpeq_epi8(v->x[0], c), _mm_cmpeq_epi8(v->x[1], c),
                  _mm_cmpeq_epi8(v->x[2], c), _mm_cmpeq_epi8(v->x[3], c));
}

/* The bytes at most max (unsigned), after xor with flip. */
static inline uint64_t at_most64(const struct block64 *v, char flip, char max)
{
    const __m128i f = _mm_set1_epi8(flip), m = _mm_set1_epi8(max),
                  z = _mm_setzero_si128();

    /* y - max saturates to 0 just when y <= max */
    return mask64(_mm_cmpeq_epi8(_mm_subs_epu8(_mm_xor_si128(v->x[0], f), m), z),
                  _mm_cmpeq_epi8(_mm_subs_epu8(_mm_xor_si128(v->x[1], f), m), z),
                  _mm_cmpeq_epi8(_mm_subs_epu8(_mm_xor_si128(v->x[2], f), m), z),
                  _mm_cmpeq_epi8(_mm_subs_epu8(_mm_xor_si128(v->x[3], f), m), z));
}

static inline void span_masks(const unsigned char *b, struct span_masks *m)
{
    struct block64 v, t;
    const __m128i lower = _mm_set1_epi8(0x20);

    load64(&v, b);
    m->quote = equal64(&v, '"');
    m->backslash = equal64(&v, '\\');
    /* control characters are rare but for the white space of pretty JSON */
    m->control = 0;
    if (_mm_movemask_epi8(
            _mm_cmpeq_epi8(_mm_subs_epu8(_mm_min_epu8(_mm_min_epu8(v.x[0], v.x[1]),
                                                      _mm_min_epu8(v.x[2], v.x[3])),
                                         _mm_set1_epi8(0x1F)),
                           _mm_setzero_si128())))
        m->control = at_most64(&v, 0, 0x1F);
    t.x[0] = _mm_or_si128(v.x[0], lower); /* [ and ] as { and } */
    t.x[1] = _mm_or_si128(v.x[1], lower);
    t.x[2] = _mm_or_si128(v.x[2], lower);
    t.x[3] = _mm_or_si128(v.x[3], lower);
    m->open = equal64(&t, '{');
    m->close = equal64(&t, '}');
}

/* Inside a string only quotes, control characters and backslashes count. */
static inline void span_string_masks(const unsigned char *b, uint64_t *quote_control,
                                     uint64_t *backslash)
{
    struct block64 v;

    load64(&v, b);
    /* x ^ 2 is at most 0x20 just for a quote or a control character */
    *quote_control = at_most64(&v, 2, 0x20);
    *backslash = equal64(&v, '\\');
}
#else
/* 0x80 in each byte of w that is zero. */
static inline uint64_t zero_bytes(uint64_t w)
{
    return ~(((w & ~HIGHS) + ~HIGHS) | w) & HIGHS;
}

/* Bit i for 0x80 in byte i (h has no other bits). */
static inline uint64_t high_bits(uint64_t h)
{
    return (h * 0x02040810204081ULL) >> 56;
}

static inline void span_masks(const unsigned char *b, struct span_masks *m)
{
    int i, j;

    memset(m, 0, sizeof *m);
    for (i = 0; i < SPAN_BLOCK; i += 8) {
        uint64_t w = 0, t;

        for (j = 7; j >= 0; j--) /* little-endian whatever the machine */
            w = w << 8 | b[i + j];
        t = w | ONES * 0x20;
        m->quote |= high_bits(zero_bytes(w ^ ONES * '"')) << i;
        m->backslash |= high_bits(zero_bytes(w ^ ONES * '\\')) << i;
        m->control |= high_bits(~(((w & ~HIGHS) + ONES * 0x60) | w) & HIGHS) << i;
        m->open |= high_bits(zero_bytes(t ^ ONES * '{')) << i;
        m->close |= high_bits(zero_bytes(t ^ ONES * '}')) << i;
    }
}

static inline void span_string_masks(const unsigned char *b, uint64_t *quote_control,
                                     uint64_t *backslash)
{
    struct span_masks m;

    span_masks(b, &m);
    *quote_control = m.quote | m.control;
    *backslash = m.backslash;
}
#endif

/* The bytes from *p to stop one at a time. */
static enum qpp_span_result span_bytes(const unsigned char **p, const unsigned char *stop,
                                       struct qpp_span *s)
{
    while (*p < stop) {
        unsigned char ch = *(*p)++;

        if (s->in_string) {
            if (s->escape)
                s->escape = 0;
            else if (ch == '\\')
                s->escape = 1;
            else if (ch == '"') {
                s->in_string = 0;
                if (s->depth == 0)
                    return QPP_SPAN_END;
            } else if (ch < 0x20) {
                return QPP_SPAN_BAD;
            }
        } else if (ch == '"') {
            s->in_string = 1;
        } else if (ch == '{' || ch == '[') {
            s->depth++;
        } else if (ch == '}' || ch == ']') {
            if (--s->depth == 0)
                return QPP_SPAN_END;
            if (s->depth < 0)
                return QPP_SPAN_BAD;
        }
    }
    return QPP_SPAN_MORE;
}

/* The first n bytes of the SPAN_BLOCK at b (the rest white space): END or
 * BAD with *at just past the byte that decides, or MORE.  *in_text: the
 * block was all inside a string, so the next one may well be too. */
static SPAN_INLINE enum qpp_span_result span_block(const unsigned char *b, unsigned n,
                                                   struct qpp_span *s, unsigned *at,
                                                   int *in_text)
{
    uint64_t first_escaped = (uint64_t)(s->in_string && s->escape);
    uint64_t esc, escaped, quotes, in, bad, open, close, ends = 0;
    struct span_masks m;

    span_masks(b, &m);
    esc = m.backslash | first_escaped ? escapers(m.backslash, first_escaped) : 0;
    escaped = esc << 1 | first_escaped;
    quotes = m.quote & ~escaped;
    in = (quotes ? prefix_xor(quotes) : 0) ^ (0 - (uint64_t)(s->in_string != 0));
    if (m.backslash & ~in) {
        const unsigned char *p = b;
        enum qpp_span_result r = span_bytes(&p, b + n, s);

        *at = (unsigned)(p - b);
        *in_text = 0;
        return r;
    }
    *in_text = in == ~0ULL;
    bad = m.control & in & ~escaped;
    open = m.open & ~in;
    close = m.close & ~in;
    if (s->depth == 0) {
        ends = quotes & ~in; /* the closing quote of a string value */
    } else if (close && popcount64(close) >= s->depth) {
        uint64_t st = open | close;
        int d = s->depth;

        while (st) {
            uint64_t bit = st & (0 - st);

            if (!(close & bit))
                d++;
            else if (--d == 0) {
                ends = bit;
                break;
            }
            st ^= bit;
        }
    }
    if (bad && (!ends || ctz64(bad) < ctz64(ends))) {
        uint64_t before = ((uint64_t)1 << ctz64(bad)) - 1;

        s->depth += count_diff(open & before, close & before);
        s->in_string = 1;
        s->escape = 0;
        *at = ctz64(bad) + 1;
        return QPP_SPAN_BAD;
    }
    if (ends) {
        s->depth = 0;
        s->in_string = 0;
        s->escape = 0;
        *at = ctz64(ends) + 1;
        return QPP_SPAN_END;
    }
    if (open | close)
        s->depth += count_diff(open, close);
    s->in_string = (int)(in >> 63);
    s->escape = (int)(esc >> (n - 1) & 1);
    return QPP_SPAN_MORE;
}

enum qpp_span_result qpp_span(const char *buf, size_t len, int at_eof, struct qpp_span *s)
{
    const unsigned char *p = (const unsigned char *)buf + s->pos;
    const unsigned char *end = (const unsigned char *)buf + len;
    int in_text = 1;

    if (!s->started) {
        if (p >= end)
            return at_eof ? QPP_SPAN_BAD : QPP_SPAN_MORE;
        s->started = 1;
        s->scalar = *p != '{' && *p != '[' && *p != '"';
    }
    if (s->scalar) {
        /* A number or literal ends at the first byte that cannot be in it. */
        while (p < end && (is_digit((char)*p) || (*p >= 'a' && *p <= 'z') || *p == '-' ||
                           *p == '+' || *p == '.' || *p == 'E'))
            p++;
        s->pos = (size_t)(p - (const unsigned char *)buf);
        if (s->pos == 0 && p < end) {
            s->pos = 1; /* no value starts so: the scanner says what is wrong */
            return QPP_SPAN_BAD;
        }
        if (p < end || at_eof)
            return QPP_SPAN_END;
        return QPP_SPAN_MORE;
    }
    while (p < end) {
        enum qpp_span_result r;
        unsigned n = end - p < SPAN_BLOCK ? (unsigned)(end - p) : SPAN_BLOCK, at = 0;

        if (in_text && s->in_string && n == SPAN_BLOCK) {
            /* Blocks all inside a string: no quote or control character
             * that is not escaped. */
            uint64_t first_escaped = (uint64_t)(s->escape != 0);

            do {
                uint64_t quote_control, backslash, esc;

                span_string_masks(p, &quote_control, &backslash);
                esc = escapers(backslash, first_escaped);
                if (quote_control & ~(esc << 1 | first_escaped))
                    break;
                first_escaped = esc >> 63;
                p += SPAN_BLOCK;
            } while (end - p >= SPAN_BLOCK);
            s->escape = (int)first_escaped;
            in_text = 0;
            continue;
        }
        if (!s->in_string && s->depth <= 0) {
            /* the value's first byte (the masks see a value under way) */
            r = span_bytes(&p, p + 1, s);
            at = 0;
        } else if (n == SPAN_BLOCK) {
            r = span_block(p, n, s, &at, &in_text);
            p += r == QPP_SPAN_MORE ? n : at;
        } else {
            unsigned char tail[SPAN_BLOCK];

            memcpy(tail, p, n);
            memset(tail + n, ' ', SPAN_BLOCK - n);
            r = span_block(tail, n, s, &at, &in_text);
            p += r == QPP_SPAN_MORE ? n : at;
        }
        if (r != QPP_SPAN_MORE) {
            s->pos = (size_t)(p - (const unsigned char *)buf);
            return r;
        }
    }
    s->pos = len;
    if (at_eof)
        return QPP_SPAN_BAD;
    return QPP_SPAN_MORE;
}
