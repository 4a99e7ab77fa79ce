/* SPDX-License-Identifier: MIT */
/*
 * A run from the resources read to the QPP JSON: choose the reports, the
 * performance year, the entity and the Library; tie each report to its QPP
 * measure; add up the counts per measure; map and check them; write.
 */
#include "qppbuild.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "entity.h"
#include "index.h"
#include "read.h"
#include "util.h"
#include "write.h"

#define QUALITY_PROGRAM_SYSTEM                                                           \
    "http://hl7.org/fhir/us/cqfmeasures/CodeSystem/quality-programs"

/* A Measure canonical split at its last '|'. */
struct canon {
    char *url;     /* the url, or "Measure/id" for a relative reference */
    char *version; /* NULL when not given */
};

/* Everything known about one QPP measure of the submission. */
struct slot {
    const struct qpp_measure *m;
    const struct qpp_report *first;     /* the first report counted */
    const struct qpp_resource *measure; /* its FHIR Measure, when in the input */
    size_t nreports, ntest;
    int summary;  /* counts from summary or subject-list reports */
    size_t order; /* position in the Library */
    size_t ngroups;
    struct qpp_group *sum; /* counts per group, summed over the reports */
    int bad;               /* errors: no value is made */
};

/* What a Measure canonical, as a report writes it, resolves to: worked out
 * (and its problems reported) once, however many reports name it. */
struct resolved {
    char *canonical;
    const struct qpp_measure *m;        /* NULL when it cannot be placed */
    const struct qpp_resource *measure; /* the FHIR Measure, when in the input */
    size_t order;                       /* position in the Library */
    int failed;                         /* an error makes the measure unusable */
};

struct qpp_run {
    struct qpp_options o;
    struct qpp_diags *d;
    struct qpp_index *ix;
    int year;
    const struct qpp_catalog_year *cy;
    const struct qpp_resource *library;
    struct canon *entries; /* the Library's Measures, in its order */
    size_t nentries;
    struct slot *slots;
    size_t nslots, capslots;
    struct resolved *resolved;
    size_t nresolved, capresolved;
    struct qpp_hashset resolved_at; /* canonical's key -> index in resolved */
    struct qpp_entity_ids ids;
    const char *entity_id;
};

void qpp_options_init(struct qpp_options *o)
{
    memset(o, 0, sizeof *o);
    o->entity_type = "group";
    o->structure = QPP_SUBMISSION;
    o->method = "electronicHealthRecord";
    o->program = "mips";
    o->counts = QPP_COUNTS_GROSS;
}

struct qpp_run *qpp_run_new(const struct qpp_options *o, struct qpp_diags *d)
{
    struct qpp_run *run = qpp_calloc(1, sizeof *run);

    if (!run)
        return NULL;
    run->o = *o;
    run->d = d;
    run->ix = qpp_index_new(d, o->report_ids, o->nreport_ids);
    if (!run->ix) {
        qpp_free(run);
        return NULL;
    }
    return run;
}

static void canon_free(struct canon *c)
{
    qpp_free(c->url);
    qpp_free(c->version);
}

void qpp_run_free(struct qpp_run *run)
{
    size_t i;

    if (!run)
        return;
    for (i = 0; i < run->nentries; i++)
        canon_free(&run->entries[i]);
    qpp_free(run->entries);
    for (i = 0; i < run->nslots; i++)
        qpp_free(run->slots[i].sum);
    qpp_free(run->slots);
    for (i = 0; i < run->nresolved; i++)
        qpp_free(run->resolved[i].canonical);
    qpp_free(run->resolved);
    qpp_hashset_free(&run->resolved_at);
    qpp_index_free(run->ix);
    qpp_free(run);
}

int qpp_run_read(struct qpp_run *run, FILE *fp, const char *source)
{
    struct qpp_read_options ro = {run->o.jobs, run->o.progress, run->o.progress_ctx};

    return qpp_read_stream(fp, source, &ro, qpp_index_add, run->ix, run->d);
}

int qpp_run_read_buffer(struct qpp_run *run, const char *buf, size_t len,
                        const char *source)
{
    struct qpp_read_options ro = {run->o.jobs, run->o.progress, run->o.progress_ctx};

    return qpp_read_buffer(buf, len, source, &ro, qpp_index_add, run->ix, run->d);
}

int qpp_run_year(const struct qpp_run *run)
{
    return run->year;
}

void qpp_run_note_skipped(struct qpp_run *run)
{
    const char *type;
    json_t *n;

    json_object_foreach(run->ix->skipped, type, n)
    {
        qpp_diag(run->d, QPP_SKIPPED_RESOURCES, NULL, NULL, "%lld %s resources not used",
                 (long long)json_integer_value(n), type);
    }
}

/* ---- canonicals ---- */

static int canon_split(const char *s, struct canon *c)
{
    const char *bar = strrchr(s, '|');

    c->url = bar ? qpp_strndup(s, (size_t)(bar - s)) : qpp_strdup(s);
    c->version = bar ? qpp_strdup(bar + 1) : NULL;
    if (!c->url || (bar && !c->version)) {
        canon_free(c);
        return -1;
    }
    if (c->version && !*c->version) {
        qpp_free(c->version);
        c->version = NULL;
    }
    return 0;
}

/* The Measures of the input whose url is url; *n receives how many. */
static const struct qpp_resource *
measure_by_url(const struct qpp_run *run, const char *url, const char *version, size_t *n)
{
    const struct qpp_index *ix = run->ix;
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

static const struct canon *library_entry(const struct qpp_run *run, const char *url,
                                         size_t *pos)
{
    size_t i;

    for (i = 0; i < run->nentries; i++) {
        if (strcmp(run->entries[i].url, url) == 0) {
            *pos = i;
            return &run->entries[i];
        }
    }
    return NULL;
}

static int mapped(const struct qpp_run *run, const char *url)
{
    size_t i;

    for (i = 0; i < run->o.nmaps; i++)
        if (strcmp(run->o.maps[i].url, url) == 0)
            return 1;
    return 0;
}

/* The FHIR Measure a canonical names, or NULL when the input lacks it (not
 * an error: the url may still name the QPP measure).  *failed is set when
 * the reference is wrong. */
static const struct qpp_resource *resolve_measure(struct qpp_run *run,
                                                  const struct canon *c,
                                                  const struct qpp_place *at, int *failed)
{
    const struct qpp_resource *m;
    const struct canon *entry;
    size_t n, pos;

    if (qpp_ref_id(c->url, "Measure")) {
        m = qpp_index_find(run->ix, QPP_MEASURE, qpp_ref_id(c->url, "Measure"));
        if (!m && !mapped(run, c->url)) {
            qpp_diag(run->d, QPP_MEASURE_NOT_FOUND, at, "/measure",
                     "the input holds no %s", c->url);
            *failed = 1;
        }
        return m;
    }
    if (c->version) {
        m = measure_by_url(run, c->url, c->version, &n);
        if (m)
            return m;
        m = measure_by_url(run, c->url, NULL, &n);
        if (m && n == 1)
            qpp_diag(run->d, QPP_MEASURE_VERSION, at, "/measure",
                     "the report names version %s of %s; the input holds version %s",
                     c->version, c->url, m->version ? m->version : "(none)");
        else if (m) {
            qpp_diag(run->d, QPP_MEASURE_AMBIGUOUS, at, "/measure",
                     "the input holds %zu Measures with url %s, none of version %s", n,
                     c->url, c->version);
            *failed = 1;
        }
        return m;
    }
    m = measure_by_url(run, c->url, NULL, &n);
    if (n <= 1)
        return m;
    /* Several versions: the one the Library lists settles it. */
    entry = library_entry(run, c->url, &pos);
    if (entry && entry->version) {
        m = measure_by_url(run, c->url, entry->version, &n);
        if (m)
            return m;
    }
    qpp_diag(run->d, QPP_MEASURE_AMBIGUOUS, at, "/measure",
             "the input holds %zu Measures with url %s; the report names no version", n,
             c->url);
    *failed = 1;
    return NULL;
}

/* ---- choosing reports, year, entity, Library ---- */

static int check_selection(struct qpp_run *run)
{
    size_t i;

    for (i = 0; i < run->o.nreport_ids; i++)
        if (!run->ix->report_found[i])
            qpp_diag(run->d, QPP_REPORT_NOT_FOUND, NULL, NULL,
                     "the input holds no MeasureReport/%s", run->o.report_ids[i]);
    /* After errors in the input, "no reports" would only repeat them. */
    if (run->ix->nreports == 0 && qpp_diags_errors(run->d) == 0)
        qpp_diag(run->d, QPP_NO_REPORTS, NULL, NULL,
                 "no MeasureReport with counts to convert");
    return run->ix->nreports ? 0 : -1;
}

/* Add the year r's period ends in to years[], when it is not there. */
static void note_year(const struct qpp_report *r, int *years, int *nyears)
{
    int k, y = r->end.local.year;

    if (!r->has_period)
        return;
    for (k = 0; k < *nyears && years[k] != y; k++)
        ;
    if (k == *nyears && *nyears < 8)
        years[(*nyears)++] = y;
}

static int choose_year(struct qpp_run *run)
{
    int years[8], nyears = 0, k;
    size_t i;

    if (run->o.year) {
        run->year = run->o.year;
        return 0;
    }
    for (i = 0; i < run->ix->nreports; i++) {
        const struct qpp_report *r = run->ix->reports[i];
        size_t v;

        note_year(r, years, &nyears);
        for (v = 0; v < r->nvariants; v++)
            note_year(r->variants[v], years, &nyears);
    }
    if (nyears == 1) {
        run->year = years[0];
        return 0;
    }
    if (nyears == 0) {
        qpp_diag(
            run->d, QPP_YEAR_UNKNOWN, NULL, NULL,
            "no report has a valid period to take the performance year from; give -y");
    } else {
        struct qpp_buf b;
        qpp_buf_init(&b);
        for (k = 0; k < nyears; k++)
            qpp_buf_printf(&b, "%s%d", k ? ", " : "", years[k]);
        qpp_diag(run->d, QPP_YEAR_AMBIGUOUS, NULL, NULL,
                 "the reports' periods end in different years (%s); choose one with -y",
                 b.s ? b.s : "");
        qpp_buf_free(&b);
    }
    return -1;
}

static int choose_catalog(struct qpp_run *run)
{
    size_t i;

    run->cy = run->o.catalog ? run->o.catalog : qpp_catalog_builtin_year(run->year);
    if (run->cy)
        return 0;
    {
        struct qpp_buf b;
        qpp_buf_init(&b);
        for (i = 0; i < qpp_catalog_nbuiltin; i++)
            qpp_buf_printf(&b, "%s%d", i ? ", " : "", qpp_catalog_builtin[i].year);
        qpp_diag(run->d, QPP_YEAR_UNSUPPORTED, NULL, NULL,
                 "no measure data for %d (built in: %s); give CMS's file with "
                 "--measures-data",
                 run->year, b.s ? b.s : "");
        qpp_buf_free(&b);
    }
    return -1;
}

static int needs_tin(const char *t)
{
    return strcmp(t, "individual") == 0 || strcmp(t, "group") == 0;
}

static const struct qpp_resource *choose_organization(struct qpp_run *run, int needed)
{
    const struct qpp_index *ix = run->ix;
    const char *reporter = NULL;
    size_t i;

    if (run->o.organization_id) {
        /* -O takes an id or a reference Organization/id. */
        const char *id = qpp_ref_id(run->o.organization_id, "Organization");
        const struct qpp_resource *org =
            qpp_index_find(ix, QPP_ORGANIZATION, id ? id : run->o.organization_id);
        if (!org)
            qpp_diag(run->d, QPP_ORGANIZATION_NOT_FOUND, NULL, NULL,
                     "the input holds no Organization/%s",
                     id ? id : run->o.organization_id);
        return org;
    }
    if (ix->nres[QPP_ORGANIZATION] == 1)
        return &ix->res[QPP_ORGANIZATION][0];
    if (ix->nres[QPP_ORGANIZATION] == 0) {
        if (needed)
            qpp_diag(run->d, QPP_ORGANIZATION_MISSING, NULL, NULL,
                     "the input holds no Organization to name the %s entity",
                     run->o.entity_type);
        return NULL;
    }
    /* Several: the one every chosen report names as its reporter. */
    for (i = 0; i < ix->nreports; i++) {
        const struct qpp_report *r = ix->reports[i];
        if (!r->reporter || r->mixed_reporters ||
            (reporter && strcmp(reporter, r->reporter) != 0)) {
            reporter = NULL;
            break;
        }
        reporter = r->reporter;
    }
    if (qpp_ref_id(reporter, "Organization")) {
        const struct qpp_resource *org =
            qpp_index_find(ix, QPP_ORGANIZATION, qpp_ref_id(reporter, "Organization"));
        if (org)
            return org;
    }
    qpp_diag(run->d, QPP_ORGANIZATION_AMBIGUOUS, NULL, NULL,
             "the input holds %zu Organizations and the reports do not name one "
             "reporter; choose one with -O",
             ix->nres[QPP_ORGANIZATION]);
    return NULL;
}

static void choose_entity(struct qpp_run *run)
{
    const char *t = run->o.entity_type;
    int tin = needs_tin(t), npi = strcmp(t, "individual") == 0;
    /* An entity named by --entity-id needs no Organization (unless -O asks). */
    const struct qpp_resource *org =
        tin || !run->o.entity_id || run->o.organization_id
            ? choose_organization(run, tin || !run->o.entity_id)
            : NULL;

    if (org)
        qpp_entity_read(org, &run->ids, run->d);
    if (tin) {
        struct qpp_place at =
            org ? qpp_resource_place(org) : (struct qpp_place){NULL, -1, -1, NULL, NULL};
        if (org && !run->ids.tin)
            qpp_diag(run->d, QPP_TIN_MISSING, &at, "/identifier",
                     "the Organization has no TIN (identifier typed TAX)");
        else if (org && !qpp_tin_valid(run->ids.tin))
            qpp_diag(run->d, QPP_TIN_INVALID, &at, "/identifier",
                     "the TIN is not 9 digits (it has %zu characters; not shown)",
                     strlen(run->ids.tin));
        if (npi && org && !run->ids.npi)
            qpp_diag(run->d, QPP_NPI_MISSING, &at, "/identifier",
                     "an individual needs an NPI (identifier typed NPI)");
        else if (npi && org && !qpp_npi_valid(run->ids.npi))
            qpp_diag(run->d, QPP_NPI_INVALID, &at, "/identifier",
                     "NPI %s is not 10 digits with a valid check digit", run->ids.npi);
        return;
    }
    run->entity_id = run->o.entity_id ? run->o.entity_id : run->ids.entity_id;
    if (!run->entity_id && (org || run->ix->nres[QPP_ORGANIZATION] == 0))
        qpp_diag(run->d, QPP_ENTITY_ID_MISSING, NULL, NULL,
                 "an %s entity needs an id: give --entity-id or an Organization "
                 "identifier typed XX",
                 t);
}

static int is_qpp_program(json_t *library)
{
    json_t *uses = json_object_get(library, "useContext"), *u, *c;
    size_t i, k;

    json_array_foreach(uses, i, u)
    {
        json_t *codings =
            json_object_get(json_object_get(u, "valueCodeableConcept"), "coding");
        if (!qpp_streq(
                json_string_value(json_object_get(json_object_get(u, "code"), "code")),
                "program"))
            continue;
        json_array_foreach(codings, k, c)
        {
            if (qpp_streq(json_string_value(json_object_get(c, "code")), "qpp") &&
                qpp_streq(json_string_value(json_object_get(c, "system")),
                          QUALITY_PROGRAM_SYSTEM))
                return 1;
        }
    }
    return 0;
}

/* -L names a Library by id, Library/id, url or url|version (DESIGN 1). */
static int names_library(const struct qpp_resource *r, const char *want)
{
    const char *id = qpp_ref_id(want, "Library");
    const char *bar = strrchr(want, '|');

    if (qpp_streq(r->id, want) || (id && qpp_streq(r->id, id)) || qpp_streq(r->url, want))
        return 1;
    return bar && r->url && r->version && strlen(r->url) == (size_t)(bar - want) &&
           strncmp(r->url, want, (size_t)(bar - want)) == 0 &&
           strcmp(r->version, bar + 1) == 0;
}

static const struct qpp_resource *find_library(struct qpp_run *run)
{
    const struct qpp_index *ix = run->ix;
    const struct qpp_resource *found = NULL;
    size_t i, n = 0;

    if (run->o.library_id) {
        const char *want = run->o.library_id;
        for (i = 0; i < ix->nres[QPP_LIBRARY]; i++) {
            if (names_library(&ix->res[QPP_LIBRARY][i], want)) {
                found = &ix->res[QPP_LIBRARY][i];
                n++;
            }
        }
        if (n == 0)
            qpp_diag(run->d, QPP_LIBRARY_NOT_FOUND, NULL, NULL,
                     "the input holds no Library with id, url or url|version %s", want);
        else if (n > 1) /* versions of one url */
            qpp_diag(run->d, QPP_LIBRARY_AMBIGUOUS, NULL, NULL,
                     "the input holds %zu Libraries named %s; give url|version", n, want);
        return n == 1 ? found : NULL;
    }
    for (i = 0; i < ix->nres[QPP_LIBRARY]; i++) {
        if (is_qpp_program(ix->res[QPP_LIBRARY][i].json)) {
            found = &ix->res[QPP_LIBRARY][i];
            n++;
        }
    }
    if (n == 1)
        return found;
    if (n == 0)
        qpp_diag(run->d, QPP_LIBRARY_MISSING, NULL, NULL,
                 "the input holds no quality-program Library (useContext program qpp); "
                 "name one with -L, or convert without with --no-program-library");
    else
        qpp_diag(run->d, QPP_LIBRARY_AMBIGUOUS, NULL, NULL,
                 "the input holds %zu quality-program Libraries; choose one with -L", n);
    return NULL;
}

/* The Library's composed-of Measures, in its order. */
static int read_library(struct qpp_run *run)
{
    json_t *arts = json_object_get(run->library->json, "relatedArtifact"), *a;
    size_t i;

    if (!is_qpp_program(run->library->json)) {
        struct qpp_place at = qpp_resource_place(run->library);
        qpp_diag(run->d, QPP_LIBRARY_NOT_QPP, &at, "/useContext",
                 "the Library is not marked as a qpp quality program; used as asked");
    }
    run->entries = qpp_calloc(json_array_size(arts) + 1, sizeof *run->entries);
    if (!run->entries)
        return -1;
    json_array_foreach(arts, i, a)
    {
        const char *res = json_string_value(json_object_get(a, "resource"));
        struct canon *c = &run->entries[run->nentries];

        if (!res ||
            !qpp_streq(json_string_value(json_object_get(a, "type")), "composed-of") ||
            (!strstr(res, "/Measure/") && !qpp_ref_id(res, "Measure")))
            continue;
        if (canon_split(res, c) < 0)
            return -1;
        if (qpp_ref_id(c->url, "Measure")) {
            /* Compare by the Measure's url when the input holds it. */
            const struct qpp_resource *m =
                qpp_index_find(run->ix, QPP_MEASURE, qpp_ref_id(c->url, "Measure"));
            if (m && m->url) {
                char *url = qpp_strdup(m->url);
                char *ver = m->version && !c->version ? qpp_strdup(m->version) : NULL;
                if (!url || (m->version && !c->version && !ver)) {
                    qpp_free(url);
                    qpp_free(ver);
                    canon_free(c);
                    return -1;
                }
                qpp_free(c->url);
                c->url = url;
                if (ver)
                    c->version = ver;
            }
        }
        run->nentries++;
    }
    return 0;
}

/* ---- reports to measures ---- */

static struct slot *slot_for(struct qpp_run *run, const struct qpp_measure *m)
{
    size_t i;

    for (i = 0; i < run->nslots; i++)
        if (run->slots[i].m == m)
            return &run->slots[i];
    if (qpp_grow((void **)&run->slots, &run->capslots, run->nslots + 1,
                 sizeof *run->slots) < 0)
        return NULL;
    memset(&run->slots[run->nslots], 0, sizeof *run->slots);
    run->slots[run->nslots].m = m;
    run->slots[run->nslots].order = (size_t)-1;
    return &run->slots[run->nslots++];
}

/* Sums of individual reports under two canonicals of one measure (two
 * versions, say) must not count a patient twice.  1 when they do (or when
 * out of memory: then s->bad is not set). */
static int overlap(struct qpp_run *run, struct slot *s, const struct qpp_report *r)
{
    struct qpp_hashset *seen = (struct qpp_hashset *)&s->first->subjects;
    size_t i;
    int nomem = 0;

    for (i = 0; i < r->subjects.cap; i++) {
        const struct qpp_seen *e = &r->subjects.v[i], *prev;
        char first[256], again[256];

        if (!e->key)
            continue;
        prev = qpp_hashset_put(seen, e->key, e->value, e->line, e->source, &nomem);
        if (nomem)
            return 1;
        if (prev) {
            /* Placed at the report that counts the subject again; named
             * when it is the sum's first report, whose name is kept. */
            struct qpp_place at = {run->ix->sources[e->source], (int)e->line,
                                   (int)e->value, NULL, NULL};
            if (e->line == (unsigned int)r->line && (int)e->value == r->column &&
                qpp_streq(at.source, r->source))
                at = qpp_report_place(r);
            qpp_index_where(run->ix, prev, (int)prev->value, first, sizeof first);
            qpp_index_where(run->ix, e, (int)e->value, again, sizeof again);
            qpp_diag(
                run->d, QPP_DUPLICATE_SUBJECT, &at, NULL,
                "a subject is counted twice for measure %s: by the report at %s (%s) "
                "and by the report at %s (%s)",
                s->m->id, first, s->first->measure, again, r->measure);
            s->bad = 1;
            return 1;
        }
    }
    return 0;
}

/* Add a report's counts to its measure's slot. */
static int add_counts(struct qpp_run *run, struct slot *s, const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r);
    int summary = r->type != QPP_REPORT_INDIVIDUAL;
    size_t i;

    if (s->nreports > 0 && (summary || s->summary)) {
        struct qpp_place first = qpp_report_place(s->first);
        enum qpp_code code =
            summary && s->summary ? QPP_DUPLICATE_MEASURE : QPP_MIXED_REPORT_TYPES;
        qpp_diag(run->d, code, &at, NULL,
                 code == QPP_DUPLICATE_MEASURE
                     ? "a second report for measure %s (the first is %s in %s)"
                     : "measure %s mixes summary and individual reports (%s in %s)",
                 s->m->id, first.resource, first.source ? first.source : "-");
        s->bad = 1;
        return 0;
    }
    if (s->nreports == 0) {
        s->first = r;
        s->summary = summary;
        s->ngroups = r->ngroups;
        s->sum = qpp_calloc(r->ngroups ? r->ngroups : 1, sizeof *s->sum);
        if (!s->sum)
            return -1;
    } else if (r->ngroups != s->ngroups) {
        qpp_diag(run->d, QPP_GROUP_MISMATCH, &at, "/group",
                 "%zu groups where the other reports of measure %s have %zu", r->ngroups,
                 s->m->id, s->ngroups);
        s->bad = 1;
        return 0;
    }
    if (!summary && s->nreports > 0 && overlap(run, s, r))
        return s->bad ? 0 : -1;
    s->nreports += r->nreports;
    s->ntest += r->ntest;
    for (i = 0; i < r->ngroups; i++) {
        struct qpp_group g = r->groups[i];
        g.id = NULL;
        if (qpp_map_add(&s->sum[i], &g) < 0) {
            qpp_diag(run->d, QPP_COUNT_OVERFLOW, &at, NULL,
                     "the counts of measure %s do not fit 64 bits", s->m->id);
            s->bad = 1;
        }
        if (!s->sum[i].id)
            s->sum[i].id = r->groups[i].id; /* borrowed from the report */
    }
    return 0;
}

static void check_period(struct qpp_run *run, const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r);

    if (!r->has_period)
        return;
    if (!qpp_when_in_year(&r->start, run->year) || !qpp_when_in_year(&r->end, run->year))
        qpp_diag(run->d, QPP_PERIOD_OUTSIDE_YEAR, &at, "/period",
                 "the report's period is not inside performance year %d", run->year);
    else if (!qpp_period_covers_year(&r->start, &r->end, run->year))
        qpp_diag(run->d, QPP_PERIOD_PARTIAL, &at, "/period",
                 "the report's period covers only part of %d", run->year);
}

/* Membership in the Library: by url; versions must agree when both sides
 * give one. */
static void check_library(struct qpp_run *run, const struct qpp_report *r,
                          const struct canon *c, const struct qpp_resource *m,
                          size_t *order)
{
    struct qpp_place at = qpp_report_place(r);
    const char *url = c->url, *version = c->version;
    const struct canon *entry;

    if (m && m->url && qpp_ref_id(url, "Measure")) {
        url = m->url;
        version = version ? version : m->version;
    }
    if (m && !version)
        version = m->version;
    entry = library_entry(run, url, order);
    if (!entry)
        qpp_diag(run->d, QPP_NOT_IN_LIBRARY, &at, "/measure", "%s is not a measure of %s",
                 url, run->library->name);
    else if (entry->version && version && strcmp(entry->version, version) != 0)
        qpp_diag(run->d, QPP_VERSION_MISMATCH, &at, "/measure",
                 "the report is for version %s of the measure, %s lists version %s",
                 version, run->library->name, entry->version);
}

/* Resolve r's Measure canonical: the FHIR Measure, the Library entry, the QPP
 * measure and CMS's rules for it.  Problems are reported against r, the
 * first report naming the canonical.  NULL when out of memory. */
static const struct resolved *resolve(struct qpp_run *run, const struct qpp_report *r)
{
    struct qpp_place at = qpp_report_place(r);
    struct canon c = {NULL, NULL};
    struct resolved *res;
    struct qpp_buf how;
    enum qpp_code code;
    const char *url;
    const struct qpp_seen *e;
    unsigned long long key = qpp_hashset_key(r->measure, strlen(r->measure), 3);
    size_t i;
    int nomem = 0;

    /* By a hash of the canonical: as many canonicals as reports stay linear. */
    e = qpp_hashset_get(&run->resolved_at, key);
    if (e && strcmp(run->resolved[e->value].canonical, r->measure) == 0)
        return &run->resolved[e->value];
    for (i = 0; e && i < run->nresolved; i++) /* two canonicals, one key */
        if (strcmp(run->resolved[i].canonical, r->measure) == 0)
            return &run->resolved[i];
    if (!e &&
        (qpp_hashset_put(&run->resolved_at, key, run->nresolved, 0, 0, &nomem), nomem))
        return NULL;
    if (qpp_grow((void **)&run->resolved, &run->capresolved, run->nresolved + 1,
                 sizeof *run->resolved) < 0 ||
        canon_split(r->measure, &c) < 0)
        return NULL;
    res = &run->resolved[run->nresolved];
    memset(res, 0, sizeof *res);
    res->order = (size_t)-1;
    if (!(res->canonical = qpp_strdup(r->measure))) {
        canon_free(&c);
        return NULL;
    }
    run->nresolved++;
    qpp_buf_init(&how);
    res->measure = resolve_measure(run, &c, &at, &res->failed);
    if (run->library)
        check_library(run, r, &c, res->measure, &res->order);
    url = res->measure && res->measure->url ? res->measure->url : c.url;
    code = qpp_measureid_find(run->cy, url, res->measure ? res->measure->json : NULL,
                              run->o.maps, run->o.nmaps, &res->m, &how);
    if (how.failed) {
        res = NULL;
    } else if (code != QPP_NCODES) {
        qpp_diag(run->d, code, &at, "/measure", "no QPP measure of %d for %s: %s",
                 run->year, url, how.s);
        res->m = NULL;
    } else {
        qpp_diag(run->d, QPP_MEASURE_ID, &at, "/measure", "%s is QPP measure %s (%s)",
                 url, res->m->id, how.s);
        if (qpp_check_measure(run->cy, res->m, run->year, run->o.program, run->o.method,
                              run->o.entity_type, &at, run->d))
            res->failed = 1;
    }
    qpp_buf_free(&how);
    canon_free(&c);
    return res;
}

static int place_report(struct qpp_run *run, const struct qpp_report *r)
{
    const struct resolved *res;
    struct slot *s;
    size_t v;

    check_period(run, r);
    for (v = 0; v < r->nvariants; v++)
        check_period(run, r->variants[v]);
    if (!r->measure)
        return 0;
    if (!(res = resolve(run, r)))
        return -1;
    if (!res->m)
        return 0;
    if (!(s = slot_for(run, res->m)))
        return -1;
    if (res->order < s->order)
        s->order = res->order;
    if (!s->measure)
        s->measure = res->measure;
    if (res->failed || r->invalid)
        s->bad = 1;
    return r->invalid ? 0 : add_counts(run, s, r);
}

/* ---- values ---- */

static void map_problem(struct qpp_run *run, const struct slot *s, enum qpp_code code,
                        size_t group, int summed, const char *why)
{
    struct qpp_place at = qpp_report_place(s->first);
    char ptr[32];

    snprintf(ptr, sizeof ptr, "/group/%zu", group);
    if (s->nreports > 1)
        qpp_diag(run->d, code, &at, NULL, "measure %s, over %zu reports: %s", s->m->id,
                 s->nreports, why);
    else
        qpp_diag(run->d, code, &at, summed ? "/group" : ptr, "measure %s%s: %s", s->m->id,
                 summed ? ", groups summed" : "", why);
}

static int map_one(struct qpp_run *run, const struct slot *s, const struct qpp_group *g,
                   size_t group, int summed, struct qpp_value *v)
{
    struct qpp_buf why;
    enum qpp_code code;
    int registry = strcmp(run->o.method, "registry") == 0;

    qpp_buf_init(&why);
    code = qpp_map_group(g, run->o.counts, registry, v, &why);
    if (why.failed) {
        qpp_buf_free(&why);
        return -1;
    }
    if (code != QPP_NCODES)
        map_problem(run, s, code, group, summed, why.s);
    qpp_buf_free(&why);
    return code == QPP_NCODES ? 0 : 1;
}

/* The index of id in names[0..n) (strings of a JSON array when names is
 * NULL and arr is given), or n when it is not there. */
static size_t index_of(const char *id, const char *const *names, json_t *arr, size_t n)
{
    size_t k;

    for (k = 0; id && k < n; k++) {
        const char *name =
            names ? names[k]
                  : json_string_value(json_object_get(json_array_get(arr, k), "id"));
        if (qpp_streq(id, name))
            return k;
    }
    return n;
}

/* A mapping of the report's groups onto the strata, used only when it sends
 * each group to its own stratum: no crash, no stratum written twice. */
static int one_to_one(const size_t *map, size_t n)
{
    size_t i, k;

    for (i = 0; i < n; i++) {
        if (map[i] >= n)
            return 0;
        for (k = 0; k < i; k++)
            if (map[k] == map[i])
                return 0;
    }
    return 1;
}

/* Which stratum each report group is (the caller has checked there are as
 * many groups as strata): by name when the groups' ids are the stratum
 * names, by the FHIR Measure's group order when the ids are its group ids
 * and it has one group per stratum, else by position. */
static void strata_order(struct qpp_run *run, const struct slot *s, size_t *stratum)
{
    const struct qpp_measure *m = s->m;
    json_t *mgroups = s->measure ? json_object_get(s->measure->json, "group") : NULL;
    size_t i, n = s->ngroups;
    int named = 0;

    for (i = 0; i < n; i++) {
        stratum[i] = index_of(s->sum[i].id, m->strata, NULL, m->nstrata);
        named |= stratum[i] < n;
    }
    if (one_to_one(stratum, n))
        return;
    for (i = 0; i < n; i++) {
        size_t k = index_of(s->sum[i].id, NULL, mgroups, json_array_size(mgroups));
        named |= k < json_array_size(mgroups);
        stratum[i] = json_array_size(mgroups) == n ? k : n;
    }
    if (one_to_one(stratum, n))
        return;
    for (i = 0; i < n; i++)
        stratum[i] = i;
    if (named) {
        struct qpp_place at = qpp_report_place(s->first);
        qpp_diag(run->d, QPP_STRATA_ORDER, &at, "/group",
                 "the groups' ids name strata of measure %s, but not one each: "
                 "matched by position",
                 m->id);
    }
}

/* The single-rate measures whose population sets CMS's converter adds up
 * (reference/qpp-output.md section 5). */
static int summed_measure(const char *id)
{
    static const char *const summed[] = {"005", "007", "008", "143", "438"};
    size_t i;

    for (i = 0; i < sizeof summed / sizeof summed[0]; i++)
        if (strcmp(id, summed[i]) == 0)
            return 1;
    return 0;
}

static int make_value(struct qpp_run *run, const struct slot *s,
                      struct qpp_measurement *q)
{
    const struct qpp_measure *m = s->m;
    struct qpp_place at = qpp_report_place(s->first);
    size_t i, *stratum;
    int bad = 0;

    q->measure_id = m->id;
    if (!qpp_measure_is_multi_rate(m)) {
        /* Single rate over several groups (005, 007, 008, 143, 438): sum the
         * groups, then map once, as CMS's own converter does.  Other single-
         * rate measures have one population set: more groups than that are
         * not what CMS measures (reference/qpp-output.md section 7.3). */
        struct qpp_group total;
        if (s->ngroups > 1 && !summed_measure(m->id)) {
            qpp_diag(run->d, QPP_STRATA_MISMATCH, &at, "/group",
                     "measure %s has one performance rate and the report has %zu groups; "
                     "CMS adds groups up only for measures 005, 007, 008, 143 and 438",
                     m->id, s->ngroups);
            return 1;
        }
        memset(&total, 0, sizeof total);
        for (i = 0; i < s->ngroups; i++) {
            if (qpp_map_add(&total, &s->sum[i]) < 0) {
                qpp_diag(run->d, QPP_COUNT_OVERFLOW, &at, NULL,
                         "the counts of measure %s do not fit 64 bits", m->id);
                return 1;
            }
        }
        return map_one(run, s, &total, 0, s->ngroups > 1, &q->value);
    }
    q->strata = qpp_calloc(m->nstrata, sizeof *q->strata);
    stratum = qpp_calloc(s->ngroups, sizeof *stratum);
    if (!q->strata || !stratum) {
        qpp_free(stratum);
        qpp_free(q->strata);
        q->strata = NULL;
        return -1;
    }
    q->nstrata = m->nstrata;
    for (i = 0; i < m->nstrata; i++)
        q->strata[i].name = m->strata[i];
    if (s->ngroups == 1 && m->nstrata > 1 && strcmp(m->id, "370") == 0) {
        /* 370 is one population set in CMS's specification but two strata in
         * QPP: CMS's converter puts the counts in the first stratum and zeros
         * in the other; the overall rate (weighted average) is the same. */
        qpp_diag(
            run->d, QPP_STRATA_FILLED, &at, NULL,
            "measure 370: the one group's counts go to stratum %s, zeros to the rest",
            m->strata[0]);
        bad = map_one(run, s, &s->sum[0], 0, 0, &q->strata[0].value);
    } else if (s->ngroups != m->nstrata) {
        qpp_diag(run->d, QPP_STRATA_MISMATCH, &at, "/group",
                 "measure %s has %zu strata in %d, the report has %zu groups", m->id,
                 m->nstrata, run->year, s->ngroups);
        bad = 1;
    } else {
        strata_order(run, s, stratum);
        for (i = 0; i < s->ngroups; i++)
            bad |= map_one(run, s, &s->sum[i], i, 0, &q->strata[stratum[i]].value);
    }
    qpp_free(stratum);
    return bad;
}

static int cmp_slot(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;

    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->m->id, y->m->id);
}

static void check_cehrt(struct qpp_run *run)
{
    const char *id = run->o.cehrt_id;

    if (!id && strcmp(run->o.method, "electronicHealthRecord") == 0 && run->year >= 2025)
        qpp_diag(run->d, QPP_CEHRT_ID_MISSING, NULL, NULL,
                 "from 2025 CMS requires the CEHRT id on eCQM sets: give --cehrt-id");
    else if (id && !qpp_cehrt_valid(id))
        qpp_diag(run->d, QPP_CEHRT_ID_INVALID, NULL, NULL,
                 "CEHRT id %s is not 15 letters and digits with C in the fifth place",
                 id);
}

static void free_measurements(struct qpp_submission *sub)
{
    size_t i;

    for (i = 0; i < sub->nmeasurements; i++)
        qpp_free(sub->measurements[i].strata);
    qpp_free(sub->measurements);
}

static int make_output(struct qpp_run *run, json_t **out)
{
    struct qpp_submission sub;
    size_t i;
    int rc = -1;

    memset(&sub, 0, sizeof sub);
    sub.entity_type = run->o.entity_type;
    sub.tin = run->ids.tin;
    sub.npi = run->ids.npi;
    sub.entity_id = run->entity_id;
    sub.year = run->year;
    sub.method = run->o.method;
    sub.program = run->o.program;
    sub.cehrt_id = run->o.cehrt_id;
    sub.end_to_end = strcmp(run->o.method, "electronicHealthRecord") == 0;
    if (run->nslots)
        qsort(run->slots, run->nslots, sizeof *run->slots, cmp_slot);
    sub.measurements = qpp_calloc(run->nslots + 1, sizeof *sub.measurements);
    if (!sub.measurements)
        return -1;
    for (i = 0; i < run->nslots; i++) {
        struct slot *s = &run->slots[i];
        int bad;

        if (s->ntest) {
            struct qpp_place at = qpp_report_place(s->first);
            qpp_diag(run->d, QPP_TEST_CASE, &at, NULL,
                     "measure %s counts %zu test-case report(s) (cqfm-isTestCase)",
                     s->m->id, s->ntest);
        }
        if (s->bad || s->nreports == 0)
            continue;
        bad = make_value(run, s, &sub.measurements[sub.nmeasurements]);
        if (bad < 0)
            goto out;
        if (bad) {
            qpp_free(sub.measurements[sub.nmeasurements].strata);
            memset(&sub.measurements[sub.nmeasurements], 0, sizeof *sub.measurements);
            continue;
        }
        sub.nmeasurements++;
    }
    if (qpp_diags_errors(run->d) == 0)
        qpp_check_set(run->cy, &sub, run->o.structure != QPP_MEASUREMENT, run->d);
    if (run->o.structure == QPP_MEASUREMENT && sub.nmeasurements != 1 &&
        qpp_diags_errors(run->d) == 0)
        qpp_diag(run->d, QPP_MEASUREMENT_COUNT, NULL, NULL,
                 "--structure measurement writes one measurement; the input gives %zu "
                 "(choose one report with -r)",
                 sub.nmeasurements);
    if (qpp_diags_errors(run->d)) {
        rc = 0;
        goto out;
    }
    if (run->o.score.enabled) {
        rc = qpp_score_preview(&sub, run->cy, &run->o.score, out, run->d);
        goto out;
    }
    if (run->o.structure == QPP_SUBMISSION)
        *out = qpp_write_submission(&sub);
    else if (run->o.structure == QPP_MEASUREMENT_SET)
        *out = qpp_write_measurement_set(&sub);
    else
        *out = qpp_write_measurement(&sub, 0, run->o.measurement_set_id);
    rc = *out ? 0 : -1;
out:
    free_measurements(&sub);
    return rc;
}

int qpp_run_build(struct qpp_run *run, json_t **out)
{
    size_t i;

    *out = NULL;
    if (check_selection(run) < 0 || choose_year(run) < 0 || choose_catalog(run) < 0)
        return -1;
    qpp_check_program(run->cy, run->year, run->o.program, run->o.method,
                      run->o.entity_type, run->d);
    /* A lone measurement names neither the entity nor the CEHRT: the set
     * it joins at CMS already does. */
    if (run->o.structure != QPP_MEASUREMENT) {
        choose_entity(run);
        check_cehrt(run);
    }
    if (run->o.no_program_library) {
        qpp_diag(run->d, QPP_NO_PROGRAM_LIBRARY, NULL, NULL,
                 "not checking the reports against a quality-program Library");
    } else {
        run->library = find_library(run);
        if (run->library && read_library(run) < 0)
            goto nomem;
    }
    for (i = 0; i < run->ix->nreports; i++) {
        const struct qpp_report *r = run->ix->reports[i];
        if (place_report(run, r) < 0)
            goto nomem;
    }
    if (make_output(run, out) < 0)
        goto nomem;
    if (qpp_diags_errors(run->d)) {
        json_decref(*out);
        *out = NULL;
        return -1;
    }
    return 0;
nomem:
    qpp_diag(run->d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory");
    return -1;
}
