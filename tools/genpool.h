/* SPDX-License-Identifier: MIT */
/*
 * What gencatalog and genbench share: C string literals, and a pool that
 * holds each distinct string once, written as one array (its strings each
 * followed by a NUL), so that generated tables refer to a string by its
 * offset and hold no pointer.
 */
#ifndef QPP_GENPOOL_H
#define QPP_GENPOOL_H

#include <stdint.h>
#include <stdio.h>

/* s as a C string literal, with '?' escaped too (no trigraphs). */
void genpool_put_literal(FILE *f, const char *s);

/* The offset of s in the pool, adding it first if it is new (to the
 * pool's text, which genpool_write prints); UINT32_MAX for NULL.  Exits
 * with a message naming tool when the pool is full. */
uint32_t genpool_offset(const char *tool, const char *s);

/* The pool as the initializer of an array of char: its strings, one a line
 * with its offset in a comment, then ";". */
void genpool_write(FILE *f);

#endif
