/* SPDX-License-Identifier: MIT */
/* Allocation counter and failure injection; see alloc.h. */
#define _DEFAULT_SOURCE 1 /* madvise */
#include "alloc.h"

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>

/* Reader threads allocate too: the counter is atomic. */
static atomic_ulong count;
static atomic_ulong fail_at; /* 0: never fail */
static atomic_int once;      /* only allocation fail_at fails, and only qppbuild's */

static int due(int ours)
{
    unsigned long at = atomic_load_explicit(&fail_at, memory_order_relaxed), n;
    int one = atomic_load_explicit(&once, memory_order_relaxed);

    if (!at || (one && !ours))
        return 0; /* the common case: no counting needed */
    n = atomic_fetch_add_explicit(&count, 1, memory_order_relaxed) + 1;
    return one ? n == at : n >= at;
}

void *qpp_alloc_hook(void *p, size_t size)
{
    if (due(1))
        return NULL;
    return realloc(p, size);
}

#ifdef MADV_HUGEPAGE
/* size in whole huge pages. */
static size_t huge_pages(size_t size)
{
    return size ? (size + QPP_HUGE_PAGE - 1) & ~(QPP_HUGE_PAGE - 1) : QPP_HUGE_PAGE;
}
#endif

void *qpp_alloc_pages(size_t size)
{
#ifdef MADV_HUGEPAGE
    size_t len = huge_pages(size);
    char *map, *p;
    size_t lead;

    if (due(1) || len < size || len > SIZE_MAX - QPP_HUGE_PAGE)
        return NULL;
    /* Mapped a huge page larger, then cut to an aligned start: only the
     * pages asked for stay mapped. */
    map = mmap(NULL, len + QPP_HUGE_PAGE, PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (map == MAP_FAILED)
        return NULL;
    lead = (QPP_HUGE_PAGE - (uintptr_t)map % QPP_HUGE_PAGE) % QPP_HUGE_PAGE;
    p = map + lead;
    if (lead)
        munmap(map, lead);
    munmap(p + len, QPP_HUGE_PAGE - lead);
    /* Advice only: a system without huge pages, or with them off, ignores it. */
    (void)madvise(p, len, MADV_HUGEPAGE);
    return p;
#else
    if (due(1))
        return NULL;
    return malloc(size ? size : 1);
#endif
}

void qpp_free_pages(void *p, size_t size)
{
    if (!p)
        return;
#ifdef MADV_HUGEPAGE
    munmap(p, huge_pages(size));
#else
    (void)size;
    free(p);
#endif
}

static void *json_alloc(size_t size)
{
    if (due(0))
        return NULL;
    return malloc(size);
}

void qpp_alloc_setup(void)
{
    json_set_alloc_funcs(json_alloc, free);
}

static unsigned long arm(unsigned long n, int one)
{
    unsigned long made = atomic_exchange(&count, 0);

    atomic_store(&once, one);
    atomic_store(&fail_at, n);
    return made;
}

unsigned long qpp_alloc_fail_at(unsigned long n)
{
    return arm(n, 0);
}

unsigned long qpp_alloc_fail_once(unsigned long n)
{
    return arm(n, 1);
}
