/* SPDX-License-Identifier: MIT */
/* Submission rules; see check.h. */
#include "check.h"

#include <ctype.h>
#include <limits.h>
#include <string.h>

#include "util.h"

#define CASE_MINIMUM 20 /* CMS scores a measure against its benchmark from 20 cases */
/* CMS asks for six quality measures, four in an MVP. */
#define MEASURE_TARGET     6
#define MVP_MEASURE_TARGET 4

static const char *const client_methods[] = {"electronicHealthRecord", "registry",
                                             "cmsWebInterface"};

/* The year's data: provisional, or a --measures-data file of another year. */
static void check_data_year(const struct qpp_catalog_year *y, int year,
                            struct qpp_diags *d)
{
    struct qpp_place at = {y->source, -1, -1, NULL, NULL};
    int versions;

    if (y->provisional)
        qpp_diag(d, QPP_YEAR_PROVISIONAL, NULL, NULL,
                 "CMS still calls its %d measure data in progress and subject to "
                 "change; qppbuild's %d rules are provisional",
                 year, year);
    if (y->year != 0)
        return; /* built in: the data of that year */
    if (year < y->min_year)
        qpp_diag(d, QPP_MEASURES_DATA_YEAR, &at, NULL,
                 "the measures data is of %d or later (a measure starts in %d, or it "
                 "lists appPlus), not of performance year %d",
                 y->min_year, y->min_year, year);
    else if (y->max_year && year > y->max_year)
        qpp_diag(d, QPP_MEASURES_DATA_YEAR, &at, NULL,
                 "the measures data is of %d or earlier (a measure ends in %d, or it "
                 "lists a program or method CMS dropped after %d), not of performance "
                 "year %d",
                 y->max_year, y->max_year, y->max_year, year);
    else if ((versions = qpp_catalog_versions_year(y)) != 0 && versions != year)
        qpp_diag(d, QPP_MEASURES_DATA_YEAR, &at, NULL,
                 "the measures data holds the eCQM versions of CMS's %d data, not of "
                 "performance year %d",
                 versions, year);
}

int qpp_check_program(const struct qpp_catalog_year *y, int year, const char *program,
                      const char *method, const char *entity_type, struct qpp_diags *d)
{
    size_t errors = d->count[QPP_ERROR], i;
    int known = 0;

    check_data_year(y, year, d);

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
        strcmp(entity_type, "individual") != 0 && strcmp(entity_type, "subgroup") != 0)
        qpp_diag(d, QPP_PROGRAM_ENTITY, NULL, NULL,
                 "%s is open to apm, group and individual entities, not %s", program,
                 entity_type);
    /* 42 CFR 414.1318(c); qpp.cms.gov: subgroups can only report MVPs. */
    if (strcmp(entity_type, "subgroup") == 0 && !qpp_program_is_mvp(program))
        qpp_diag(d, QPP_PROGRAM_ENTITY, NULL, NULL,
                 "a subgroup reports only through an MVP, not %s", program);
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
    /* allowedPrograms holds for every program, mips too: CMS took 112, 113
     * and 128 out of traditional MIPS from 2024, and its API answers "measure
     * ID 128 is not allowed to be submitted to the mips program". */
    if (qpp_catalog_year_has_program(y, program) &&
        !qpp_measure_has_program(m, program) &&
        !(y->nprograms <= 1 && m->nprograms == 0)) /* a file with no program lists */
        qpp_diag(d, QPP_PROGRAM_NOT_ALLOWED, at, NULL,
                 "measure %s is not part of program %s in %d", m->id, program, year);
    if (!qpp_measure_allows_entity(m, entity_type))
        qpp_diag(d, QPP_ENTITY_NOT_ALLOWED, at, NULL,
                 "measure %s is not open to %s entities in %d", m->id, entity_type, year);
    return (int)(d->count[QPP_ERROR] - errors);
}

int qpp_check_cehrt_form(const char *id)
{
    size_t i;

    /* CMS's Submissions API: "CEHRT ID must be in the format 2025CXXXXXXXXXX
     * or XX15CXXXXXXXXXX" (the 2025 form since the 2025 change log). */
    if (strlen(id) != 15 ||
        (strncmp(id, "2025C", 5) != 0 && strncmp(id + 2, "15C", 3) != 0))
        return 0;
    for (i = 0; i < 15; i++)
        if (!isdigit((unsigned char)id[i]) && !isupper((unsigned char)id[i]))
            return 0;
    return 1;
}

int qpp_check_cehrt(const char *id, const char *method, int year, struct qpp_diags *d)
{
    size_t errors = d->count[QPP_ERROR];

    if (!id && strcmp(method, "electronicHealthRecord") == 0 && year >= 2025)
        qpp_diag(d, QPP_CEHRT_ID_MISSING, NULL, NULL,
                 "from 2025 CMS requires the CEHRT id on eCQM sets: give --cehrt-id");
    else if (id && !qpp_check_cehrt_form(id))
        qpp_diag(d, QPP_CEHRT_ID_INVALID, NULL, NULL,
                 "CEHRT id %s is not of CMS's forms 2025CXXXXXXXXXX or XX15CXXXXXXXXXX "
                 "(X a digit or capital letter)",
                 id);
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

static int in_set(const struct qpp_submission *s, const char *measure_id)
{
    size_t i;

    for (i = 0; measure_id && i < s->nmeasurements; i++)
        if (strcmp(s->measurements[i].measure_id, measure_id) == 0)
            return 1;
    return 0;
}

/* APP and APP Plus: every measure of the year's set (allowedPrograms names
 * the program) counts, a missing one at 0 points; a Medicare CQM (001SSP)
 * stands in for its companion (001).  CMS computes the CAHPS and claims
 * measures itself.  APP Plus names each missing measure (app-plus-missing);
 * APP, whose set is smaller than the six of traditional MIPS, says how many
 * of its own it lacks (few-measures). */
static void check_app_set(const struct qpp_catalog_year *y,
                          const struct qpp_submission *s, struct qpp_diags *d)
{
    const char *p = s->program;
    const int plus = strcmp(p, "appPlus") == 0;
    struct qpp_buf computed, missing;
    size_t i, required = 0, nmissing = 0;

    qpp_buf_init(&computed);
    qpp_buf_init(&missing);
    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        const int pair = m->companion && qpp_catalog_find(y, m->companion);

        if (!qpp_measure_has_program(m, p))
            continue;
        if (qpp_measure_is_cms_computed(m)) {
            qpp_buf_printf(&computed, "%s%s", computed.len ? ", " : "", m->id);
            continue;
        }
        if (qpp_check_app_alternative(y, m, p))
            continue; /* its companion names the pair */
        required++;
        if (in_set(s, m->id) || in_set(s, m->companion))
            continue;
        nmissing++;
        qpp_buf_printf(&missing, "%s%s", missing.len ? ", " : "", m->id);
        if (plus)
            qpp_diag(d, QPP_APP_PLUS_MISSING, NULL, NULL,
                     "the APP Plus set of %d requires measure %s%s%s%s; CMS scores it 0 "
                     "points when no set reports it",
                     s->year, m->id, pair ? " (or " : "", pair ? m->companion : "",
                     pair ? ")" : "");
    }
    if (!plus && nmissing)
        qpp_diag(d, QPP_FEW_MEASURES, NULL, NULL,
                 "%zu of the %zu measures of the APP set of %d; missing %s, which CMS "
                 "scores as zero when no set reports them",
                 required - nmissing, required, s->year, missing.s ? missing.s : "");
    if (computed.len)
        qpp_diag(d, QPP_CMS_COMPUTED, NULL, NULL,
                 "CMS computes the %s measures %s itself (CAHPS survey, administrative "
                 "claims); they are not submitted",
                 plus ? "APP Plus" : "APP", computed.s);
    if (computed.failed || missing.failed)
        qpp_diag_nomem(d);
    qpp_buf_free(&computed);
    qpp_buf_free(&missing);
}

int qpp_check_app_alternative(const struct qpp_catalog_year *y,
                              const struct qpp_measure *m, const char *program)
{
    const struct qpp_measure *c = m->companion ? qpp_catalog_find(y, m->companion) : NULL;

    /* Of a pair both in the set, the later id (001SSP) is the alternative. */
    return c && qpp_measure_has_program(c, program) && strcmp(c->id, m->id) < 0;
}

/* An MVP that offers an outcome measure the set's method can report needs
 * one (reference/qpp-output.md section 2: four measures, one outcome). */
static int check_mvp_outcome(const struct qpp_catalog_year *y,
                             const struct qpp_submission *s, int outcome,
                             struct qpp_diags *d)
{
    struct qpp_buf offered;
    size_t i;
    int rc = 0;

    if (outcome)
        return 0;
    qpp_buf_init(&offered);
    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        if (qpp_measure_has_program(m, s->program) && qpp_measure_is_outcome(m) &&
            qpp_measure_has_method(m, s->method) && !qpp_measure_is_cms_computed(m))
            qpp_buf_printf(&offered, "%s%s", offered.len ? ", " : "", m->id);
    }
    if (offered.len) {
        qpp_diag(d, QPP_MVP_NO_OUTCOME, NULL, NULL,
                 "no outcome measure; MVP %s offers %s by %s, and CMS asks for one",
                 s->program, offered.s, s->method);
        rc = 1;
    }
    if (offered.failed)
        qpp_diag_nomem(d);
    qpp_buf_free(&offered);
    return rc;
}

void qpp_check_set(const struct qpp_catalog_year *y, const struct qpp_submission *s,
                   int whole_set, struct qpp_diags *d)
{
    int outcome = 0;
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
        if (qpp_measure_is_outcome(m))
            outcome = 1;
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
    if (strcmp(s->program, "appPlus") == 0 || strcmp(s->program, "app1") == 0) {
        check_app_set(y, s, d);
        return; /* APP has its own set, not six of the clinician's choice */
    }
    target = qpp_program_is_mvp(s->program) ? MVP_MEASURE_TARGET : MEASURE_TARGET;
    if (s->nmeasurements < target)
        qpp_diag(d, QPP_FEW_MEASURES, NULL, NULL,
                 "%zu quality measures; CMS expects %zu, and scores missing ones as zero",
                 s->nmeasurements, target);
    if (qpp_program_is_mvp(s->program) && check_mvp_outcome(y, s, outcome, d))
        return;
    if (s->nmeasurements > 0 && !high)
        qpp_diag(d, QPP_NO_HIGH_PRIORITY, NULL, NULL,
                 "no outcome or high-priority measure; CMS expects at least one");
}
