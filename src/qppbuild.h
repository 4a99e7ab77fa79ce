/* SPDX-License-Identifier: MIT */
/*
 * qppbuild's library: FHIR R4 resources in, a QPP submission out.  main.c,
 * the unit tests and the fuzzer all use it through this header.
 *
 * jansson references: every function says whether a json_t it returns is a
 * new reference (the caller decrefs it) and whether one it takes is borrowed
 * (the default) or stolen.
 *
 * A run: qpp_run_new(), qpp_run_read_files() (or qpp_run_read_buffer() for
 * each input), qpp_run_build().  The library never prints or exits: findings
 * go to the struct qpp_diags.
 */
#ifndef QPPBUILD_H
#define QPPBUILD_H

#include <jansson.h>
#include <stdio.h>

#include "catalog.h"
#include "diag.h"
#include "map.h"
#include "measureid.h"
#include "provenance.h"
#include "score.h"
#include "write.h"

enum qpp_structure { QPP_SUBMISSION, QPP_MEASUREMENT_SET, QPP_MEASUREMENT };

/* What the user asked for; strings are borrowed for the run's lifetime. */
struct qpp_options {
    const char *organization_id; /* NULL: infer */
    const char *tin, *npi;       /* --tin, --npi: the entity's, or NULL */
    const char *library_id;      /* NULL: infer */
    int no_program_library;
    const char *const *report_ids; /* NULL: every MeasureReport */
    size_t nreport_ids;
    int year; /* 0: infer from the reports */
    const char *entity_type;
    const char *entity_id;
    enum qpp_structure structure;
    const char *measurement_set_id;
    const char *method;
    const char *program;
    const char *cehrt_id;
    enum qpp_counts counts;
    const struct qpp_measure_map *maps;
    size_t nmaps;
    /* From --measures-data: used for whatever the performance year is.
     * NULL: the built-in catalog. */
    const struct qpp_catalog_year *catalog;
    /* Reading: threads, and a report of progress now and then. */
    int jobs;
    void (*progress)(void *ctx, unsigned long long bytes, unsigned long long resources,
                     int done);
    void *progress_ctx;
    /* --pre-score: qpp_run_build returns the scoring preview (score.h) of
     * the measurements it checked, instead of the submission. */
    struct qpp_score_options score;
    /* --summary: qpp_run_build returns the summary MeasureReports of what
     * it counted (a JSON array; summary.h) instead of the submission. */
    int summary;
    /* Take the SHA-256 of every input (for --summary's partial-sum digest
     * and --provenance); set by qpp_run_new when summary is.  Off, a run
     * does not spend the time. */
    int digest_inputs;
};

void qpp_options_init(struct qpp_options *o);

struct qpp_run;

struct qpp_run *qpp_run_new(const struct qpp_options *o, struct qpp_diags *d);
void qpp_run_free(struct qpp_run *run);

/* Read the files named, in order ("-" is standard input; each name is the
 * file's in diagnostics).  A file that cannot be opened is reported and the
 * others are read.  Returns 0, or -1 when the run cannot go on (read error
 * or out of memory; reported). */
int qpp_run_read_files(struct qpp_run *run, const char *const *names, int n);
/* The same for one input in memory, source naming it. */
int qpp_run_read_buffer(struct qpp_run *run, const char *buf, size_t len,
                        const char *source);

/* Check everything and build the output (the submission, or with
 * o->score.enabled its preview).  On success (no error found) returns 0 and
 * sets *out to a new reference; else returns -1. */
int qpp_run_build(struct qpp_run *run, json_t **out);

/* The performance year the run settled on (after qpp_run_build), or 0. */
int qpp_run_year(const struct qpp_run *run);

/* After a successful qpp_run_build: the provenance Bundle (provenance.h) of
 * bytes[0..len), the output written, recorded at that time.  A new reference,
 * or NULL when out of memory (reported). */
json_t *qpp_run_provenance(struct qpp_run *run, const char *bytes, size_t len,
                           time_t recorded);

/* Add a note per resourceType read but not used (for -v). */
void qpp_run_note_skipped(struct qpp_run *run);

#endif
