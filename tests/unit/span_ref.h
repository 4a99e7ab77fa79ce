/* SPDX-License-Identifier: MIT */
/*
 * qpp_span as it was before it went 64 bytes at a time: the plain byte loop,
 * kept as the reference the fast one must match in every result and every
 * field of its state (tests/unit/test_scan.c, tests/fuzz/fuzz_scan.c).
 */
#ifndef QPP_SPAN_REF_H
#define QPP_SPAN_REF_H

#include "scan.h"

static enum qpp_span_result span_ref(const char *buf, size_t len, int at_eof,
                                     struct qpp_span *s)
{
    const char *p = buf + s->pos, *end = buf + len;

    if (!s->started) {
        if (p >= end)
            return at_eof ? QPP_SPAN_BAD : QPP_SPAN_MORE;
        s->started = 1;
        s->scalar = *p != '{' && *p != '[' && *p != '"';
    }
    if (s->scalar) {
        while (p < end && ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') ||
                           *p == '-' || *p == '+' || *p == '.' || *p == 'E'))
            p++;
        s->pos = (size_t)(p - buf);
        if (s->pos == 0 && p < end) {
            s->pos = 1;
            return QPP_SPAN_BAD;
        }
        return p < end || at_eof ? QPP_SPAN_END : QPP_SPAN_MORE;
    }
    while (p < end) {
        char ch = *p++;

        if (s->in_string) {
            if (s->escape)
                s->escape = 0;
            else if (ch == '\\')
                s->escape = 1;
            else if (ch == '"') {
                s->in_string = 0;
                if (s->depth == 0) {
                    s->pos = (size_t)(p - buf);
                    return QPP_SPAN_END;
                }
            } else if ((unsigned char)ch < 0x20) {
                s->pos = (size_t)(p - buf);
                return QPP_SPAN_BAD;
            }
        } else if (ch == '"') {
            s->in_string = 1;
        } else if (ch == '{' || ch == '[') {
            s->depth++;
        } else if (ch == '}' || ch == ']') {
            s->pos = (size_t)(p - buf);
            if (--s->depth == 0)
                return QPP_SPAN_END;
            if (s->depth < 0)
                return QPP_SPAN_BAD;
        }
    }
    s->pos = (size_t)(p - buf);
    return at_eof ? QPP_SPAN_BAD : QPP_SPAN_MORE;
}

/* The two agree in result and state: 0, else which field differs. */
static const char *span_differs(enum qpp_span_result a, const struct qpp_span *x,
                                enum qpp_span_result b, const struct qpp_span *y)
{
    if (a != b)
        return "result";
    if (x->pos != y->pos)
        return "pos";
    if (x->depth != y->depth)
        return "depth";
    if (x->in_string != y->in_string)
        return "in_string";
    if (x->escape != y->escape)
        return "escape";
    if (x->started != y->started || x->scalar != y->scalar)
        return "started/scalar";
    return 0;
}

#endif
