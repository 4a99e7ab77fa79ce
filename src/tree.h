/* SPDX-License-Identifier: MIT */
/*
 * A JSON value as a small read-only tree, all of it in one arena: what the
 * scanner (scan.h) keeps of a MeasureReport for report.c to read.  Building
 * it costs one pass over bytes already validated and a few large
 * allocations, where a jansson tree costs a parse and an allocation per
 * value.  Strings are decoded and NUL-terminated (JSON strings holding
 * U+0000 are refused by the scanner).  Reading is NULL-safe, as jansson's
 * getters are: a missing member or a value of another type reads as NULL,
 * 0 or false.
 */
#ifndef QPP_TREE_H
#define QPP_TREE_H

#include <stddef.h>

enum qpp_jtype {
    QPP_J_NULL,
    QPP_J_TRUE,
    QPP_J_FALSE,
    QPP_J_INTEGER,
    QPP_J_REAL,
    QPP_J_STRING,
    QPP_J_ARRAY,
    QPP_J_OBJECT
};

/* 16 bytes: a huge report's tree is about the size of its text.  An
 * object's n member values are followed by their n keys (qpp_jv_key). */
struct qpp_jv {
    union {
        long long i;
        double r;
        const char *s;             /* NUL-terminated */
        const struct qpp_jv *kids; /* n elements or member values, in order */
    } u;
    unsigned n;         /* array elements, object members */
    unsigned char type; /* enum qpp_jtype */
};

/* The arena: blocks freed together; and the strings and containers made
 * last, by hash, so that those a value repeats (a code system, a
 * population's code object in each of 200,000 groups) are kept once. */
#define QPP_TREE_RECENT 256
struct qpp_tree {
    struct qpp_tree_block *blocks;
    size_t next_size;
    size_t made;               /* bytes given out since the tree was last empty */
    const struct qpp_jv *root; /* NULL until built */
    unsigned gen;              /* of recent: entries of another are stale */
    struct {
        unsigned long long hash;
        const char *s;
        size_t n;
        unsigned gen;
    } recent[QPP_TREE_RECENT];
    struct {
        unsigned long long hash;
        const struct qpp_jv *kids;
        unsigned n, gen;
        unsigned char type;
    } recent_kids[QPP_TREE_RECENT];
};

void qpp_tree_init(struct qpp_tree *t);
void qpp_tree_free(struct qpp_tree *t);
/* Empty the tree for another value, keeping a block of its memory (so that
 * building many small values does not allocate for each). */
void qpp_tree_reset(struct qpp_tree *t);
/* n bytes aligned for a qpp_jv (or a pointer), or NULL when out of memory. */
void *qpp_tree_alloc(struct qpp_tree *t, size_t n);
/* The elements of an array, or the member values and keys of an object
 * (type), just made by qpp_tree_alloc at kids (n of them; hash: any hash
 * of the value): kids itself, or the same content made before when it is
 * still remembered, kids then given back.  Elements are compared as built
 * (strings by content, containers by their kids' address), so content that
 * merely hashes alike is never shared.  The tree is read-only: sharing is
 * not seen by its readers.  Only a tree past QPP_TREE_SHARE_FROM bytes
 * shares (a huge report's): the small trees of most reports are not worth
 * the look-ups. */
#ifndef QPP_TREE_SHARE_FROM /* the fuzzers share from the first byte */
#define QPP_TREE_SHARE_FROM ((size_t)1 << 16)
#endif
const struct qpp_jv *qpp_tree_share(struct qpp_tree *t, unsigned long long hash,
                                    unsigned char type, const struct qpp_jv *kids,
                                    unsigned n);
/* A string of the tree equal to s[0..n) (hash: any hash of those bytes),
 * NUL-terminated: one made before when it is still remembered, else a new
 * copy.  NULL when out of memory. */
const char *qpp_tree_string(struct qpp_tree *t, unsigned long long hash, const char *s,
                            size_t n);

/* Reading. */
const struct qpp_jv *qpp_jv_get(const struct qpp_jv *v, const char *key);
size_t qpp_jv_count(const struct qpp_jv *v); /* array elements, object members */
const char *qpp_jv_key(const struct qpp_jv *obj, size_t i);
const struct qpp_jv *qpp_jv_member(const struct qpp_jv *obj, size_t i);
const char *qpp_jv_string(const struct qpp_jv *v);
long long qpp_jv_integer(const struct qpp_jv *v); /* 0 unless an integer */
size_t qpp_jv_size(const struct qpp_jv *v);       /* array elements, else 0 */
const struct qpp_jv *qpp_jv_at(const struct qpp_jv *v, size_t i);
int qpp_jv_is(const struct qpp_jv *v, enum qpp_jtype type);
int qpp_jv_is_boolean(const struct qpp_jv *v);

/* for each element e (index i) of array a; none when a is not an array. */
#define qpp_jv_foreach(a, i, e)                                                          \
    for ((i) = 0; (i) < qpp_jv_size(a) && ((e) = qpp_jv_at((a), (i))) != NULL; (i)++)

/* The tree of one JSON value held in memory, all of it kept (the scanner
 * validates it).  0; -1 not JSON; -2 out of memory.  Free with
 * qpp_tree_free. */
int qpp_tree_parse(const char *buf, size_t len, struct qpp_tree *t);

#endif
