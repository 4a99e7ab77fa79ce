/* SPDX-License-Identifier: MIT */
/*
 * Every allocation of qppbuild, and of jansson once qpp_alloc_setup() has run,
 * passes through one counter, so a test can make the Nth allocation fail and
 * prove that each failure path ends cleanly.
 */
#ifndef QPP_ALLOC_H
#define QPP_ALLOC_H

#include <stddef.h>

/* realloc(p, size), unless an injected failure is due: then NULL. */
void *qpp_alloc_hook(void *p, size_t size);

/* Route jansson's allocations through the same counter. */
void qpp_alloc_setup(void);

/* Make allocation number n (1-based, counted from now) and all after it
 * fail; n = 0 turns failure injection off (and counting, which costs).
 * Returns how many allocations were counted since the previous call. */
unsigned long qpp_alloc_fail_at(unsigned long n);

/* Make only qppbuild's own allocation number n fail, and none after it
 * (jansson's are not counted: a lone failure inside jansson is not
 * something jansson itself survives).  Returns as qpp_alloc_fail_at. */
unsigned long qpp_alloc_fail_once(unsigned long n);

#endif
