/* SPDX-License-Identifier: MIT */
/*
 * Scanning one JSON value held in memory, faster than building it with
 * jansson: every byte is validated as jansson would (UTF-8, escapes, numbers
 * that fit, nesting depth, duplicate keys), the content is hashed so that
 * copies can be told from conflicts whatever their layout and key order, and
 * for a MeasureReport only the parts qppbuild reads are built as a tree
 * (tree.h).  Array elements are never dropped, so JSON Pointers into the
 * tree hold for the original.
 */
#ifndef QPP_SCAN_H
#define QPP_SCAN_H

#include <stddef.h>

#include "tree.h"
#include "util.h"

#define QPP_MAX_DEPTH 2048 /* jansson's parser limit */

struct qpp_scan {
    /* Set by the caller. */
    int depth; /* nesting depth of the value in its file */
    /* When set: the value is built in this tree (its root set), an object
     * reduced to the parts of a MeasureReport qppbuild reads unless
     * keep_all (of another resource, only what came before its
     * resourceType).  The caller frees the tree, also after an error. */
    struct qpp_tree *tree;
    int keep_all;
    /* When set: the scanner's working memory, kept here from one value to
     * the next (qpp_scan_room_free frees it). */
    struct qpp_scan_room *room;
    /* Results. */
    unsigned long long hash; /* ignores whitespace and key order */
    int is_object;
    char type[64];    /* the resourceType string, "" when none (or too long) */
    int type_present; /* a resourceType member exists (of whatever type) */
    /* A syntax error: where (bytes from the value's start) and what. */
    size_t err_offset;
    char err_text[128];
};

/* Scan the len bytes at buf, which must hold one JSON value and nothing but
 * white space after it.  Returns 0; -1 for a syntax error (err_offset and
 * err_text set); -2 when out of memory. */
int qpp_scan(const char *buf, size_t len, struct qpp_scan *s);

struct qpp_scan_room {
    void *stack, *keys;
    size_t capstack, capkeys;
};

void qpp_scan_room_free(struct qpp_scan_room *room);

/* The hash qpp_scan gives a string value whose decoded content is s[0..n). */
unsigned long long qpp_scan_string_hash(const char *s, size_t n);

/* Finding where a JSON value ends without validating it, resumable: the
 * splitter knows a value's bounds before the scanner checks it. */
struct qpp_span {
    size_t pos; /* bytes looked at so far, from the value's start */
    int depth;  /* open objects and arrays */
    int in_string, escape, started;
    int scalar; /* the value is a number or literal */
};

enum qpp_span_result { QPP_SPAN_MORE, QPP_SPAN_END, QPP_SPAN_BAD };

/* Look at buf[s->pos..len).  END: the value ends at s->pos (exclusive).
 * MORE: give more bytes (at_eof: there are none; then the value ends at
 * len for a scalar, else it is truncated: BAD).  BAD: a byte no JSON value
 * can hold there (control character in a string, or an unbalanced close);
 * the value is cut at s->pos for the scanner to report. */
enum qpp_span_result qpp_span(const char *buf, size_t len, int at_eof,
                              struct qpp_span *s);

#endif
