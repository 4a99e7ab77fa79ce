/* SPDX-License-Identifier: MIT */
/* MeasureReport reading; see report.h. */
#include "report.h"

#include <ctype.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "map.h"
#include "summary.h"
#include "util.h"

#define POPULATION_SYSTEM "http://terminology.hl7.org/CodeSystem/measure-population"
/* The STU3-era address of the same code system, still written by some. */
#define LEGACY_POPULATION_SYSTEM "http://hl7.org/fhir/measure-population"
/* The cqf-measures test-case marker, at its old (MADiE) and current address. */
static const char *const test_case_urls[] = {
    "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-isTestCase",
    "http://hl7.org/fhir/uv/cqfmeasures/StructureDefinition/cqfm-isTestCase",
};

const char *const qpp_pop_code[QPP_NPOP] = {
    "initial-population",    "denominator", "denominator-exclusion",
    "denominator-exception", "numerator",   "numerator-exclusion",
};

static const char *const type_names[] = {"summary", "individual", "subject-list",
                                         "data-collection"};

const char *qpp_report_type_name(enum qpp_report_type t)
{
    return type_names[t];
}

struct qpp_place qpp_report_place(const struct qpp_report *r)
{
    struct qpp_place at = {r->source, r->line, r->column, r->name,
                           r->id ? NULL : r->base};

    return at;
}

/* A report's strings and groups are kept in a few blocks of its own, not
 * one allocation each: reports are many, and are often freed by another
 * thread than the one that read them. */
struct qpp_report_block {
    struct qpp_report_block *next;
    size_t cap, used;
    max_align_t bytes[]; /* cap bytes */
};

#define FIRST_BLOCK 512
#define MAX_BLOCK   ((size_t)1 << 16) /* but for one larger allocation */

/* n bytes of the report's, at a multiple of align (a power of two). */
static void *report_alloc(struct qpp_report *r, size_t n, size_t align)
{
    struct qpp_report_block *b = r->blocks;
    size_t at = b ? (b->used + align - 1) & ~(align - 1) : 0;

    if (!b || at > b->cap || b->cap - at < n) {
        size_t cap = b && b->cap < MAX_BLOCK ? 2 * b->cap : b ? MAX_BLOCK : FIRST_BLOCK;

        if (cap < n)
            cap = n;
        if (!(b = qpp_malloc(sizeof *b + cap)))
            return NULL;
        b->cap = cap;
        b->next = r->blocks;
        r->blocks = b;
        at = 0;
    }
    b->used = at + n;
    return (char *)b->bytes + at;
}

/* A copy of s[0..n) among the report's strings. */
static char *report_strndup(struct qpp_report *r, const char *s, size_t n)
{
    char *d = report_alloc(r, n + 1, 1);

    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

static char *report_strdup(struct qpp_report *r, const char *s)
{
    return report_strndup(r, s, strlen(s));
}

void qpp_report_free(struct qpp_report *r)
{
    size_t i;

    if (!r)
        return;
    for (i = 0; i < r->nvariants; i++)
        qpp_report_free(r->variants[i]);
    qpp_free(r->variants);
    qpp_hashset_free(&r->periods);
    qpp_hashset_free(&r->subjects);
    qpp_free(r->over_where);
    qpp_partial_free(r->partial);
    while (r->blocks) {
        struct qpp_report_block *b = r->blocks;
        r->blocks = b->next;
        qpp_free(b);
    }
    qpp_free(r);
}

static void problem(struct qpp_report *r, struct qpp_diags *d, enum qpp_code code,
                    const char *ptr, const char *fmt, const char *arg)
{
    struct qpp_place at = qpp_report_place(r);

    qpp_diag(d, code, &at, ptr, fmt, arg);
    if (qpp_code_severity(code) == QPP_ERROR)
        r->invalid = 1;
}

static void read_type(struct qpp_report *r, const struct qpp_jv *mr, struct qpp_diags *d)
{
    const char *t = qpp_jv_string(qpp_jv_get(mr, "type"));
    size_t i;

    for (i = 0; t && i < sizeof type_names / sizeof type_names[0]; i++) {
        if (strcmp(t, type_names[i]) == 0) {
            r->type = (enum qpp_report_type)i;
            return;
        }
    }
    problem(r, d, QPP_REPORT_INVALID, "/type", "%s",
            t ? "type is not summary, individual, subject-list or data-collection"
              : "type is missing or not a string");
}

static int read_period(struct qpp_report *r, const struct qpp_jv *mr, struct qpp_diags *d)
{
    const struct qpp_jv *p = qpp_jv_get(mr, "period");
    const char *s = qpp_jv_string(qpp_jv_get(p, "start"));
    const char *e = qpp_jv_string(qpp_jv_get(p, "end"));
    int ok = 1;

    if (!qpp_jv_is(p, QPP_J_OBJECT) || !s || !e) {
        problem(r, d, QPP_PERIOD_MISSING, qpp_jv_is(p, QPP_J_OBJECT) ? "/period" : NULL,
                "%s", "the report's period needs a start and an end");
        return 0;
    }
    if (qpp_when_parse(s, 0, &r->start) < 0) {
        problem(r, d, QPP_PERIOD_INVALID, "/period/start",
                "not a FHIR date or dateTime: %s", s);
        ok = 0;
    }
    if (qpp_when_parse(e, 1, &r->end) < 0) {
        problem(r, d, QPP_PERIOD_INVALID, "/period/end",
                "not a FHIR date or dateTime: %s", e);
        ok = 0;
    }
    if (ok && r->start.instant > r->end.instant) {
        problem(r, d, QPP_PERIOD_REVERSED, "/period", "%s",
                "the period ends before it starts");
        ok = 0;
    }
    r->has_period = ok;
    if (ok && (!(r->period_start = report_strdup(r, s)) ||
               !(r->period_end = report_strdup(r, e))))
        return -1;
    return 0;
}

/* qppbuild's partial sum (summary.h): a summary of many reports. */
static int read_partial(struct qpp_report *r, const struct qpp_jv *mr,
                        struct qpp_diags *d)
{
    struct qpp_place at = qpp_report_place(r);
    int rc = qpp_partial_read(mr, &at, &r->partial, d);

    if (rc < 0)
        return -1;
    if (rc > 0)
        r->invalid = 1;
    if (r->partial && r->type != QPP_REPORT_SUMMARY)
        problem(r, d, QPP_REPORT_INVALID, "/type", "%s",
                "a partial sum must be a summary report");
    if (r->partial) {
        r->nreports = r->partial->nreports;
        r->ntest = r->partial->ntest;
    }
    return 0;
}

static int is_test_case_url(const char *url)
{
    size_t i;

    for (i = 0; url && i < sizeof test_case_urls / sizeof test_case_urls[0]; i++)
        if (strcmp(url, test_case_urls[i]) == 0)
            return 1;
    return 0;
}

static void read_modifiers(struct qpp_report *r, const struct qpp_jv *mr,
                           struct qpp_diags *d)
{
    const struct qpp_jv *mods = qpp_jv_get(mr, "modifierExtension"), *m;
    size_t i;
    char ptr[48];

    if (!mods)
        return;
    if (!qpp_jv_is(mods, QPP_J_ARRAY)) {
        problem(r, d, QPP_REPORT_INVALID, "/modifierExtension", "%s", "not an array");
        return;
    }
    qpp_jv_foreach(mods, i, m)
    {
        const char *url = qpp_jv_string(qpp_jv_get(m, "url"));

        snprintf(ptr, sizeof ptr, "/modifierExtension/%zu", i);
        if (is_test_case_url(url) && qpp_jv_is_boolean(qpp_jv_get(m, "valueBoolean"))) {
            if (qpp_jv_is(qpp_jv_get(m, "valueBoolean"), QPP_J_TRUE))
                r->test_case = 1;
            continue;
        }
        /* FHIR: a modifier that is not understood must not be ignored. */
        problem(r, d, QPP_UNKNOWN_MODIFIER, ptr, "modifier extension not understood: %s",
                url ? url : "(no url)");
    }
}

/* 1 when code a is b but for case and surrounding white space. */
static int near_code(const char *a, const char *b)
{
    while (isspace((unsigned char)*a))
        a++;
    for (; *a && *b; a++, b++)
        if (tolower((unsigned char)*a) != tolower((unsigned char)*b))
            return 0;
    while (isspace((unsigned char)*a))
        a++;
    return *a == *b;
}

/* The identifier (borrowed) to name an Organization or Practitioner by:
 * its TIN, else its NPI, else its first with a system and value. */
static const struct qpp_jv *naming_identifier(const struct qpp_jv *idents)
{
    static const char *const systems[] = {"urn:oid:2.16.840.1.113883.4.4",
                                          "http://hl7.org/fhir/sid/us-npi"};
    const struct qpp_jv *id, *first = NULL;
    size_t i, k;

    for (k = 0; k < 2; k++)
        qpp_jv_foreach(idents, i, id)
        {
            if (qpp_streq(qpp_jv_string(qpp_jv_get(id, "system")), systems[k]))
                return id;
        }
    qpp_jv_foreach(idents, i, id)
    {
        if (!first && qpp_jv_string(qpp_jv_get(id, "system")) &&
            qpp_jv_string(qpp_jv_get(id, "value")))
            first = id;
    }
    return first;
}

/* What the report's reporter names, as one string to compare reporters by:
 * "Type/id" for a literal reference (relative or absolute, no version),
 * "Type?identifier=system|value" for a conditional reference, a logical
 * reference (reporter.identifier) or a contained resource with an
 * identifier; otherwise the reference as written ("urn:uuid:...", "#id")
 * or "(display only)"; set as r->reporter (left NULL without a reporter).
 * -1 when out of memory. */
static int reporter_key(struct qpp_report *r, const struct qpp_jv *mr)
{
    const struct qpp_jv *rep = qpp_jv_get(mr, "reporter"), *ident = NULL, *c;
    const char *ref = qpp_jv_string(qpp_jv_get(rep, "reference"));
    const char *type = qpp_jv_string(qpp_jv_get(rep, "type"));
    char buf[160];
    size_t i;
    struct qpp_buf b;

    if (!qpp_jv_is(rep, QPP_J_OBJECT))
        return 0;
    if (ref && qpp_ref_type_id(ref, buf, sizeof buf))
        return (r->reporter = report_strdup(r, buf)) ? 0 : -1;
    if (ref && ref[0] == '#') {
        qpp_jv_foreach(qpp_jv_get(mr, "contained"), i, c)
        {
            if (qpp_streq(qpp_jv_string(qpp_jv_get(c, "id")), ref + 1)) {
                ident = naming_identifier(qpp_jv_get(c, "identifier"));
                type = qpp_jv_string(qpp_jv_get(c, "resourceType"));
            }
        }
    } else if (!ref) {
        ident = qpp_jv_get(rep, "identifier");
    }
    qpp_buf_init(&b);
    if (ident && qpp_jv_string(qpp_jv_get(ident, "value")))
        qpp_buf_printf(&b, "%s?identifier=%s|%s", type ? type : "Organization",
                       qpp_jv_string(qpp_jv_get(ident, "system"))
                           ? qpp_jv_string(qpp_jv_get(ident, "system"))
                           : "",
                       qpp_jv_string(qpp_jv_get(ident, "value")));
    else
        qpp_buf_add(&b, ref ? ref : "(display only)");
    r->reporter = b.failed ? NULL : report_strndup(r, b.s, b.len);
    qpp_buf_free(&b);
    return r->reporter ? 0 : -1;
}

/* The population code of p, or -1 when p is not a proportion population.
 * Codes are matched exactly (FHIR codes are case-sensitive); the legacy
 * system is read with a warning.  A near match is an error, as ignoring it
 * would turn exclusions into "not met" (reference/fhir-semantics.md section
 * 10): a code that differs from a known one only in case or surrounding
 * spaces, or a known code under no system or another one (https, a
 * |version suffix). */
static int population_code(struct qpp_report *r, const struct qpp_jv *p, const char *ptr,
                           struct qpp_diags *d)
{
    const struct qpp_jv *codings = qpp_jv_get(qpp_jv_get(p, "code"), "coding"), *c;
    size_t i;
    int k;

    qpp_jv_foreach(codings, i, c)
    {
        const char *code = qpp_jv_string(qpp_jv_get(c, "code"));
        const char *system = qpp_jv_string(qpp_jv_get(c, "system"));
        int legacy = qpp_streq(system, LEGACY_POPULATION_SYSTEM);

        if (!code || (!legacy && !qpp_streq(system, POPULATION_SYSTEM)))
            continue;
        for (k = 0; k < QPP_NPOP; k++) {
            if (strcmp(code, qpp_pop_code[k]) == 0) {
                if (legacy)
                    problem(r, d, QPP_POPULATION_SYSTEM_LEGACY, ptr,
                            "%s is read from the legacy system "
                            "http://hl7.org/fhir/measure-population; FHIR R4's is "
                            "http://terminology.hl7.org/CodeSystem/measure-population",
                            qpp_pop_code[k]);
                return k;
            }
        }
    }
    qpp_jv_foreach(codings, i, c)
    {
        const char *code = qpp_jv_string(qpp_jv_get(c, "code"));
        const char *system = qpp_jv_string(qpp_jv_get(c, "system"));
        int ours = qpp_streq(system, LEGACY_POPULATION_SYSTEM) ||
                   qpp_streq(system, POPULATION_SYSTEM);
        char msg[320];

        for (k = 0; code && k < QPP_NPOP; k++) {
            if (ours && near_code(code, qpp_pop_code[k])) {
                snprintf(msg, sizeof msg,
                         "population code \"%.40s\" is not %s: FHIR codes are "
                         "case-sensitive, and a population left out would change the "
                         "counts",
                         code, qpp_pop_code[k]);
                problem(r, d, QPP_POPULATION_CODE_CASE, ptr, "%s", msg);
                return -1;
            }
            if (!ours && near_code(code, qpp_pop_code[k])) {
                snprintf(msg, sizeof msg,
                         "population code %s has %s%.80s%s, not "
                         "http://terminology.hl7.org/CodeSystem/measure-population: a "
                         "population left out would change the counts",
                         qpp_pop_code[k], system ? "system \"" : "no system",
                         system ? system : "", system ? "\"" : "");
                problem(r, d, QPP_POPULATION_SYSTEM_UNKNOWN, ptr, "%s", msg);
                return -1;
            }
        }
    }
    return -1;
}

/* A subject-list report's population may name a contained List of its
 * subjects.  The count is what is submitted, and a List may be cut short
 * (reference/fhir-semantics.md section 4), but a List naming more subjects
 * than the count means the report contradicts itself. */
static void check_subject_list(struct qpp_report *r, const struct qpp_jv *mr,
                               const struct qpp_jv *p, int k, const char *ptr,
                               struct qpp_diags *d)
{
    const char *ref =
        qpp_jv_string(qpp_jv_get(qpp_jv_get(p, "subjectResults"), "reference"));
    const struct qpp_jv *c;
    size_t i, n;
    char msg[160];

    if (r->type != QPP_REPORT_SUBJECT_LIST || !ref || ref[0] != '#')
        return;
    qpp_jv_foreach(qpp_jv_get(mr, "contained"), i, c)
    {
        if (!qpp_streq(qpp_jv_string(qpp_jv_get(c, "resourceType")), "List") ||
            !qpp_streq(qpp_jv_string(qpp_jv_get(c, "id")), ref + 1))
            continue;
        n = qpp_jv_size(qpp_jv_get(c, "entry"));
        if ((long long)n > qpp_jv_integer(qpp_jv_get(p, "count"))) {
            snprintf(msg, sizeof msg,
                     "%s counts %lld but its List #%.40s names %zu subjects",
                     qpp_pop_code[k], qpp_jv_integer(qpp_jv_get(p, "count")), ref + 1, n);
            problem(r, d, QPP_SUBJECT_LIST_COUNT, ptr, "%s", msg);
        }
        return;
    }
}

static int read_group(struct qpp_report *r, const struct qpp_jv *mr,
                      const struct qpp_jv *g, size_t gi, struct qpp_group *out,
                      struct qpp_diags *d)
{
    const struct qpp_jv *pops = qpp_jv_get(g, "population"), *p;
    const char *id = qpp_jv_string(qpp_jv_get(g, "id"));
    char ptr[96];
    size_t i;

    snprintf(ptr, sizeof ptr, "/group/%zu", gi);
    if (!qpp_jv_is(g, QPP_J_OBJECT)) {
        problem(r, d, QPP_REPORT_INVALID, ptr, "%s", "group is not an object");
        return 0;
    }
    if (id && !(out->id = report_strdup(r, id)))
        return -1;
    snprintf(ptr, sizeof ptr, "/group/%zu/population", gi);
    if (!qpp_jv_is(pops, QPP_J_ARRAY)) {
        problem(r, d, QPP_REPORT_INVALID, ptr, "%s",
                pops ? "population is not an array" : "group has no population");
        return 0;
    }
    qpp_jv_foreach(pops, i, p)
    {
        const struct qpp_jv *count = qpp_jv_get(p, "count");
        int k;

        snprintf(ptr, sizeof ptr, "/group/%zu/population/%zu", gi, i);
        if (!qpp_jv_is(p, QPP_J_OBJECT)) {
            problem(r, d, QPP_REPORT_INVALID, ptr, "%s", "population is not an object");
            continue;
        }
        k = population_code(r, p, ptr, d);
        if (k < 0)
            continue; /* not a proportion population: ignored */
        if (out->present & (1u << k)) {
            problem(r, d, QPP_DUPLICATE_POPULATION, ptr, "%s appears twice in the group",
                    qpp_pop_code[k]);
            continue;
        }
        out->present |= 1u << k;
        snprintf(ptr, sizeof ptr, "/group/%zu/population/%zu/count", gi, i);
        if (!count) {
            problem(r, d, QPP_COUNT_MISSING, ptr, "%s has no count; taken as 0",
                    qpp_pop_code[k]);
        } else if (!qpp_jv_is(count, QPP_J_INTEGER)) {
            problem(r, d, QPP_COUNT_NOT_INTEGER, ptr, "%s count is not an integer",
                    qpp_pop_code[k]);
        } else if (qpp_jv_integer(count) < 0) {
            problem(r, d, QPP_NEGATIVE_COUNT, ptr, "%s count is negative",
                    qpp_pop_code[k]);
        } else {
            out->count[k] = qpp_jv_integer(count);
            check_subject_list(r, mr, p, k, ptr, d);
        }
    }
    return 0;
}

static int read_groups(struct qpp_report *r, const struct qpp_jv *mr, struct qpp_diags *d)
{
    const struct qpp_jv *groups = qpp_jv_get(mr, "group"), *g;
    size_t i;

    if (r->type == QPP_REPORT_DATA_COLLECTION)
        return 0; /* carries data, not counts */
    if (!qpp_jv_is(groups, QPP_J_ARRAY) || qpp_jv_size(groups) == 0) {
        problem(r, d, QPP_REPORT_INVALID, groups ? "/group" : NULL, "%s",
                groups ? "group is not a non-empty array" : "the report has no group");
        return 0;
    }
    r->groups = report_alloc(r, qpp_jv_size(groups) * sizeof *r->groups,
                             alignof(struct qpp_group));
    if (!r->groups)
        return -1;
    memset(r->groups, 0, qpp_jv_size(groups) * sizeof *r->groups);
    r->ngroups = qpp_jv_size(groups);
    qpp_jv_foreach(groups, i, g)
    {
        if (read_group(r, mr, g, i, &r->groups[i], d) < 0)
            return -1;
    }
    return 0;
}

/* "MeasureReport/id", or "MeasureReport" without an id. */
static char *make_name(struct qpp_report *r, const char *id)
{
    static const char type[] = "MeasureReport";
    size_t n = id ? strlen(id) : 0;
    char *d = report_alloc(r, sizeof type + (id ? 1 + n : 0), 1);

    if (d) {
        memcpy(d, type, sizeof type);
        if (id) {
            d[sizeof type - 1] = '/';
            memcpy(d + sizeof type, id, n + 1);
        }
    }
    return d;
}

int qpp_report_read(const struct qpp_jv *mr, const struct qpp_place *at,
                    struct qpp_report **out, struct qpp_diags *d)
{
    struct qpp_report *r = qpp_calloc(1, sizeof *r);
    const char *id = qpp_jv_string(qpp_jv_get(mr, "id"));
    const char *measure = qpp_jv_string(qpp_jv_get(mr, "measure"));
    const char *status = qpp_jv_string(qpp_jv_get(mr, "status"));
    const struct qpp_jv *subj = qpp_jv_get(mr, "subject");
    const char *subject = qpp_jv_string(qpp_jv_get(subj, "reference"));
    char key[160];

    *out = NULL;
    if (!r)
        return -1;
    r->line = at->line;
    r->column = at->column;
    r->nreports = 1;
    if ((id && !(r->id = report_strdup(r, id))) || !(r->name = make_name(r, id)) ||
        (at->source && !(r->source = report_strdup(r, at->source))) ||
        (at->pointer && !(r->base = report_strdup(r, at->pointer))) ||
        (measure && !(r->measure = report_strdup(r, measure))) ||
        reporter_key(r, mr) < 0 ||
        (subject && !(r->subject = report_strdup(
                          r, qpp_ref_type_id(subject, key, sizeof key) ? key : subject))))
        goto nomem;
    if (r->id)
        r->id_key = qpp_hashset_key(r->id, strlen(r->id), 1);
    if (!subject && qpp_jv_get(subj, "identifier")) {
        /* Kept to tell patients apart, never shown in a message. */
        const struct qpp_jv *ident = qpp_jv_get(subj, "identifier");
        const char *system = qpp_jv_string(qpp_jv_get(ident, "system"));
        const char *value = qpp_jv_string(qpp_jv_get(ident, "value"));
        struct qpp_buf b;

        qpp_buf_init(&b);
        qpp_buf_printf(&b, "identifier %s|%s", system ? system : "", value ? value : "");
        r->subject = b.failed ? NULL : report_strndup(r, b.s, b.len);
        qpp_buf_free(&b);
        if (!r->subject)
            goto nomem;
        r->subject_by_identifier = 1;
    }
    if (r->subject)
        r->subject_key = qpp_hashset_key(r->subject, strlen(r->subject), 2);
    /* A subject that is not a Reference would count as a report without a
     * subject, and escape the check for a patient counted twice. */
    if (subj &&
        (!qpp_jv_is(subj, QPP_J_OBJECT) || (qpp_jv_get(subj, "reference") && !subject) ||
         (!qpp_jv_get(subj, "reference") && !qpp_jv_get(subj, "identifier"))))
        problem(r, d, QPP_REPORT_INVALID, "/subject", "%s",
                "subject is not a Reference with a reference string or an identifier");
    if (!measure || !*measure)
        problem(r, d, QPP_REPORT_INVALID, "/measure", "%s",
                "the report names no Measure (measure is missing or not a string)");
    /* FHIR: status is required; "error" means the evaluation failed, so its
     * counts are not data; "pending" means they may still change. */
    if (!status || (strcmp(status, "complete") != 0 && strcmp(status, "pending") != 0 &&
                    strcmp(status, "error") != 0))
        problem(r, d, QPP_STATUS_INVALID, "/status", "%s",
                !qpp_jv_get(mr, "status")
                    ? "the report has no status: whether its counts are final is unknown"
                    : "status is not complete, pending or error");
    else if (qpp_streq(status, "error"))
        problem(r, d, QPP_REPORT_STATUS_ERROR, "/status", "%s",
                "the report's status is error: its counts are not usable");
    else if (strcmp(status, "complete") != 0)
        problem(r, d, QPP_REPORT_NOT_COMPLETE, "/status", "the report's status is %s",
                status);
    read_modifiers(r, mr, d);
    r->ntest = (size_t)r->test_case;
    read_type(r, mr, d);
    if (read_period(r, mr, d) < 0 || read_partial(r, mr, d) < 0 ||
        read_groups(r, mr, d) < 0)
        goto nomem;
    *out = r;
    return 0;
nomem:
    qpp_report_free(r);
    return -1;
}

int qpp_report_judge(struct qpp_report *r, int counts, int registry, struct qpp_diags *d)
{
    size_t i;
    int k;

    if (r->type != QPP_REPORT_INDIVIDUAL || r->invalid)
        return 0;
    for (i = 0; i < r->ngroups; i++) {
        const struct qpp_group *g = &r->groups[i];
        struct qpp_value v;
        struct qpp_buf why;
        enum qpp_code code;
        char ptr[32];

        qpp_buf_init(&why);
        code = qpp_map_group(g, (enum qpp_counts)counts, registry, &v, &why);
        if (why.failed) {
            qpp_buf_free(&why);
            return -1;
        }
        /* A group that is no proportion is said once, of the sum. */
        if (code != QPP_NCODES && code != QPP_NOT_PROPORTION) {
            snprintf(ptr, sizeof ptr, "/group/%zu", i);
            problem(r, d, code, ptr, "this individual report, on its own: %s", why.s);
        }
        qpp_buf_free(&why);
        for (k = 0; k < QPP_NPOP; k++) {
            if (g->count[k] <= 1)
                continue;
            if (!r->nover) {
                r->over_group = i;
                r->over_pop = k;
                r->over_count = g->count[k];
            }
            r->nover = 1;
            r->over_groups |= i < 32 ? 1u << i : 0;
        }
    }
    return 0;
}

int qpp_report_match_groups(const struct qpp_group *a, size_t na,
                            const struct qpp_group *b, size_t nb, size_t *perm)
{
    size_t i, k, named = 0, aid = 0, bid = 0;

    if (na != nb)
        return -1;
    for (i = 0; i < nb; i++) {
        perm[i] = i;
        named += a[i].id && b[i].id;
        aid += a[i].id != NULL;
        bid += b[i].id != NULL;
    }
    /* Ids on one side only: the named side may list its groups in another
     * order than the Measure's, so positions prove nothing (review finding:
     * met moved between strata with the file order). */
    if (nb > 1 && (aid == nb) != (bid == nb))
        return -1;
    if (named < nb)
        return 0; /* by position */
    for (i = 0; i < nb; i++) {
        for (k = 0; k < i; k++)
            if (qpp_streq(a[k].id, a[i].id) || qpp_streq(b[k].id, b[i].id))
                return 0; /* an id twice settles nothing: by position */
    }
    for (i = 0; i < nb; i++) {
        for (k = 0; k < na && !qpp_streq(a[k].id, b[i].id); k++)
            ;
        if (k == na)
            return -1;
        perm[i] = k;
    }
    return 0;
}
