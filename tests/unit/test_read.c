/* SPDX-License-Identifier: MIT */
/* Unit tests for read.c: JSON values, NDJSON and Bundles to resources.
 * Line and column are 1-based and count characters, as jansson does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "read.h"
#include "testutil.h"
#include "util.h"

#define MAXGOT 16

/* What the reader handed over, one row per resource. */
struct got {
    size_t n;
    int stop_at;  /* return -1 on this call (1-based); 0: never */
    int overflow; /* more than MAXGOT: asserted in the test's own thread */
    struct {
        char *type, *id, *source, *pointer;
        int line, column;
    } r[MAXGOT];
};

/* The reader keeps the id of the resources qppbuild uses (Measure, Library,
 * Organization, MeasureReport); of others only the type. */
static int collect(void *ctx, struct qpp_item *it)
{
    struct got *g = ctx;
    const struct qpp_place *at = &it->at;
    const char *id = it->report ? it->report->id
                     : it->json ? json_string_value(json_object_get(it->json, "id"))
                                : NULL;

    /* Called from any reading thread: no cmocka assertion here. */
    if (g->n >= MAXGOT) {
        g->overflow = 1;
        return -1;
    }
    g->r[g->n].type = qpp_strdup(it->type);
    g->r[g->n].id = id ? qpp_strdup(id) : NULL;
    g->r[g->n].source = at->source ? qpp_strdup(at->source) : NULL;
    g->r[g->n].pointer = at->pointer ? qpp_strdup(at->pointer) : NULL;
    g->r[g->n].line = at->line;
    g->r[g->n].column = at->column;
    g->n++;
    return g->stop_at && (int)g->n == g->stop_at ? -1 : 0;
}

static void got_free(struct got *g)
{
    size_t i;

    for (i = 0; i < g->n; i++) {
        qpp_free(g->r[i].type);
        qpp_free(g->r[i].id);
        qpp_free(g->r[i].source);
        qpp_free(g->r[i].pointer);
    }
}

struct fx {
    struct qpp_diags d;
    struct got got;
    struct qpp_read_options ro;
    int rc;
};

static void done(struct fx *f);

/* Free what a previous read left and start afresh. */
static void fx_reset(struct fx *f)
{
    done(f);
    memset(f, 0, sizeof *f);
    qpp_diags_init(&f->d);
}

static void read_fixture(struct fx *f, const char *name, int stop_at)
{
    size_t len;
    char *buf = fixture_bytes(name, &len);

    fx_reset(f);
    f->got.stop_at = stop_at;
    f->rc = qpp_read_buffer(buf, len, name, &f->ro, collect, &f->got, &f->d);
    assert_false(f->got.overflow);
    free(buf);
}

/* Idempotent: also the teardown's work when a test fails half-way. */
static void done(struct fx *f)
{
    got_free(&f->got);
    f->got.n = 0;
    qpp_diags_free(&f->d);
}

static int setup(void **state)
{
    struct fx *f = calloc(1, sizeof *f);

    if (!f)
        return -1;
    qpp_diags_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    done(*state);
    free(*state);
    return 0;
}

static void assert_got(const struct fx *f, size_t i, const char *type, const char *id,
                       int line, int column, const char *pointer)
{
    if (i >= f->got.n)
        fail_msg("resource %zu not delivered (%zu were)", i, f->got.n);
    assert_string_equal(f->got.r[i].type, type);
    if (id)
        assert_string_equal(f->got.r[i].id, id);
    if (f->got.r[i].line != line || f->got.r[i].column != column)
        fail_msg("resource %zu at %d:%d, want %d:%d", i, f->got.r[i].line,
                 f->got.r[i].column, line, column);
    if (pointer)
        assert_string_equal(f->got.r[i].pointer, pointer);
    else
        assert_null(f->got.r[i].pointer);
}

/* No problem with the JSON or the resources' framing (the MeasureReports
 * read here are minimal: report.c may well complain of them). */
static void assert_read_cleanly(const struct fx *f)
{
    assert_no_diag(&f->d, QPP_JSON_SYNTAX);
    assert_no_diag(&f->d, QPP_NOT_A_RESOURCE);
    assert_no_diag(&f->d, QPP_BUNDLE_INVALID);
    assert_no_diag(&f->d, QPP_EMPTY_INPUT);
}

/* The one diagnostic with code, at line:column. */
static const struct qpp_diag *assert_diag_at(const struct fx *f, enum qpp_code code,
                                             int line, int column)
{
    const struct qpp_diag *g = diag_first(&f->d, code);

    if (!g) {
        diag_dump(&f->d);
        fail_msg("no %s diagnostic", qpp_code_name(code));
    }
    if (g->line != line || g->column != column)
        fail_msg("%s at %d:%d, want %d:%d", qpp_code_name(code), g->line, g->column, line,
                 column);
    return g;
}

static void test_read_one_resource(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-one.json", 0);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->d.len, 0);
    assert_int_equal(f->got.n, 1);
    assert_got(f, 0, "Patient", NULL, 1, 1, NULL);
    assert_string_equal(f->got.r[0].source, "read-one.json");
    done(f);
}

static void test_read_several_values_with_their_positions(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-values.json", 0);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->d.len, 0);
    assert_int_equal(f->got.n, 5);
    assert_got(f, 0, "Patient", NULL, 1, 1, NULL);
    assert_got(f, 1, "Patient", NULL, 1, 40, NULL); /* after 38 characters and a space */
    assert_got(f, 2, "Organization", "c", 3, 4, NULL); /* after three spaces */
    assert_got(f, 3, "Library", "d", 5, 2, NULL);      /* after a tab */
    assert_got(f, 4, "Measure", "e", 5, 40, NULL);     /* right after d */
    done(f);
}

static void test_read_ndjson_lines(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-ndjson.ndjson", 0);
    assert_int_equal(f->rc, 0);
    assert_read_cleanly(f);
    assert_int_equal(f->got.n, 3);
    assert_got(f, 0, "MeasureReport", "r1", 1, 1, NULL);
    assert_got(f, 1, "MeasureReport", "r2", 2, 1, NULL);
    assert_got(f, 2, "MeasureReport", "r3", 3, 1, NULL); /* after a CRLF line */
    done(f);
}

static void test_read_nested_bundles_deliver_entries_with_pointers(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-nested-bundle.json", 0);
    assert_int_equal(f->rc, 0);
    assert_read_cleanly(f);
    assert_int_equal(f->got.n, 4);
    /* Each resource is placed where its own '{' is. */
    assert_got(f, 0, "Patient", NULL, 7, 19, "/entry/0/resource");
    assert_got(f, 1, "MeasureReport", "mr1", 18, 25,
               "/entry/1/resource/entry/0/resource");
    assert_got(f, 2, "Organization", "o1", 39, 31,
               "/entry/1/resource/entry/2/resource/entry/0/resource");
    /* Entries without a resource, or with a null one, carry no data. */
    assert_got(f, 3, "Library", "lib1", 63, 19, "/entry/4/resource");
    done(f);
}

static void test_read_bundle_entry_not_an_array(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    read_fixture(f, "read-bundle-entry-not-array.json", 0);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->got.n, 0);
    assert_diag(&f->d, QPP_BUNDLE_INVALID, "/entry");
    g = diag_first(&f->d, QPP_BUNDLE_INVALID);
    assert_string_equal(g->source, "read-bundle-entry-not-array.json");
    done(f);
}

static void test_read_bundle_entry_not_an_object(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-bundle-entry-not-object.json", 0);
    assert_int_equal(f->rc, 0);
    assert_diag(&f->d, QPP_BUNDLE_INVALID, "/entry/0");
    assert_int_equal(f->got.n, 1);
    assert_got(f, 0, "Patient", NULL, 1, 78, "/entry/1/resource");
    done(f);
}

static void test_read_syntax_error_in_later_value_adds_its_offset(void **state)
{
    struct fx *f = *state;

    /* The second value starts at 2:3; the bad token x is on line 3,
     * column 10. */
    read_fixture(f, "read-syntax-second.json", 0);
    assert_int_equal(f->rc, 0);
    assert_got(f, 0, "Patient", NULL, 1, 1, NULL);
    assert_string_equal(assert_diag_at(f, QPP_JSON_SYNTAX, 3, 10)->source,
                        "read-syntax-second.json");
    assert_int_equal(diag_count(&f->d, QPP_JSON_SYNTAX), 1);
    done(f);
}

static void test_read_syntax_error_on_the_line_of_a_previous_value(void **state)
{
    struct fx *f = *state;

    /* The first value is 49 characters (51 bytes: ë and ü), a space, then
     * the second value from column 51, whose x is its 18th character. */
    read_fixture(f, "read-syntax-same-line.json", 0);
    assert_int_equal(f->got.n, 1);
    assert_diag_at(f, QPP_JSON_SYNTAX, 1, 68);
    done(f);
}

static void test_read_syntax_error_in_first_value(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-syntax-first-line.json", 0);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->got.n, 0);
    assert_diag_at(f, QPP_JSON_SYNTAX, 1, 35); /* the '}' where a value belongs */
    assert_null(diag_first(&f->d, QPP_JSON_SYNTAX)->pointer);
    done(f);
}

static void test_read_duplicate_key_is_a_syntax_error(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-duplicate-key.json", 0);
    assert_int_equal(f->got.n, 0);
    assert_diag_at(f, QPP_JSON_SYNTAX, 2, 13); /* where the second "id" starts */
    done(f);
}

static void test_read_truncated_value(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-truncated.json", 0);
    assert_int_equal(f->got.n, 1);
    /* Just past the last character: the input ends inside a value. */
    assert_diag_at(f, QPP_INPUT_TRUNCATED, 2, 38);
    done(f);
}

static void test_read_empty_input(void **state)
{
    struct fx *f = *state;
    const struct qpp_diag *g;

    read_fixture(f, "read-empty.json", 0);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->got.n, 0);
    g = diag_first(&f->d, QPP_EMPTY_INPUT);
    assert_non_null(g);
    assert_string_equal(g->source, "read-empty.json");
    assert_int_equal(f->d.len, 1);
    done(f);
}

static void test_read_blank_input_is_empty(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-blank.json", 0);
    assert_int_equal(f->got.n, 0);
    assert_non_null(diag_first(&f->d, QPP_EMPTY_INPUT));
    assert_int_equal(f->d.len, 1);
    done(f);
}

static void test_read_array_elements_are_read_as_resources(void **state)
{
    struct fx *f = *state;

    /* A top-level array is a list of resources (fqm-execution writes one):
     * each element not a resource is said at its place. */
    read_fixture(f, "read-array.json", 0);
    assert_int_equal(f->rc, 0);
    assert_diag_at(f, QPP_NOT_A_RESOURCE, 1, 2);
    assert_string_equal(diag_first(&f->d, QPP_NOT_A_RESOURCE)->pointer, "/0");
    assert_int_equal(diag_count(&f->d, QPP_NOT_A_RESOURCE), 2);
    assert_int_equal(f->got.n, 1);
    assert_got(f, 0, "Patient", NULL, 2, 1, NULL);
    done(f);
}

static void test_read_scalar_value_is_not_a_resource(void **state)
{
    struct fx *f = *state;

    /* 42 is valid JSON, just not a FHIR resource; the next value is read. */
    read_fixture(f, "read-scalar.json", 0);
    assert_no_diag(&f->d, QPP_JSON_SYNTAX);
    assert_diag_at(f, QPP_NOT_A_RESOURCE, 1, 1);
    assert_int_equal(f->got.n, 1);
    assert_got(f, 0, "Patient", NULL, 2, 1, NULL);
    done(f);
}

static void test_read_resource_type_missing_or_not_a_string(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-no-resource-type.json", 0);
    assert_int_equal(f->rc, 0);
    assert_int_equal(diag_count(&f->d, QPP_NOT_A_RESOURCE), 5);
    assert_int_equal(f->d.v[0].line, 1); /* no resourceType */
    assert_int_equal(f->d.v[1].line, 2); /* a number */
    assert_int_equal(f->d.v[2].line, 3); /* an empty string */
    assert_null(f->d.v[0].pointer);
    assert_diag(&f->d, QPP_NOT_A_RESOURCE, "/entry/0/resource");
    assert_diag(&f->d, QPP_NOT_A_RESOURCE, "/entry/1/resource"); /* an array */
    assert_int_equal(f->got.n, 1);
    assert_got(f, 0, "Patient", NULL, 5, 1, NULL);
    done(f);
}

static void test_read_stops_when_the_callback_asks(void **state)
{
    struct fx *f = *state;

    read_fixture(f, "read-values.json", 2);
    assert_int_equal(f->rc, -1);
    assert_int_equal(f->got.n, 2);
    done(f);
    read_fixture(f, "read-nested-bundle.json", 1);
    assert_int_equal(f->rc, -1);
    assert_int_equal(f->got.n, 1);
    done(f);
}

static void test_read_stream_reads_a_file(void **state)
{
    struct fx *f = *state;
    FILE *fp = fopen(fixture_path("read-values.json"), "rb");

    assert_non_null(fp);
    fx_reset(f);
    f->rc = qpp_read_stream(fp, "values.json", &f->ro, collect, &f->got, &f->d);
    assert_false(f->got.overflow);
    fclose(fp);
    assert_int_equal(f->rc, 0);
    assert_int_equal(f->d.len, 0);
    assert_int_equal(f->got.n, 5);
    assert_got(f, 4, "Measure", "e", 5, 40, NULL);
    assert_string_equal(f->got.r[4].source, "values.json");
    done(f);
}

/* A stream of many windows' worth: one Measure a line, of sizes from a few
 * bytes to more than a window (QPP_READ_WINDOW, 2 MB), so values are
 * cut by the windows' ends.  Each must arrive whole, in order, on its line. */
struct lines_seen {
    size_t n, bad;
};

static size_t padding_of(size_t k)
{
    if (k == 7)
        return 3 * QPP_READ_WINDOW; /* more than a window */
    return (k * 7919u) % 300000u;
}

static int check_line(void *ctx, struct qpp_item *it)
{
    struct lines_seen *g = ctx;
    char id[32];
    const char *x = json_string_value(json_object_get(it->json, "x"));
    size_t want = padding_of(g->n), i;

    snprintf(id, sizeof id, "m%zu", g->n);
    if (!it->json || !qpp_streq(json_string_value(json_object_get(it->json, "id")), id) ||
        it->at.line != (int)g->n + 1 || !x || strlen(x) != want)
        g->bad++;
    for (i = 0; x && i < want; i++)
        if (x[i] != (i % 50 == 49 ? '"' : 'a' + (char)(i % 26))) {
            g->bad++;
            break;
        }
    g->n++;
    return 0;
}

static int count_lines(void *ctx, struct qpp_item *it)
{
    struct lines_seen *g = ctx;
    char id[32];

    snprintf(id, sizeof id, "m%zu", g->n);
    if (!it->json || !qpp_streq(json_string_value(json_object_get(it->json, "id")), id))
        g->bad++;
    g->n++;
    return 0;
}

static void test_read_stream_across_windows(void **state)
{
    struct fx *f = *state;
    const size_t nlines = 60;
    FILE *fp = tmpfile();
    size_t k, i;
    int jobs;

    assert_non_null(fp);
    for (k = 0; k < nlines; k++) {
        fprintf(fp, "{\"resourceType\":\"Measure\",\"id\":\"m%zu\",\"x\":\"", k);
        for (i = 0; i < padding_of(k); i++)
            if (i % 50 == 49)
                fputs("\\\"", fp);
            else
                fputc('a' + (int)(i % 26), fp);
        fputs("\"}\n", fp);
    }
    for (jobs = 1; jobs <= 2; jobs++) {
        struct lines_seen g = {0, 0};
        rewind(fp);
        fx_reset(f);
        f->ro.jobs = jobs;
        f->rc = qpp_read_stream(fp, "lines.ndjson", &f->ro, check_line, &g, &f->d);
        assert_int_equal(f->rc, 0);
        assert_int_equal(f->d.len, 0);
        assert_int_equal(g.n, nlines);
        assert_int_equal(g.bad, 0);
    }
    f->ro.jobs = 0;
    fclose(fp);
    done(f);
}

/* Input that ends exactly where a window does (one and two windows): the end
 * of input comes when a new window has just been taken. */
static void test_read_stream_ending_at_a_window_end(void **state)
{
    struct fx *f = *state;
    size_t sizes[] = {QPP_READ_WINDOW, 2 * QPP_READ_WINDOW, QPP_READ_WINDOW + 1}, k;

    for (k = 0; k < sizeof sizes / sizeof sizes[0]; k++) {
        FILE *fp = tmpfile();
        struct lines_seen g = {0, 0};
        size_t n = 0, line = 0;
        int jobs;

        assert_non_null(fp);
        /* Lines of 1000 bytes, the last cut to fit, without a newline. */
        while (n < sizes[k]) {
            size_t len = sizes[k] - n < 1000 ? sizes[k] - n : 1000, pad, i;
            int head = fprintf(
                fp, "{\"resourceType\":\"Measure\",\"id\":\"m%zu\",\"x\":\"", line++);
            assert_true(head > 0 && len >= (size_t)head + 3);
            pad = len - (size_t)head - 3;
            for (i = 0; i < pad; i++)
                fputc('a' + (int)(i % 26), fp);
            fputs(n + len < sizes[k] ? "\"}\n" : "\"} ", fp);
            n += len;
        }
        assert_int_equal(ftell(fp), (long)sizes[k]);
        for (jobs = 1; jobs <= 2; jobs++) {
            g.n = g.bad = 0;
            rewind(fp);
            fx_reset(f);
            f->ro.jobs = jobs;
            f->rc = qpp_read_stream(fp, "end.ndjson", &f->ro, count_lines, &g, &f->d);
            assert_int_equal(f->rc, 0);
            assert_int_equal(f->d.len, 0);
            assert_int_equal(g.n, line);
        }
        fclose(fp);
    }
    /* A value of a window but 100 bytes, then one cut short at the end: the cut
     * one is still being spanned when the input ends, just as a new window
     * is taken (under AddressSanitizer the windows let go are poisoned). */
    for (k = 0; k < 2; k++) {
        FILE *fp = tmpfile();
        struct lines_seen g = {0, 0};
        const char *head = "{\"resourceType\":\"Measure\",\"id\":\"m0\",\"x\":\"";
        const char *cut = "{\"resourceType\":\"Measure\",\"id\":\"m1\",\"x\":\"";
        size_t i, first = QPP_READ_WINDOW - 100;

        assert_non_null(fp);
        fputs(head, fp);
        for (i = strlen(head) + 2; i < first; i++)
            fputc('a', fp);
        fputs("\"}\n", fp);
        fputs(cut, fp);
        while (ftell(fp) < (long)QPP_READ_WINDOW)
            fputc('b', fp);
        rewind(fp);
        fx_reset(f);
        f->ro.jobs = (int)k + 1;
        f->rc = qpp_read_stream(fp, "cut.ndjson", &f->ro, count_lines, &g, &f->d);
        assert_int_equal(g.n, 1);
        assert_int_equal(g.bad, 0);
        assert_int_equal(diag_count(&f->d, QPP_INPUT_TRUNCATED), 1);
        fclose(fp);
    }
    f->ro.jobs = 0;
    done(f);
}

/* With a digest asked for, every byte read goes into it, by stream or
 * buffer and with any number of threads. */
static void test_read_digests_every_byte(void **state)
{
    struct fx *f = *state;
    struct qpp_sha256 want, got;
    unsigned char w[QPP_SHA256_LEN], g[QPP_SHA256_LEN];
    size_t len;
    char *buf = fixture_bytes("read-nested-bundle.json", &len);
    int jobs;

    qpp_sha256_init(&want);
    qpp_sha256_update(&want, buf, len);
    qpp_sha256_final(&want, w);
    for (jobs = 1; jobs <= 3; jobs++) {
        FILE *fp = fopen(fixture_path("read-nested-bundle.json"), "rb");

        assert_non_null(fp);
        fx_reset(f);
        qpp_sha256_init(&got);
        f->ro.jobs = jobs;
        f->ro.sha256 = &got;
        f->rc = qpp_read_stream(fp, "r.ndjson", &f->ro, collect, &f->got, &f->d);
        assert_false(f->got.overflow);
        fclose(fp);
        assert_int_equal(f->rc, 0);
        qpp_sha256_final(&got, g);
        assert_memory_equal(g, w, sizeof w);
        fx_reset(f);
        qpp_sha256_init(&got);
        f->ro.jobs = jobs;
        f->ro.sha256 = &got;
        f->rc = qpp_read_buffer(buf, len, "r.ndjson", &f->ro, collect, &f->got, &f->d);
        assert_false(f->got.overflow);
        assert_int_equal(f->rc, 0);
        qpp_sha256_final(&got, g);
        assert_memory_equal(g, w, sizeof w);
    }
    f->ro.sha256 = NULL;
    f->ro.jobs = 0;
    free(buf);
    done(f);
}

static void test_read_stream_empty_file(void **state)
{
    struct fx *f = *state;
    FILE *fp = fopen(fixture_path("read-empty.json"), "rb");

    assert_non_null(fp);
    fx_reset(f);
    f->rc = qpp_read_stream(fp, "-", &f->ro, collect, &f->got, &f->d);
    assert_false(f->got.overflow);
    fclose(fp);
    assert_int_equal(f->rc, 0);
    assert_non_null(diag_first(&f->d, QPP_EMPTY_INPUT));
    done(f);
}

static void test_read_stream_error_is_io_error(void **state)
{
    struct fx *f = *state;
    FILE *fp = fopen(FIXTURES, "rb"); /* a directory: reading it fails */

    if (!fp)
        skip();
    fx_reset(f);
    f->rc = qpp_read_stream(fp, FIXTURES, &f->ro, collect, &f->got, &f->d);
    assert_false(f->got.overflow);
    fclose(fp);
    assert_int_equal(f->rc, -1);
    assert_non_null(diag_first(&f->d, QPP_IO_ERROR));
    assert_true(qpp_diags_io_failed(&f->d));
    assert_int_equal(f->got.n, 0);
    done(f);
}

/* ---- several files, one crew ---- */

/* What qpp_read_files handed over: the items, and each input read. */
struct files_got {
    struct got got;
    int n;
    char *name[8];
    unsigned char sha[8][QPP_SHA256_LEN];
};

static int collect_item(void *ctx, struct qpp_item *it)
{
    return collect(&((struct files_got *)ctx)->got, it);
}

static int collect_input(void *ctx, const char *name, const unsigned char *sha)
{
    struct files_got *g = ctx;

    if (g->n >= 8) {
        g->got.overflow = 1;
        return -1;
    }
    g->name[g->n] = qpp_strdup(name);
    memcpy(g->sha[g->n++], sha, QPP_SHA256_LEN);
    return 0;
}

static void files_got_free(struct files_got *g)
{
    int i;

    got_free(&g->got);
    for (i = 0; i < g->n; i++)
        qpp_free(g->name[i]);
    memset(g, 0, sizeof *g);
}

static char *fixture_dup(const char *name)
{
    char *p = qpp_strdup(fixture_path(name));

    assert_non_null(p);
    return p;
}

static void sha_of_fixture(const char *name, unsigned char out[QPP_SHA256_LEN])
{
    struct qpp_sha256 c;
    size_t len;
    char *buf = fixture_bytes(name, &len);

    qpp_sha256_init(&c);
    qpp_sha256_update(&c, buf, len);
    qpp_sha256_final(&c, out);
    free(buf);
}

/* Files read by one crew come out as if read one after the other, whatever
 * the threads: each item and diagnostic names its file, a file that cannot
 * be opened or has a syntax error or no value is said in its place and the
 * files after it are read, and each file read is told with its digest. */
static void test_read_files_in_order(void **state)
{
    struct fx *f = *state;
    static const char *const fixtures[] = {"read-one.json", "no-such-file.json",
                                           "read-syntax-second.json", "read-empty.json",
                                           "read-ndjson.ndjson"};
    static const char *const types[] = {"Patient", "Patient", "MeasureReport",
                                        "MeasureReport", "MeasureReport"};
    static const int from[] = {0, 2, 4, 4, 4};
    static const int told[] = {0, 2, 3, 4};
    static const enum qpp_code codes[] = {QPP_IO_ERROR, QPP_JSON_SYNTAX, QPP_EMPTY_INPUT};
    char *names[5];
    unsigned char sha[5][QPP_SHA256_LEN];
    struct files_got g;
    int i, k, jobs;

    for (i = 0; i < 5; i++) {
        names[i] = fixture_dup(fixtures[i]);
        if (i != 1)
            sha_of_fixture(fixtures[i], sha[i]);
    }
    memset(&g, 0, sizeof g);
    for (jobs = 1; jobs <= 4; jobs++) {
        fx_reset(f);
        f->ro.jobs = jobs;
        f->ro.digest = 1;
        f->rc = qpp_read_files((const char *const *)names, 5, &f->ro, collect_item,
                               collect_input, &g, &f->d);
        assert_false(g.got.overflow);
        assert_int_equal(f->rc, 0);
        assert_int_equal(g.got.n, 5);
        for (i = 0; i < 5; i++) {
            assert_string_equal(g.got.r[i].type, types[i]);
            assert_string_equal(g.got.r[i].source, names[from[i]]);
        }
        /* the reports' own findings aside */
        for (i = 0, k = 0; i < (int)f->d.len; i++) {
            const struct qpp_diag *d = &f->d.v[i];
            if (d->code != QPP_IO_ERROR && d->code != QPP_JSON_SYNTAX &&
                d->code != QPP_EMPTY_INPUT) {
                assert_string_equal(d->source, names[4]);
                continue;
            }
            assert_true(k < 3);
            assert_int_equal(d->code, codes[k]);
            assert_string_equal(d->source, names[k + 1]);
            if (d->code == QPP_JSON_SYNTAX)
                assert_int_equal(d->line, 3);
            k++;
        }
        assert_int_equal(k, 3);
        assert_int_equal(g.n, 4);
        for (i = 0; i < 4; i++) {
            assert_string_equal(g.name[i], names[told[i]]);
            assert_memory_equal(g.sha[i], sha[told[i]], QPP_SHA256_LEN);
        }
        files_got_free(&g);
    }
    f->ro.jobs = 0;
    f->ro.digest = 0;
    for (i = 0; i < 5; i++)
        qpp_free(names[i]);
    done(f);
}

/* A read error stops the reading: the files after it are not read. */
static void test_read_files_stop_at_a_read_error(void **state)
{
    struct fx *f = *state;
    char *names[3];
    struct files_got g;
    FILE *probe = fopen(FIXTURES, "rb"); /* a directory: reading it fails */
    int jobs;

    if (!probe)
        skip();
    fclose(probe);
    names[0] = fixture_dup("read-one.json");
    names[1] = qpp_strdup(FIXTURES);
    names[2] = fixture_dup("read-ndjson.ndjson");
    assert_non_null(names[1]);
    memset(&g, 0, sizeof g);
    for (jobs = 1; jobs <= 3; jobs++) {
        fx_reset(f);
        f->ro.jobs = jobs;
        f->rc = qpp_read_files((const char *const *)names, 3, &f->ro, collect_item,
                               collect_input, &g, &f->d);
        assert_false(g.got.overflow);
        assert_int_equal(f->rc, -1);
        assert_int_equal(g.got.n, 1);
        assert_string_equal(g.got.r[0].source, names[0]);
        assert_int_equal(g.n, 1);
        assert_int_equal(diag_count(&f->d, QPP_IO_ERROR), 1);
        assert_string_equal(diag_first(&f->d, QPP_IO_ERROR)->source, names[1]);
        files_got_free(&g);
    }
    f->ro.jobs = 0;
    qpp_free(names[0]);
    qpp_free(names[1]);
    qpp_free(names[2]);
    done(f);
}

/* The progress lines of qpp_read_files: how many ended an input. */
static void count_last(void *ctx, unsigned long long bytes, unsigned long long resources,
                       int last)
{
    (void)bytes;
    (void)resources;
    if (last)
        (*(int *)ctx)++;
}

/* A value longer than a window, then one cut short by the end of its file,
 * then another file: the long value arrives, the cut one is said at its
 * place, the file ends with its progress line, and the next file is read
 * (a reader that lets the long value's window go early must neither read
 * the kept bytes from it nor drop the end of the input). */
static void test_read_files_a_long_value_then_one_cut_short(void **state)
{
    struct fx *f = *state;
    const size_t longs[] = {QPP_READ_WINDOW + 100, QPP_READ_WINDOW * 3 / 2,
                            2 * QPP_READ_WINDOW - 100, 3 * QPP_READ_WINDOW + 7};
    const size_t cuts[] = {10, 300000};
    const char *head = "{\"resourceType\":\"Measure\",\"id\":\"m0\",\"x\":\"";
    char path[] = "/tmp/qppbuild-test-XXXXXX";
    char *names[2], pad[4096];
    size_t a, c, i, n;
    struct files_got g;
    int fd, jobs;

    memset(pad, 'a', sizeof pad);
    names[0] = path;
    names[1] = fixture_dup("read-one.json");
    memset(&g, 0, sizeof g);
    for (a = 0; a < sizeof longs / sizeof longs[0]; a++) {
        for (c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
            FILE *fp;

            strcpy(path, "/tmp/qppbuild-test-XXXXXX");
            fd = mkstemp(path);
            assert_true(fd >= 0);
            fp = fdopen(fd, "wb");
            assert_non_null(fp);
            fputs(head, fp);
            for (i = strlen(head) + 2; i < longs[a]; i += n) {
                n = longs[a] - i < sizeof pad ? longs[a] - i : sizeof pad;
                assert_int_equal(fwrite(pad, 1, n, fp), n);
            }
            fputs("\"}\n", fp);
            fputs("{\"resourceType\":\"Measure\",\"id\":\"m1\",\"x\":\"", fp);
            for (i = 0; i < cuts[c]; i += n) {
                n = cuts[c] - i < sizeof pad ? cuts[c] - i : sizeof pad;
                assert_int_equal(fwrite(pad, 1, n, fp), n);
            }
            assert_int_equal(fclose(fp), 0);
            for (jobs = 1; jobs <= 2; jobs++) {
                int lasts = 0;
                const struct qpp_diag *d;

                fx_reset(f);
                f->ro.jobs = jobs;
                f->ro.progress = count_last;
                f->ro.progress_ctx = &lasts;
                f->rc = qpp_read_files((const char *const *)names, 2, &f->ro,
                                       collect_item, collect_input, &g, &f->d);
                assert_false(g.got.overflow);
                assert_int_equal(f->rc, 0);
                assert_int_equal(g.got.n, 2);
                assert_string_equal(g.got.r[0].id, "m0");
                assert_string_equal(g.got.r[0].source, names[0]);
                assert_string_equal(g.got.r[1].type, "Patient");
                assert_string_equal(g.got.r[1].source, names[1]);
                assert_int_equal(diag_count(&f->d, QPP_INPUT_TRUNCATED), 1);
                d = diag_first(&f->d, QPP_INPUT_TRUNCATED);
                assert_string_equal(d->source, names[0]);
                assert_int_equal(d->line, 2);
                assert_int_equal(g.n, 2);
                assert_int_equal(lasts, 2);
                files_got_free(&g);
            }
            unlink(path);
        }
    }
    f->ro.jobs = 0;
    f->ro.progress = NULL;
    f->ro.progress_ctx = NULL;
    qpp_free(names[1]);
    done(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_read_one_resource, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_several_values_with_their_positions,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_ndjson_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_read_nested_bundles_deliver_entries_with_pointers, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_bundle_entry_not_an_array, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_bundle_entry_not_an_object, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_read_syntax_error_in_later_value_adds_its_offset, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_read_syntax_error_on_the_line_of_a_previous_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_syntax_error_in_first_value, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_duplicate_key_is_a_syntax_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_truncated_value, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_empty_input, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_blank_input_is_empty, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_array_elements_are_read_as_resources,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_scalar_value_is_not_a_resource, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_resource_type_missing_or_not_a_string,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_stops_when_the_callback_asks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_stream_reads_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_stream_across_windows, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_stream_ending_at_a_window_end, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_digests_every_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_stream_empty_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_files_in_order, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_files_a_long_value_then_one_cut_short,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_files_stop_at_a_read_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_read_stream_error_is_io_error, setup,
                                        teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
