/* SPDX-License-Identifier: MIT */
/*
 * The QPP JSON: submission, measurementSet and measurement structures with
 * the fields CMS documents for each entity type, keys in the order of CMS's
 * documentation, serialised the same way every time.
 */
#ifndef QPP_WRITE_H
#define QPP_WRITE_H

#include <jansson.h>

#include "map.h"

struct qpp_stratum {
    const char *name;
    struct qpp_value value;
};

struct qpp_measurement {
    const char *measure_id;
    size_t nstrata; /* 0: single performance rate, value used */
    struct qpp_stratum *strata;
    struct qpp_value value;
};

struct qpp_submission {
    const char *entity_type;
    const char *tin, *npi, *entity_id; /* only those the entity type may carry */
    int year;
    const char *method, *program, *cehrt_id;
    int end_to_end; /* isEndToEndReported */
    size_t nmeasurements;
    struct qpp_measurement *measurements;
};

/* Each returns a new reference, or NULL when out of memory. */
json_t *qpp_write_submission(const struct qpp_submission *s);
json_t *qpp_write_measurement_set(const struct qpp_submission *s);
json_t *qpp_write_measurement(const struct qpp_submission *s, size_t i,
                              const char *measurement_set_id);

/* A value's five counts as QPP names them, set on o; nonzero when out of
 * memory. */
int qpp_write_counts(json_t *o, const struct qpp_value *v);

/* The bytes to write: 2-space indent or one line, with a final newline.
 * Returns a new string (free with qpp_free()), or NULL when out of memory. */
char *qpp_write_dumps(json_t *json, int compact);

#endif
