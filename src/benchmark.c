/* SPDX-License-Identifier: MIT */
/* Benchmarks: lookups and the reader of CMS's benchmarks file; see benchmark.h. */
#include "benchmark.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* A set read at run time.  Its strings are borrowed from root. */
struct loaded {
    struct qpp_benchmark_set set; /* first, so a set pointer is a loaded pointer */
    json_t *root;
    struct qpp_benchmark *rows;
    char *source;
};

static int cmp_row(const void *a, const void *b)
{
    const struct qpp_benchmark *x = a, *y = b;
    int c = strcmp(x->measure_id, y->measure_id);

    return c ? c : strcmp(x->method, y->method);
}

const struct qpp_benchmark_set *qpp_benchmark_builtin_year(int year)
{
    size_t i;

    for (i = 0; i < qpp_benchmark_nbuiltin; i++)
        if (qpp_benchmark_builtin[i].year == year)
            return &qpp_benchmark_builtin[i];
    return NULL;
}

const struct qpp_benchmark *qpp_benchmark_find(const struct qpp_benchmark_set *set,
                                               const char *measure_id, const char *method)
{
    struct qpp_benchmark key;

    memset(&key, 0, sizeof key);
    key.measure_id = measure_id;
    key.method = method;
    return bsearch(&key, set->rows, set->nrows, sizeof *set->rows, cmp_row);
}

void qpp_benchmark_free(struct qpp_benchmark_set *set)
{
    struct loaded *l = (struct loaded *)set;

    if (!l)
        return;
    json_decref(l->root);
    qpp_free(l->rows);
    qpp_free(l->source);
    qpp_free(l);
}

/* ---- reading CMS's benchmarks file ---- */

struct reader {
    const char *source;
    struct qpp_diags *d;
    int errors;
};

static void bad(struct reader *r, size_t i, const char *field, const char *what)
{
    char ptr[64];
    struct qpp_place at = {r->source, -1, -1, NULL, NULL};

    r->errors++;
    snprintf(ptr, sizeof ptr, "/%zu%s%s", i, field ? "/" : "", field ? field : "");
    qpp_diag(r->d, QPP_BENCHMARKS_INVALID, &at, ptr, "%s", what);
}

static const char *string(struct reader *r, json_t *row, size_t i, const char *key)
{
    json_t *v = json_object_get(row, key);

    if (!json_is_string(v) || !*json_string_value(v)) {
        bad(r, i, key, v ? "not a string" : "missing");
        return NULL;
    }
    return json_string_value(v);
}

static int year(struct reader *r, json_t *row, size_t i, const char *key, int required)
{
    json_t *v = json_object_get(row, key);

    if ((!v || json_is_null(v)) && !required)
        return 0;
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        json_integer_value(v) > 9999) {
        bad(r, i, key, v ? "not a year" : "missing");
        return 0;
    }
    return (int)json_integer_value(v);
}

static bool flag(struct reader *r, json_t *row, size_t i, const char *key)
{
    json_t *v = json_object_get(row, key);

    if (!v || json_is_null(v))
        return false;
    if (!json_is_boolean(v)) {
        bad(r, i, key, "not a boolean");
        return false;
    }
    return json_is_true(v);
}

/* The nine decile bounds: percentiles "10" to "90", or the older "deciles"
 * array of nine numbers, in ascending order. */
static void deciles(struct reader *r, json_t *row, size_t i, double *out)
{
    json_t *pct = json_object_get(row, "percentiles");
    json_t *dec = json_object_get(row, "deciles");
    const char *field = pct ? "percentiles" : "deciles";
    int k;

    if (!pct && !dec) {
        bad(r, i, NULL, "no percentiles (an object) or deciles (9 numbers)");
        return;
    }
    if (pct ? !json_is_object(pct) : (!json_is_array(dec) || json_array_size(dec) != 9)) {
        bad(r, i, field, pct ? "not an object" : "not an array of 9 numbers");
        return;
    }
    for (k = 0; k < 9; k++) {
        char key[8];
        json_t *v;

        snprintf(key, sizeof key, "%d", (k + 1) * 10);
        v = pct ? json_object_get(pct, key) : json_array_get(dec, (size_t)k);
        if (!json_is_number(v)) {
            char where[32];
            if (pct)
                snprintf(where, sizeof where, "percentiles/%s", key);
            else
                snprintf(where, sizeof where, "deciles/%d", k);
            bad(r, i, where, v ? "not a number" : "missing");
            return;
        }
        out[k] = json_number_value(v);
        if (k > 0 && out[k] < out[k - 1]) {
            bad(r, i, field, "the decile bounds are not in ascending order");
            return;
        }
    }
}

static void read_row(struct reader *r, json_t *row, size_t i, struct qpp_benchmark *b)
{
    json_t *avg;

    memset(b, 0, sizeof *b);
    if (!json_is_object(row)) {
        bad(r, i, NULL, "not an object");
        return;
    }
    b->measure_id = string(r, row, i, "measureId");
    b->method = string(r, row, i, "submissionMethod");
    b->performance_year = year(r, row, i, "performanceYear", 1);
    b->benchmark_year = year(r, row, i, "benchmarkYear", 0);
    b->is_inverse = flag(r, row, i, "isInverse");
    b->is_topped_out = flag(r, row, i, "isToppedOut");
    b->is_topped_out_by_program = flag(r, row, i, "isToppedOutByProgram");
    avg = json_object_get(row, "averagePerformanceRate");
    if (json_is_number(avg)) {
        b->has_average = true;
        b->average = json_number_value(avg);
    } else if (avg && !json_is_null(avg)) {
        bad(r, i, "averagePerformanceRate", "not a number");
    }
    deciles(r, row, i, b->deciles);
}

int qpp_benchmark_load(json_t *root, const char *source, struct qpp_benchmark_set **out,
                       struct qpp_diags *d)
{
    struct reader r = {source, d, 0};
    struct qpp_place at = {source, -1, -1, NULL, NULL};
    struct loaded *l = NULL;
    size_t i, n = json_array_size(root);
    json_t *row;
    int rc = -1;

    *out = NULL;
    if (!json_is_array(root) || n == 0) {
        qpp_diag(d, QPP_BENCHMARKS_INVALID, &at, NULL, "%s",
                 json_is_array(root)
                     ? "holds no benchmark"
                     : "not a benchmarks file: the top level is not an array");
        return -1;
    }
    l = qpp_calloc(1, sizeof *l);
    if (l) {
        l->rows = qpp_calloc(n, sizeof *l->rows);
        l->source = qpp_strdup(source ? source : "-");
    }
    if (!l || !l->rows || !l->source) {
        qpp_diag_nomem(d);
        goto out;
    }
    json_array_foreach(root, i, row)
    {
        read_row(&r, row, i, &l->rows[i]);
        if (!r.errors && l->rows[i].performance_year != l->rows[0].performance_year)
            bad(&r, i, "performanceYear", "rows of more than one performance year");
    }
    if (r.errors)
        goto out;
    qsort(l->rows, n, sizeof *l->rows, cmp_row);
    for (i = 1; i < n; i++) {
        if (cmp_row(&l->rows[i - 1], &l->rows[i]) == 0) {
            qpp_diag(d, QPP_BENCHMARKS_INVALID, &at, NULL,
                     "measure %s has two benchmarks for %s", l->rows[i].measure_id,
                     l->rows[i].method);
            goto out;
        }
    }
    l->set.year = l->rows[0].performance_year;
    l->set.source = l->source;
    l->set.nrows = n;
    l->set.rows = l->rows;
    l->root = json_incref(root);
    *out = &l->set;
    l = NULL;
    rc = 0;
out:
    if (l) {
        qpp_free(l->rows);
        qpp_free(l->source);
        qpp_free(l);
    }
    return rc;
}
