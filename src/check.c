/* SPDX-License-Identifier: MIT */
/* Submission rules; see check.h. */
#include "check.h"

#include <limits.h>
#include <string.h>

#define CASE_MINIMUM 20 /* CMS scores a measure against its benchmark from 20 cases */
/* CMS asks for six quality measures, four in an MVP. */
#define MEASURE_TARGET     6
#define MVP_MEASURE_TARGET 4

static const char *const client_methods[] = {"electronicHealthRecord", "registry",
                                             "cmsWebInterface"};

int qpp_check_program(const struct qpp_catalog_year *y, int year, const char *program,
                      const char *method, const char *entity_type, struct qpp_diags *d)
{
    size_t errors = d->count[QPP_ERROR], i;
    int known = 0;

    for (i = 0; i < sizeof client_methods / sizeof client_methods[0]; i++)
        if (strcmp(method, client_methods[i]) == 0)
            known = 1;
    if (!known || !qpp_catalog_year_has_method(y, method))
        qpp_diag(d, QPP_METHOD_UNKNOWN, NULL, NULL,
                 "submission method %s is not one a client can use in %d", method, year);
    if (!qpp_catalog_year_has_program(y, program))
        qpp_diag(d, QPP_PROGRAM_UNKNOWN, NULL, NULL, "program %s does not exist in %d",
                 program, year);
    /* Who may use which program (CMS's submissions API change log). */
    if ((strcmp(program, "app1") == 0 || strcmp(program, "appPlus") == 0) &&
        strcmp(entity_type, "apm") != 0 && strcmp(entity_type, "group") != 0 &&
        strcmp(entity_type, "individual") != 0)
        qpp_diag(d, QPP_PROGRAM_ENTITY, NULL, NULL,
                 "%s is open to apm, group and individual entities, not %s", program,
                 entity_type);
    if (qpp_program_is_mvp(program) && strcmp(entity_type, "virtualGroup") == 0)
        qpp_diag(d, QPP_PROGRAM_ENTITY, NULL, NULL,
                 "MVP %s is not open to virtual groups", program);
    if (strcmp(program, "pcf") == 0 && strcmp(entity_type, "apm") != 0)
        qpp_diag(d, QPP_PROGRAM_ENTITY, NULL, NULL, "pcf is open to apm entities only");
    if (strcmp(method, "cmsWebInterface") == 0 && strcmp(entity_type, "group") != 0 &&
        strcmp(entity_type, "apm") != 0)
        qpp_diag(d, QPP_PROGRAM_ENTITY, NULL, NULL,
                 "cmsWebInterface is open to group and apm entities only");
    return (int)(d->count[QPP_ERROR] - errors);
}

int qpp_check_measure(const struct qpp_catalog_year *y, const struct qpp_measure *m,
                      int year, const char *program, const char *method,
                      const char *entity_type, const struct qpp_place *at,
                      struct qpp_diags *d)
{
    size_t errors = d->count[QPP_ERROR];

    if (m->first_year && year < m->first_year)
        qpp_diag(d, QPP_MEASURE_NOT_IN_YEAR, at, NULL, "measure %s starts in %d, not %d",
                 m->id, m->first_year, year);
    if (m->last_year && year > m->last_year)
        qpp_diag(d, QPP_MEASURE_NOT_IN_YEAR, at, NULL,
                 "measure %s ended in %d, before %d", m->id, m->last_year, year);
    if (strcmp(m->metric_type, "singlePerformanceRate") != 0 &&
        strcmp(m->metric_type, "multiPerformanceRate") != 0)
        qpp_diag(d, QPP_METRIC_UNSUPPORTED, at, NULL,
                 "measure %s is a %s measure; qppbuild writes single and multi "
                 "performance rates only",
                 m->id, m->metric_type);
    /* A method or program the year lacks is reported once, by
     * qpp_check_program, not again for each measure. */
    if (qpp_catalog_year_has_method(y, method) && !qpp_measure_has_method(m, method))
        qpp_diag(d, QPP_METHOD_NOT_ALLOWED, at, NULL,
                 "measure %s cannot be submitted by %s in %d", m->id, method, year);
    /* allowedPrograms leaves mips out of some plainly MIPS measures (112,
     * 113, 128): for mips a quality measure of the year is enough. */
    if (strcmp(program, "mips") != 0 && qpp_catalog_year_has_program(y, program) &&
        !qpp_measure_has_program(m, program))
        qpp_diag(d, QPP_PROGRAM_NOT_ALLOWED, at, NULL,
                 "measure %s is not part of program %s in %d", m->id, program, year);
    if (!qpp_measure_allows_entity(m, entity_type))
        qpp_diag(d, QPP_ENTITY_NOT_ALLOWED, at, NULL,
                 "measure %s is not open to %s entities in %d", m->id, entity_type, year);
    return (int)(d->count[QPP_ERROR] - errors);
}

static long long cases(const struct qpp_value *v)
{
    return v->eligible;
}

long long qpp_case_count(const struct qpp_measure *m, const struct qpp_measurement *q)
{
    const char *alg = m->overall_algorithm ? m->overall_algorithm : "";
    long long n = 0;
    size_t i;

    if (q->nstrata == 0)
        return cases(&q->value);
    /* CMS: simpleAverage takes the largest stratum, overallStratumOnly the
     * overall stratum, split the reporting stratum, the others the sum. */
    for (i = 0; i < q->nstrata; i++) {
        long long c = cases(&q->strata[i].value);
        if (strcmp(alg, "simpleAverage") == 0) {
            if (c > n)
                n = c;
        } else if (strcmp(alg, "overallStratumOnly") == 0) {
            if (strcmp(q->strata[i].name, "overall") == 0)
                n = c;
        } else if (strcmp(alg, "split") == 0) {
            if (strcmp(q->strata[i].name, "reporting") == 0)
                n = c;
        } else if (n <= LLONG_MAX - c) {
            n += c;
        }
    }
    return n;
}

static int has_rate(const struct qpp_measurement *q)
{
    size_t i;

    if (q->nstrata == 0)
        return qpp_value_has_rate(&q->value);
    for (i = 0; i < q->nstrata; i++)
        if (qpp_value_has_rate(&q->strata[i].value))
            return 1;
    return 0;
}

void qpp_check_set(const struct qpp_catalog_year *y, const struct qpp_submission *s,
                   int whole_set, struct qpp_diags *d)
{
    int high = 0;
    size_t target;
    size_t i;

    for (i = 0; i < s->nmeasurements; i++) {
        const struct qpp_measurement *q = &s->measurements[i];
        const struct qpp_measure *m = qpp_catalog_find(y, q->measure_id);
        long long n;

        if (!m)
            continue;
        if (m->is_high_priority || qpp_measure_is_outcome(m))
            high = 1;
        if (!has_rate(q))
            qpp_diag(d, QPP_NO_RATE, NULL, NULL,
                     "measure %s has no patient met or not met: CMS computes no rate",
                     m->id);
        n = qpp_case_count(m, q);
        if (n < CASE_MINIMUM)
            qpp_diag(d, QPP_SMALL_CASE_COUNT, NULL, NULL,
                     "measure %s has %lld cases; CMS scores a measure against its "
                     "benchmark from %d",
                     m->id, n, CASE_MINIMUM);
    }
    if (!whole_set)
        return; /* a lone measurement joins a set made elsewhere */
    target = qpp_program_is_mvp(s->program) ? MVP_MEASURE_TARGET : MEASURE_TARGET;
    if (s->nmeasurements < target)
        qpp_diag(d, QPP_FEW_MEASURES, NULL, NULL,
                 "%zu quality measures; CMS expects %zu, and scores missing ones as zero",
                 s->nmeasurements, target);
    if (s->nmeasurements > 0 && !high)
        qpp_diag(d, QPP_NO_HIGH_PRIORITY, NULL, NULL,
                 "no outcome or high-priority measure; CMS expects at least one");
}
