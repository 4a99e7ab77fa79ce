/* SPDX-License-Identifier: MIT */
/* Helpers; see util.h. */
#include "util.h"

#include <ctype.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"

void *qpp_malloc(size_t size)
{
    return qpp_alloc_hook(NULL, size ? size : 1);
}

void *qpp_calloc(size_t n, size_t size)
{
    void *p;

    if (size && n > SIZE_MAX / size)
        return NULL;
    p = qpp_malloc(n * size);
    if (p)
        memset(p, 0, n * size);
    return p;
}

void *qpp_realloc(void *p, size_t size)
{
    return qpp_alloc_hook(p, size ? size : 1);
}

void qpp_free(void *p)
{
    free(p);
}

char *qpp_strndup(const char *s, size_t n)
{
    char *d = qpp_malloc(n + 1);

    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *qpp_strdup(const char *s)
{
    return s ? qpp_strndup(s, strlen(s)) : NULL;
}

int qpp_grow(void **v, size_t *cap, size_t need, size_t elem)
{
    size_t ncap;
    void *nv;

    if (need <= *cap)
        return 0;
    ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return -1;
        ncap *= 2;
    }
    nv = qpp_realloc(*v, ncap * elem);
    if (!nv)
        return -1;
    *v = nv;
    *cap = ncap;
    return 0;
}

void qpp_buf_init(struct qpp_buf *b)
{
    b->s = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void qpp_buf_free(struct qpp_buf *b)
{
    qpp_free(b->s);
    qpp_buf_init(b);
}

void qpp_buf_addn(struct qpp_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (qpp_grow((void **)&b->s, &b->cap, b->len + n + 1, 1) < 0) {
        b->failed = 1;
        return;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = '\0';
}

void qpp_buf_add(struct qpp_buf *b, const char *s)
{
    qpp_buf_addn(b, s, strlen(s));
}

void qpp_buf_vprintf(struct qpp_buf *b, const char *fmt, va_list ap)
{
    char small[256];
    va_list ap2;
    int n;

    va_copy(ap2, ap);
    n = vsnprintf(small, sizeof small, fmt, ap); /* NOLINT: ap comes initialised */
    if (n >= 0 && (size_t)n < sizeof small) {
        qpp_buf_addn(b, small, (size_t)n);
    } else if (n >= 0 && !b->failed &&
               qpp_grow((void **)&b->s, &b->cap, b->len + (size_t)n + 1, 1) == 0) {
        vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap2); /* NOLINT: ap2 is copied */
        b->len += (size_t)n;
    } else {
        b->failed = 1;
    }
    va_end(ap2);
}

void qpp_buf_printf(struct qpp_buf *b, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    qpp_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void qpp_buf_add_token(struct qpp_buf *b, const char *token)
{
    const char *p;

    qpp_buf_add(b, "/");
    for (p = token; *p; p++) {
        if (*p == '~')
            qpp_buf_add(b, "~0");
        else if (*p == '/')
            qpp_buf_add(b, "~1");
        else
            qpp_buf_addn(b, p, 1);
    }
}

char *qpp_buf_take(struct qpp_buf *b)
{
    char *s = NULL;

    if (!b->failed) {
        s = b->s ? b->s : qpp_strdup("");
        b->s = NULL;
    }
    qpp_buf_free(b);
    return s;
}

int qpp_add_ll(long long a, long long b, long long *sum)
{
    if ((b > 0 && a > LLONG_MAX - b) || (b < 0 && a < LLONG_MIN - b))
        return -1;
    *sum = a + b;
    return 0;
}

int qpp_streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

const char *qpp_ref_id(const char *ref, const char *type)
{
    size_t n = strlen(type);

    if (!ref || strncmp(ref, type, n) != 0 || ref[n] != '/' || !ref[n + 1])
        return NULL;
    return ref + n + 1;
}

/* 1 when s[0..n) is a FHIR resource type (letters, upper-case first). */
static int is_type(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 64 || !isupper((unsigned char)s[0]))
        return 0;
    for (i = 1; i < n; i++)
        if (!isalpha((unsigned char)s[i]))
            return 0;
    return 1;
}

/* 1 when s[0..n) is a FHIR id ([A-Za-z0-9.-]{1,64}). */
static int is_id(const char *s, size_t n)
{
    size_t i;

    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '.')
            return 0;
    return 1;
}

int qpp_ref_type_id(const char *ref, char *buf, size_t n)
{
    const char *seg[4] = {NULL, NULL, NULL, NULL}; /* the last four segments */
    size_t len[4] = {0, 0, 0, 0}, k = 0, i;
    const char *p, *q;
    int t, id;

    if (n)
        buf[0] = '\0';
    if (!ref || strpbrk(ref, "?#") || strncmp(ref, "urn:", 4) == 0)
        return 0;
    for (p = ref;; p = q + 1) {
        q = strchr(p, '/');
        for (i = 3; i > 0; i--) {
            seg[i] = seg[i - 1];
            len[i] = len[i - 1];
        }
        seg[0] = p;
        len[0] = q ? (size_t)(q - p) : strlen(p);
        k++;
        if (!q)
            break;
    }
    /* Type/id, or Type/id/_history/v. */
    t = 1, id = 0;
    if (k >= 4 && len[1] == 8 && strncmp(seg[1], "_history", 8) == 0 &&
        is_id(seg[0], len[0]))
        t = 3, id = 2;
    if (k < (size_t)t + 1 || !is_type(seg[t], len[t]) || !is_id(seg[id], len[id]))
        return 0;
    /* Relative, or the tail of an absolute url. */
    if (k > (size_t)t + 1 && !strstr(ref, "://"))
        return 0;
    if ((size_t)snprintf(buf, n, "%.*s/%.*s", (int)len[t], seg[t], (int)len[id],
                         seg[id]) >= n) {
        if (n)
            buf[0] = '\0';
        return 0;
    }
    return 1;
}

int qpp_concept_has(json_t *concept, const char *system, const char *code)
{
    json_t *codings = json_object_get(concept, "coding"), *c;
    size_t i;

    json_array_foreach(codings, i, c)
    {
        if (qpp_streq(json_string_value(json_object_get(c, "code")), code) &&
            (!system ||
             qpp_streq(json_string_value(json_object_get(c, "system")), system)))
            return 1;
    }
    return 0;
}

/* Length of the UTF-8 sequence at p (jansson's rules: shortest form, no
 * surrogates, at most U+10FFFF), or 0 when it is not valid. */
size_t qpp_utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned char b = p[0];
    size_t n, i;
    unsigned char lo = 0x80, hi = 0xBF;

    if (b >= 0xC2 && b <= 0xDF)
        n = 2;
    else if (b >= 0xE0 && b <= 0xEF) {
        n = 3;
        if (b == 0xE0)
            lo = 0xA0;
        else if (b == 0xED)
            hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
        n = 4;
        if (b == 0xF0)
            lo = 0x90;
        else if (b == 0xF4)
            hi = 0x8F;
    } else
        return 0;
    if ((size_t)(end - p) < n)
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (i = 2; i < n; i++)
        if ((p[i] & 0xC0) != 0x80)
            return 0;
    return n;
}

void qpp_buf_add_item(struct qpp_buf *b, size_t k, size_t n, const char *item)
{
    if (k < 4)
        qpp_buf_printf(b, "%s%s", k == 0 ? "" : k + 1 == n ? " and " : ", ", item);
    else if (k == 4)
        qpp_buf_printf(b, " and %zu more", n - 4);
}
