/* SPDX-License-Identifier: MIT */
/* QPP JSON output; see write.h. */
#include "write.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int set(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v); /* frees v on failure, and NULL fails */
}

int qpp_write_counts(json_t *o, const struct qpp_value *v)
{
    return set(o, "performanceMet", json_integer(v->met)) ||
           set(o, "eligiblePopulation", json_integer(v->eligible)) ||
           set(o, "performanceNotMet", json_integer(v->not_met)) ||
           set(o, "eligiblePopulationExclusion", json_integer(v->exclusion)) ||
           set(o, "eligiblePopulationException", json_integer(v->exception));
}

/* Returns a new reference. */
static json_t *value(const struct qpp_submission *s, const struct qpp_measurement *m)
{
    json_t *o = json_object(), *strata = NULL;
    size_t i;

    if (!o || set(o, "isEndToEndReported", json_boolean(s->end_to_end)))
        goto fail;
    if (m->nstrata == 0) {
        if (qpp_write_counts(o, &m->value))
            goto fail;
        return o;
    }
    if (!(strata = json_array()) || json_object_set(o, "strata", strata))
        goto fail;
    for (i = 0; i < m->nstrata; i++) {
        json_t *st = json_object();
        if (!st || json_array_append_new(strata, st) ||
            set(st, "stratum", json_string(m->strata[i].name)) ||
            qpp_write_counts(st, &m->strata[i].value))
            goto fail;
    }
    json_decref(strata);
    return o;
fail:
    json_decref(strata);
    json_decref(o);
    return NULL;
}

static json_t *measurement(const struct qpp_submission *s,
                           const struct qpp_measurement *m)
{
    json_t *o = json_object();

    if (!o || set(o, "measureId", json_string(m->measure_id)) ||
        set(o, "value", value(s, m))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

/* The fields that name the entity and the year, as CMS lets a client write
 * them: TIN for individual and group, NPI for individual only, entityId for
 * the others. */
static int entity_fields(json_t *o, const struct qpp_submission *s)
{
    int individual = strcmp(s->entity_type, "individual") == 0;
    int group = strcmp(s->entity_type, "group") == 0;

    if (set(o, "entityType", json_string(s->entity_type)))
        return -1;
    if ((individual || group) &&
        set(o, "taxpayerIdentificationNumber", json_string(s->tin)))
        return -1;
    if (individual && set(o, "nationalProviderIdentifier", json_string(s->npi)))
        return -1;
    if (!individual && !group && set(o, "entityId", json_string(s->entity_id)))
        return -1;
    return set(o, "performanceYear", json_integer(s->year));
}

static int set_fields(json_t *o, const struct qpp_submission *s)
{
    char start[16], end[16];
    json_t *list;
    size_t i;

    snprintf(start, sizeof start, "%04d-01-01", s->year);
    snprintf(end, sizeof end, "%04d-12-31", s->year);
    if (set(o, "category", json_string("quality")) ||
        set(o, "submissionMethod", json_string(s->method)) ||
        set(o, "programName", json_string(s->program)) ||
        set(o, "performanceStart", json_string(start)) ||
        set(o, "performanceEnd", json_string(end)) ||
        (s->cehrt_id && set(o, "cehrtId", json_string(s->cehrt_id))))
        return -1;
    if (!(list = json_array()) || json_object_set_new(o, "measurements", list))
        return -1;
    for (i = 0; i < s->nmeasurements; i++)
        if (json_array_append_new(list, measurement(s, &s->measurements[i])))
            return -1;
    return 0;
}

json_t *qpp_write_submission(const struct qpp_submission *s)
{
    json_t *o = json_object(), *sets = NULL, *ms = NULL;

    if (!o || entity_fields(o, s) || !(sets = json_array()) ||
        json_object_set_new(o, "measurementSets", sets) || !(ms = json_object()) ||
        json_array_append_new(sets, ms) || set_fields(ms, s)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *qpp_write_measurement_set(const struct qpp_submission *s)
{
    json_t *o = json_object(), *sub = json_object();

    if (!o || !sub || entity_fields(sub, s)) {
        json_decref(sub);
        json_decref(o);
        return NULL;
    }
    if (json_object_set_new(o, "submission", sub) || set_fields(o, s)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *qpp_write_measurement(const struct qpp_submission *s, size_t i,
                              const char *measurement_set_id)
{
    json_t *o = json_object();

    if (!o || set(o, "measurementSetId", json_string(measurement_set_id)) ||
        set(o, "measureId", json_string(s->measurements[i].measure_id)) ||
        set(o, "value", value(s, &s->measurements[i]))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

char *qpp_write_dumps(json_t *json, int compact)
{
    /* Reals (the pre-score's, rounded to 4 decimals first): the precision
     * pins their bytes whatever jansson's default. */
    size_t flags = (compact ? JSON_COMPACT : JSON_INDENT(2)) | JSON_REAL_PRECISION(15);
    char *s = json_dumps(json, flags), *t;
    size_t n;

    if (!s)
        return NULL;
    n = strlen(s);
    t = qpp_realloc(s, n + 2);
    if (!t) {
        qpp_free(s);
        return NULL;
    }
    t[n] = '\n';
    t[n + 1] = '\0';
    return t;
}
