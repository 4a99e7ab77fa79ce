/* SPDX-License-Identifier: MIT */
/*
 * Diagnostics: every finding of a run, with a stable code, a severity and a
 * place (file and line:column for JSON syntax; file, resource and JSON Pointer
 * after).  The core collects them; main.c prints them.  Tests assert codes and
 * places, never the wording of messages.
 */
#ifndef QPP_DIAG_H
#define QPP_DIAG_H

#include <jansson.h>
#include <stdarg.h>
#include <stddef.h>

enum qpp_severity { QPP_NOTE, QPP_WARNING, QPP_ERROR };

/* X(constant, "code", severity): the one list of codes.  The man page's
 * DIAGNOSTICS section lists every one (a test checks it). */
#define QPP_CODES(X)                                                                     \
    X(IO_ERROR, "io-error", QPP_ERROR)                                                   \
    X(OUT_OF_MEMORY, "out-of-memory", QPP_ERROR)                                         \
    X(USAGE, "usage", QPP_ERROR)                                                         \
    X(JSON_SYNTAX, "json-syntax", QPP_ERROR)                                             \
    X(INPUT_TRUNCATED, "input-truncated", QPP_ERROR)                                     \
    X(NOT_JSON, "not-json", QPP_ERROR)                                                   \
    X(BULK_MANIFEST, "bulk-manifest", QPP_ERROR)                                         \
    X(SEARCH_INCOMPLETE, "search-incomplete", QPP_ERROR)                                 \
    X(EVALUATION_FAILED, "evaluation-failed", QPP_ERROR)                                 \
    X(EMPTY_INPUT, "empty-input", QPP_ERROR)                                             \
    X(NOT_A_RESOURCE, "not-a-resource", QPP_ERROR)                                       \
    X(UNKNOWN_RESOURCE_TYPE, "unknown-resource-type", QPP_ERROR)                         \
    X(BUNDLE_INVALID, "bundle-invalid", QPP_ERROR)                                       \
    X(DUPLICATE_RESOURCE, "duplicate-resource", QPP_ERROR)                               \
    X(SKIPPED_RESOURCES, "skipped-resources", QPP_NOTE)                                  \
    X(MEASURES_DATA_INVALID, "measures-data-invalid", QPP_ERROR)                         \
    X(MEASURES_DATA_YEAR, "measures-data-year", QPP_ERROR)                               \
    X(BENCHMARKS_INVALID, "benchmarks-invalid", QPP_ERROR)                               \
    X(BENCHMARKS_YEAR, "benchmarks-year", QPP_ERROR)                                     \
    X(BENCHMARK_SKIPPED, "benchmark-skipped", QPP_WARNING)                               \
    X(INVERSE_CONFLICT, "inverse-conflict", QPP_WARNING)                                 \
    X(REPORT_NOT_FOUND, "report-not-found", QPP_ERROR)                                   \
    X(NO_REPORTS, "no-reports", QPP_ERROR)                                               \
    X(REPORT_SKIPPED, "report-skipped", QPP_WARNING)                                     \
    X(REPORT_NOT_COMPLETE, "report-not-complete", QPP_WARNING)                           \
    X(REPORT_STATUS_ERROR, "report-status-error", QPP_ERROR)                             \
    X(STATUS_INVALID, "status-invalid", QPP_ERROR)                                       \
    X(REPORTER_OTHER, "reporter-other", QPP_WARNING)                                     \
    X(COUNTS_LOOK_NET, "counts-look-net", QPP_WARNING)                                   \
    X(REPORT_INVALID, "report-invalid", QPP_ERROR)                                       \
    X(UNKNOWN_MODIFIER, "unknown-modifier", QPP_ERROR)                                   \
    X(TEST_CASE, "test-case", QPP_WARNING)                                               \
    X(COUNT_NOT_INTEGER, "count-not-integer", QPP_ERROR)                                 \
    X(NEGATIVE_COUNT, "negative-count", QPP_ERROR)                                       \
    X(COUNT_MISSING, "count-missing", QPP_WARNING)                                       \
    X(COUNT_OVERFLOW, "count-overflow", QPP_ERROR)                                       \
    X(DUPLICATE_POPULATION, "duplicate-population", QPP_ERROR)                           \
    X(POPULATION_SYSTEM_LEGACY, "population-system-legacy", QPP_WARNING)                 \
    X(POPULATION_CODE_CASE, "population-code-case", QPP_ERROR)                           \
    X(POPULATION_SYSTEM_UNKNOWN, "population-system-unknown", QPP_ERROR)                 \
    X(COUNT_ABOVE_ONE, "count-above-one", QPP_ERROR)                                     \
    X(POPULATION_BASIS_UNKNOWN, "population-basis-unknown", QPP_WARNING)                 \
    X(SUBJECT_LIST_COUNT, "subject-list-count", QPP_ERROR)                               \
    X(PERIOD_MISSING, "period-missing", QPP_ERROR)                                       \
    X(PERIOD_INVALID, "period-invalid", QPP_ERROR)                                       \
    X(PERIOD_REVERSED, "period-reversed", QPP_ERROR)                                     \
    X(PERIOD_OUTSIDE_YEAR, "period-outside-year", QPP_ERROR)                             \
    X(PERIOD_PARTIAL, "period-partial", QPP_ERROR)                                       \
    X(YEAR_UNKNOWN, "year-unknown", QPP_ERROR)                                           \
    X(YEAR_AMBIGUOUS, "year-ambiguous", QPP_ERROR)                                       \
    X(YEAR_UNSUPPORTED, "year-unsupported", QPP_ERROR)                                   \
    X(YEAR_PROVISIONAL, "year-provisional", QPP_WARNING)                                 \
    X(ORGANIZATION_NOT_FOUND, "organization-not-found", QPP_ERROR)                       \
    X(ORGANIZATION_AMBIGUOUS, "organization-ambiguous", QPP_ERROR)                       \
    X(REPORTER_UNRESOLVED, "reporter-unresolved", QPP_ERROR)                             \
    X(REPORTER_AMBIGUOUS, "reporter-ambiguous", QPP_ERROR)                               \
    X(ORGANIZATION_MISSING, "organization-missing", QPP_ERROR)                           \
    X(LIBRARY_NOT_FOUND, "library-not-found", QPP_ERROR)                                 \
    X(LIBRARY_AMBIGUOUS, "library-ambiguous", QPP_ERROR)                                 \
    X(LIBRARY_MISSING, "library-missing", QPP_ERROR)                                     \
    X(LIBRARY_NOT_QPP, "library-not-qpp", QPP_WARNING)                                   \
    X(NO_PROGRAM_LIBRARY, "no-program-library", QPP_WARNING)                             \
    X(TIN_MISSING, "tin-missing", QPP_ERROR)                                             \
    X(TIN_INVALID, "tin-invalid", QPP_ERROR)                                             \
    X(NPI_MISSING, "npi-missing", QPP_ERROR)                                             \
    X(NPI_INVALID, "npi-invalid", QPP_ERROR)                                             \
    X(IDENTIFIER_CONFLICT, "identifier-conflict", QPP_ERROR)                             \
    X(ENTITY_ID_MISSING, "entity-id-missing", QPP_ERROR)                                 \
    X(CEHRT_ID_MISSING, "cehrt-id-missing", QPP_ERROR)                                   \
    X(CEHRT_ID_INVALID, "cehrt-id-invalid", QPP_ERROR)                                   \
    X(PROGRAM_UNKNOWN, "program-unknown", QPP_ERROR)                                     \
    X(METHOD_UNKNOWN, "method-unknown", QPP_ERROR)                                       \
    X(PROGRAM_ENTITY, "program-entity", QPP_ERROR)                                       \
    X(MEASURE_NOT_FOUND, "measure-not-found", QPP_ERROR)                                 \
    X(MEASURE_AMBIGUOUS, "measure-ambiguous", QPP_ERROR)                                 \
    X(MEASURE_VERSION, "measure-version", QPP_WARNING)                                   \
    X(MEASURE_VERSIONS, "measure-versions", QPP_ERROR)                                   \
    X(MEASURE_VERSION_OLD, "measure-version-old", QPP_WARNING)                           \
    X(PERIOD_NOT_MEASURE, "period-not-measure", QPP_WARNING)                             \
    X(MEASURE_MISSING, "measure-missing", QPP_WARNING)                                   \
    X(NOT_IN_LIBRARY, "not-in-library", QPP_ERROR)                                       \
    X(VERSION_MISMATCH, "version-mismatch", QPP_ERROR)                                   \
    X(MEASURE_ID_UNKNOWN, "measure-id-unknown", QPP_ERROR)                               \
    X(MEASURE_ID, "measure-id", QPP_NOTE)                                                \
    X(MEASURE_NOT_IN_YEAR, "measure-not-in-year", QPP_ERROR)                             \
    X(METRIC_UNSUPPORTED, "metric-unsupported", QPP_ERROR)                               \
    X(METHOD_NOT_ALLOWED, "method-not-allowed", QPP_ERROR)                               \
    X(PROGRAM_NOT_ALLOWED, "program-not-allowed", QPP_ERROR)                             \
    X(ENTITY_NOT_ALLOWED, "entity-not-allowed", QPP_ERROR)                               \
    X(DUPLICATE_MEASURE, "duplicate-measure", QPP_ERROR)                                 \
    X(MIXED_REPORT_TYPES, "mixed-report-types", QPP_ERROR)                               \
    X(PARTIAL_SUM_TWICE, "partial-sum-twice", QPP_ERROR)                                 \
    X(DUPLICATE_SUBJECT, "duplicate-subject", QPP_ERROR)                                 \
    X(GROUP_MISMATCH, "group-mismatch", QPP_ERROR)                                       \
    X(STRATA_MISMATCH, "strata-mismatch", QPP_ERROR)                                     \
    X(STRATA_FILLED, "strata-filled", QPP_NOTE)                                          \
    X(STRATA_ORDER, "strata-order", QPP_WARNING)                                         \
    X(NOT_PROPORTION, "not-proportion", QPP_ERROR)                                       \
    X(DENOMINATOR_EXCEEDS_IP, "denominator-exceeds-initial-population", QPP_ERROR)       \
    X(NEGATIVE_NOT_MET, "negative-not-met", QPP_ERROR)                                   \
    X(INCONSISTENT_COUNTS, "inconsistent-counts", QPP_ERROR)                             \
    X(NO_RATE, "no-rate", QPP_WARNING)                                                   \
    X(SMALL_CASE_COUNT, "small-case-count", QPP_WARNING)                                 \
    X(FEW_MEASURES, "few-measures", QPP_WARNING)                                         \
    X(NO_HIGH_PRIORITY, "no-high-priority", QPP_WARNING)                                 \
    X(MVP_NO_OUTCOME, "mvp-no-outcome", QPP_WARNING)                                     \
    X(APP_PLUS_MISSING, "app-plus-missing", QPP_WARNING)                                 \
    X(CMS_COMPUTED, "cms-computed", QPP_NOTE)                                            \
    X(MEASUREMENT_COUNT, "measurement-count", QPP_ERROR)                                 \
    X(TOO_MANY, "too-many-diagnostics", QPP_NOTE)

#define QPP_CODE_ENUM(name, str, sev) QPP_##name,
enum qpp_code { QPP_CODES(QPP_CODE_ENUM) QPP_NCODES };
#undef QPP_CODE_ENUM

/* Where a diagnostic points.  Strings are borrowed; the diagnostic copies. */
struct qpp_place {
    const char *source;   /* file name, "-" for standard input, or NULL */
    int line, column;     /* 1-based; -1 when not known */
    const char *resource; /* "MeasureReport/abc", or NULL */
    const char *pointer;  /* JSON Pointer into the resource (or file), or NULL */
};

struct qpp_diag {
    enum qpp_severity severity;
    enum qpp_code code;
    char *source;
    int line, column;
    char *resource;
    char *pointer;
    char *message; /* lower case, no final period */
};

struct qpp_diags {
    struct qpp_diag *v;
    size_t len, cap;
    size_t count[3];                 /* all findings by severity, kept or not */
    size_t dropped[3];               /* findings over the cap, by severity */
    size_t dropped_code[QPP_NCODES]; /* and by code */
    unsigned char seen[QPP_NCODES];  /* a finding of the code was kept */
    size_t cap_per_severity;
    int nomem; /* a diagnostic itself could not be stored */
    int io;    /* an input/output or memory error was found, stored or not */
};

#define QPP_DIAG_CAP 100
/* Errors are never capped away; this bounds only the memory they take on a
 * file of millions of bad lines (each code past it still has its line). */
#define QPP_DIAG_ERROR_CAP 10000

/* The cap policy (DESIGN 5): past cap_per_severity notes and warnings (and
 * past QPP_DIAG_ERROR_CAP errors) are kept only when they are the first of
 * their code, so a cap never hides a code; the others are counted per code,
 * for one line each (qpp_diags_dropped_line). */
void qpp_diags_init(struct qpp_diags *d);
void qpp_diags_free(struct qpp_diags *d);

/* Record a finding.  at->pointer is a prefix; pointer (may be NULL) is
 * appended to it. */
void qpp_diag(struct qpp_diags *d, enum qpp_code code, const struct qpp_place *at,
              const char *pointer, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void qpp_diag_nomem(struct qpp_diags *d);

size_t qpp_diags_errors(const struct qpp_diags *d);

/* The line that says how many findings of code the cap left out, into g
 * (its message in buf); 0 when none were. */
int qpp_diags_dropped_line(const struct qpp_diags *d, enum qpp_code code,
                           struct qpp_diag *g, char *buf, size_t n);

/* How a subject reference may be shown: as written when it is a plain
 * Type/id, else (a conditional reference with identifiers or names, an
 * absolute url with a query, an identifier) a short digest, salted per run,
 * that tells two subjects apart within the run and names no patient. */
const char *qpp_diag_subject(const char *ref, char *buf, size_t n);
/* 1 when an error stems from input/output or memory, not from the data. */
int qpp_diags_io_failed(const struct qpp_diags *d);

const char *qpp_code_name(enum qpp_code code);
enum qpp_severity qpp_code_severity(enum qpp_code code);
const char *qpp_severity_name(enum qpp_severity sev);

/* Render one diagnostic: text form "file:line:col: resource pointer:
 * severity[code]: message" (without the program name and newline) into a new
 * string, or a new JSON object.  NULL when out of memory. */
char *qpp_diag_text(const struct qpp_diag *g);
json_t *qpp_diag_json(const struct qpp_diag *g);

#endif
