/* SPDX-License-Identifier: MIT */
/*
 * Helpers shared by the unit tests: fixture files from tests/fixtures (the
 * Makefile defines FIXTURES and runs the tests from the repository root) and
 * lookups in collected diagnostics.  Include after <cmocka.h>.
 */
#ifndef QPP_TESTUTIL_H
#define QPP_TESTUTIL_H

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "tree.h"

#ifndef FIXTURES
#define FIXTURES "tests/fixtures"
#endif

/* The path of a fixture file, in a static buffer. */
static inline const char *fixture_path(const char *name)
{
    static char path[512];

    snprintf(path, sizeof path, "%s/%s", FIXTURES, name);
    return path;
}

/* The bytes of a fixture file, NUL-terminated; free with free().  *len (may
 * be NULL) receives the length without the NUL.  Fails the test when the
 * file cannot be read. */
static inline char *fixture_bytes(const char *name, size_t *len)
{
    FILE *fp = fopen(fixture_path(name), "rb");
    char *buf = NULL;
    size_t n = 0, cap = 0, got;

    if (!fp)
        fail_msg("cannot open fixture %s", fixture_path(name));
    for (;;) {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 8192;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        got = fread(buf + n, 1, cap - n - 1, fp);
        n += got;
        if (got == 0)
            break;
    }
    assert_false(ferror(fp));
    fclose(fp);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* A fixture file parsed as one JSON value: a new reference. */
static inline json_t *fixture_json(const char *name)
{
    json_error_t err;
    json_t *v = json_load_file(fixture_path(name), JSON_REJECT_DUPLICATES, &err);

    if (!v)
        fail_msg("fixture %s: %d:%d: %s", name, err.line, err.column, err.text);
    return v;
}

/* A tree (tree.h) as a jansson value, members in their order: a new
 * reference. */
static inline json_t *tree_json(const struct qpp_jv *v)
{
    json_t *j = NULL;
    size_t i;

    if (!v)
        return NULL;
    switch (v->type) {
        case QPP_J_NULL:
            return json_null();
        case QPP_J_TRUE:
            return json_true();
        case QPP_J_FALSE:
            return json_false();
        case QPP_J_INTEGER:
            return json_integer(v->u.i);
        case QPP_J_REAL:
            return json_real(v->u.r);
        case QPP_J_STRING:
            return json_string(v->u.s);
        case QPP_J_ARRAY:
            j = json_array();
            for (i = 0; i < v->n; i++)
                json_array_append_new(j, tree_json(&v->u.kids[i]));
            return j;
        case QPP_J_OBJECT:
            j = json_object();
            for (i = 0; i < v->n; i++)
                json_object_set_new(j, qpp_jv_key(v, i), tree_json(qpp_jv_member(v, i)));
            return j;
    }
    return NULL;
}

/* A jansson value as a tree, all of it kept (qpp_tree_parse of its text):
 * its root, in t (free with qpp_tree_free). */
static inline const struct qpp_jv *json_tree(json_t *j, struct qpp_tree *t)
{
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

    qpp_tree_init(t);
    if (!s || qpp_tree_parse(s, strlen(s), t) != 0)
        fail_msg("%s", "json_tree: the value does not scan");
    free(s);
    return t->root;
}

/* How many diagnostics with this code were kept. */
static inline size_t diag_count(const struct qpp_diags *d, enum qpp_code code)
{
    size_t i, n = 0;

    for (i = 0; i < d->len; i++)
        if (d->v[i].code == code)
            n++;
    return n;
}

/* The first kept diagnostic with this code and pointer (NULL matches a
 * diagnostic without one), or NULL. */
static inline const struct qpp_diag *diag_find(const struct qpp_diags *d,
                                               enum qpp_code code, const char *pointer)
{
    size_t i;

    for (i = 0; i < d->len; i++) {
        const struct qpp_diag *g = &d->v[i];
        if (g->code != code)
            continue;
        if (pointer ? g->pointer && strcmp(g->pointer, pointer) == 0 : !g->pointer)
            return g;
    }
    return NULL;
}

/* The first kept diagnostic with this code, whatever its pointer, or NULL. */
static inline const struct qpp_diag *diag_first(const struct qpp_diags *d,
                                                enum qpp_code code)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        if (d->v[i].code == code)
            return &d->v[i];
    return NULL;
}

/* Print what was collected, to explain a failing assertion. */
static inline void diag_dump(const struct qpp_diags *d)
{
    size_t i;

    for (i = 0; i < d->len; i++) {
        const struct qpp_diag *g = &d->v[i];
        print_message("  diag: %s %s:%d:%d %s %s\n", qpp_code_name(g->code),
                      g->source ? g->source : "-", g->line, g->column,
                      g->resource ? g->resource : "-", g->pointer ? g->pointer : "-");
    }
}

/* Fail unless a diagnostic with this code and pointer was kept. */
#define assert_diag(d, code, pointer)                                                    \
    do {                                                                                 \
        if (!diag_find((d), (code), (pointer))) {                                        \
            diag_dump(d);                                                                \
            fail_msg("no %s diagnostic at %s", qpp_code_name(code),                      \
                     (pointer) ? (const char *)(pointer) : "(no pointer)");              \
        }                                                                                \
    } while (0)

/* Fail when a diagnostic with this code was kept. */
#define assert_no_diag(d, code)                                                          \
    do {                                                                                 \
        if (diag_count((d), (code))) {                                                   \
            diag_dump(d);                                                                \
            fail_msg("unexpected %s diagnostic", qpp_code_name(code));                   \
        }                                                                                \
    } while (0)

/* fn run by four threads at once (from a start, so they race): what every
 * one returned, which must be the same and not NULL. */
static inline void *same_from_four_threads(void *(*fn)(void *))
{
    pthread_t t[4];
    void *got[4];
    int i;

    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_create(&t[i], NULL, fn, NULL), 0);
    for (i = 0; i < 4; i++)
        assert_int_equal(pthread_join(t[i], &got[i]), 0);
    for (i = 0; i < 4; i++) {
        assert_non_null(got[i]);
        assert_ptr_equal(got[i], got[0]);
    }
    return got[0];
}

/* Fail when any error was found. */
#define assert_no_errors(d)                                                              \
    do {                                                                                 \
        if (qpp_diags_errors(d)) {                                                       \
            diag_dump(d);                                                                \
            fail_msg("%zu unexpected errors", qpp_diags_errors(d));                      \
        }                                                                                \
    } while (0)

#endif
