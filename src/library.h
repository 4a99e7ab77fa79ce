/* SPDX-License-Identifier: MIT */
/*
 * The quality-program Library (DESIGN 1, 5): which Library of the input it
 * is (-L, or the only one with useContext program qpp), the Measures it is
 * composed of in its order, and whether a report's Measure is one of them.
 */
#ifndef QPP_LIBRARY_H
#define QPP_LIBRARY_H

#include "diag.h"
#include "index.h"
#include "report.h"

/* A Measure canonical split at its last '|'. */
struct qpp_canon {
    char *url;     /* the url, or "Measure/id" for a relative reference */
    char *version; /* NULL when not given */
};

/* -1 when out of memory. */
int qpp_canon_split(const char *s, struct qpp_canon *c);
void qpp_canon_free(struct qpp_canon *c);

struct qpp_library {
    const struct qpp_resource *res; /* NULL: no Library (none found, or not asked) */
    struct qpp_canon *entries;      /* its composed-of Measures, in its order */
    size_t *artifact;               /* each one's index in relatedArtifact */
    size_t nentries;
};

/* The Library want names (id, Library/id, url or url|version), or with want
 * NULL the only quality-program Library of the input; NULL after a
 * diagnostic when there is none or more than one. */
const struct qpp_resource *qpp_library_find(const struct qpp_index *ix, const char *want,
                                            struct qpp_diags *d);

/* Read res's composed-of Measures into lib.  -1 when out of memory. */
int qpp_library_read(struct qpp_library *lib, const struct qpp_resource *res,
                     const struct qpp_index *ix, struct qpp_diags *d);
void qpp_library_free(struct qpp_library *lib);

/* The entry for url and its position, or NULL. */
const struct qpp_canon *qpp_library_entry(const struct qpp_library *lib, const char *url,
                                          size_t *pos);

/* Membership of r's Measure c (m: the FHIR Measure, when in the input) in
 * the Library: by url; versions must agree when both sides give one.
 * *order receives the position in the Library. */
void qpp_library_check(const struct qpp_library *lib, const struct qpp_report *r,
                       const struct qpp_canon *c, const struct qpp_resource *m,
                       size_t *order, struct qpp_diags *d);

#endif
