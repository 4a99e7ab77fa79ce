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

/* Everything known about one QPP measure of the submission. */
struct qpp_slot {
    const struct qpp_measure *m;
    const struct qpp_report *first;     /* the first report counted */
    const struct qpp_resource *measure; /* its FHIR Measure, when in the input */
    size_t nreports, ntest;
    int summary;  /* counts from summary or subject-list reports */
    size_t order; /* position in the Library */
    size_t ngroups;
    struct qpp_group *sum; /* counts per group, summed over the reports */
    int bad;               /* errors: no value is made */
};

struct qpp_tally {
    const struct qpp_index *ix; /* for the places of subjects */
    struct qpp_diags *d;
    struct qpp_slot *slots;
    size_t nslots, capslots;
};

/* The slot of measure m, new when there is none; NULL when out of memory. */
struct qpp_slot *qpp_tally_slot(struct qpp_tally *t, const struct qpp_measure *m);

/* Add report r to its measure's slot s.  -1 when out of memory. */
int qpp_tally_add(struct qpp_tally *t, struct qpp_slot *s, const struct qpp_report *r);

/* Slots in the Library's order, then by measureId. */
void qpp_tally_sort(struct qpp_tally *t);

void qpp_tally_free(struct qpp_tally *t);

#endif
