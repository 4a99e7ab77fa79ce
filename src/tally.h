/* SPDX-License-Identifier: MIT */
/*
 * The reports chosen (select.h), added up per QPP measure: one slot per
 * measure with the counts of each group summed over its reports.  A second
 * summary for one measure, summary and individual reports mixed, groups that
 * differ in number and a subject counted by two sums are found here.
 */
#ifndef QPP_TALLY_H
#define QPP_TALLY_H

#include "catalog.h"
#include "diag.h"
#include "index.h"
#include "report.h"
#include "summary.h"

/* Everything known about one QPP measure of the submission. */
struct qpp_slot {
    const struct qpp_measure *m;
    const struct qpp_report *first;     /* the first report counted */
    const struct qpp_resource *measure; /* its FHIR Measure, when in the input */
    size_t nreports, ntest;
    int summary;  /* counts from summary or subject-list reports */
    size_t order; /* position in the Library */
    size_t ngroups;
    struct qpp_group *sum;      /* counts per group, summed over the reports */
    int bad;                    /* errors: no value is made */
    int partial;                /* partial sums of qppbuild's (summary.h) */
    struct qpp_partial digests; /* ... and the digests they carry */
    const struct qpp_report *earliest, *latest; /* of the periods counted */
    const char *reporter; /* the reports' reporter, unless mixed_reporters */
    int mixed_reporters;
};

struct qpp_tally {
    const struct qpp_index *ix; /* for the places of subjects */
    struct qpp_diags *d;
    struct qpp_slot *slots;
    size_t nslots, capslots;
};

/* The slot of measure m, new when there is none; NULL when out of memory. */
struct qpp_slot *qpp_tally_slot(struct qpp_tally *t, const struct qpp_measure *m);

/* Add report r to its measure's slot s.  Partial sums of one measure are
 * added, a digest already counted is partial-sum-twice.  -1 when out of
 * memory. */
int qpp_tally_add(struct qpp_tally *t, struct qpp_slot *s, const struct qpp_report *r);

/* Slots in the Library's order, then by measureId. */
void qpp_tally_sort(struct qpp_tally *t);

/* The tally as summary MeasureReports (summary.h), in the slots' order:
 * *out is a new array.  Slots of partial sums carry the digests they
 * summed, the others the digest of the run's input (digest).  tin names the
 * reporter of reports that name none.  Returns 0; 1 when a count does not
 * fit a FHIR integer (reported); -1 when out of memory. */
int qpp_tally_summaries(struct qpp_tally *t, const unsigned char digest[QPP_SHA256_LEN],
                        const char *tin, json_t **out);

void qpp_tally_free(struct qpp_tally *t);

#endif
