/* SPDX-License-Identifier: MIT */
/*
 * Which reports count and why (DESIGN 4, "Which reports count"): the
 * reports -r asked for, the performance year they give, and for each report
 * the QPP measure it counts for, after the checks a report must pass on its
 * own (period, Measure, Library, CMS's rules for the measure).  Everything
 * that decides whether a report is added is here; adding is tally.h.
 */
#ifndef QPP_SELECT_H
#define QPP_SELECT_H

#include "index.h"
#include "library.h"
#include "qppbuild.h"

/* What a Measure canonical, as a report writes it, resolves to: worked out
 * (and its problems reported) once, however many reports name it. */
struct qpp_resolved {
    char *canonical;
    const struct qpp_measure *m;        /* NULL when it cannot be placed */
    const struct qpp_resource *measure; /* the FHIR Measure, when in the input */
    size_t order;                       /* position in the Library */
    int failed;                         /* an error makes the measure unusable */
    char *version; /* of the Measure, or as the canonical gives it; NULL */
};

struct qpp_select {
    const struct qpp_options *o; /* borrowed */
    const struct qpp_index *ix;
    const struct qpp_library *lib; /* NULL: no Library to check against */
    const struct qpp_catalog_year *cy;
    int year;
    struct qpp_diags *d;
    struct qpp_resolved *resolved;
    size_t nresolved, capresolved;
    struct qpp_hashset resolved_at; /* a canonical's key -> its index in resolved */
    /* Per QPP measure: the first canonical with a version, and the first
     * with another version (indices in resolved): versions stay linear. */
    struct qpp_hashset first_version, other_version;
};

/* The reports -r named are all there, and there is a report at all.  -1
 * when there is none (reported). */
int qpp_select_check(const struct qpp_index *ix, const struct qpp_options *o,
                     struct qpp_diags *d);

/* The performance year: -y, else the one year the reports' periods end in.
 * -1 when there is none or more than one (reported). */
int qpp_select_year(const struct qpp_index *ix, const struct qpp_options *o, int *year,
                    struct qpp_diags *d);

/* Which reports count by their reporter (DESIGN 4): with -r, those asked
 * for; else, when an Organization is chosen (org), the reports that name no
 * other Organization as reporter: the others are left out (r->left_out),
 * with a warning per Organization that says how many and of which
 * measures.  Without an Organization, reports naming two reporters are an
 * error.  Returns 0; 1 when every report is left out (no-reports); -1 when
 * out of memory. */
int qpp_select_reporters(const struct qpp_index *ix, const struct qpp_options *o,
                         const struct qpp_resource *org, struct qpp_diags *d);

/* Judge report r: its period against the year, its Measure canonical.
 * *out is what the canonical resolves to (NULL when the report names no
 * Measure).  -1 when out of memory. */
int qpp_select_report(struct qpp_select *sel, const struct qpp_report *r,
                      const struct qpp_resolved **out);

/* After every report: each measure the Library lists that no report was
 * for is named in a warning. */
void qpp_select_missing(const struct qpp_select *sel);

void qpp_select_free(struct qpp_select *sel);

#endif
