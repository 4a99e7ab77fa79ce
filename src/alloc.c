/* SPDX-License-Identifier: MIT */
/* Allocation counter and failure injection; see alloc.h. */
#include "alloc.h"

#include <jansson.h>
#include <stdlib.h>

static unsigned long count;
static unsigned long fail_at; /* 0: never fail */

static int due(void)
{
    count++;
    return fail_at && count >= fail_at;
}

void *qpp_alloc_hook(void *p, size_t size)
{
    if (due())
        return NULL;
    return realloc(p, size);
}

static void *json_alloc(size_t size)
{
    if (due())
        return NULL;
    return malloc(size);
}

void qpp_alloc_setup(void)
{
    json_set_alloc_funcs(json_alloc, free);
}

unsigned long qpp_alloc_fail_at(unsigned long n)
{
    unsigned long made = count;

    count = 0;
    fail_at = n;
    return made;
}
