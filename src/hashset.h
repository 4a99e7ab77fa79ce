/* SPDX-License-Identifier: MIT */
/*
 * A compact set of 64-bit keys, each with where it was first seen: what
 * qppbuild keeps per patient-level report (its id) and per patient and
 * measure (the subject), so that memory grows by a few dozen bytes a report.
 */
#ifndef QPP_HASHSET_H
#define QPP_HASHSET_H

#include <stddef.h>

struct qpp_seen {
    unsigned long long key;   /* 0 marks an empty slot */
    unsigned long long value; /* e.g. a content hash */
    unsigned int line;
    unsigned int source; /* an index into the caller's list of sources */
};

struct qpp_hashset {
    struct qpp_seen *v;
    size_t n, cap; /* cap is 0 or a power of two */
};

/* Find key; when absent, insert it with the given value and place.
 * Returns the entry found (not inserted), NULL when key was inserted, and
 * sets *nomem when memory ran out. */
const struct qpp_seen *qpp_hashset_put(struct qpp_hashset *s, unsigned long long key,
                                       unsigned long long value, unsigned int line,
                                       unsigned int source, int *nomem);
const struct qpp_seen *qpp_hashset_get(const struct qpp_hashset *s,
                                       unsigned long long key);
void qpp_hashset_free(struct qpp_hashset *s);

/* The key of a string in a set: SipHash-2-4 under a key drawn at random once
 * per process (domain keeps the sets' keys apart), so that no input can be
 * written to make two ids or subjects collide, or to crowd one slot. */
unsigned long long qpp_hashset_key(const char *s, size_t n, unsigned domain);

/* SipHash-2-4 of p[0..n) under the 16-byte key k (exposed for its tests). */
unsigned long long qpp_siphash(const unsigned char k[16], const void *p, size_t n);

#endif
