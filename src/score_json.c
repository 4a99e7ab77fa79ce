/* SPDX-License-Identifier: MIT */
/* The pre-score preview as JSON; see score.h and scoring.h. */
#include "scoring.h"

#include <stdio.h>
#include <string.h>

static int set(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v); /* frees v on failure, and NULL fails */
}

static json_t *real_or_null(bool has, double v)
{
    return has ? json_real(v) : json_null();
}

static json_t *rules_json(const struct rules *rs)
{
    json_t *a = json_array();
    size_t i;

    for (i = 0; a && i < rs->n; i++) {
        json_t *r = json_object();
        if (!r || json_array_append_new(a, r) ||
            set(r, "rule", json_string(rs->v[i].code)) ||
            set(r, "reason", json_string(rs->v[i].reason))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *benchmark_json(const struct qpp_benchmark *b)
{
    json_t *o = json_object(), *d = json_array();
    int k;

    for (k = 0; d && k < 9; k++)
        if (json_array_append_new(d, json_real(b->deciles[k])))
            break;
    if (!o || !d || k < 9) {
        json_decref(d);
        json_decref(o);
        return NULL;
    }
    if (set(o, "performanceYear", json_integer(b->performance_year)) ||
        set(o, "benchmarkYear",
            b->benchmark_year ? json_integer(b->benchmark_year) : json_null()) ||
        set(o, "submissionMethod", json_string(b->method)) ||
        set(o, "isInverse",
            b->inverse_given ? json_boolean(b->is_inverse) : json_null()) ||
        set(o, "isToppedOut", json_boolean(b->is_topped_out)) ||
        set(o, "isToppedOutByProgram", json_boolean(b->is_topped_out_by_program)) ||
        set(o, "averagePerformanceRate", real_or_null(b->has_average, b->average))) {
        json_decref(d);
        json_decref(o);
        return NULL;
    }
    if (set(o, "deciles", d)) {
        json_decref(o);
        return NULL;
    }
    return o;
}

static json_t *measurement_json(const struct scored *x)
{
    const struct qpp_measurement *q = x->q;
    json_t *o = json_object(), *strata, *bounds;
    size_t i;

    if (!o || set(o, "measureId", json_string(q->measure_id)) ||
        set(o, "title", x->m ? json_string(x->m->title) : json_null()))
        goto fail;
    if (q->nstrata == 0) {
        if (qpp_write_counts(o, &q->value))
            goto fail;
    } else {
        const char *alg = qpp_score_algorithm(x);
        if (set(o, "overallAlgorithm", json_string(alg)) || !(strata = json_array()) ||
            json_object_set_new(o, "strata", strata))
            goto fail;
        for (i = 0; i < q->nstrata; i++) {
            json_t *st = json_object();
            double r = 0;
            bool has = qpp_score_stratum_rate(alg, &q->strata[i].value, &r);
            if (!st || json_array_append_new(strata, st) ||
                set(st, "stratum", json_string(q->strata[i].name)) ||
                qpp_write_counts(st, &q->strata[i].value) ||
                set(st, "performanceRate", real_or_null(has, qpp_score_round(r))))
                goto fail;
        }
    }
    if (set(o, "performanceRate", real_or_null(x->has_rate, qpp_score_round(x->rate))) ||
        set(o, "reportingRate",
            real_or_null(x->has_reporting, qpp_score_round(x->reporting))) ||
        set(o, "caseCount", json_integer(x->cases)) ||
        set(o, "benchmark", x->b ? benchmark_json(x->b) : json_null()) ||
        set(o, "decile", x->benchmarked ? json_integer(x->dec.decile) : json_null()))
        goto fail;
    if (!x->benchmarked) {
        bounds = json_null();
    } else if (!(bounds = json_object()) ||
               set(bounds, "lower", real_or_null(x->dec.has_lower, x->dec.lower)) ||
               set(bounds, "upper", real_or_null(x->dec.has_upper, x->dec.upper))) {
        json_decref(bounds);
        goto fail;
    }
    if (set(o, "decileBounds", bounds) ||
        set(o, "benchmarkPoints", real_or_null(x->benchmarked, x->benchmark_points)) ||
        set(o, "achievementPoints", json_real(x->points)) ||
        set(o, "counted", json_boolean(x->counted)) ||
        set(o, "rules", rules_json(&x->rules)))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

static json_t *total_json(const struct total *t, const struct scored *v, size_t n)
{
    json_t *o = json_object(), *ids = json_array();
    size_t i;

    for (i = 0; ids && i < t->ncounted; i++)
        if (json_array_append_new(ids, json_string(v[t->counted[i]].q->measure_id)))
            break;
    if (!o || !ids || i < t->ncounted ||
        set(o, "measuresRequired", json_integer(t->required)) ||
        set(o, "measuresSubmitted", json_integer((json_int_t)n))) {
        json_decref(ids);
        json_decref(o);
        return NULL;
    }
    if (set(o, "measuresCounted", ids) ||
        set(o, "measuresMissing", json_integer(t->missing)) ||
        set(o, "achievementPoints", json_real(t->points)) ||
        set(o, "smallPracticeBonus", json_integer(t->bonus)) ||
        set(o, "maximumPoints", json_integer((json_int_t)t->required * 10)) ||
        set(o, "categoryScore", json_real(t->score)) ||
        set(o, "rules", rules_json(&t->rules))) {
        json_decref(o);
        return NULL;
    }
    return o;
}

json_t *qpp_score_json(const struct ctx *c, const struct scored *v, size_t n,
                       const struct total *t)
{
    const struct qpp_submission *s = c->s;
    json_t *o = json_object(), *list;
    char source[96];
    size_t i;

    snprintf(source, sizeof source, "built in: CMS qpp-measures-data benchmarks/%d.json",
             c->set->year);
    if (!o || set(o, "performanceYear", json_integer(s->year)) ||
        set(o, "submissionMethod", json_string(s->method)) ||
        set(o, "programName", json_string(s->program)) ||
        set(o, "benchmarks",
            c->set->source ? json_string(c->set->source) : json_string(source)) ||
        set(o, "smallPractice", json_boolean(c->o->small_practice)) ||
        set(o, "dataCompletenessThreshold", json_integer(c->completeness)) ||
        set(o, "caseMinimum", json_integer(CASE_MINIMUM)) || !(list = json_array()) ||
        json_object_set_new(o, "measurements", list))
        goto fail;
    for (i = 0; i < n; i++)
        if (json_array_append_new(list, measurement_json(&v[i])))
            goto fail;
    if (set(o, "quality", total_json(t, v, n)) ||
        set(o, "notice",
            json_string("a preview computed offline from CMS's published benchmarks and "
                        "rules; CMS's own scoring of the submission is the one that "
                        "counts")))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}
