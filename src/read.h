/* SPDX-License-Identifier: MIT */
/*
 * Reading: bytes to FHIR resources, streaming and in parallel.  The input is
 * read and split into resources (split.h) a chunk at a time, by one thread at
 * a time; batches of resources are scanned and built (scan.h, jansson,
 * report.h) by any thread; the results are handed on in input order, by one
 * thread at a time, so the outcome does not depend on the number of threads.
 * The calling thread is one of them.
 * Memory stays bounded whatever the size of the input.
 */
#ifndef QPP_READ_H
#define QPP_READ_H

#include <jansson.h>
#include <stdio.h>

#include "diag.h"
#include "report.h"
#include "sha256.h"

/* Bytes read into one window (a huge page: see qpp_alloc_pages). */
#define QPP_READ_WINDOW ((size_t)2 << 20)

/* One resource read, handed to the consumer in input order. */
struct qpp_item {
    enum { QPP_ITEM_JSON, QPP_ITEM_REPORT, QPP_ITEM_OTHER } kind;
    json_t *json;              /* QPP_ITEM_JSON: Measure, Library, Organization */
    struct qpp_report *report; /* QPP_ITEM_REPORT */
    char type[64];             /* the resourceType */
    unsigned long long hash;   /* of the content, whatever its layout and key order */
    /* Source, line and column of its start, pointer: valid during the call
     * only (the consumer copies what it keeps). */
    struct qpp_place at;
};

/* Takes the item: its json and report are the consumer's to keep (it sets
 * them to NULL) or leave (they are freed).  Called in input order, one call
 * at a time, from the calling thread or (jobs > 1) another reading thread.
 * Returns 0, or -1 to stop (out of memory). */
typedef int (*qpp_item_fn)(void *ctx, struct qpp_item *item);

/* An input was read (to its end, or to a syntax error that ends it), after
 * its items, as they are called: its name and, with the digest option, the
 * SHA-256 of its bytes (else zeros).  Not called for an input that could
 * not be opened, nor once reading has failed.  Returns 0, or -1 to stop
 * (out of memory). */
typedef int (*qpp_input_fn)(void *ctx, const char *name,
                            const unsigned char sha256[QPP_SHA256_LEN]);

struct qpp_read_options {
    int jobs; /* threads, the calling one among them; 1 reads in it alone */
    /* Called now and then, and at the end of each input, as the item
     * function is (bytes and resources are the input's). */
    void (*progress)(void *ctx, unsigned long long bytes, unsigned long long resources,
                     int done);
    void *progress_ctx;
    struct qpp_sha256 *sha256; /* when not NULL: every byte read is added to it */
    int digest; /* qpp_read_files: each file's SHA-256 to the input function */
};

/* Read the files named, in order, as if each were read by qpp_read_stream
 * after the one before ("-" is standard input), with one crew of threads
 * for them all: a file is read while the ones before it are worked on.  A
 * file that cannot be opened is an io-error, and the others are read; a
 * read error or a lack of memory stops the reading.  Returns 0, or -1 when
 * reading had to stop (reported). */
int qpp_read_files(const char *const *names, int n, const struct qpp_read_options *o,
                   qpp_item_fn fn, qpp_input_fn done, void *ctx, struct qpp_diags *d);

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
