/* SPDX-License-Identifier: MIT */
/*
 * Small helpers shared by the modules: checked allocation, a growable string
 * buffer, JSON Pointer building and overflow-checked arithmetic.  Nothing here
 * prints or exits; allocation failures are returned to the caller.
 */
#ifndef QPP_UTIL_H
#define QPP_UTIL_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

/* Allocation goes through these so a test can make the Nth one fail. */
void *qpp_malloc(size_t size);
void *qpp_calloc(size_t n, size_t size);
void *qpp_realloc(void *p, size_t size);
void qpp_free(void *p);
char *qpp_strdup(const char *s);
char *qpp_strndup(const char *s, size_t n);

/* Grow *v (of *cap elements of size elem) to hold at least need elements. */
int qpp_grow(void **v, size_t *cap, size_t need, size_t elem);

struct qpp_buf {
    char *s;
    size_t len, cap;
    int failed; /* an append ran out of memory; s is still a valid string */
};

void qpp_buf_init(struct qpp_buf *b);
void qpp_buf_free(struct qpp_buf *b);
void qpp_buf_add(struct qpp_buf *b, const char *s);
void qpp_buf_addn(struct qpp_buf *b, const char *s, size_t n);
void qpp_buf_printf(struct qpp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void qpp_buf_vprintf(struct qpp_buf *b, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));
/* Append one JSON Pointer reference token, escaped as RFC 6901 says. */
void qpp_buf_add_token(struct qpp_buf *b, const char *token);
/* Item k (from 0) of a list of n, for messages: "a, b, c, d and 3 more". */
void qpp_buf_add_item(struct qpp_buf *b, size_t k, size_t n, const char *item);
/* Hand over the buffer's string (NULL if an append failed); b is reset. */
char *qpp_buf_take(struct qpp_buf *b);

/* a + b into *sum, -1 when the result does not fit a long long. */
int qpp_add_ll(long long a, long long b, long long *sum);

int qpp_streq(const char *a, const char *b); /* NULL-safe */

/* Length of the UTF-8 sequence at p (jansson's rules: shortest form, no
 * surrogates, at most U+10FFFF), or 0 when it is not valid. */
size_t qpp_utf8_len(const unsigned char *p, const unsigned char *end);

/* The id of a reference "type/id" (ref may be NULL), or NULL when ref is not
 * one to that type. */
const char *qpp_ref_id(const char *ref, const char *type);

/* 1 when a FHIR CodeableConcept (borrowed; may be NULL) has a coding with
 * this code, and with this system unless system is NULL. */
int qpp_concept_has(json_t *concept, const char *system, const char *code);

#endif
