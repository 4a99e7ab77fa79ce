/* SPDX-License-Identifier: MIT */
/*
 * The provenance Bundle (DESIGN section 9): a FHIR R4 transaction Bundle a
 * user POSTs to their FHIR server to keep what was submitted.  Its entries:
 * a Binary (application/json) with the exact bytes written, the summary
 * MeasureReports of what was counted, a Device for qppbuild and its version,
 * and a Provenance whose targets are the Binary and the MeasureReports,
 * with the time recorded, the Organization (by reference, else by TIN) and
 * the Device as agents, and each input file, by its SHA-256, as an entity.
 * The same run gives the same Bundle but for the recorded time: the entries'
 * urn:uuid full URLs are derived from the content.
 */
#ifndef QPP_PROVENANCE_H
#define QPP_PROVENANCE_H

#include <jansson.h>
#include <time.h>

#include "sha256.h"

/* An input file as the run read it. */
struct qpp_input {
    const char *name; /* as given; "-" for standard input */
    unsigned char sha256[QPP_SHA256_LEN];
};

struct qpp_provenance {
    const char *bytes; /* what was written (the submission, set or measurement) */
    size_t len;
    json_t *summaries;        /* borrowed: array of summary MeasureReports */
    const char *organization; /* "Organization/id", or NULL */
    const char *tin;          /* the Organization by TIN, when no reference */
    const char *version;      /* qppbuild's */
    time_t recorded;
    const struct qpp_input *inputs;
    size_t ninputs;
};

/* A new reference to the Bundle, or NULL when out of memory. */
json_t *qpp_provenance_write(const struct qpp_provenance *p);

/* RFC 4648 base64 of p[0..n): a new string (qpp_free), or NULL. */
char *qpp_base64(const void *p, size_t n);

#endif
