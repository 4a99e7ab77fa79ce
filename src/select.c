/* SPDX-License-Identifier: MIT */
/* Which reports count and why; see select.h. */
#include "select.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "util.h"

int qpp_select_check(const struct qpp_index *ix, const struct qpp_options *o,
                     struct qpp_diags *d)
{
    size_t i;

    for (i = 0; i < o->nreport_ids; i++)
        if (!ix->report_found[i])
            qpp_diag(d, QPP_REPORT_NOT_FOUND, NULL, NULL,
                     "the input holds no MeasureReport/%s", o->report_ids[i]);
    /* After errors in the input, "no reports" would only repeat them. */
    if (ix->nreports == 0 && qpp_diags_errors(d) == 0)
        qpp_diag(d, QPP_NO_REPORTS, NULL, NULL,
                 "no MeasureReport with counts to convert");
    return ix->nreports ? 0 : -1;
}

/* How a report's reporter (report.c's reporter key) relates to the chosen
 * Organization. */
enum reporter_kind {
    REP_OURS,      /* the chosen Organization, or no reporter */
    REP_OTHER,     /* clearly another Organization (or clinician) */
    REP_CLINICIAN, /* a Practitioner(Role) named by reference */
    REP_UNKNOWN    /* nothing to tell which (urn:uuid, display only, ...) */
};

/* 1 when an identifier list (borrowed) has system|value, the n bytes at sv;
 * *same_system set when it has an identifier of that system. */
static int has_identifier(json_t *idents, const char *sv, size_t n, int *same_system)
{
    const char *bar = memchr(sv, '|', n);
    json_t *id;
    size_t i, ns = bar ? (size_t)(bar - sv) : 0;

    json_array_foreach(idents, i, id)
    {
        const char *sys = json_string_value(json_object_get(id, "system"));
        const char *val = json_string_value(json_object_get(id, "value"));
        if (!bar || !sys || !val || strlen(sys) != ns || strncmp(sys, sv, ns) != 0)
            continue;
        *same_system = 1;
        if (strlen(val) == n - ns - 1 && strncmp(val, bar + 1, n - ns - 1) == 0)
            return 1;
    }
    return 0;
}

static enum reporter_kind reporter_kind(const char *key, const struct qpp_resource *org)
{
    const char *q, *sv;
    size_t n;
    int same_system = 0;

    if (!key)
        return REP_OURS;
    if ((q = qpp_ref_id(key, "Organization")) != NULL && !strchr(key, '?'))
        return qpp_streq(q, org->id) ? REP_OURS : REP_OTHER;
    if (!strchr(key, '?') &&
        (qpp_ref_id(key, "Practitioner") || qpp_ref_id(key, "PractitionerRole")))
        return REP_CLINICIAN;
    /* By identifier: "Type?...identifier=system|value...". */
    if (!(q = strchr(key, '?')) || !(sv = strstr(q, "identifier=")))
        return REP_UNKNOWN;
    sv += 11;
    n = strcspn(sv, "&");
    if (has_identifier(json_object_get(org->json, "identifier"), sv, n, &same_system))
        return REP_OURS;
    /* Another TIN or NPI, or another value of a system the Organization
     * uses, is another entity; an identifier of an unknown system is not
     * evidence either way. */
    if (same_system || strncmp(sv, "urn:oid:2.16.840.1.113883.4.4|", 30) == 0 ||
        strncmp(sv, "http://hl7.org/fhir/sid/us-npi|", 31) == 0)
        return REP_OTHER;
    return REP_UNKNOWN;
}

int qpp_select_reporters(const struct qpp_index *ix, const struct qpp_options *o,
                         const struct qpp_resource *org, struct qpp_diags *d)
{
    json_t *others = json_object(), *e; /* Organization id -> [reports, measures] */
    const char *id, *first = NULL, *second = NULL, *clinician = NULL, *clinician2 = NULL;
    size_t i, kept = 0;
    int rc = 0;

    if (!others)
        return -1;
    if (org && !org->id)
        org = NULL; /* no id to compare: the reporters must agree */
    for (i = 0; i < ix->nreports && !o->nreport_ids; i++) {
        struct qpp_report *r = ix->reports[i];
        enum reporter_kind k;

        if (!r->reporter) {
            kept++;
            continue;
        }
        if (!org) {
            /* No Organization to compare with: one reporter, or say so. */
            if (!first)
                first = r->reporter;
            else if (!second && !qpp_streq(first, r->reporter))
                second = r->reporter;
            continue;
        }
        k = reporter_kind(r->reporter, org);
        if (k == REP_CLINICIAN) {
            /* A clinician of the entity; one NPI is one clinician. */
            kept++;
            if (!clinician)
                clinician = r->reporter;
            else if (!clinician2 && !qpp_streq(clinician, r->reporter))
                clinician2 = r->reporter;
            continue;
        }
        if (k == REP_UNKNOWN) {
            struct qpp_place at = qpp_report_place(r);
            qpp_diag(d, QPP_REPORTER_UNRESOLVED, &at, "/reporter",
                     "cannot tell whether the reporter (%.120s) is %s or another "
                     "Organization: qppbuild resolves Organization/id references and "
                     "TIN or NPI identifiers; choose the reports with -r",
                     r->reporter, org->name);
            continue;
        }
        if (k == REP_OURS) {
            kept++;
            continue;
        }
        r->left_out = 1;
        e = json_object_get(others, r->reporter);
        if (!e) {
            e = json_pack("[I,[]]", (json_int_t)0);
            if (!e || json_object_set_new(others, r->reporter, e) < 0) {
                rc = -1;
                break;
            }
        }
        json_array_set_new(e, 0,
                           json_integer(json_integer_value(json_array_get(e, 0)) +
                                        (json_int_t)r->nreports));
        if (r->measure && json_array_size(json_array_get(e, 1)) < 3)
            json_array_append_new(json_array_get(e, 1), json_string(r->measure));
    }
    if (second)
        qpp_diag(d, QPP_ORGANIZATION_AMBIGUOUS, NULL, NULL,
                 "the reports name different reporters (%s, %s, ...) and no Organization "
                 "is chosen to keep apart: give the Organization with -O, or choose the "
                 "reports with -r",
                 first, second);
    if (clinician2 && qpp_streq(o->entity_type, "individual"))
        qpp_diag(d, QPP_REPORTER_AMBIGUOUS, NULL, NULL,
                 "the reports name different clinicians (%s, %s, ...) as reporter, and "
                 "an individual submission is one clinician's (one NPI): choose one "
                 "clinician's reports with -r",
                 clinician, clinician2);
    json_object_foreach(others, id, e)
    {
        struct qpp_buf b;
        size_t k;
        json_t *m;

        qpp_buf_init(&b);
        json_array_foreach(json_array_get(e, 1), k, m)
        {
            qpp_buf_printf(&b, "%s%s", k ? ", " : "", json_string_value(m));
        }
        qpp_diag(d, QPP_REPORTER_OTHER, NULL, NULL,
                 "%lld report(s) name %s as reporter, not %s: left out "
                 "(of %s%s)",
                 (long long)json_integer_value(json_array_get(e, 0)), id,
                 org ? org->name : "the entity's Organization", b.s ? b.s : "",
                 json_array_size(json_array_get(e, 1)) >= 3 ? ", ..." : "");
        qpp_buf_free(&b);
    }
    if (rc == 0 && org && !kept && json_object_size(others)) {
        qpp_diag(d, QPP_NO_REPORTS, NULL, NULL,
                 "every report names another Organization than %s as reporter: "
                 "nothing to submit for it",
                 org->name);
        rc = 1;
    }
    json_decref(others);
    return rc;
}

/* The years the reports' periods end in: each with its first report and
 * how many name it, for the message. */
struct years {
    int year[8];
    const struct qpp_report *first[8];
    size_t count[8];
    int n;
};

/* Add the year r's period ends in. */
static void note_year(const struct qpp_report *r, struct years *ys)
{
    int k, y = r->end.local.year;

    if (!r->has_period)
        return;
    for (k = 0; k < ys->n && ys->year[k] != y; k++)
        ;
    if (k == ys->n && ys->n < 8) {
        ys->year[ys->n] = y;
        ys->first[ys->n] = r;
        ys->count[ys->n++] = 0;
    }
    if (k < ys->n)
        ys->count[k]++;
}

int qpp_select_year(const struct qpp_index *ix, const struct qpp_options *o, int *year,
                    struct qpp_diags *d)
{
    struct years ys;
    int k;
    size_t i;

    if (o->year) {
        *year = o->year;
        return 0;
    }
    ys.n = 0;
    for (i = 0; i < ix->nreports; i++) {
        const struct qpp_report *r = ix->reports[i];
        size_t v;

        if (r->left_out)
            continue;
        note_year(r, &ys);
        for (v = 0; v < r->nvariants; v++)
            note_year(r->variants[v], &ys);
    }
    if (ys.n == 1) {
        *year = ys.year[0];
        return 0;
    }
    if (ys.n == 0) {
        qpp_diag(
            d, QPP_YEAR_UNKNOWN, NULL, NULL,
            "no report has a valid period to take the performance year from; give -y");
    } else {
        struct qpp_buf b;
        qpp_buf_init(&b);
        for (k = 0; k < ys.n; k++) {
            const struct qpp_report *f = ys.first[k];
            qpp_buf_printf(&b, "%s%d (%s", k ? "; " : "", ys.year[k], f->name);
            if (f->source && f->line > 0)
                qpp_buf_printf(&b, " at %s:%d", f->source, f->line);
            else if (f->source)
                qpp_buf_printf(&b, " in %s", f->source);
            if (ys.count[k] > 1)
                qpp_buf_printf(&b, " and %zu more", ys.count[k] - 1);
            qpp_buf_add(&b, ")");
        }
        qpp_diag(d, QPP_YEAR_AMBIGUOUS, NULL, NULL,
                 "the reports' periods end in different years: %s; choose one with -y "
                 "(or -r to keep the reports of one year)",
                 b.s ? b.s : "");
        if (b.failed) /* the message lacks its evidence */
            qpp_diag_nomem(d);
        qpp_buf_free(&b);
    }
    return -1;
}

void qpp_select_free(struct qpp_select *sel)
{
    size_t i;

    for (i = 0; i < sel->nresolved; i++) {
        qpp_free(sel->resolved[i].canonical);
        qpp_free(sel->resolved[i].version);
    }
    qpp_free(sel->resolved);
    qpp_hashset_free(&sel->resolved_at);
    qpp_hashset_free(&sel->first_version);
    qpp_hashset_free(&sel->other_version);
    sel->resolved = NULL;
    sel->nresolved = sel->capresolved = 0;
}

/* The Measures of the input whose url is url; *n receives how many. */
static const struct qpp_resource *measure_by_url(const struct qpp_index *ix,
                                                 const char *url, const char *version,
                                                 size_t *n)
{
    const struct qpp_resource *found = NULL;
    size_t i;

    *n = 0;
    for (i = 0; i < ix->nres[QPP_MEASURE]; i++) {
        const struct qpp_resource *r = &ix->res[QPP_MEASURE][i];
        if (!qpp_streq(r->url, url) || (version && !qpp_streq(r->version, version)))
            continue;
        if (!found)
            found = r;
        (*n)++;
    }
    return found;
}

static int mapped(const struct qpp_options *o, const char *url)
{
    size_t i;

    for (i = 0; i < o->nmaps; i++)
        if (strcmp(o->maps[i].url, url) == 0)
            return 1;
    return 0;
}

/* The FHIR Measure a canonical names, or NULL when the input lacks it (not
 * an error: the url may still name the QPP measure).  *failed is set when
 * the reference is wrong. */
static const struct qpp_resource *resolve_measure(struct qpp_select *sel,
                                                  const struct qpp_canon *c,
                                                  const struct qpp_place *at, int *failed)
{
    const struct qpp_resource *m;
    const struct qpp_canon *entry;
    size_t n, pos;

    if (qpp_ref_id(c->url, "Measure")) {
        m = qpp_index_find(sel->ix, QPP_MEASURE, qpp_ref_id(c->url, "Measure"));
        if (!m && !mapped(sel->o, c->url)) {
            qpp_diag(sel->d, QPP_MEASURE_NOT_FOUND, at, "/measure",
                     "the input holds no %s", c->url);
            *failed = 1;
        }
        return m;
    }
    if (c->version) {
        m = measure_by_url(sel->ix, c->url, c->version, &n);
        if (m)
            return m;
        m = measure_by_url(sel->ix, c->url, NULL, &n);
        if (m && n == 1)
            qpp_diag(sel->d, QPP_MEASURE_VERSION, at, "/measure",
                     "the report names version %s of %s; the input holds version %s",
                     c->version, c->url, m->version ? m->version : "(none)");
        else if (m) {
            qpp_diag(sel->d, QPP_MEASURE_AMBIGUOUS, at, "/measure",
                     "the input holds %zu Measures with url %s, none of version %s", n,
                     c->url, c->version);
            *failed = 1;
        }
        return m;
    }
    m = measure_by_url(sel->ix, c->url, NULL, &n);
    if (n <= 1)
        return m;
    /* Several versions: the one the Library lists settles it. */
    entry = sel->lib ? qpp_library_entry(sel->lib, c->url, &pos) : NULL;
    if (entry && entry->version) {
        m = measure_by_url(sel->ix, c->url, entry->version, &n);
        if (m)
            return m;
    }
    qpp_diag(sel->d, QPP_MEASURE_AMBIGUOUS, at, "/measure",
             "the input holds %zu Measures with url %s; the report names no version", n,
             c->url);
    *failed = 1;
    return NULL;
}

/* A date's days in one number, for comparing. */
static long date_key(const struct qpp_date *d)
{
    return (long)d->year * 10000L + d->month * 100L + d->day;
}

/* The Measure's effectivePeriod, when it has both ends. */
static int effective_period(const struct qpp_resource *m, struct qpp_when *start,
                            struct qpp_when *end)
{
    json_t *p = m ? json_object_get(m->json, "effectivePeriod") : NULL;
    const char *s = json_string_value(json_object_get(p, "start"));
    const char *e = json_string_value(json_object_get(p, "end"));

    return s && e && qpp_when_parse(s, 0, start) == 0 && qpp_when_parse(e, 1, end) == 0;
}

/* The version a resolved canonical stands for, and the checks that need it:
 * two versions of one measure in a submission (an error), a Measure whose
 * effectivePeriod ends before the performance year (a warning: its logic is
 * an older eCQM version than CMS's for the year).  -1 when out of memory. */
static int set_version(struct qpp_select *sel, struct qpp_resolved *res,
                       const struct qpp_canon *c, const struct qpp_report *r)
{
    const char *v =
        res->measure && res->measure->version ? res->measure->version : c->version;
    struct qpp_place at = qpp_report_place(r);
    struct qpp_when start, end;
    size_t i;

    if (v && !(res->version = qpp_strdup(v)))
        return -1;
    if (!res->m)
        return 0;
    /* The first earlier canonical of the measure with another version: the
     * measure's first version, or else the first that differed from it. */
    if (res->version) {
        /* The measure's catalog entry is keyed by its address. */
        const struct qpp_measure *const *mp = &res->m;
        unsigned long long mk =
            qpp_hashset_key((const char *)mp, sizeof *mp, 5); /* NOLINT */
        const struct qpp_seen *f = qpp_hashset_get(&sel->first_version, mk);
        const struct qpp_seen *g = qpp_hashset_get(&sel->other_version, mk);
        const struct qpp_resolved *o = NULL;
        int nomem = 0;

        if ((f && sel->resolved[f->value].m != res->m) ||
            (g && sel->resolved[g->value].m != res->m)) {
            /* two measures, one key: look at each */
            for (i = 0; i + 1 < sel->nresolved && !o; i++)
                if (sel->resolved[i].m == res->m && sel->resolved[i].version &&
                    strcmp(sel->resolved[i].version, res->version) != 0)
                    o = &sel->resolved[i];
        } else if (!f) {
            qpp_hashset_put(&sel->first_version, mk, sel->nresolved - 1, 0, 0, &nomem);
        } else if (strcmp(sel->resolved[f->value].version, res->version) != 0) {
            o = &sel->resolved[f->value];
            if (!g)
                qpp_hashset_put(&sel->other_version, mk, sel->nresolved - 1, 0, 0,
                                &nomem);
        } else if (g) {
            o = &sel->resolved[g->value];
        }
        if (nomem)
            return -1;
        if (o) {
            qpp_diag(sel->d, QPP_MEASURE_VERSIONS, &at, "/measure",
                     "reports of two versions of measure %s: %s and %s; a submission "
                     "counts one version",
                     res->m->id, o->canonical, res->canonical);
            res->failed = 1;
        }
    }
    if (res->measure && effective_period(res->measure, &start, &end) &&
        end.local.year < sel->year)
        qpp_diag(sel->d, QPP_MEASURE_VERSION_OLD, &at, "/measure",
                 "%s is effective until %04d-%02d-%02d: its logic is older than CMS's "
                 "eCQM for %d (%s)",
                 res->measure->name, end.local.year, end.local.month, end.local.day,
                 sel->year, res->m->emeasure_id ? res->m->emeasure_id : res->m->id);
    return 0;
}

/* Resolve r's Measure canonical: the FHIR Measure, the Library entry, the QPP
 * measure and CMS's rules for it.  Problems are reported against r, the
 * first report naming the canonical.  NULL when out of memory. */
static const struct qpp_resolved *resolve(struct qpp_select *sel,
                                          const struct qpp_report *r)
{
    const struct qpp_options *o = sel->o;
    struct qpp_place at = qpp_report_place(r);
    struct qpp_canon c = {NULL, NULL};
    struct qpp_resolved *res;
    struct qpp_buf how;
    enum qpp_code code;
    const char *url;
    const struct qpp_seen *e;
    unsigned long long key = qpp_hashset_key(r->measure, strlen(r->measure), 3);
    size_t i;
    int nomem = 0;

    /* By a hash of the canonical: as many canonicals as reports stay linear. */
    e = qpp_hashset_get(&sel->resolved_at, key);
    if (e && strcmp(sel->resolved[e->value].canonical, r->measure) == 0)
        return &sel->resolved[e->value];
    for (i = 0; e && i < sel->nresolved; i++) /* two canonicals, one key */
        if (strcmp(sel->resolved[i].canonical, r->measure) == 0)
            return &sel->resolved[i];
    if (!e &&
        (qpp_hashset_put(&sel->resolved_at, key, sel->nresolved, 0, 0, &nomem), nomem))
        return NULL;
    if (qpp_grow((void **)&sel->resolved, &sel->capresolved, sel->nresolved + 1,
                 sizeof *sel->resolved) < 0 ||
        qpp_canon_split(r->measure, &c) < 0)
        return NULL;
    res = &sel->resolved[sel->nresolved];
    memset(res, 0, sizeof *res);
    res->order = (size_t)-1;
    if (!(res->canonical = qpp_strdup(r->measure))) {
        qpp_canon_free(&c);
        return NULL;
    }
    sel->nresolved++;
    qpp_buf_init(&how);
    res->measure = resolve_measure(sel, &c, &at, &res->failed);
    if (sel->lib)
        qpp_library_check(sel->lib, r, &c, res->measure, &res->order, sel->d);
    url = res->measure && res->measure->url ? res->measure->url : c.url;
    code = qpp_measureid_find(sel->cy, url, res->measure ? res->measure->json : NULL,
                              o->maps, o->nmaps, &res->m, &how);
    if (how.failed) {
        res = NULL;
    } else if (code != QPP_NCODES) {
        qpp_diag(sel->d, code, &at, "/measure", "no QPP measure of %d for %s: %s",
                 sel->year, url, how.s);
        res->m = NULL;
    } else {
        qpp_diag(sel->d, QPP_MEASURE_ID, &at, "/measure", "%s is QPP measure %s (%s)",
                 url, res->m->id, how.s);
        if (qpp_check_measure(sel->cy, res->m, sel->year, o->program, o->method,
                              o->entity_type, &at, sel->d))
            res->failed = 1;
    }
    qpp_buf_free(&how);
    if (res && set_version(sel, res, &c, r) < 0)
        res = NULL;
    qpp_canon_free(&c);
    return res;
}

static void check_period(struct qpp_select *sel, const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r);

    if (!r->has_period)
        return;
    if (!qpp_when_in_year(&r->start, sel->year) || !qpp_when_in_year(&r->end, sel->year))
        qpp_diag(sel->d, QPP_PERIOD_OUTSIDE_YEAR, &at, "/period",
                 "the report's period, %04d-%02d-%02d to %04d-%02d-%02d, is not inside "
                 "performance year %d",
                 r->start.local.year, r->start.local.month, r->start.local.day,
                 r->end.local.year, r->end.local.month, r->end.local.day, sel->year);
    else if (!qpp_period_covers_year(&r->start, &r->end, sel->year))
        /* CMS's quality performance period is the 12 months of the year, and
         * the set says so: counts of part of it would be scored as the
         * year's (see period-partial in the man page). */
        qpp_diag(sel->d, QPP_PERIOD_PARTIAL, &at, "/period",
                 "the report's period, %04d-%02d-%02d to %04d-%02d-%02d, covers only "
                 "part of %d; CMS's quality performance period is the whole year",
                 r->start.local.year, r->start.local.month, r->start.local.day,
                 r->end.local.year, r->end.local.month, r->end.local.day, sel->year);
}

/* A report's period inside the Measure's effectivePeriod: else it was
 * computed with the logic of another measurement period's Measure. */
static void check_measure_period(struct qpp_select *sel, const struct qpp_report *r,
                                 const struct qpp_resource *m)
{
    struct qpp_place at = qpp_report_place(r);
    struct qpp_when start, end;

    /* A Measure effective only before the year is said once (set_version). */
    if (!r->has_period || !effective_period(m, &start, &end) ||
        end.local.year < sel->year)
        return;
    if (date_key(&r->start.local) < date_key(&start.local) ||
        date_key(&r->end.local) > date_key(&end.local))
        qpp_diag(sel->d, QPP_PERIOD_NOT_MEASURE, &at, "/period",
                 "the report's period %04d-%02d-%02d..%04d-%02d-%02d is not inside the "
                 "effectivePeriod of %s (%04d-%02d-%02d..%04d-%02d-%02d): counted with "
                 "another measurement period's Measure",
                 r->start.local.year, r->start.local.month, r->start.local.day,
                 r->end.local.year, r->end.local.month, r->end.local.day, m->name,
                 start.local.year, start.local.month, start.local.day, end.local.year,
                 end.local.month, end.local.day);
}

/* Whether group i of Measure m is patient-based: its (or the Measure's)
 * cqfm-populationBasis is boolean or absent (reference/fhir-semantics.md
 * section 10). */
static int patient_based(json_t *m, json_t *group)
{
    static const char url[] =
        "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-populationBasis";
    json_t *where[2], *e;
    size_t i, k;

    where[0] = json_object_get(group, "extension");
    where[1] = json_object_get(m, "extension");
    for (k = 0; k < 2; k++) {
        json_array_foreach(where[k], i, e)
        {
            if (qpp_streq(json_string_value(json_object_get(e, "url")), url))
                return qpp_streq(json_string_value(json_object_get(e, "valueCode")),
                                 "boolean");
        }
    }
    return 1;
}

/* Individual reports of a patient-based group count each population 0 or
 * 1: more is not one patient's report.  Only the Measure tells. */
static void check_basis(struct qpp_select *sel, const struct qpp_report *r,
                        const struct qpp_resource *m)
{
    struct qpp_place at = qpp_report_place(r);
    json_t *groups = m ? json_object_get(m->json, "group") : NULL;
    size_t i, k;

    if (r->type != QPP_REPORT_INDIVIDUAL || !r->nover)
        return;
    if (!m) {
        qpp_diag(sel->d, QPP_POPULATION_BASIS_UNKNOWN, &at, "/group",
                 "%zu individual report(s) of %s count a population above 1 (the "
                 "first, %s, counts %lld in %s) and the input holds no Measure to "
                 "say whether the measure is patient-based",
                 r->nover, r->measure, r->over_where, r->over_count,
                 qpp_pop_code[r->over_pop]);
        return;
    }
    for (i = 0; i < r->ngroups && i < 32; i++) {
        json_t *g = json_array_get(groups, i);
        if (!(r->over_groups >> i & 1u))
            continue;
        /* The Measure's group of the same id, else of the same place. */
        for (k = 0; r->groups[i].id && k < json_array_size(groups); k++)
            if (qpp_streq(r->groups[i].id, json_string_value(json_object_get(
                                               json_array_get(groups, k), "id"))))
                g = json_array_get(groups, k);
        if (!patient_based(m->json, g))
            continue;
        qpp_diag(sel->d, QPP_COUNT_ABOVE_ONE, &at, "/group",
                 "%s is patient-based (cqfm-populationBasis boolean): an individual "
                 "report counts each population 0 or 1, but %zu report(s) count more "
                 "(the first, %s, counts %lld in %s of group %zu)",
                 m->name, r->nover, r->over_where, r->over_count,
                 qpp_pop_code[r->over_pop], r->over_group);
        return;
    }
}

int qpp_select_report(struct qpp_select *sel, const struct qpp_report *r,
                      const struct qpp_resolved **out)
{
    size_t v;

    *out = NULL;
    if (r->left_out)
        return 0;
    check_period(sel, r);
    for (v = 0; v < r->nvariants; v++)
        check_period(sel, r->variants[v]);
    if (!r->measure)
        return 0;
    *out = resolve(sel, r);
    if (!*out)
        return -1;
    check_measure_period(sel, r, (*out)->measure);
    for (v = 0; v < r->nvariants; v++)
        check_measure_period(sel, r->variants[v], (*out)->measure);
    check_basis(sel, r, (*out)->measure);
    return 0;
}

void qpp_select_missing(const struct qpp_select *sel)
{
    size_t i, k;

    /* Reports chosen with -r, or one measurement: others left out on purpose. */
    if (sel->o->nreport_ids || sel->o->structure == QPP_MEASUREMENT)
        return;
    for (i = 0; sel->lib && i < sel->lib->nentries; i++) {
        struct qpp_place at = qpp_resource_place(sel->lib->res);
        const struct qpp_canon *c = &sel->lib->entries[i];
        char ptr[48];

        for (k = 0; k < sel->nresolved && sel->resolved[k].order != i; k++)
            ;
        if (k < sel->nresolved)
            continue;
        snprintf(ptr, sizeof ptr, "/relatedArtifact/%zu", sel->lib->artifact[i]);
        qpp_diag(sel->d, QPP_MEASURE_MISSING, &at, ptr,
                 "%s lists %s%s%s, and no report counted is for it: it is left out of "
                 "the submission",
                 sel->lib->res->name, c->url, c->version ? "|" : "",
                 c->version ? c->version : "");
    }
}
