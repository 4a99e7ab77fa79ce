/* SPDX-License-Identifier: MIT */
/*
 * A MeasureReport reduced to what qppbuild needs: its measure, period, type
 * and the counts of each group's proportion populations.  Reading checks the
 * report's shape and reports problems with JSON Pointers into it.
 */
#ifndef QPP_REPORT_H
#define QPP_REPORT_H

#include <jansson.h>

#include "diag.h"
#include "hashset.h"
#include "period.h"
#include "tree.h"

/* Populations matched by system + code (measure-population code system). */
enum qpp_pop {
    QPP_POP_IP,       /* initial-population */
    QPP_POP_DENOM,    /* denominator */
    QPP_POP_DENEX,    /* denominator-exclusion */
    QPP_POP_DENEXCEP, /* denominator-exception */
    QPP_POP_NUMER,    /* numerator */
    QPP_POP_NUMEX,    /* numerator-exclusion */
    QPP_NPOP
};

extern const char *const qpp_pop_code[QPP_NPOP];

struct qpp_group {
    char *id; /* group.id, or NULL */
    long long count[QPP_NPOP];
    unsigned present; /* bit 1 << pop when the group has that population */
};

enum qpp_report_type {
    QPP_REPORT_SUMMARY,
    QPP_REPORT_INDIVIDUAL,
    QPP_REPORT_SUBJECT_LIST,
    QPP_REPORT_DATA_COLLECTION
};

struct qpp_partial; /* summary.h */

struct qpp_report {
    char *id;     /* NULL when the report has none */
    char *name;   /* "MeasureReport/abc", or "MeasureReport" without an id */
    char *source; /* where it was read */
    int line, column;
    char *base; /* pointer from the file's JSON value to the report when it has no id */
    enum qpp_report_type type;
    char *measure;             /* canonical as written */
    char *reporter;            /* reporter.reference, or NULL */
    char *subject;             /* subject.reference, or "identifier system|value" */
    int subject_by_identifier; /* never shown: it may identify a patient */
    /* qpp_hashset_key of id (domain 1) and of subject (domain 2), 0 without
     * one: taken where the report is read, so that adding it up does not. */
    unsigned long long id_key, subject_key;
    int has_period; /* start and end parsed and in order */
    struct qpp_when start, end;
    char *period_start, *period_end; /* as written, when has_period */
    struct qpp_partial *partial;     /* qppbuild's partial-sum extension, or NULL */
    int test_case;                   /* cqfm-isTestCase */
    int invalid;                     /* an error was found reading it */
    size_t ngroups;
    struct qpp_group *groups;
    /* Individual reports of one Measure canonical are summed into the first
     * of them (index.c): */
    size_t nreports, ntest;       /* how many reports, and test cases */
    struct qpp_report **variants; /* the first report of each other period */
    size_t nvariants, capvariants;
    struct qpp_hashset periods;  /* a period's key -> its variant's index */
    struct qpp_hashset subjects; /* every subject counted */
    int mixed_reporters;         /* the reports name different reporters */
    /* Individual reports that count a population more than once (counts
     * 0 or 1 only in a patient-based group, which the Measure says): */
    size_t nover;         /* how many */
    unsigned over_groups; /* bit i: in group i (the first 32 groups) */
    char *over_where;     /* the first of them: "file:line:column (name)" */
    size_t over_group;    /* its group, population and count */
    int over_pop;
    long long over_count;
    int left_out; /* selection: not counted (another Organization's) */
    /* The blocks its strings and groups above are in (freed with it; every
     * string and the groups of a report read are there, but over_where). */
    struct qpp_report_block *blocks;
};

/* Read a MeasureReport (borrowed).  *out is a new report even when the report
 * has errors (then invalid is set); NULL only when out of memory (-1). */
int qpp_report_read(const struct qpp_jv *mr, const struct qpp_place *at,
                    struct qpp_report **out, struct qpp_diags *d);
void qpp_report_free(struct qpp_report *r);

/* The place of the report itself, for diagnostics about it. */
struct qpp_place qpp_report_place(const struct qpp_report *r);

const char *qpp_report_type_name(enum qpp_report_type t);

/* Judge an individual report on its own, before it is added to others
 * (DESIGN 4): its counts must map as a summary's would (counts: gross or
 * net; registry: for registry submissions), so that a contradiction is never
 * hidden by a sum; a count above 1 is noted (over_*) for the Measure's
 * population basis to judge.  Sets r->invalid on an error.  -1 when out of
 * memory.  Summary and subject-list reports are judged when mapped. */
int qpp_report_judge(struct qpp_report *r, int counts, int registry, struct qpp_diags *d);

/* How b's groups line up with a's: perm[i] is the group of a that b's group
 * i is.  By id when every group on both sides has one, each once, else by
 * position.  -1 when the numbers differ, the ids name different groups, or
 * (several groups) one side has ids on every group and the other not. */
int qpp_report_match_groups(const struct qpp_group *a, size_t na,
                            const struct qpp_group *b, size_t nb, size_t *perm);

#endif
