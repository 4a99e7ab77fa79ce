/* SPDX-License-Identifier: MIT */
/* Measure catalog: lookups and the measures-data.json reader; see catalog.h. */
#include "catalog.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A catalog year read at run time.  Its strings are borrowed from root. */
struct loaded {
    struct qpp_catalog_year y; /* first, so a year pointer is a loaded pointer */
    json_t *root;
    struct qpp_measure *measures;
    const char **pool; /* every string array of the measures, and the unions */
};

static int cmp_measure(const void *a, const void *b)
{
    return strcmp(((const struct qpp_measure *)a)->id,
                  ((const struct qpp_measure *)b)->id);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ---- the built-in years, made from catalog_data.c's packed tables ---- */

/* The years made so far; under made_lock, as any thread may ask first. */
static struct qpp_catalog_year made_years[QPP_CATALOG_MAX_YEARS];
static bool year_made[QPP_CATALOG_MAX_YEARS], lists_made;
static pthread_mutex_t made_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *packed_string(uint32_t off)
{
    return off == QPP_NO_STRING ? NULL : qpp_catalog_strings + off;
}

static const char *const *packed_list(struct qpp_packed_list l, size_t *n)
{
    *n = l.n;
    return l.n ? qpp_catalog_list_made + l.at : NULL;
}

/* Fill year k's measures and catalog year from its packed tables (and every
 * list's strings, the first time). */
static void make_year(size_t k)
{
    const struct qpp_packed_year *p = &qpp_catalog_packed[k];
    struct qpp_catalog_year *y = &made_years[k];
    size_t i;

    if (!lists_made) {
        for (i = 0; i < qpp_catalog_nlists; i++)
            qpp_catalog_list_made[i] = qpp_catalog_strings + qpp_catalog_lists[i];
        lists_made = true;
    }
    for (i = 0; i < p->nmeasures; i++) {
        const struct qpp_packed_measure *pm = &p->measures[i];
        struct qpp_measure *m = &p->made[i];

        m->id = packed_string(pm->id);
        m->emeasure_id = packed_string(pm->emeasure_id);
        m->title = packed_string(pm->title);
        m->metric_type = packed_string(pm->metric_type);
        m->overall_algorithm = packed_string(pm->overall_algorithm);
        m->measure_type = packed_string(pm->measure_type);
        m->first_year = pm->first_year;
        m->last_year = pm->last_year;
        m->is_inverse = pm->is_inverse;
        m->is_high_priority = pm->is_high_priority;
        m->is_registry_measure = pm->is_registry_measure;
        m->strata = packed_list(pm->strata, &m->nstrata);
        m->methods = packed_list(pm->methods, &m->nmethods);
        m->programs = packed_list(pm->programs, &m->nprograms);
        m->registration_types = packed_list(pm->registration_types, &m->nregistration);
        m->cap_removed = packed_list(pm->cap_removed, &m->ncap_removed);
        m->companion = packed_string(pm->companion);
    }
    memset(y, 0, sizeof *y);
    y->year = p->year;
    y->nmeasures = p->nmeasures;
    y->measures = p->made;
    y->programs = packed_list(p->programs, &y->nprograms);
    y->methods = packed_list(p->methods, &y->nmethods);
    y->provisional = p->provisional;
}

int qpp_catalog_builtin_nth(size_t i)
{
    return i < qpp_catalog_nbuiltin ? qpp_catalog_packed[i].year : 0;
}

const struct qpp_catalog_year *qpp_catalog_builtin_year(int year)
{
    size_t i;

    for (i = 0; i < qpp_catalog_nbuiltin && i < QPP_CATALOG_MAX_YEARS; i++) {
        if (qpp_catalog_packed[i].year != year)
            continue;
        pthread_mutex_lock(&made_lock);
        if (!year_made[i]) {
            make_year(i);
            year_made[i] = true;
        }
        pthread_mutex_unlock(&made_lock);
        return &made_years[i];
    }
    return NULL;
}

const struct qpp_measure *qpp_catalog_find(const struct qpp_catalog_year *y,
                                           const char *measure_id)
{
    struct qpp_measure key;

    memset(&key, 0, sizeof key);
    key.id = measure_id;
    return bsearch(&key, y->measures, y->nmeasures, sizeof *y->measures, cmp_measure);
}

const struct qpp_measure *qpp_catalog_find_cms(const struct qpp_catalog_year *y,
                                               unsigned long cms_number)
{
    size_t i;

    for (i = 0; i < y->nmeasures; i++) {
        const char *e = y->measures[i].emeasure_id;
        char *end;

        if (!e || strncmp(e, "CMS", 3) != 0 || !isdigit((unsigned char)e[3]))
            continue;
        if (strtoul(e + 3, &end, 10) == cms_number && (*end == 'v' || *end == '\0'))
            return &y->measures[i];
    }
    return NULL;
}

static int in_list(const char *const *v, size_t n, const char *s)
{
    size_t i;

    for (i = 0; i < n; i++)
        if (strcmp(v[i], s) == 0)
            return 1;
    return 0;
}

int qpp_catalog_year_has_program(const struct qpp_catalog_year *y, const char *program)
{
    return in_list(y->programs, y->nprograms, program);
}

int qpp_catalog_year_has_method(const struct qpp_catalog_year *y, const char *method)
{
    return in_list(y->methods, y->nmethods, method);
}

int qpp_measure_has_method(const struct qpp_measure *m, const char *method)
{
    return in_list(m->methods, m->nmethods, method);
}

int qpp_measure_has_program(const struct qpp_measure *m, const char *program)
{
    return in_list(m->programs, m->nprograms, program);
}

int qpp_measure_allows_entity(const struct qpp_measure *m, const char *entity_type)
{
    /* CMS lists apm, group, subgroup and individual; virtual groups are left
     * out of the data on purpose, so the list says nothing about them. */
    if (m->nregistration == 0 || strcmp(entity_type, "virtualGroup") == 0)
        return 1;
    return in_list(m->registration_types, m->nregistration, entity_type);
}

int qpp_measure_is_multi_rate(const struct qpp_measure *m)
{
    return strcmp(m->metric_type, "multiPerformanceRate") == 0;
}

int qpp_measure_is_outcome(const struct qpp_measure *m)
{
    /* CMS's high-priority measures include every outcome type. */
    return m->measure_type && strstr(m->measure_type, "utcome") != NULL;
}

int qpp_measure_is_cms_computed(const struct qpp_measure *m)
{
    size_t i;

    /* Clients submit by electronicHealthRecord, registry or claims; CAHPS
     * (certifiedSurveyVendor) and administrativeClaims measures CMS
     * computes. */
    for (i = 0; i < m->nmethods; i++)
        if (strcmp(m->methods[i], "certifiedSurveyVendor") != 0 &&
            strcmp(m->methods[i], "administrativeClaims") != 0)
            return 0;
    return m->nmethods > 0;
}

static size_t count_emeasures(const struct qpp_catalog_year *y)
{
    size_t i, n = 0;

    for (i = 0; i < y->nmeasures; i++)
        if (y->measures[i].emeasure_id)
            n++;
    return n;
}

int qpp_catalog_versions_year(const struct qpp_catalog_year *y)
{
    size_t b, i, n = count_emeasures(y);
    int found = 0;

    for (b = 0; b < qpp_catalog_nbuiltin && n > 0; b++) {
        const struct qpp_catalog_year *c =
            qpp_catalog_builtin_year(qpp_catalog_builtin_nth(b));
        size_t same = 0;

        if (!c || count_emeasures(c) != n)
            continue;
        for (i = 0; i < y->nmeasures; i++) {
            const struct qpp_measure *m = &y->measures[i], *o;
            if (!m->emeasure_id)
                continue;
            o = qpp_catalog_find(c, m->id);
            if (o && o->emeasure_id && strcmp(o->emeasure_id, m->emeasure_id) == 0)
                same++;
        }
        if (same != n)
            continue;
        if (found)
            return 0; /* two years hold these versions */
        found = c->year;
    }
    return found;
}

int qpp_measure_cap_removed(const struct qpp_measure *m, const char *method)
{
    return in_list(m->cap_removed, m->ncap_removed, method);
}

int qpp_program_is_mvp(const char *p)
{
    size_t i;

    if ((p[0] != 'G' && p[0] != 'M') || strlen(p) != 5)
        return 0;
    for (i = 1; i < 5; i++)
        if (!isdigit((unsigned char)p[i]))
            return 0;
    return 1;
}

void qpp_catalog_free(struct qpp_catalog_year *y)
{
    struct loaded *l = (struct loaded *)y;

    if (!l)
        return;
    json_decref(l->root);
    qpp_free(l->measures);
    qpp_free(l->pool);
    qpp_free(l);
}

/* ---- reading measures-data.json ---- */

struct reader {
    const char *source;
    struct qpp_diags *d;
    int errors;
    int quiet; /* the second pass: everything was checked in the first */
};

static void bad(struct reader *r, size_t i, const char *field, const char *what)
{
    char ptr[64];
    struct qpp_place at = {r->source, -1, -1, NULL, NULL};

    r->errors++;
    if (r->quiet)
        return;
    snprintf(ptr, sizeof ptr, "/%zu%s%s", i, field ? "/" : "", field ? field : "");
    qpp_diag(r->d, QPP_MEASURES_DATA_INVALID, &at, ptr, "%s", what);
}

static const char *opt_string(struct reader *r, json_t *m, size_t i, const char *key)
{
    json_t *v = json_object_get(m, key);

    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        bad(r, i, key, "not a string");
        return NULL;
    }
    return json_string_value(v);
}

static int opt_int(struct reader *r, json_t *m, size_t i, const char *key)
{
    json_t *v = json_object_get(m, key);

    if (!v || json_is_null(v))
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 0 ||
        json_integer_value(v) > 9999) {
        bad(r, i, key, "not a year");
        return 0;
    }
    return (int)json_integer_value(v);
}

static bool opt_bool(struct reader *r, json_t *m, size_t i, const char *key)
{
    json_t *v = json_object_get(m, key);

    if (!v || json_is_null(v))
        return false;
    if (!json_is_boolean(v)) {
        bad(r, i, key, "not a boolean");
        return false;
    }
    return json_is_true(v);
}

/* Strings of the array m[key] (of objects' "name" when name is set), checked
 * for type.  Counts them when out is NULL, else stores them at out. */
static size_t strings(struct reader *r, json_t *m, size_t i, const char *key,
                      const char *name, const char **out)
{
    json_t *a = json_object_get(m, key), *e;
    size_t k, n = 0;

    if (!a || json_is_null(a))
        return 0;
    if (!json_is_array(a)) {
        if (!out)
            bad(r, i, key, "not an array");
        return 0;
    }
    json_array_foreach(a, k, e)
    {
        json_t *s = name && json_is_object(e) ? json_object_get(e, name) : e;

        if (name && (!s || json_is_null(s)))
            continue; /* single-rate eCQMs carry unnamed strata */
        if (!json_is_string(s)) {
            if (!out)
                bad(r, i, key, "holds a value that is not a string");
            continue;
        }
        if (out)
            out[n] = json_string_value(s);
        n++;
    }
    return n;
}

static int is_quality(json_t *m)
{
    return json_is_object(m) &&
           qpp_streq(json_string_value(json_object_get(m, "category")), "quality");
}

static size_t unique_sorted(const char **v, size_t n)
{
    size_t i, k = 0;

    qsort(v, n, sizeof *v, cmp_str);
    for (i = 0; i < n; i++)
        if (k == 0 || strcmp(v[k - 1], v[i]) != 0)
            v[k++] = v[i];
    return k;
}

/* The first string of the array m[key] (or the string m[key]), or NULL. */
static const char *first_string(struct reader *r, json_t *m, size_t i, const char *key)
{
    json_t *v = json_object_get(m, key);

    if (json_is_array(v))
        v = json_array_get(v, 0);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        bad(r, i, key, "not a string or an array of strings");
        return NULL;
    }
    return json_string_value(v);
}

static void read_scalars(struct reader *r, json_t *m, size_t i, struct qpp_measure *q)
{
    q->id = opt_string(r, m, i, "measureId");
    q->title = opt_string(r, m, i, "title");
    q->metric_type = opt_string(r, m, i, "metricType");
    if (!q->id || !*q->id)
        bad(r, i, "measureId", "missing");
    if (!q->title)
        bad(r, i, "title", "missing");
    if (!q->metric_type)
        bad(r, i, "metricType", "missing");
    q->emeasure_id = opt_string(r, m, i, "eMeasureId");
    q->overall_algorithm = opt_string(r, m, i, "overallAlgorithm");
    q->measure_type = opt_string(r, m, i, "measureType");
    q->first_year = opt_int(r, m, i, "firstPerformanceYear");
    q->last_year = opt_int(r, m, i, "lastPerformanceYear");
    q->is_inverse = opt_bool(r, m, i, "isInverse");
    q->is_high_priority = opt_bool(r, m, i, "isHighPriority");
    q->is_registry_measure = opt_bool(r, m, i, "isRegistryMeasure");
    q->companion = first_string(r, m, i, "companionMeasureId");
}

static void read_measure(struct reader *r, json_t *m, size_t i, struct qpp_measure *q,
                         const char ***pool)
{
    read_scalars(r, m, i, q);
    q->strata = *pool;
    q->nstrata = strings(r, m, i, "strata", "name", *pool);
    *pool += q->nstrata;
    q->methods = *pool;
    q->nmethods = strings(r, m, i, "submissionMethods", NULL, *pool);
    *pool += q->nmethods;
    q->programs = *pool;
    q->nprograms = strings(r, m, i, "allowedPrograms", NULL, *pool);
    *pool += q->nprograms;
    q->registration_types = *pool;
    q->nregistration = strings(r, m, i, "allowedRegistrationTypes", NULL, *pool);
    *pool += q->nregistration;
    q->cap_removed = *pool;
    q->ncap_removed = strings(r, m, i, "sevenPointCapRemoved", NULL, *pool);
    *pool += q->ncap_removed;
}

static void at_most(int *max, int year)
{
    if (*max == 0 || year < *max)
        *max = year;
}

/* The performance years a measures-data file can belong to: none of its
 * measures starts after the year or ended before it; CMS dropped cpcPlus
 * after 2021, pcf and cmsWebInterface after 2024, and added appPlus in 2025
 * (reference/qpp-output.md sections 2 and 11). */
static void file_years(struct qpp_catalog_year *y)
{
    size_t i;

    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        if (m->first_year > y->min_year)
            y->min_year = m->first_year;
        if (m->last_year)
            at_most(&y->max_year, m->last_year);
    }
    if (qpp_catalog_year_has_program(y, "appPlus") && y->min_year < 2025)
        y->min_year = 2025;
    if (qpp_catalog_year_has_program(y, "cpcPlus"))
        at_most(&y->max_year, 2021);
    if (qpp_catalog_year_has_program(y, "pcf") ||
        qpp_catalog_year_has_method(y, "cmsWebInterface"))
        at_most(&y->max_year, 2024);
}

int qpp_catalog_load(json_t *root, const char *source, struct qpp_catalog_year **out,
                     struct qpp_diags *d)
{
    struct reader r = {source, d, 0, 0};
    struct loaded *l = NULL;
    const char **p, **unions;
    size_t i, n = 0, npool = 1, nunion = 0, k;
    json_t *m;
    int rc = -1;

    *out = NULL;
    if (!json_is_array(root)) {
        struct qpp_place at = {source, -1, -1, NULL, NULL};
        qpp_diag(d, QPP_MEASURES_DATA_INVALID, &at, NULL,
                 "not a measures-data file: the top level is not an array");
        return -1;
    }
    /* First pass: check types and count what must be stored. */
    json_array_foreach(root, i, m)
    {
        struct qpp_measure scratch;
        size_t ns, nm, np, nr, nc;

        if (!is_quality(m))
            continue;
        n++;
        read_scalars(&r, m, i, &scratch);
        ns = strings(&r, m, i, "strata", "name", NULL);
        nm = strings(&r, m, i, "submissionMethods", NULL, NULL);
        np = strings(&r, m, i, "allowedPrograms", NULL, NULL);
        nr = strings(&r, m, i, "allowedRegistrationTypes", NULL, NULL);
        nc = strings(&r, m, i, "sevenPointCapRemoved", NULL, NULL);
        npool += ns + 2 * nm + 2 * np + nr + nc;
    }
    if (r.errors)
        return -1;
    if (n == 0) {
        struct qpp_place at = {source, -1, -1, NULL, NULL};
        qpp_diag(d, QPP_MEASURES_DATA_INVALID, &at, NULL, "holds no quality measure");
        return -1;
    }
    l = qpp_calloc(1, sizeof *l);
    if (l) {
        l->measures = qpp_calloc(n, sizeof *l->measures);
        l->pool = qpp_calloc(npool, sizeof *l->pool);
    }
    if (!l || !l->measures || !l->pool) {
        qpp_diag_nomem(d);
        goto out;
    }
    p = l->pool;
    k = 0;
    r.quiet = 1;
    json_array_foreach(root, i, m)
    {
        if (is_quality(m))
            read_measure(&r, m, i, &l->measures[k++], &p);
    }
    if (r.errors)
        goto out;
    qsort(l->measures, n, sizeof *l->measures, cmp_measure);
    for (i = 1; i < n; i++) {
        if (strcmp(l->measures[i - 1].id, l->measures[i].id) == 0) {
            struct qpp_place at = {source, -1, -1, NULL, NULL};
            qpp_diag(d, QPP_MEASURES_DATA_INVALID, &at, NULL,
                     "quality measure %s appears twice", l->measures[i].id);
            goto out;
        }
    }
    /* The year's programs and methods: the union over its measures. */
    unions = p;
    p[nunion++] = "mips"; /* CMS's default program, always valid */
    for (i = 0; i < n; i++)
        for (k = 0; k < l->measures[i].nprograms; k++)
            p[nunion++] = l->measures[i].programs[k];
    l->y.programs = unions;
    l->y.nprograms = unique_sorted(unions, nunion);
    p = unions + nunion;
    nunion = 0;
    for (i = 0; i < n; i++)
        for (k = 0; k < l->measures[i].nmethods; k++)
            p[nunion++] = l->measures[i].methods[k];
    l->y.methods = p;
    l->y.nmethods = unique_sorted(p, nunion);
    l->y.measures = l->measures;
    l->y.nmeasures = n;
    l->y.source = source;
    file_years(&l->y);
    l->root = json_incref(root);
    *out = &l->y;
    l = NULL;
    rc = 0;
out:
    if (l) {
        qpp_free(l->measures);
        qpp_free(l->pool);
        qpp_free(l);
    }
    return rc;
}
