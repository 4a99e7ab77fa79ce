/* SPDX-License-Identifier: MIT */
/* Benchmarks: lookups and the reader of CMS's benchmarks file; see benchmark.h. */
#include "benchmark.h"

#include <pthread.h>
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

/* ---- the built-in years, made from benchmark_data.c's packed rows ---- */

/* The years made so far; under made_lock, as any thread may ask first. */
static struct qpp_benchmark_set made_sets[QPP_BENCHMARK_MAX_YEARS];
static bool set_made[QPP_BENCHMARK_MAX_YEARS];
static pthread_mutex_t made_lock = PTHREAD_MUTEX_INITIALIZER;

static void make_set(size_t k)
{
    const struct qpp_packed_benchmark_set *p = &qpp_benchmark_packed[k];
    size_t i;

    for (i = 0; i < p->nrows; i++) {
        p->made[i] = p->rows[i].row;
        p->made[i].measure_id = qpp_benchmark_strings + p->rows[i].measure_id;
        p->made[i].method = qpp_benchmark_strings + p->rows[i].method;
    }
    made_sets[k].year = p->year;
    made_sets[k].source = NULL;
    made_sets[k].nrows = p->nrows;
    made_sets[k].rows = p->made;
}

int qpp_benchmark_builtin_nth(size_t i)
{
    return i < qpp_benchmark_nbuiltin ? qpp_benchmark_packed[i].year : 0;
}

const struct qpp_benchmark_set *qpp_benchmark_builtin_year(int year)
{
    size_t i;

    for (i = 0; i < qpp_benchmark_nbuiltin && i < QPP_BENCHMARK_MAX_YEARS; i++) {
        if (qpp_benchmark_packed[i].year != year)
            continue;
        pthread_mutex_lock(&made_lock);
        if (!set_made[i]) {
            make_set(i);
            set_made[i] = true;
        }
        pthread_mutex_unlock(&made_lock);
        return &made_sets[i];
    }
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

/* A row in error makes the file invalid (not CMS's format: the schema's
 * types and required fields); a row in CMS's format that qppbuild cannot
 * score with is skipped, with a warning that says why. */
struct reader {
    const char *source;
    struct qpp_diags *d;
    int errors;
    const char *skip_field; /* the first reason the row at hand is skipped */
    char skip_why[128];
};

static void bad(struct reader *r, size_t i, const char *field, const char *what)
{
    char ptr[64];
    struct qpp_place at = {r->source, -1, -1, NULL, NULL};

    r->errors++;
    snprintf(ptr, sizeof ptr, "/%zu%s%s", i, field ? "/" : "", field ? field : "");
    qpp_diag(r->d, QPP_BENCHMARKS_INVALID, &at, ptr, "%s", what);
}

static void skip(struct reader *r, const char *field, const char *why)
{
    if (r->skip_field)
        return;
    r->skip_field = field;
    snprintf(r->skip_why, sizeof r->skip_why, "%s", why);
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

/* A year: the schema's type is "number", so 2019.0 is 2019; a number with a
 * fraction is no year and its row is skipped. */
static int year(struct reader *r, json_t *row, size_t i, const char *key, int required)
{
    json_t *v = json_object_get(row, key);
    double y;

    if ((!v || json_is_null(v)) && !required)
        return 0;
    if (!json_is_number(v)) {
        bad(r, i, key, v ? "not a number" : "missing");
        return 0;
    }
    y = json_number_value(v);
    if (!(y >= 1 && y <= 9999) || y != (double)(int)y) {
        char why[64];
        snprintf(why, sizeof why, "%s %g is not a year", key, y);
        skip(r, key, why);
        return 0;
    }
    return (int)y;
}

static bool flag(struct reader *r, json_t *row, size_t i, const char *key, bool *given)
{
    json_t *v = json_object_get(row, key);

    if (given)
        *given = v && !json_is_null(v);
    if (!v || json_is_null(v))
        return false;
    if (!json_is_boolean(v)) {
        bad(r, i, key, "not a boolean");
        return false;
    }
    return json_is_true(v);
}

/* A number the schema allows to be missing: 0 when absent, -1 on an error. */
static int opt_number(struct reader *r, size_t i, json_t *obj, const char *key,
                      const char *where, bool *has, double *out)
{
    json_t *v = json_object_get(obj, key);

    *has = false;
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v)) {
        bad(r, i, where, "not a number");
        return -1;
    }
    *has = true;
    *out = json_number_value(v);
    return 0;
}

/* Percentiles "10" to "90" (2023 on): ascending, in CMS's files even for
 * inverse measures. */
static void percentiles(struct reader *r, json_t *pct, size_t i, struct qpp_benchmark *b)
{
    char key[8], where[24];
    bool has;
    int k;

    if (!json_is_object(pct)) {
        bad(r, i, "percentiles", "not an object");
        return;
    }
    if (opt_number(r, i, pct, "1", "percentiles/1", &b->has_p1, &b->p1) < 0 ||
        opt_number(r, i, pct, "99", "percentiles/99", &b->has_p99, &b->p99) < 0)
        return;
    for (k = 0; k < 9; k++) {
        snprintf(key, sizeof key, "%d", (k + 1) * 10);
        snprintf(where, sizeof where, "percentiles/%s", key);
        if (opt_number(r, i, pct, key, where, &has, &b->deciles[k]) < 0)
            return;
        if (!has) {
            skip(r, "percentiles", "a percentile of 10 to 90 is missing");
            return;
        }
    }
    if (b->deciles[0] < 0 || (b->has_p1 && b->p1 < 0)) {
        skip(r, "percentiles", "a percentile is negative: no rate or count is");
        return;
    }
    for (k = 1; k < 9; k++) {
        if (b->deciles[k] < b->deciles[k - 1]) {
            skip(r, "percentiles", "percentiles 10 to 90 are not in ascending order");
            return;
        }
    }
}

/* The older "deciles" (up to 2022): 9 numbers, in CMS's words the inclusive
 * lower bounds of deciles 2 to 10, so ascending for a normal measure and
 * descending for an inverse one (decile 2 begins at 100); nonProportion and
 * cost measures have 10. */
static void old_deciles(struct reader *r, json_t *dec, size_t i, struct qpp_benchmark *b)
{
    double v[10];
    bool up = true, down = true;
    size_t n = json_array_size(dec), k;

    b->from_deciles = true;
    if (!json_is_array(dec) || n < 9 || n > 10) {
        bad(r, i, "deciles", "not an array of 9 numbers");
        return;
    }
    for (k = 0; k < n; k++) {
        json_t *x = json_array_get(dec, k);
        if (!json_is_number(x)) {
            char where[24];
            snprintf(where, sizeof where, "deciles/%zu", k);
            bad(r, i, where, "not a number");
            return;
        }
        v[k] = json_number_value(x);
        up = up && (k == 0 || v[k] >= v[k - 1]);
        down = down && (k == 0 || v[k] <= v[k - 1]);
    }
    if (n == 10) {
        skip(r, "deciles",
             "10 deciles, as CMS gives a nonProportion or cost measure, which qppbuild "
             "does not score");
        return;
    }
    if (!up && !down) {
        skip(r, "deciles", "the deciles are in neither ascending nor descending order");
        return;
    }
    if (v[up ? 0 : n - 1] < 0) {
        skip(r, "deciles", "a decile is negative: no rate or count is");
        return;
    }
    b->descending = !up;
    for (k = 0; k < 9; k++)
        b->deciles[k] = b->descending ? v[8 - k] : v[k];
}

static void read_row(struct reader *r, json_t *row, size_t i, struct qpp_benchmark *b)
{
    json_t *pct, *dec;

    memset(b, 0, sizeof *b);
    b->row = (unsigned)i;
    if (!json_is_object(row)) {
        bad(r, i, NULL, "not an object");
        return;
    }
    b->measure_id = string(r, row, i, "measureId");
    b->method = string(r, row, i, "submissionMethod");
    b->performance_year = year(r, row, i, "performanceYear", 1);
    b->benchmark_year = year(r, row, i, "benchmarkYear", 0);
    b->is_inverse = flag(r, row, i, "isInverse", &b->inverse_given);
    b->is_topped_out = flag(r, row, i, "isToppedOut", NULL);
    b->is_topped_out_by_program = flag(r, row, i, "isToppedOutByProgram", NULL);
    opt_number(r, i, row, "averagePerformanceRate", "averagePerformanceRate",
               &b->has_average, &b->average);
    pct = json_object_get(row, "percentiles");
    dec = json_object_get(row, "deciles");
    if (pct)
        percentiles(r, pct, i, b);
    else if (dec)
        old_deciles(r, dec, i, b);
    else
        bad(r, i, NULL, "no percentiles (an object) or deciles (9 numbers)");
}

int qpp_benchmark_load(json_t *root, const char *source, struct qpp_benchmark_set **out,
                       struct qpp_diags *d)
{
    struct reader r = {source, d, 0, NULL, ""};
    struct qpp_place at = {source, -1, -1, NULL, NULL};
    struct loaded *l = NULL;
    size_t i, m = 0, n = json_array_size(root);
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
        struct qpp_benchmark *b = &l->rows[m];
        int errors = r.errors;
        char ptr[64];

        r.skip_field = NULL;
        read_row(&r, row, i, b);
        if (r.errors > errors)
            continue;
        if (r.skip_field) {
            snprintf(ptr, sizeof ptr, "/%zu/%s", i, r.skip_field);
            qpp_diag(d, QPP_BENCHMARK_SKIPPED, &at, ptr,
                     "the benchmark of %s by %s is left out: %s", b->measure_id,
                     b->method, r.skip_why);
            continue;
        }
        if (b->inverse_given && !b->is_inverse && b->descending) {
            snprintf(ptr, sizeof ptr, "/%zu/isInverse", i);
            qpp_diag(d, QPP_INVERSE_CONFLICT, &at, ptr,
                     "the deciles of %s by %s are in descending order, as CMS writes an "
                     "inverse measure's, but isInverse is false",
                     b->measure_id, b->method);
        }
        if (m > 0 && b->performance_year != l->rows[0].performance_year)
            bad(&r, i, "performanceYear", "rows of more than one performance year");
        m++;
    }
    if (r.errors)
        goto out;
    if (m == 0) {
        qpp_diag(d, QPP_BENCHMARKS_INVALID, &at, NULL,
                 "holds no benchmark qppbuild can score with");
        goto out;
    }
    qsort(l->rows, m, sizeof *l->rows, cmp_row);
    for (i = 1; i < m; i++) {
        if (cmp_row(&l->rows[i - 1], &l->rows[i]) == 0) {
            qpp_diag(d, QPP_BENCHMARKS_INVALID, &at, NULL,
                     "measure %s has two benchmarks for %s", l->rows[i].measure_id,
                     l->rows[i].method);
            goto out;
        }
    }
    l->set.year = l->rows[0].performance_year;
    l->set.source = l->source;
    l->set.nrows = m;
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
