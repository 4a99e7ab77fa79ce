/* SPDX-License-Identifier: MIT */
/*
 * Pre-score: what CMS's MIPS quality scoring would make of a measurement set,
 * computed offline from CMS's benchmarks (benchmark.h) and measure facts
 * (catalog.h), with every rule it applied and why.  Pure: the measurements
 * come from the run (write.h) exactly as they would be submitted.  A preview
 * only: CMS's own scoring of the submission is the one that counts.
 *
 * Rounding: achievement points and the category score are rounded to 4
 * decimals, half away from zero, as CMS's scoring output shows them
 * (measure 110 at 82.31%: 8.9585); the category adds the rounded points of
 * its measures.  A performance rate is scored rounded to 2 decimals, half
 * up, as CMS keeps it (its example scores 110 from 82.31: 82.31 - 73.08 =
 * 9.23); rates are shown to 4 decimals, unrounded in the reasons.
 */
#ifndef QPP_SCORE_H
#define QPP_SCORE_H

#include <jansson.h>
#include <stdbool.h>

#include "benchmark.h"
#include "catalog.h"
#include "diag.h"
#include "write.h"

/* --pre-score and its options; part of struct qpp_options. */
struct qpp_score_options {
    int enabled;        /* qpp_run_build returns the preview, not the submission */
    int small_practice; /* the practice has 15 or fewer clinicians */
    const struct qpp_benchmark_set *benchmarks; /* --benchmarks; NULL: built in */
};

/* Where a rate falls among a benchmark's decile bounds. */
struct qpp_decile {
    int decile;                /* 1 to 10 */
    bool has_lower, has_upper; /* decile 10 is open on one side */
    double lower, upper;       /* the decile's bounds, as rates */
    double points;             /* decile + partial points, unrounded */
    bool on_boundary;          /* the rate equals the bound where the decile begins */
    /* Decile 1 taken to start at 0 (inverse: to end at 100): CMS does not say
     * whether there or at p1 (p99). */
    bool chosen_bound;
};

/* deciles: the lower bounds of deciles 2 to 10, ascending (percentiles 10
 * to 90).  A normal measure's decile d (2 to 9) is [p(10d-10), p(10d));
 * below p10 is decile 1, from p90 on decile 10.  An inverse measure's decile
 * d (2 to 9) is (p(100-10d), p(110-10d)]; up to p10 is decile 10, above p90
 * decile 1.  A bound belongs to the better decile.  Points: d + (rate -
 * lower) / (upper - lower), inverse d + (upper - rate) / (upper - lower);
 * decile 10 earns 10. */
void qpp_score_decile(double rate, const double deciles[9], bool inverse,
                      struct qpp_decile *out);

/* x rounded to 4 decimals, half away from zero. */
double qpp_score_round(double x);

/* The preview of the set s (its year, method, program and measurements),
 * with the measure facts of cy and the benchmarks o->benchmarks, or the
 * built-in ones of s->year.  Returns 0 with *out a new reference, or NULL
 * when an error was reported (no benchmarks for the year); -1 when out of
 * memory. */
int qpp_score_preview(const struct qpp_submission *s, const struct qpp_catalog_year *cy,
                      const struct qpp_score_options *o, json_t **out,
                      struct qpp_diags *d);

/* The preview (borrowed, as qpp_score_preview makes it) as an aligned
 * table: a new string ending in a newline, or NULL when out of memory. */
char *qpp_score_text(json_t *preview);

#endif
