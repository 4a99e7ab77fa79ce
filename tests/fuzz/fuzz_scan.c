/* SPDX-License-Identifier: MIT */
/*
 * Differential fuzz target: qppbuild's scanner must accept exactly the JSON
 * that jansson accepts (as qppbuild loads it); the tree it builds of a value
 * must be jansson's value, whole (qpp_tree_parse) or reduced (every member
 * it keeps is jansson's, arrays whole in length).
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/span_ref.h"
#include "scan.h"
#include "tree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void span_check(enum qpp_span_result a, const struct qpp_span *x,
                       enum qpp_span_result b, const struct qpp_span *y, const char *how)
{
    const char *what = span_differs(a, x, b, y);

    if (what) {
        fprintf(stderr, "span %s: %s differs from the byte loop (%d at %zu, %d at %zu)\n",
                how, what, (int)a, x->pos, (int)b, y->pos);
        abort();
    }
}

/* Whatever the bytes, the span is the byte loop's (span_ref.h): at once,
 * a byte at a time and in pieces of sizes the input picks, with the same
 * state after every call. */
static void span_like_the_byte_loop(const char *data, size_t size)
{
    struct qpp_span x, y;
    enum qpp_span_result a, b;
    size_t n, step;
    int eof;

    for (eof = 0; eof <= 1; eof++) {
        memset(&x, 0, sizeof x);
        memset(&y, 0, sizeof y);
        a = qpp_span(data, size, eof, &x);
        b = span_ref(data, size, eof, &y);
        span_check(a, &x, b, &y, "at once");
    }
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    a = QPP_SPAN_MORE;
    for (n = 0; n <= size && a == QPP_SPAN_MORE; n++) {
        a = qpp_span(data, n, n == size, &x);
        b = span_ref(data, n, n == size, &y);
        span_check(a, &x, b, &y, "a byte at a time");
    }
    memset(&x, 0, sizeof x);
    memset(&y, 0, sizeof y);
    a = QPP_SPAN_MORE;
    step = size ? 1 + (unsigned char)data[size - 1] % 97 : 1;
    for (n = 0; a == QPP_SPAN_MORE; n += step) {
        if (n > size)
            n = size;
        a = qpp_span(data, n, n == size, &x);
        b = span_ref(data, n, n == size, &y);
        span_check(a, &x, b, &y, "in pieces");
        step = 1 + (step * 31 + 7) % 89;
        if (n == size)
            break;
    }
}

/* The tree value v is jansson's value j; with all, every member is there
 * (else only some members of objects may be). */
static int same(const struct qpp_jv *v, json_t *j, int all)
{
    size_t i;

    switch (v->type) {
        case QPP_J_NULL:
            return json_is_null(j);
        case QPP_J_TRUE:
            return json_is_true(j);
        case QPP_J_FALSE:
            return json_is_false(j);
        case QPP_J_INTEGER:
            return json_is_integer(j) && json_integer_value(j) == v->u.i;
        case QPP_J_REAL:
            return json_is_real(j) && json_real_value(j) == v->u.r;
        case QPP_J_STRING:
            return json_is_string(j) && json_string_length(j) == strlen(v->u.s) &&
                   strcmp(json_string_value(j), v->u.s) == 0;
        case QPP_J_ARRAY:
            if (!json_is_array(j) || json_array_size(j) != v->n)
                return 0;
            for (i = 0; i < v->n; i++)
                if (!same(&v->u.kids[i], json_array_get(j, i), all))
                    return 0;
            return 1;
        case QPP_J_OBJECT:
            if (!json_is_object(j) || (all && json_object_size(j) != v->n))
                return 0;
            for (i = 0; i < v->n; i++) {
                json_t *m = json_object_get(j, qpp_jv_key(v, i));
                if (!m || !same(qpp_jv_member(v, i), m, all))
                    return 0;
            }
            return 1;
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct qpp_scan s;
    struct qpp_tree tree, all;
    json_error_t err;
    json_t *j;
    int rc;

    span_like_the_byte_loop((const char *)data, size);
    memset(&s, 0, sizeof s);
    qpp_tree_init(&tree);
    qpp_tree_init(&all);
    s.tree = &tree;
    rc = qpp_scan((const char *)data, size, &s);
    j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                   &err);
    /* jansson lets a NUL byte end a number ("5\0" and {"a":0\0} load): a
     * quirk of its lexer that qppbuild does not copy, NUL not being JSON. */
    if (j && rc == -1 && memchr(data, '\0', size)) {
        json_decref(j);
        qpp_tree_free(&tree);
        return 0;
    }
    if (rc == -2 || (j != NULL) != (rc == 0)) {
        fprintf(stderr, "scanner %s, jansson %s (%s)\n", rc == 0 ? "accepts" : s.err_text,
                j ? "accepts" : "rejects", j ? "" : err.text);
        abort();
    }
    if (j && (!tree.root || !same(tree.root, j, !s.is_object))) {
        fprintf(stderr, "the reduced tree is not jansson's value\n");
        abort();
    }
    if (j &&
        (qpp_tree_parse((const char *)data, size, &all) != 0 || !same(all.root, j, 1))) {
        fprintf(stderr, "the whole tree is not jansson's value\n");
        abort();
    }
    /* A string hashes as its content does, however it is escaped. */
    if (j && json_is_string(j) &&
        s.hash != qpp_scan_string_hash(json_string_value(j), json_string_length(j))) {
        fprintf(stderr, "the string's hash is not its content's\n");
        abort();
    }
    /* As a worker scans a batch: one tree and one room used again, input
     * after input, give each input's own tree. */
    {
        static struct qpp_tree reused;
        static struct qpp_scan_room room;
        static int ready;
        struct qpp_scan again;

        if (!ready)
            qpp_tree_init(&reused), ready = 1;
        memset(&again, 0, sizeof again);
        again.tree = &reused;
        again.room = &room;
        if (qpp_scan((const char *)data, size, &again) != rc ||
            (j && (!reused.root || !same(reused.root, j, !again.is_object)))) {
            fprintf(stderr, "a tree or room used again gives another value\n");
            abort();
        }
        qpp_tree_reset(&reused);
    }
    json_decref(j);
    qpp_tree_free(&tree);
    qpp_tree_free(&all);
    /* A value jansson reads whole (more may follow) ends where the
     * splitter's span says, read at once or a byte at a time. */
    if (size && !memchr(data, 0, size) &&
        (data[0] == '{' || data[0] == '[' || data[0] == '"')) {
        j = json_loadb((const char *)data, size,
                       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY | JSON_DISABLE_EOF_CHECK,
                       &err);
        if (j) {
            struct qpp_span whole, steps;
            size_t n;
            enum qpp_span_result res = QPP_SPAN_MORE;

            memset(&whole, 0, sizeof whole);
            memset(&steps, 0, sizeof steps);
            if (qpp_span((const char *)data, size, 1, &whole) != QPP_SPAN_END ||
                whole.pos != (size_t)err.position) {
                fprintf(stderr, "span ends at %zu, jansson at %d\n", whole.pos,
                        err.position);
                abort();
            }
            for (n = 1; n <= size && res == QPP_SPAN_MORE; n++)
                res = qpp_span((const char *)data, n, n == size, &steps);
            if (res != QPP_SPAN_END || steps.pos != whole.pos)
                abort();
            json_decref(j);
        }
    }
    return 0;
}
