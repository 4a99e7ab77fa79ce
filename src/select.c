/* SPDX-License-Identifier: MIT */
/* Which reports count and why; see select.h. */
#include "select.h"

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

/* The years the reports' periods end in: each with its first report and
 * how many name it, for the message. */
struct years {
    int year[8];
    const char *first[8];
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
        ys->first[ys->n] = r->name;
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
            qpp_buf_printf(&b, "%s%d (%s", k ? "; " : "", ys.year[k], ys.first[k]);
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

    for (i = 0; i < sel->nresolved; i++)
        qpp_free(sel->resolved[i].canonical);
    qpp_free(sel->resolved);
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
    size_t i;

    for (i = 0; i < sel->nresolved; i++)
        if (strcmp(sel->resolved[i].canonical, r->measure) == 0)
            return &sel->resolved[i];
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

int qpp_select_report(struct qpp_select *sel, const struct qpp_report *r,
                      const struct qpp_resolved **out)
{
    size_t v;

    *out = NULL;
    check_period(sel, r);
    for (v = 0; v < r->nvariants; v++)
        check_period(sel, r->variants[v]);
    if (!r->measure)
        return 0;
    *out = resolve(sel, r);
    return *out ? 0 : -1;
}
