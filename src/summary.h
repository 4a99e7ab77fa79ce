/* SPDX-License-Identifier: MIT */
/*
 * Summary MeasureReports (DESIGN section 8): what a run counted, per QPP
 * measure, as a FHIR R4 MeasureReport of type summary in the DEQM summary
 * shape (measure canonical, period, reporter, groups with ids, population
 * codes and counts).  Each carries qppbuild's partial-sum extension:
 *
 *   extension[url = QPP_PARTIAL_SUM_URL]
 *     extension[url = "digest"]    valueString "sha256:<64 hex>", one or more:
 *                                  the digest of each shard's input summed
 *     extension[url = "reports"]   valuePositiveInt: reports summed
 *     extension[url = "testCases"] valueUnsignedInt: test-case reports among them
 *
 * A later run adds the partial sums of one measure instead of calling them
 * duplicates, and refuses a digest it has already counted for the measure.
 */
#ifndef QPP_SUMMARY_H
#define QPP_SUMMARY_H

#include <jansson.h>

#include "diag.h"
#include "report.h"
#include "sha256.h"

#define QPP_PARTIAL_SUM_URL "urn:qppbuild:partial-sum"

/* What a partial-sum extension says. */
struct qpp_partial {
    unsigned char (*digests)[QPP_SHA256_LEN]; /* sorted, no two alike */
    size_t ndigests;
    size_t nreports, ntest;
};

void qpp_partial_free(struct qpp_partial *p);

/* Read the partial-sum extension of MeasureReport mr (borrowed).  Returns 0
 * with *out NULL when mr has none, 0 with *out a new qpp_partial, 1 when the
 * extension is malformed (reported at `at` as report-invalid), -1 when out
 * of memory. */
int qpp_partial_read(const struct qpp_jv *mr, const struct qpp_place *at,
                     struct qpp_partial **out, struct qpp_diags *d);

/* Add the digests of b to a (a's stay sorted).  Returns 0; 1 when b holds a
 * digest a already has (nothing added); -1 when out of memory. */
int qpp_partial_merge(struct qpp_partial *a, const struct qpp_partial *b);

/* One measure's summary, as the run counted it.  Strings are borrowed. */
struct qpp_summary {
    const char *measure;     /* the Measure canonical the reports name */
    const char *measure_id;  /* the QPP measureId, for the resource id */
    const char *start, *end; /* the period, as the reports write it */
    const char *reporter;    /* a reference, or NULL */
    const char *tin;         /* the reporter by TIN when reporter is NULL */
    const struct qpp_group *groups;
    size_t ngroups;
    const struct qpp_partial *partial; /* the digests, reports and test cases */
};

/* The summary MeasureReport: *out is a new reference.  Returns 0; 1 when a
 * count does not fit a FHIR integer (32 bits); -1 when out of memory. */
int qpp_summary_write(const struct qpp_summary *s, json_t **out);

/* The summaries of array a (borrowed) as NDJSON: one compact line each.
 * A new string (qpp_free), or NULL when out of memory. */
char *qpp_summary_dumps(json_t *a);

#endif
