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
#include "genpool.h"

/* gencatalog writes the built-in catalog, so it is linked without one. */
const struct qpp_packed_year qpp_catalog_packed[1];
const size_t qpp_catalog_nbuiltin = 0;
const char qpp_catalog_strings[1];
const uint32_t qpp_catalog_lists[1];
const size_t qpp_catalog_nlists = 0;
const char **const qpp_catalog_list_made = NULL;

/* The file is written in parts: every string once (the pool, genpool.c),
 * every distinct list of strings once (lists_out), and the years' measures
 * (years_out), which refer to both by offset. */
static FILE *lists_out, *years_out;

static void die(const char *what)
{
    fprintf(stderr, "gencatalog: %s\n", what);
    exit(1);
}

static uint32_t string_offset(const char *s)
{
    return genpool_offset("gencatalog", s);
}

/* Distinct lists, so measures that share a list share its storage. */
static struct {
    const char *const *v;
    size_t n;
    uint32_t at;
} arrays[4096];
static size_t narrays;
static uint32_t nlist_strings;

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

/* The list as "{at, n}", writing it first if it is new. */
static void put_list(FILE *f, const char *const *v, size_t n)
{
    size_t i;

    if (n == 0) {
        fputs("{0, 0}", f);
        return;
    }
    for (i = 0; i < narrays && !same(arrays[i].v, arrays[i].n, v, n); i++)
        ;
    if (i == narrays) {
        if (narrays == sizeof arrays / sizeof arrays[0] ||
            n >= UINT32_MAX - nlist_strings)
            die("too many distinct lists");
        fputs("    ", lists_out);
        for (i = 0; i < n; i++)
            fprintf(lists_out, "%lu,%s", (unsigned long)string_offset(v[i]),
                    i + 1 < n ? " " : "");
        fprintf(lists_out, " /* %lu */\n", (unsigned long)nlist_strings);
        arrays[narrays].v = v;
        arrays[narrays].n = n;
        arrays[narrays++].at = nlist_strings;
        nlist_strings += (uint32_t)n;
        i = narrays - 1;
    }
    fprintf(f, "{%lu, %zu}", (unsigned long)arrays[i].at, n);
}

static void put_offset(FILE *f, const char *s)
{
    uint32_t off = string_offset(s);

    if (off == QPP_NO_STRING)
        fputs("NONE", f);
    else
        fprintf(f, "%lu", (unsigned long)off);
}

static const char *boolean(bool b)
{
    return b ? "true" : "false";
}

static void put_year(const struct qpp_catalog_year *y, int year, int provisional)
{
    FILE *f = years_out;
    size_t i;

    /* The short strings first, so that a search by id stays in few pages. */
    for (i = 0; i < y->nmeasures; i++) {
        string_offset(y->measures[i].id);
        string_offset(y->measures[i].emeasure_id);
    }
    fprintf(f, "\nstatic struct qpp_measure made%d[%zu];\n", year, y->nmeasures);
    fprintf(f, "static const struct qpp_packed_measure m%d[] = {\n", year);
    for (i = 0; i < y->nmeasures; i++) {
        const struct qpp_measure *m = &y->measures[i];

        fputs("    ", f);
        if (!strstr(m->id, "*/")) {
            fputs("/* ", f);
            genpool_put_literal(f, m->id);
            fputs(" */ ", f);
        }
        fputs("{", f);
        put_offset(f, m->id);
        fputs(", ", f);
        put_offset(f, m->emeasure_id);
        fputs(", ", f);
        put_offset(f, m->title);
        fputs(", ", f);
        put_offset(f, m->metric_type);
        fputs(", ", f);
        put_offset(f, m->overall_algorithm);
        fputs(", ", f);
        put_offset(f, m->measure_type);
        fputs(", ", f);
        put_offset(f, m->companion);
        fprintf(f, ", %d, %d, %s, %s, %s,\n        ", m->first_year, m->last_year,
                boolean(m->is_inverse), boolean(m->is_high_priority),
                boolean(m->is_registry_measure));
        put_list(f, m->strata, m->nstrata);
        fputs(", ", f);
        put_list(f, m->methods, m->nmethods);
        fputs(", ", f);
        put_list(f, m->programs, m->nprograms);
        fputs(", ", f);
        put_list(f, m->registration_types, m->nregistration);
        fputs(", ", f);
        put_list(f, m->cap_removed, m->ncap_removed);
        fputs("},\n", f);
    }
    fprintf(f, "};\n#define Y%d {%d, %s, %zu, m%d, ", year, year, boolean(provisional),
            y->nmeasures, year);
    put_list(f, y->programs, y->nprograms);
    fputs(", ", f);
    put_list(f, y->methods, y->nmethods);
    fprintf(f, ", made%d}\n", year);
}

/* A part written to its stream, onto stdout. */
static void put_part(char *buf, size_t len)
{
    fwrite(buf, 1, len, stdout);
    free(buf);
}

int main(int argc, char **argv)
{
    struct qpp_catalog_year *years[QPP_CATALOG_MAX_YEARS];
    int year[QPP_CATALOG_MAX_YEARS], provisional[QPP_CATALOG_MAX_YEARS];
    int i, k, n, first = 1, nprov = 0;
    char *lists, *body;
    size_t lists_size, body_size;
    size_t j;

    while (first + 1 < argc && strcmp(argv[first], "-p") == 0 &&
           nprov < QPP_CATALOG_MAX_YEARS) {
        provisional[nprov++] = atoi(argv[first + 1]);
        first += 2;
    }
    argv += first - 1;
    n = argc - first;
    if (n < 1 || n > QPP_CATALOG_MAX_YEARS) {
        fprintf(stderr, "usage: gencatalog [-p YEAR]... YEAR=measures-data.json ...\n");
        return 2;
    }
    for (i = 0; i < n; i++) {
        struct qpp_diags d;
        json_error_t err;
        const char *eq = strchr(argv[i + 1], '=');
        json_t *root;

        if (!eq) {
            fprintf(stderr, "gencatalog: %s: expected YEAR=FILE\n", argv[i + 1]);
            return 2;
        }
        year[i] = atoi(argv[i + 1]);
        if (year[i] <= 0 || (i > 0 && year[i] <= year[i - 1])) {
            fprintf(stderr, "gencatalog: %s: a year once each, oldest first\n",
                    argv[i + 1]);
            return 2;
        }
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
    }
    lists_out = open_memstream(&lists, &lists_size);
    years_out = open_memstream(&body, &body_size);
    if (!lists_out || !years_out)
        die("out of memory");
    /* Every year's ids first, together at the pool's start: a search by id
     * then reads few pages. */
    for (i = 0; i < n; i++)
        for (j = 0; j < years[i]->nmeasures; j++)
            string_offset(years[i]->measures[j].id);
    for (i = 0; i < n; i++) {
        for (k = 0; k < nprov && provisional[k] != year[i]; k++)
            ;
        put_year(years[i], year[i], k < nprov);
    }
    if (fclose(lists_out) || fclose(years_out))
        die("out of memory");
    printf(
        "/* SPDX-License-Identifier: MIT */\n"
        "/* Generated by tools/gencatalog.c from CMS's measures-data.json of each\n"
        " * year (qpp-measures-data); regenerate with `make catalog`, never edit.\n"
        " * Packed without pointers: see catalog.h. */\n"
        "#include \"catalog.h\"\n\n"
        "#define NONE QPP_NO_STRING\n\n"
        "/* Every string once, each followed by its NUL; its offset in the comment. */\n"
        "#if defined(__GNUC__)\n"
        "#pragma GCC diagnostic ignored \"-Woverlength-strings\"\n"
        "#endif\n"
        "const char qpp_catalog_strings[] =\n");
    genpool_write(stdout);
    printf("\n"
           "/* Every distinct list: the offsets of its strings; its start in the "
           "comment. */\n"
           "const uint32_t qpp_catalog_lists[] = {\n");
    put_part(lists, lists_size);
    printf("};\n"
           "const size_t qpp_catalog_nlists = %lu;\n"
           "static const char *list_made[%lu];\n"
           "const char **const qpp_catalog_list_made = list_made;\n",
           (unsigned long)nlist_strings, (unsigned long)nlist_strings);
    put_part(body, body_size);
    printf("\nconst struct qpp_packed_year qpp_catalog_packed[] = {");
    for (i = 0; i < n; i++)
        printf("Y%d%s", year[i], i + 1 < n ? ", " : "};\n");
    printf("const size_t qpp_catalog_nbuiltin = %d;\n", n);
    for (i = 0; i < n; i++)
        qpp_catalog_free(years[i]);
    return ferror(stdout) ? 1 : 0;
}
