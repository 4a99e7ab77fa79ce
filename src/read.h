/* SPDX-License-Identifier: MIT */
/*
 * Reading: bytes to FHIR resources.  A file holds one JSON value or several in
 * a row (NDJSON included); each value is a resource or a Bundle, whose
 * entries (Bundles inside Bundles too) are handed over one by one.
 */
#ifndef QPP_READ_H
#define QPP_READ_H

#include <jansson.h>
#include <stdio.h>

#include "diag.h"

/* Called for each resource that is not a Bundle.  resource is borrowed (take
 * a reference to keep it); at names the file, the line and column where the
 * JSON value holding it starts, and in pointer the path from that value to
 * the resource (NULL for the value itself).  Returns 0, or -1 to stop (out of
 * memory). */
typedef int (*qpp_resource_fn)(void *ctx, json_t *resource, const struct qpp_place *at);

/* Read the len bytes at buf, named source in diagnostics.  Data errors are
 * reported and reading goes on where it can.  Returns 0, or -1 when reading
 * had to stop for lack of memory or because fn asked to. */
int qpp_read_buffer(const char *buf, size_t len, const char *source, qpp_resource_fn fn,
                    void *ctx, struct qpp_diags *d);

/* Read a stream to its end, then as qpp_read_buffer.  -1 also on a read
 * error (reported as io-error). */
int qpp_read_stream(FILE *fp, const char *source, qpp_resource_fn fn, void *ctx,
                    struct qpp_diags *d);

#endif
