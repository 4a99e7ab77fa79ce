/* SPDX-License-Identifier: MIT */
/*
 * Reading: bytes to FHIR resources, streaming and in parallel.  One thread
 * splits the input into resources (split.h); worker threads scan and build
 * them (scan.h, jansson, report.h); the calling thread takes the results in
 * input order, so the outcome does not depend on the number of threads.
 * Memory stays bounded whatever the size of the input.
 */
#ifndef QPP_READ_H
#define QPP_READ_H

#include <jansson.h>
#include <stdio.h>

#include "diag.h"
#include "report.h"
#include "sha256.h"

/* One resource read, handed to the consumer in input order. */
struct qpp_item {
    enum { QPP_ITEM_JSON, QPP_ITEM_REPORT, QPP_ITEM_OTHER } kind;
    json_t *json;              /* QPP_ITEM_JSON: Measure, Library, Organization */
    struct qpp_report *report; /* QPP_ITEM_REPORT */
    char type[64];             /* the resourceType */
    unsigned long long hash;   /* of the content, whatever its layout and key order */
    struct qpp_place at;       /* source, line and column of its start, pointer */
};

/* Takes the item: its json and report are the consumer's to keep (it sets
 * them to NULL) or leave (they are freed).  Returns 0, or -1 to stop (out
 * of memory). */
typedef int (*qpp_item_fn)(void *ctx, struct qpp_item *item);

struct qpp_read_options {
    int jobs; /* worker threads; 1 reads in the calling thread alone */
    /* Called from the calling thread now and then, and at the end. */
    void (*progress)(void *ctx, unsigned long long bytes, unsigned long long resources,
                     int done);
    void *progress_ctx;
    struct qpp_sha256 *sha256; /* when not NULL: every byte read is added to it */
};

/* Read fp to its end; source names it in diagnostics.  Data errors are
 * reported and reading goes on where it can (a syntax error ends the
 * file).  Returns 0, or -1 when reading had to stop: a read error
 * (io-error) or no memory (out-of-memory). */
int qpp_read_stream(FILE *fp, const char *source, const struct qpp_read_options *o,
                    qpp_item_fn fn, void *ctx, struct qpp_diags *d);

/* The same for bytes in memory (tests, the fuzzer). */
int qpp_read_buffer(const char *buf, size_t len, const char *source,
                    const struct qpp_read_options *o, qpp_item_fn fn, void *ctx,
                    struct qpp_diags *d);

#endif
