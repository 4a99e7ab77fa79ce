/* SPDX-License-Identifier: MIT */
/*
 * The resources of a run, found by resourceType/id and, for Measures and
 * Libraries, by canonical url and url|version.  Organizations, Libraries and
 * Measures are kept whole (they are few and small); MeasureReports are kept
 * as counts (report.h).  The same resourceType/id twice counts once when the
 * content is the same and is an error when it differs.
 */
#ifndef QPP_INDEX_H
#define QPP_INDEX_H

#include <jansson.h>

#include "diag.h"
#include "report.h"

enum qpp_kind { QPP_ORGANIZATION, QPP_LIBRARY, QPP_MEASURE, QPP_NKINDS };

struct qpp_resource {
    json_t *json;                   /* a reference held by the index */
    const char *id, *url, *version; /* borrowed from json; NULL when absent */
    char *name;                     /* "Measure/abc" */
    char *source;
    int line;
    char *base; /* pointer from the file's value, when the resource has no id */
};

struct qpp_index {
    struct qpp_diags *d;
    struct qpp_resource *res[QPP_NKINDS];
    size_t nres[QPP_NKINDS], capres[QPP_NKINDS];
    struct qpp_report **reports;
    size_t nreports, capreports;
    json_t *seen; /* "Type/id" -> index into first */
    struct seen *first;
    size_t nfirst, capfirst;
    json_t *skipped; /* resourceType -> how many were not used */
};

struct qpp_index *qpp_index_new(struct qpp_diags *d);
void qpp_index_free(struct qpp_index *ix);

/* A qpp_resource_fn: takes one resource from the reader (ctx is the index). */
int qpp_index_add(void *ix, json_t *resource, const struct qpp_place *at);

const struct qpp_resource *qpp_index_find(const struct qpp_index *ix, enum qpp_kind kind,
                                          const char *id);
const struct qpp_report *qpp_index_find_report(const struct qpp_index *ix,
                                               const char *id);

struct qpp_place qpp_resource_place(const struct qpp_resource *r);

#endif
