/* SPDX-License-Identifier: MIT */
/*
 * What the parts of the pre-score share (score.h is its interface): the
 * policy numbers, a measurement as it scores with the rules that made it,
 * and the category total.  score.c scores (benchmarks, deciles, caps, the
 * category), score_rate.c computes the rates, data completeness and case
 * counts, score_json.c writes the preview, score_text.c renders it as a
 * table.
 */
#ifndef QPP_SCORING_H
#define QPP_SCORING_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "score.h"

#define CASE_MINIMUM         20 /* [policy] section 10.1 */
#define TOPPED_OUT_CAP       7  /* [policy] section 10.4 */
#define SMALL_PRACTICE_FLOOR 3  /* [policy] section 10.6 */
#define SMALL_PRACTICE_BONUS 6  /* [policy] added to the category's points */
#define NEW_MEASURE_FLOOR_1  7  /* [policy] section 10.6: first year */
#define NEW_MEASURE_FLOOR_2  5  /* second year */
#define MEASURES_MIPS        6  /* [policy] six measures, one outcome or high priority */
#define MEASURES_MVP         4  /* [policy] an MVP asks for four */

struct rule {
    const char *code;
    char *reason;
};

/* The rules of a measure or of the category, as many as apply. */
struct rules {
    struct rule *v;
    size_t n, cap;
};

/* One measurement and how it scored. */
struct scored {
    const struct qpp_measurement *q;
    const struct qpp_measure *m; /* NULL when the catalog lacks it */
    const struct qpp_benchmark *b;
    bool has_rate, has_reporting, benchmarked, counted, priority;
    bool inverse;       /* the benchmark is scored as an inverse measure's */
    double scored_rate; /* rate rounded to 2 decimals, as CMS keeps it */
    double rate, reporting;
    long long cases;
    struct qpp_decile dec;
    double benchmark_points, points; /* rounded */
    struct rules rules;
};

struct ctx {
    const struct qpp_submission *s;
    const struct qpp_score_options *o;
    const struct qpp_catalog_year *cy;
    const struct qpp_benchmark_set *set;
    struct qpp_diags *d;
    int completeness; /* threshold of the year, percent */
    int rules_year;   /* the year whose threshold applies */
    int failed;       /* out of memory */
};

struct total {
    int required, missing, bonus;
    size_t *counted; /* indices of the measures that count, in the order picked */
    size_t ncounted;
    double points, score;
    struct rules rules;
};

/* A number in a reason: rounded to 4 decimals, without trailing zeros.  The
 * caller owns the buffer, so a number stays valid while others are made. */
struct num {
    char s[48];
};

/* x with at most 4 decimals and no trailing zeros, in n. */
const char *qpp_score_num(struct num *n, double x);
/* A performance rate as CMS keeps it: 2 decimals, half up. */
double qpp_score_round_rate(double x);

/* Add a rule (code and reason) to a list; on failure c->failed is set. */
void qpp_score_add_rule(struct ctx *c, struct rules *rs, const char *code,
                        const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
void qpp_score_rule(struct ctx *c, struct scored *x, const char *code, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));
void qpp_score_free_rules(struct rules *rs);

/* The measure's overallAlgorithm (weightedAverage when the data name none). */
const char *qpp_score_algorithm(const struct scored *x);
/* A stratum's rate as CMS computes it under alg; false when it has none. */
bool qpp_score_stratum_rate(const char *alg, const struct qpp_value *v, double *rate);

/* The measurement's performance rate, data completeness and case count,
 * with their rules. */
void qpp_score_rates(struct ctx *c, struct scored *x);

/* The preview as JSON: a new reference, NULL when out of memory. */
json_t *qpp_score_json(const struct ctx *c, const struct scored *v, size_t n,
                       const struct total *t);

#endif
