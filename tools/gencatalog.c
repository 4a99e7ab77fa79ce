/* SPDX-License-Identifier: MIT */
/*
 * gencatalog: writes src/catalog_data.c, qppbuild's built-in catalog, from
 * CMS's measures-data.json of each year.  It reads them with
 * qpp_catalog_load(), the function behind --measures-data, so the built-in
 * years and a file read at run time cannot disagree.
 *
 * usage: gencatalog [-p YEAR]... YEAR=measures-data.json ... > src/catalog_data.c
 *
 * -p YEAR marks a year CMS still calls in progress: qpp-measures-data's
 * README says so of the year ("All Measure and Benchmark data for
 * Performance Year 2027 is currently in progress and is subject to
 * change"); the data file itself carries no such mark.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "diag.h"

/* gencatalog writes the built-in catalog, so it is linked without one. */
const struct qpp_catalog_year qpp_catalog_builtin[1];
const size_t qpp_catalog_nbuiltin = 0;

/* Distinct string arrays, so measures that share a list share its storage. */
static struct {
    const char *const *v;
    size_t n;
} arrays[4096];
static size_t narrays;

static void put_string(const char *s)
{
    const unsigned char *p;

    if (!s) {
        fputs("NULL", stdout);
        return;
    }
    putchar('"');
    for (p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            printf("\\%c", *p);
        else if (*p < 0x20 || *p >= 0x7f || *p == '?')
            printf("\\%03o", *p); /* '?' too: no trigraphs */
        else
            putchar(*p);
    }
    putchar('"');
}

static int same(const char *const *a, size_t na, const char *const *b, size_t nb)
{
    size_t i;

    if (na != nb)
        return 0;
    for (i = 0; i < na; i++)
        if (strcmp(a[i], b[i]) != 0)
            return 0;
    return 1;
}

/* The index of the array, writing it first if it is new; -1 when empty. */
static long array_index(const char *const *v, size_t n)
{
    size_t i;

    if (n == 0)
        return -1;
    for (i = 0; i < narrays; i++)
        if (same(arrays[i].v, arrays[i].n, v, n))
            return (long)i;
    if (narrays == sizeof arrays / sizeof arrays[0]) {
        fprintf(stderr, "gencatalog: too many distinct lists\n");
        exit(1);
    }
    printf("static const char *const a%zu[] = {", narrays);
    for (i = 0; i < n; i++) {
        put_string(v[i]);
        fputs(i + 1 < n ? ", " : "};\n", stdout);
    }
    arrays[narrays].v = v;
    arrays[narrays].n = n;
    return (long)narrays++;
}

static void put_array(long index, size_t n)
{
    if (index < 0)
        printf("0, NULL");
    else
        printf("%zu, a%ld", n, index);
}

static void put_year(const struct qpp_catalog_year *y, int year, int provisional)
{
    long *idx = calloc(y->nmeasures * 5 + 2, sizeof *idx);
    long progs, meths;
    size_t i;

    if (!idx) {
        fprintf(stderr, "gencatalog: out of memory\n");
        exit(1);
    }
    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        idx[5 * i] = array_index(m->strata, m->nstrata);
        idx[5 * i + 1] = array_index(m->methods, m->nmethods);
        idx[5 * i + 2] = array_index(m->programs, m->nprograms);
        idx[5 * i + 3] = array_index(m->registration_types, m->nregistration);
        idx[5 * i + 4] = array_index(m->cap_removed, m->ncap_removed);
    }
    progs = array_index(y->programs, y->nprograms);
    meths = array_index(y->methods, y->nmethods);
    printf("\nstatic const struct qpp_measure m%d[] = {\n", year);
    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];
        printf("    {");
        put_string(m->id);
        fputs(", ", stdout);
        put_string(m->emeasure_id);
        fputs(",\n     ", stdout);
        put_string(m->title);
        fputs(",\n     ", stdout);
        put_string(m->metric_type);
        fputs(", ", stdout);
        put_string(m->overall_algorithm);
        fputs(", ", stdout);
        put_string(m->measure_type);
        printf(", %d, %d, %s, %s, %s,\n     ", m->first_year, m->last_year,
               m->is_inverse ? "true" : "false", m->is_high_priority ? "true" : "false",
               m->is_registry_measure ? "true" : "false");
        put_array(idx[5 * i], m->nstrata);
        fputs(", ", stdout);
        put_array(idx[5 * i + 1], m->nmethods);
        fputs(", ", stdout);
        put_array(idx[5 * i + 2], m->nprograms);
        fputs(", ", stdout);
        put_array(idx[5 * i + 3], m->nregistration);
        fputs(", ", stdout);
        put_array(idx[5 * i + 4], m->ncap_removed);
        fputs(", ", stdout);
        put_string(m->companion);
        printf("},\n");
    }
    printf("};\n");
    printf("#define Y%d {%d, %zu, m%d, ", year, year, y->nmeasures, year);
    put_array(progs, y->nprograms);
    fputs(", ", stdout);
    put_array(meths, y->nmethods);
    printf(", %s, 0, 0, NULL}\n", provisional ? "true" : "false");
    free(idx);
}

int main(int argc, char **argv)
{
    struct qpp_catalog_year *years[16];
    int year[16], provisional[16];
    int i, k, n, first = 1, nprov = 0;

    while (first + 1 < argc && strcmp(argv[first], "-p") == 0 && nprov < 16) {
        provisional[nprov++] = atoi(argv[first + 1]);
        first += 2;
    }
    argv += first - 1;
    n = argc - first;
    if (n < 1 || n > 16) {
        fprintf(stderr, "usage: gencatalog [-p YEAR]... YEAR=measures-data.json ...\n");
        return 2;
    }
    printf("/* SPDX-License-Identifier: MIT */\n"
           "/* Generated by tools/gencatalog.c from CMS's measures-data.json of each\n"
           " * year (qpp-measures-data); regenerate with `make catalog`, never edit. */\n"
           "#include \"catalog.h\"\n\n");
    for (i = 0; i < n; i++) {
        struct qpp_diags d;
        json_error_t err;
        const char *eq = strchr(argv[i + 1], '=');
        json_t *root;
        size_t j;

        if (!eq) {
            fprintf(stderr, "gencatalog: %s: expected YEAR=FILE\n", argv[i + 1]);
            return 2;
        }
        year[i] = atoi(argv[i + 1]);
        root = json_load_file(eq + 1, JSON_REJECT_DUPLICATES, &err);
        if (!root) {
            fprintf(stderr, "gencatalog: %s:%d:%d: %s\n", eq + 1, err.line, err.column,
                    err.text);
            return 1;
        }
        qpp_diags_init(&d);
        if (qpp_catalog_load(root, eq + 1, &years[i], &d) < 0) {
            for (j = 0; j < d.len; j++) {
                char *t = qpp_diag_text(&d.v[j]);
                fprintf(stderr, "gencatalog: %s\n", t ? t : "out of memory");
                free(t);
            }
            return 1;
        }
        qpp_diags_free(&d);
        json_decref(root); /* the catalog year holds its own reference */
        for (k = 0; k < nprov && provisional[k] != year[i]; k++)
            ;
        put_year(years[i], year[i], k < nprov);
    }
    printf("\nconst struct qpp_catalog_year qpp_catalog_builtin[] = {");
    for (i = 0; i < n; i++)
        printf("Y%d%s", year[i], i + 1 < n ? ", " : "};\n");
    printf("const size_t qpp_catalog_nbuiltin = %d;\n", n);
    for (i = 0; i < n; i++)
        qpp_catalog_free(years[i]);
    return ferror(stdout) ? 1 : 0;
}
