/* SPDX-License-Identifier: MIT */
/*
 * genbench: writes src/benchmark_data.c, qppbuild's built-in benchmarks, from
 * CMS's benchmarks file of each year (qpp-measures-data, benchmarks/<year>.json).
 * It reads them with qpp_benchmark_load(), the function behind --benchmarks,
 * so the built-in years and a file read at run time cannot disagree.
 *
 * usage: genbench YEAR=benchmarks.json ... > src/benchmark_data.c
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "benchmark.h"
#include "diag.h"
#include "genpool.h"

/* genbench writes the built-in benchmarks, so it is linked without them. */
const struct qpp_packed_benchmark_set qpp_benchmark_packed[1];
const size_t qpp_benchmark_nbuiltin = 0;
const char qpp_benchmark_strings[1];

/* The rows are written to a stream of their own: the strings they refer to
 * by offset (genpool.c) come first in the file. */
static FILE *rows_out;

static void die(const char *what)
{
    fprintf(stderr, "genbench: %s\n", what);
    exit(1);
}

static uint32_t string_offset(const char *s)
{
    return genpool_offset("genbench", s);
}

/* The shortest decimal that reads back as the same double, so the file
 * shows CMS's numbers as CMS wrote them ("82.71", not "82.709999..."). */
static void put_double(FILE *f, double v)
{
    char buf[64];
    int prec;

    for (prec = 0; prec <= 12; prec++) {
        snprintf(buf, sizeof buf, "%.*f", prec, v);
        if (strtod(buf, NULL) == v) {
            fputs(buf, f);
            return;
        }
    }
    fprintf(f, "%.17g", v);
}

static const char *boolean(bool b)
{
    return b ? "true" : "false";
}

static void put_year(const struct qpp_benchmark_set *set)
{
    FILE *f = rows_out;
    size_t i;
    int k;

    fprintf(f, "\nstatic struct qpp_benchmark made%d[%zu];\n", set->year, set->nrows);
    fprintf(f, "static const struct qpp_packed_benchmark b%d[] = {\n", set->year);
    for (i = 0; i < set->nrows; i++) {
        const struct qpp_benchmark *b = &set->rows[i];
        uint32_t id = string_offset(b->measure_id), method = string_offset(b->method);

        fputs("    ", f);
        if (!strstr(b->measure_id, "*/") && !strstr(b->method, "*/")) {
            fputs("/* ", f);
            genpool_put_literal(f, b->measure_id);
            fputs(" ", f);
            genpool_put_literal(f, b->method);
            fputs(" */\n    ", f);
        }
        fprintf(f, "{%lu, %lu, {NULL, NULL, %d, %d, %u, %s, %s, %s, %s, %s, %s, %s, ",
                (unsigned long)id, (unsigned long)method, b->performance_year,
                b->benchmark_year, b->row, boolean(b->is_inverse),
                boolean(b->inverse_given), boolean(b->is_topped_out),
                boolean(b->is_topped_out_by_program), boolean(b->from_deciles),
                boolean(b->descending), boolean(b->has_average));
        put_double(f, b->has_average ? b->average : 0);
        fprintf(f, ", %s, %s, ", boolean(b->has_p1), boolean(b->has_p99));
        put_double(f, b->has_p1 ? b->p1 : 0);
        fputs(", ", f);
        put_double(f, b->has_p99 ? b->p99 : 0);
        fputs(",\n     {", f);
        for (k = 0; k < 9; k++) {
            put_double(f, b->deciles[k]);
            fputs(k < 8 ? ", " : "}}},\n", f);
        }
    }
    fprintf(f, "};\n");
}

static void put_diags(const struct qpp_diags *d)
{
    size_t k;

    for (k = 0; k < d->len; k++) {
        char *t = qpp_diag_text(&d->v[k]);
        fprintf(stderr, "genbench: %s\n", t ? t : "out of memory");
        free(t);
    }
}

int main(int argc, char **argv)
{
    struct qpp_benchmark_set *sets[QPP_BENCHMARK_MAX_YEARS];
    int i, n = argc - 1;
    char *rows;
    size_t rows_size;

    if (n < 1 || n > QPP_BENCHMARK_MAX_YEARS) {
        fprintf(stderr, "usage: genbench YEAR=benchmarks.json ...\n");
        return 2;
    }
    rows_out = open_memstream(&rows, &rows_size);
    if (!rows_out)
        die("out of memory");
    for (i = 0; i < n; i++) {
        struct qpp_diags d;
        json_error_t err;
        const char *eq = strchr(argv[i + 1], '=');
        json_t *root;
        int year, rc;

        if (!eq) {
            fprintf(stderr, "genbench: %s: expected YEAR=FILE\n", argv[i + 1]);
            return 2;
        }
        year = atoi(argv[i + 1]);
        if (year <= 0 || (i > 0 && year <= sets[i - 1]->year)) {
            fprintf(stderr, "genbench: %s: a year once each, oldest first\n",
                    argv[i + 1]);
            return 2;
        }
        root = json_load_file(eq + 1, JSON_REJECT_DUPLICATES, &err);
        if (!root) {
            fprintf(stderr, "genbench: %s:%d:%d: %s\n", eq + 1, err.line, err.column,
                    err.text);
            return 1;
        }
        qpp_diags_init(&d);
        rc = qpp_benchmark_load(root, eq + 1, &sets[i], &d);
        put_diags(&d); /* warnings too: a row left out of the built-in years */
        qpp_diags_free(&d);
        if (rc < 0)
            return 1;
        json_decref(root); /* the set holds its own reference */
        if (sets[i]->year != year) {
            fprintf(stderr, "genbench: %s: rows of %d, not %d\n", eq + 1, sets[i]->year,
                    year);
            return 1;
        }
        put_year(sets[i]);
    }
    if (fclose(rows_out))
        die("out of memory");
    printf(
        "/* SPDX-License-Identifier: MIT */\n"
        "/* Generated by tools/genbench.c from CMS's benchmarks file of each year\n"
        " * (qpp-measures-data); regenerate with `make catalog`, never edit.\n"
        " * Packed without pointers: see benchmark.h. */\n"
        "#include \"benchmark.h\"\n\n"
        "/* Every string once, each followed by its NUL; its offset in the comment. */\n"
        "#if defined(__GNUC__)\n"
        "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n"
        "#endif\n"
        "const char qpp_benchmark_strings[] =\n");
    genpool_write(stdout);
    fwrite(rows, 1, rows_size, stdout);
    free(rows);
    printf("\nconst struct qpp_packed_benchmark_set qpp_benchmark_packed[] = {\n");
    for (i = 0; i < n; i++)
        printf("    {%d, %zu, b%d, made%d},\n", sets[i]->year, sets[i]->nrows,
               sets[i]->year, sets[i]->year);
    printf("};\nconst size_t qpp_benchmark_nbuiltin = %d;\n", n);
    for (i = 0; i < n; i++)
        qpp_benchmark_free(sets[i]);
    return ferror(stdout) ? 1 : 0;
}
