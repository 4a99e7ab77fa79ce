/* SPDX-License-Identifier: MIT */
/*
 * A run from the resources read to the QPP JSON.  This file only calls the
 * stages in order and passes their results on; each decision lives in the
 * module named for it:
 *   read.c, index.c   the resources of the input
 *   select.c          which reports count and why, and the performance year
 *   entity.c          the Organization and identifiers of the entity
 *   library.c         the quality-program Library and its Measures
 *   tally.c           the chosen reports added up per QPP measure
 *   map.c             a measure's counts to its QPP value or strata
 *   check.c, write.c  CMS's rules for the set, and the QPP JSON
 *   summary.c         or, with --summary, the tally as FHIR MeasureReports
 *   provenance.c      and with --provenance, what was written, as FHIR
 */
#include "qppbuild.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "entity.h"
#include "index.h"
#include "library.h"
#include "read.h"
#include "select.h"
#include "tally.h"
#include "util.h"
#include "write.h"

struct qpp_run {
    struct qpp_options o;
    struct qpp_diags *d;
    struct qpp_index *ix;
    int year;
    const struct qpp_catalog_year *cy;
    struct qpp_library lib;
    struct qpp_select sel;
    struct qpp_tally tally;
    struct qpp_entity_ids ids;
    const char *entity_id;
    const struct qpp_resource *org; /* the entity's Organization, or NULL */
    struct qpp_input *inputs;       /* each input read, with its SHA-256 */
    size_t ninputs, capinputs;
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
    if (o->summary)
        run->o.digest_inputs = 1;
    run->d = d;
    run->ix = qpp_index_new(d, o->report_ids, o->nreport_ids);
    if (!run->ix) {
        qpp_free(run);
        return NULL;
    }
    run->ix->counts = (int)o->counts;
    run->ix->registry = qpp_streq(o->method, "registry");
    return run;
}

void qpp_run_free(struct qpp_run *run)
{
    if (!run)
        return;
    qpp_library_free(&run->lib);
    qpp_tally_free(&run->tally);
    qpp_select_free(&run->sel);
    qpp_index_free(run->ix);
    while (run->ninputs)
        qpp_free((char *)run->inputs[--run->ninputs].name);
    qpp_free(run->inputs);
    qpp_free(run);
}

/* Keep the name and digest of an input read.  -1 when out of memory. */
static int note_input(void *ctx, const char *source,
                      const unsigned char sha256[QPP_SHA256_LEN])
{
    struct qpp_run *run = ctx;
    struct qpp_input *in;
    char *name;

    if (qpp_grow((void **)&run->inputs, &run->capinputs, run->ninputs + 1,
                 sizeof *run->inputs) < 0 ||
        !(name = qpp_strdup(source ? source : "-"))) {
        qpp_diag_nomem(run->d);
        return -1;
    }
    in = &run->inputs[run->ninputs++];
    in->name = name;
    memcpy(in->sha256, sha256, QPP_SHA256_LEN);
    return 0;
}

static int add_item(void *ctx, struct qpp_item *item)
{
    struct qpp_run *run = ctx;

    return qpp_index_add(run->ix, item);
}

int qpp_run_read_files(struct qpp_run *run, const char *const *names, int n)
{
    struct qpp_read_options ro = {run->o.jobs, run->o.progress, run->o.progress_ctx, NULL,
                                  run->o.digest_inputs};

    return qpp_read_files(names, n, &ro, add_item, note_input, run, run->d);
}

int qpp_run_read_buffer(struct qpp_run *run, const char *buf, size_t len,
                        const char *source)
{
    struct qpp_sha256 sha;
    unsigned char digest[QPP_SHA256_LEN];
    struct qpp_read_options ro = {run->o.jobs, run->o.progress, run->o.progress_ctx,
                                  run->o.digest_inputs ? &sha : NULL, 0};
    int rc;

    qpp_sha256_init(&sha);
    rc = qpp_read_buffer(buf, len, source, &ro, qpp_index_add, run->ix, run->d);
    if (rc < 0)
        return rc;
    qpp_sha256_final(&sha, digest);
    return note_input(run, source, digest);
}

/* What a partial sum of this run counted: the SHA-256 of its inputs' digests
 * (and of -r's ids, which choose among them). */
static void run_digest(const struct qpp_run *run, unsigned char out[QPP_SHA256_LEN])
{
    static const char tag[] = "qppbuild partial-sum 1";
    struct qpp_sha256 c;
    size_t i;

    qpp_sha256_init(&c);
    qpp_sha256_update(&c, tag, sizeof tag);
    for (i = 0; i < run->ninputs; i++)
        qpp_sha256_update(&c, run->inputs[i].sha256, QPP_SHA256_LEN);
    for (i = 0; i < run->o.nreport_ids; i++)
        qpp_sha256_update(&c, run->o.report_ids[i], strlen(run->o.report_ids[i]) + 1);
    qpp_sha256_final(&c, out);
}

/* The tally as summary MeasureReports.  1 on a data error, -1 out of memory. */
static int make_summaries(struct qpp_run *run, json_t **out)
{
    unsigned char digest[QPP_SHA256_LEN];

    run_digest(run, digest);
    qpp_tally_sort(&run->tally);
    return qpp_tally_summaries(&run->tally, digest, run->ids.tin, out);
}

/* The Organization the provenance names: the entity's, else the reporter
 * all summaries name; *out NULL to name it by TIN.  -1 when out of memory. */
static int provenance_organization(const struct qpp_run *run, json_t *summaries,
                                   char **out)
{
    const char *ref = NULL, *r;
    json_t *mr;
    size_t i;

    *out = NULL;
    if (run->org && run->org->id) {
        ref = run->org->name;
    } else {
        json_array_foreach(summaries, i, mr)
        {
            r = json_string_value(
                json_object_get(json_object_get(mr, "reporter"), "reference"));
            if (!qpp_ref_id(r, "Organization") || (ref && strcmp(ref, r) != 0))
                return 0;
            ref = r;
        }
    }
    if (ref && !(*out = qpp_strdup(ref)))
        return -1;
    return 0;
}

json_t *qpp_run_provenance(struct qpp_run *run, const char *bytes, size_t len,
                           time_t recorded)
{
    struct qpp_provenance p;
    json_t *summaries = NULL, *bundle = NULL;
    char *org = NULL;
    int rc = make_summaries(run, &summaries);

    if (rc == 0 && provenance_organization(run, summaries, &org) < 0)
        rc = -1;
    if (rc == 0) {
        memset(&p, 0, sizeof p);
        p.bytes = bytes;
        p.len = len;
        p.summaries = summaries;
        p.organization = org;
        p.tin = run->ids.tin;
        p.version = QPP_VERSION;
        p.recorded = recorded;
        p.inputs = run->inputs;
        p.ninputs = run->ninputs;
        bundle = qpp_provenance_write(&p);
    }
    if (!bundle && rc <= 0)
        qpp_diag_nomem(run->d);
    qpp_free(org);
    json_decref(summaries);
    return bundle;
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
            qpp_buf_printf(&b, "%s%d", i ? ", " : "", qpp_catalog_builtin_nth(i));
        qpp_diag(run->d, QPP_YEAR_UNSUPPORTED, NULL, NULL,
                 "no measure data for %d (built in: %s); give CMS's file with "
                 "--measures-data",
                 run->year, b.s ? b.s : "");
        qpp_buf_free(&b);
    }
    return -1;
}

/* The Library, unless --no-program-library.  -1 when out of memory. */
static int choose_library(struct qpp_run *run)
{
    const struct qpp_resource *res;

    if (run->o.no_program_library) {
        qpp_diag(run->d, QPP_NO_PROGRAM_LIBRARY, NULL, NULL,
                 "not checking the reports against a quality-program Library");
        return 0;
    }
    res = qpp_library_find(run->ix, run->o.library_id, run->d);
    return res ? qpp_library_read(&run->lib, res, run->ix, run->d) : 0;
}

/* Each report judged (select), then added to its measure (tally). */
static int count_reports(struct qpp_run *run)
{
    size_t i;

    run->sel.o = &run->o;
    run->sel.ix = run->ix;
    run->sel.lib = run->lib.res ? &run->lib : NULL;
    run->sel.cy = run->cy;
    run->sel.year = run->year;
    run->sel.d = run->d;
    run->tally.ix = run->ix;
    run->tally.d = run->d;
    for (i = 0; i < run->ix->nreports; i++) {
        const struct qpp_report *r = run->ix->reports[i];
        const struct qpp_resolved *res;
        struct qpp_slot *s;

        if (qpp_select_report(&run->sel, r, &res) < 0)
            return -1;
        if (!res || !res->m)
            continue;
        if (!(s = qpp_tally_slot(&run->tally, res->m)))
            return -1;
        if (res->order < s->order)
            s->order = res->order;
        if (!s->measure)
            s->measure = res->measure;
        if (res->failed || r->invalid)
            s->bad = 1;
        if (!r->invalid && qpp_tally_add(&run->tally, s, r) < 0)
            return -1;
    }
    qpp_select_missing(&run->sel);
    return 0;
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
    qpp_tally_sort(&run->tally);
    sub.measurements = qpp_calloc(run->tally.nslots + 1, sizeof *sub.measurements);
    if (!sub.measurements)
        return -1;
    for (i = 0; i < run->tally.nslots; i++) {
        const struct qpp_slot *s = &run->tally.slots[i];
        int bad;

        if (s->ntest) {
            struct qpp_place at = qpp_report_place(s->first);
            qpp_diag(run->d, QPP_TEST_CASE, &at, NULL,
                     "measure %s counts %zu test-case report(s) (cqfm-isTestCase)",
                     s->m->id, s->ntest);
        }
        if (s->bad || s->nreports == 0)
            continue;
        bad = qpp_map_measure(s, run->year, run->o.counts,
                              strcmp(run->o.method, "registry") == 0,
                              &sub.measurements[sub.nmeasurements], run->d);
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
    const struct qpp_resource *org = NULL;
    int rc;

    *out = NULL;
    if (qpp_select_check(run->ix, &run->o, run->d) < 0)
        return -1;
    /* A lone measurement names neither the entity nor the CEHRT: the set
     * it joins at CMS already does. */
    if (run->o.structure != QPP_MEASUREMENT)
        org = run->org =
            qpp_entity_choose(&run->o, run->ix, &run->ids, &run->entity_id, run->d);
    rc = qpp_select_reporters(run->ix, &run->o, org, run->d);
    if (rc < 0)
        goto nomem;
    if (rc > 0)
        return -1;
    if (qpp_select_year(run->ix, &run->o, &run->year, run->d) < 0 ||
        choose_catalog(run) < 0)
        return -1;
    qpp_check_program(run->cy, run->year, run->o.program, run->o.method,
                      run->o.entity_type, run->d);
    if (run->o.structure != QPP_MEASUREMENT)
        qpp_check_cehrt(run->o.cehrt_id, run->o.method, run->year, run->d);
    if (choose_library(run) < 0 || count_reports(run) < 0)
        goto nomem;
    /* A summary is a shard's sums: the rules for the whole set wait for the
     * run that adds them up. */
    if (run->o.summary ? make_summaries(run, out) < 0 : make_output(run, out) < 0)
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
