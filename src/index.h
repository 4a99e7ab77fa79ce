/* SPDX-License-Identifier: MIT */
/*
 * The resources of a run, as the reader hands them over.  Organizations,
 * Libraries and Measures are kept whole (they are few and small) and found
 * by id; summary and subject-list MeasureReports are kept as counts
 * (report.h); individual MeasureReports are summed per Measure canonical as
 * they arrive, so memory does not grow with them but for a few bytes per
 * report (its id) and per patient and measure (its subject).  Each
 * individual report is judged on its own before it is added, and the sums
 * are kept per Measure canonical and reporter, so that the selection can
 * leave out another Organization's reports.  The same
 * resourceType/id twice counts once when the content is the same and is an
 * error when it differs.
 */
#ifndef QPP_INDEX_H
#define QPP_INDEX_H

#include <jansson.h>

#include "diag.h"
#include "hashset.h"
#include "read.h"
#include "report.h"

enum qpp_kind { QPP_ORGANIZATION, QPP_LIBRARY, QPP_MEASURE, QPP_NKINDS };

struct qpp_resource {
    json_t *json;                   /* a reference held by the index */
    const char *id, *url, *version; /* borrowed from json; NULL when absent */
    char *name;                     /* "Measure/abc" */
    char *source;
    int line, column;
    char *base; /* pointer from the file's value, when the resource has no id */
};

struct qpp_index {
    struct qpp_diags *d;
    const char *const *report_ids; /* -r: keep only these reports */
    size_t nreport_ids;
    unsigned char *report_found; /* for each of report_ids */
    struct qpp_resource *res[QPP_NKINDS];
    size_t nres[QPP_NKINDS], capres[QPP_NKINDS];
    /* Summary and subject-list reports, and one sum of the individual
     * reports per Measure canonical and reporter, in the order they first
     * came. */
    struct qpp_report **reports;
    size_t nreports, capreports;
    json_t *sums; /* Measure canonical and reporter -> index into reports */
    json_t *seen; /* "Type/id" -> index into first */
    struct seen *first;
    size_t nfirst, capfirst;
    struct qpp_hashset report_seen; /* individual reports: id -> content */
    char **sources;                 /* file names, for places in the hash sets */
    size_t nsources, capsources;
    json_t *source_ids; /* file name -> its index in sources */
    json_t *skipped;    /* resourceType -> how many were not used */
    /* How an individual report is judged on its own before it is added
     * (qpp_report_judge): enum qpp_counts, and registry.  Set after new. */
    int counts, registry;
};

struct qpp_index *qpp_index_new(struct qpp_diags *d, const char *const *report_ids,
                                size_t nreport_ids);
void qpp_index_free(struct qpp_index *ix);

/* A qpp_item_fn: takes one resource from the reader (ctx is the index). */
int qpp_index_add(void *ix, struct qpp_item *item);

const struct qpp_resource *qpp_index_find(const struct qpp_index *ix, enum qpp_kind kind,
                                          const char *id);

struct qpp_place qpp_resource_place(const struct qpp_resource *r);

/* "file:line" of a hash-set entry, or "file:line:column" with a column
 * (> 0), into buf. */
void qpp_index_where(const struct qpp_index *ix, const struct qpp_seen *e, int column,
                     char *buf, size_t n);

#endif
