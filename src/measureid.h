/* SPDX-License-Identifier: MIT */
/*
 * Which QPP measure a FHIR Measure is.  First that applies: an explicit
 * --measure-map; a Measure identifier typed "publisher" whose value is a QPP
 * measureId of the year; the CMS eCQM number in the Measure's identifiers or
 * url (CMS130FHIR, 130FHIR, CMS130v13), looked up in the catalog's eMeasureId.
 * A MADiE "publisher" identifier carries the CMS number (130FHIR), never the
 * QPP id, and is read as such.
 */
#ifndef QPP_MEASUREID_H
#define QPP_MEASUREID_H

#include <jansson.h>

#include "catalog.h"
#include "diag.h"
#include "util.h"

struct qpp_measure_map {
    const char *url; /* Measure canonical, without |version */
    const char *id;  /* QPP measureId */
};

/* url: the Measure's canonical url (no version); measure: the Measure
 * resource (borrowed), or NULL when the input does not hold it.  On success
 * returns QPP_NCODES and sets *out; else returns the diagnostic code to
 * report.  how receives a short account of the decision or the failure. */
enum qpp_code qpp_measureid_find(const struct qpp_catalog_year *y, const char *url,
                                 json_t *measure, const struct qpp_measure_map *maps,
                                 size_t nmaps, const struct qpp_measure **out,
                                 struct qpp_buf *how);

/* The CMS eCQM number in text such as "CMS130FHIR", "CMS130v13" or a url
 * ending in "/Measure/CMS130FHIRColorectalCancerScreening"; 0 if none. */
unsigned long qpp_cms_number(const char *text);

#endif
