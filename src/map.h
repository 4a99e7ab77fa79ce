/* SPDX-License-Identifier: MIT */
/*
 * From FHIR population counts to QPP performance-rate values (DESIGN section
 * 4).  Pure arithmetic: no catalog, no JSON.
 *
 * gross (default; current cqf engines, fqm-execution, MADiE):
 *   eligiblePopulation          = denominator
 *   eligiblePopulationExclusion = denominator-exclusion
 *   eligiblePopulationException = denominator-exception
 *   performanceMet              = numerator - numerator-exclusion
 *   performanceNotMet           = eligible - met - exclusion - exception
 * net (older cqf engines, whose denominator already lacks exclusions and
 * exceptions):
 *   eligiblePopulation = denominator + exclusion + exception
 *   performanceMet     = numerator
 *   performanceNotMet  = denominator - numerator
 * registry (MIPS CQMs): CMS wants excluded patients out of the eligible
 * population and eligiblePopulationExclusion 0.
 *
 * qpp_map_measure turns one measure's summed groups into its QPP value or
 * strata: which group is which stratum, and how strata are named, is all
 * decided here.
 */
#ifndef QPP_MAP_H
#define QPP_MAP_H

#include "diag.h"
#include "report.h"
#include "util.h"

enum qpp_counts { QPP_COUNTS_GROSS, QPP_COUNTS_NET };

struct qpp_value {
    long long met, not_met, eligible, exclusion, exception;
};

/* Map one group's counts.  Returns QPP_NCODES when the counts are
 * consistent; else the code of the problem, explained in why. */
enum qpp_code qpp_map_group(const struct qpp_group *g, enum qpp_counts counts,
                            int registry, struct qpp_value *v, struct qpp_buf *why);

/* Add b's counts to a's (a population present in either is present in the
 * sum).  -1 when a count would overflow. */
int qpp_map_add(struct qpp_group *a, const struct qpp_group *b);

/* met / (met + notMet) is undefined: CMS gives no rate. */
int qpp_value_has_rate(const struct qpp_value *v);

struct qpp_slot;
struct qpp_measurement;

/* The QPP value (single rate) or strata (multi rate) of the measure of slot
 * s for year: q->measure_id, q->value or q->strata (new, free with
 * qpp_free()).  0 when made, 1 when the counts do not make one (reported),
 * -1 when out of memory. */
int qpp_map_measure(const struct qpp_slot *s, int year, enum qpp_counts counts,
                    int registry, struct qpp_measurement *q, struct qpp_diags *d);

#endif
