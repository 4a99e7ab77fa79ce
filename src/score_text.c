/* SPDX-License-Identifier: MIT */
/* The pre-score preview as a table for a terminal (qpp_score_text); it reads
 * only the preview's JSON.  See score.h. */
#include "scoring.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The rules that are steps of every scored measure; the text table shows
 * only the others (caps, floors and notes). */
static const char *const steps[] = {"performance-rate", "reporting-rate",
                                    "case-count",       "benchmark",
                                    "decile",           "partial-points"};

static bool is_step(const char *code)
{
    size_t i;

    for (i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (strcmp(code, steps[i]) == 0)
            return true;
    return false;
}

static const char *str(json_t *v)
{
    const char *s = json_string_value(v);

    return s ? s : "-";
}

static void fixed(char *buf, size_t size, json_t *v)
{
    if (json_is_number(v))
        snprintf(buf, size, "%.4f", json_number_value(v));
    else
        snprintf(buf, size, "-");
}

/* A cap that did not lower the points: the measure is capped at 7 but
 * earned less. */
static bool cap_not_reached(json_t *m, const char *code)
{
    json_t *before = json_object_get(m, "benchmarkPoints");

    return strcmp(code, "topped-out-cap") == 0 && json_is_number(before) &&
           json_number_value(before) < TOPPED_OUT_CAP;
}

/* The table's cells of one measurement. */
enum { C_ID, C_RATE, C_REPORTING, C_CASES, C_DECILE, C_POINTS, NCOLS };
struct row {
    char cell[NCOLS][48];
    char *notes;
};

static const char *const heads[NCOLS] = {"Measure", "Rate (%)", "Completeness (%)",
                                         "Cases",   "Decile",   "Points"};

static char *notes(json_t *m)
{
    struct qpp_buf b;
    json_t *r;
    size_t i;

    qpp_buf_init(&b);
    if (!json_is_true(json_object_get(m, "counted")))
        qpp_buf_add(&b, "not counted");
    json_array_foreach(json_object_get(m, "rules"), i, r)
    {
        const char *code = json_string_value(json_object_get(r, "rule"));
        if (!code || is_step(code))
            continue;
        qpp_buf_printf(&b, "%s%s%s", b.len ? ", " : "", code,
                       cap_not_reached(m, code) ? " (7, not reached)" : "");
    }
    if (!b.s)
        qpp_buf_add(&b, "");
    return qpp_buf_take(&b);
}

/* Under the table: each measure's rules beyond the steps, with their
 * reasons. */
static void reasons(struct qpp_buf *b, json_t *list)
{
    json_t *m, *r;
    size_t i, k;
    bool any = false;

    json_array_foreach(list, i, m)
    {
        json_array_foreach(json_object_get(m, "rules"), k, r)
        {
            const char *code = json_string_value(json_object_get(r, "rule"));
            if (!code || is_step(code))
                continue;
            if (!any)
                qpp_buf_add(b, "\nWhy, by measure:\n");
            any = true;
            qpp_buf_printf(b, "  %s %s: %s\n", str(json_object_get(m, "measureId")), code,
                           str(json_object_get(r, "reason")));
        }
    }
}

char *qpp_score_text(json_t *p)
{
    json_t *list = json_object_get(p, "measurements"), *m;
    json_t *q = json_object_get(p, "quality"), *id, *r;
    struct row *rows = qpp_calloc(json_array_size(list) + 1, sizeof *rows);
    int w[NCOLS];
    struct qpp_buf b;
    size_t i, n = 0;
    int k;
    char *s = NULL;

    if (!rows)
        return NULL;
    for (k = 0; k < NCOLS; k++)
        w[k] = (int)strlen(heads[k]);
    qpp_buf_init(&b);
    json_array_foreach(list, i, m)
    {
        struct row *x = &rows[n++];
        json_t *dec = json_object_get(m, "decile"),
               *cases = json_object_get(m, "caseCount");

        snprintf(x->cell[C_ID], sizeof x->cell[C_ID], "%s",
                 str(json_object_get(m, "measureId")));
        fixed(x->cell[C_RATE], sizeof x->cell[C_RATE],
              json_object_get(m, "performanceRate"));
        fixed(x->cell[C_REPORTING], sizeof x->cell[C_REPORTING],
              json_object_get(m, "reportingRate"));
        if (json_is_integer(cases))
            snprintf(x->cell[C_CASES], sizeof x->cell[C_CASES], "%lld",
                     (long long)json_integer_value(cases));
        else
            snprintf(x->cell[C_CASES], sizeof x->cell[C_CASES], "-");
        if (json_is_integer(dec))
            snprintf(x->cell[C_DECILE], sizeof x->cell[C_DECILE], "%d",
                     (int)json_integer_value(dec));
        else
            snprintf(x->cell[C_DECILE], sizeof x->cell[C_DECILE], "-");
        fixed(x->cell[C_POINTS], sizeof x->cell[C_POINTS],
              json_object_get(m, "achievementPoints"));
        if (!(x->notes = notes(m)))
            goto out;
        for (k = 0; k < NCOLS; k++) {
            int len = (int)strlen(x->cell[k]);
            w[k] = len > w[k] ? len : w[k];
        }
    }
    qpp_buf_printf(&b, "Pre-score of %s by %s, performance year %lld\n",
                   str(json_object_get(p, "programName")),
                   str(json_object_get(p, "submissionMethod")),
                   (long long)json_integer_value(json_object_get(p, "performanceYear")));
    qpp_buf_printf(&b, "Benchmarks: %s\n", str(json_object_get(p, "benchmarks")));
    qpp_buf_printf(
        &b, "Data completeness threshold %lld%%, case minimum %lld, %s\n\n",
        (long long)json_integer_value(json_object_get(p, "dataCompletenessThreshold")),
        (long long)json_integer_value(json_object_get(p, "caseMinimum")),
        json_is_true(json_object_get(p, "smallPractice")) ? "small practice"
                                                          : "not a small practice");
    qpp_buf_printf(&b, "%-*s", w[0], heads[0]);
    for (k = 1; k < NCOLS; k++)
        qpp_buf_printf(&b, "  %*s", w[k], heads[k]);
    qpp_buf_add(&b, "  Notes\n");
    for (i = 0; i < n; i++) {
        qpp_buf_printf(&b, "%-*s", w[0], rows[i].cell[0]);
        for (k = 1; k < NCOLS; k++)
            qpp_buf_printf(&b, "  %*s", w[k], rows[i].cell[k]);
        qpp_buf_printf(&b, "%s%s\n", *rows[i].notes ? "  " : "", rows[i].notes);
    }
    reasons(&b, list);
    qpp_buf_printf(&b, "\nQuality: %lld of %lld measures counted (",
                   (long long)json_array_size(json_object_get(q, "measuresCounted")),
                   (long long)json_integer_value(json_object_get(q, "measuresRequired")));
    json_array_foreach(json_object_get(q, "measuresCounted"), i, id)
    {
        qpp_buf_printf(&b, "%s%s", i ? " " : "", str(id));
    }
    qpp_buf_printf(&b, "), %lld missing\n",
                   (long long)json_integer_value(json_object_get(q, "measuresMissing")));
    qpp_buf_printf(
        &b, "Category score: (%.4f points + %lld bonus) / %lld * 100 = %.4f%%\n",
        json_number_value(json_object_get(q, "achievementPoints")),
        (long long)json_integer_value(json_object_get(q, "smallPracticeBonus")),
        (long long)json_integer_value(json_object_get(q, "maximumPoints")),
        json_number_value(json_object_get(q, "categoryScore")));
    json_array_foreach(json_object_get(q, "rules"), i, r)
    {
        const char *code = json_string_value(json_object_get(r, "rule"));
        if (code && strcmp(code, "category-score") != 0 &&
            strcmp(code, "measures-counted") != 0)
            qpp_buf_printf(&b, "  %s: %s\n", code, str(json_object_get(r, "reason")));
    }
    qpp_buf_printf(&b, "\nThe rules behind each number: qppbuild --pre-score (JSON).\n"
                       "A preview: CMS's own scoring of the submission is the one that "
                       "counts.\n");
    s = qpp_buf_take(&b);
out:
    qpp_buf_free(&b);
    for (i = 0; i < n; i++)
        qpp_free(rows[i].notes);
    qpp_free(rows);
    return s;
}
