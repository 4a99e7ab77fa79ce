/* SPDX-License-Identifier: MIT */
/*
 * --list-measures: the quality measures of a catalog year as text, a header
 * line then one line a measure, seven tab-separated fields.
 */
#ifndef QPP_LISTING_H
#define QPP_LISTING_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"

/* The header line's fields, CMS's names, in the listing's order. */
#define QPP_LISTING_HEADER                                                               \
    "measureId\teMeasureId\tmetricType\toverallAlgorithm\tstrata\tsubmissionMethods\t"   \
    "title\n"

/* Whether measure m is the one key names: a QPP measureId ("113", "1" for
 * "001") or a CMS eCQM number ("CMS130", "cms130v11": the version, when
 * given, must be the catalog's). */
int qpp_listing_match(const struct qpp_measure *m, const char *key);

/* The listing of year y: every measure (nkeys 0), or those keys name, in
 * the catalog's order.  A key naming no measure is a diagnostic
 * (measure-not-in-year).  On success returns 0 and sets *out to a new string
 * (qpp_free); else -1. */
int qpp_listing_measures(const struct qpp_catalog_year *y, const char *const *keys,
                         size_t nkeys, char **out, struct qpp_diags *d);

#endif
