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

/* Memory a large buffer is read into again and again, counted as
 * qpp_alloc_hook's; freed with qpp_free_pages and the same size, never
 * grown.  Where the system has transparent huge pages (Linux) it is
 * mapped whole huge pages of QPP_HUGE_PAGE, aligned, and advised to use
 * them: fresh memory is faulted in a page at a time, 512 faults for 2 MB
 * of 4 KB pages (about 6 ms where faults are dear, as on a virtual
 * machine), one for a huge page.  Elsewhere it is malloc's. */
#define QPP_HUGE_PAGE ((size_t)2 << 20)
void *qpp_alloc_pages(size_t size);
void qpp_free_pages(void *p, size_t size);

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
