/* SPDX-License-Identifier: MIT */
/* Reading JSON values and walking Bundles; see read.h. */
#include "read.h"

#include <errno.h>
#include <string.h>

#include "util.h"

struct walk {
    const char *source;
    int line, column; /* where the current top-level value starts */
    qpp_resource_fn fn;
    void *ctx;
    struct qpp_diags *d;
};

static void complain(struct walk *w, enum qpp_code code, const char *ptr, const char *msg)
{
    struct qpp_place at = {w->source, w->line, w->column, NULL, NULL};

    qpp_diag(w->d, code, &at, ptr && *ptr ? ptr : NULL, "%s", msg);
}

/* ptr holds the path from the top-level value to v. */
static int walk(struct walk *w, json_t *v, struct qpp_buf *ptr)
{
    const char *type = json_string_value(json_object_get(v, "resourceType"));
    json_t *entries, *e;
    size_t i, mark;

    if (ptr->failed)
        return -1;
    if (!json_is_object(v)) {
        complain(w, QPP_NOT_A_RESOURCE, ptr->s, "not a FHIR resource: not a JSON object");
        return 0;
    }
    if (!type || !*type) {
        complain(w, QPP_NOT_A_RESOURCE, ptr->s,
                 json_object_get(v, "resourceType")
                     ? "not a FHIR resource: resourceType is not a non-empty string"
                     : "not a FHIR resource: no resourceType");
        return 0;
    }
    if (strcmp(type, "Bundle") != 0) {
        struct qpp_place at = {w->source, w->line, w->column, NULL,
                               ptr->len ? ptr->s : NULL};
        return w->fn(w->ctx, v, &at);
    }
    entries = json_object_get(v, "entry");
    if (!entries || json_is_null(entries))
        return 0;
    mark = ptr->len;
    if (!json_is_array(entries)) {
        qpp_buf_add(ptr, "/entry");
        complain(w, QPP_BUNDLE_INVALID, ptr->s, "Bundle entry is not an array");
        ptr->len = mark;
        return ptr->failed ? -1 : 0;
    }
    json_array_foreach(entries, i, e)
    {
        json_t *r = json_object_get(e, "resource");
        int rc = 0;

        qpp_buf_printf(ptr, "/entry/%zu", i);
        if (!json_is_object(e)) {
            complain(w, QPP_BUNDLE_INVALID, ptr->s, "Bundle entry is not an object");
        } else if (r && !json_is_null(r)) {
            /* Entries without a resource (responses, deletes) carry no data. */
            qpp_buf_add(ptr, "/resource");
            rc = walk(w, r, ptr);
        }
        ptr->len = mark;
        if (ptr->s)
            ptr->s[mark] = '\0';
        if (rc < 0 || ptr->failed)
            return -1;
    }
    return 0;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Move line and column past n bytes at p. */
static void advance(const char *p, size_t n, int *line, int *column)
{
    const char *end = p + n, *nl;

    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        (*line)++;
        *column = 1;
        p = nl + 1;
    }
    for (; p < end; p++)
        if (((unsigned char)*p & 0xC0) != 0x80) /* count characters, not bytes */
            (*column)++;
}

int qpp_read_buffer(const char *buf, size_t len, const char *source, qpp_resource_fn fn,
                    void *ctx, struct qpp_diags *d)
{
    struct walk w = {source, 1, 1, fn, ctx, d};
    size_t off = 0, values = 0;

    for (;;) {
        json_error_t err;
        struct qpp_buf ptr;
        json_t *v;
        int rc;

        while (off < len && is_space(buf[off])) {
            advance(buf + off, 1, &w.line, &w.column);
            off++;
        }
        if (off == len)
            break;
        v = json_loadb(buf + off, len - off,
                       JSON_DISABLE_EOF_CHECK | JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
                       &err);
        if (!v) {
            struct qpp_place at = {source, w.line, w.column, NULL, NULL};

            if (json_error_code(&err) == json_error_out_of_memory) {
                qpp_diag(d, QPP_OUT_OF_MEMORY, &at, NULL, "out of memory");
                return -1;
            }
            /* jansson counts from the start of this value. */
            at.line = w.line + err.line - 1;
            at.column = err.line == 1 ? w.column + err.column - 1 : err.column;
            if (err.line < 1)
                at.line = w.line, at.column = w.column;
            qpp_diag(d, QPP_JSON_SYNTAX, &at, NULL, "%s", err.text);
            return 0; /* no reliable way to resynchronise */
        }
        values++;
        qpp_buf_init(&ptr);
        qpp_buf_add(&ptr, "");
        rc = walk(&w, v, &ptr);
        if (ptr.failed) {
            qpp_diag(d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory");
            rc = -1;
        }
        qpp_buf_free(&ptr);
        json_decref(v);
        if (rc < 0)
            return -1;
        advance(buf + off, err.position, &w.line, &w.column);
        off += err.position;
    }
    if (values == 0) {
        struct qpp_place at = {source, -1, -1, NULL, NULL};
        qpp_diag(d, QPP_EMPTY_INPUT, &at, NULL, "no JSON value in the input");
    }
    return 0;
}

int qpp_read_stream(FILE *fp, const char *source, qpp_resource_fn fn, void *ctx,
                    struct qpp_diags *d)
{
    struct qpp_buf b;
    char chunk[65536];
    size_t n;
    int rc;

    qpp_buf_init(&b);
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        qpp_buf_addn(&b, chunk, n);
    if (ferror(fp)) {
        struct qpp_place at = {source, -1, -1, NULL, NULL};
        qpp_diag(d, QPP_IO_ERROR, &at, NULL, "read error: %s", strerror(errno));
        qpp_buf_free(&b);
        return -1;
    }
    if (b.failed) {
        qpp_diag(d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory reading %s", source);
        qpp_buf_free(&b);
        return -1;
    }
    rc = qpp_read_buffer(b.s ? b.s : "", b.len, source, fn, ctx, d);
    qpp_buf_free(&b);
    return rc;
}
