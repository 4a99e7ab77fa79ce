/* SPDX-License-Identifier: MIT */
/* The generators' string pool; see genpool.h. */
#include "genpool.h"

#include <stdlib.h>
#include <string.h>

static struct {
    const char *s;
    uint32_t off;
} strings[16384];
static size_t nstrings;
static uint32_t pool_len;

void genpool_put_literal(FILE *f, const char *s)
{
    const unsigned char *p;

    putc('"', f);
    for (p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f || *p == '?')
            fprintf(f, "\\%03o", *p); /* '?' too: no trigraphs */
        else
            putc(*p, f);
    }
    putc('"', f);
}

uint32_t genpool_offset(const char *tool, const char *s)
{
    size_t i, n;

    if (!s)
        return UINT32_MAX;
    for (i = 0; i < nstrings; i++)
        if (strcmp(strings[i].s, s) == 0)
            return strings[i].off;
    n = strlen(s) + 1;
    if (nstrings == sizeof strings / sizeof strings[0] || n >= UINT32_MAX - pool_len) {
        fprintf(stderr, "%s: too many strings\n", tool);
        exit(1);
    }
    strings[nstrings].s = s;
    strings[nstrings++].off = pool_len;
    pool_len += (uint32_t)n;
    return strings[nstrings - 1].off;
}

void genpool_write(FILE *f)
{
    size_t i;

    for (i = 0; i < nstrings; i++) {
        fputs("    ", f);
        genpool_put_literal(f, strings[i].s);
        fprintf(f, " \"\\0\" /* %lu */\n", (unsigned long)strings[i].off);
    }
    fputs("    \"\";\n", f);
}
