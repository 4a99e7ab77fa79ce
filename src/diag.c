/* SPDX-License-Identifier: MIT */
/* Diagnostics collector and renderers; see diag.h. */
#include "diag.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "util.h"

static const struct {
    const char *name;
    enum qpp_severity severity;
} codes[] = {
#define QPP_CODE_ROW(name, str, sev) {str, sev},
    QPP_CODES(QPP_CODE_ROW)
#undef QPP_CODE_ROW
};

const char *qpp_code_name(enum qpp_code code)
{
    return code < QPP_NCODES ? codes[code].name : "internal";
}

enum qpp_severity qpp_code_severity(enum qpp_code code)
{
    return code < QPP_NCODES ? codes[code].severity : QPP_ERROR;
}

const char *qpp_severity_name(enum qpp_severity sev)
{
    switch (sev) {
        case QPP_NOTE:
            return "note";
        case QPP_WARNING:
            return "warning";
        default:
            return "error";
    }
}

void qpp_diags_init(struct qpp_diags *d)
{
    memset(d, 0, sizeof *d);
    d->cap_per_severity = QPP_DIAG_CAP;
}

static void diag_free(struct qpp_diag *g)
{
    qpp_free(g->source);
    qpp_free(g->resource);
    qpp_free(g->pointer);
    qpp_free(g->message);
}

void qpp_diags_free(struct qpp_diags *d)
{
    size_t i;

    for (i = 0; i < d->len; i++)
        diag_free(&d->v[i]);
    qpp_free(d->v);
    qpp_diags_init(d);
}

void qpp_diag_nomem(struct qpp_diags *d)
{
    d->nomem = 1;
}

static unsigned long code_point(const unsigned char *p, size_t n)
{
    unsigned long c = p[0] & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    size_t i;

    for (i = 1; i < n; i++)
        c = c << 6 | (p[i] & 0x3F);
    return c;
}

/* C1 controls, bidirectional marks, embeddings, overrides and isolates, and
 * the line and paragraph separators: shown escaped, or they could reorder
 * or forge what a terminal shows. */
static int hidden(const unsigned char *p, size_t n)
{
    unsigned long c = code_point(p, n);

    return (c >= 0x80 && c <= 0x9F) || c == 0x061C || c == 0x200E || c == 0x200F ||
           (c >= 0x2028 && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

/* A copy of s safe to show: a file name, an id or a key may hold control
 * characters or bytes that are not UTF-8, which would forge lines on a
 * terminal or break the JSON form; they are written as \n, \t, \r or \xNN. */
static char *clean(const char *s, int *failed)
{
    const unsigned char *p = (const unsigned char *)s, *end;
    struct qpp_buf b;
    char *c;

    if (!s)
        return NULL;
    end = p + strlen(s);
    qpp_buf_init(&b);
    while (p < end) {
        size_t n = *p < 0x80 ? 1 : qpp_utf8_len(p, end);

        if (*p == '\n' || *p == '\t' || *p == '\r')
            qpp_buf_add(&b, *p == '\n' ? "\\n" : *p == '\t' ? "\\t" : "\\r");
        else if (n == 0 || *p < 0x20 || *p == 0x7f)
            qpp_buf_printf(&b, "\\x%02X", (unsigned)*p);
        else if (n > 1 && hidden(p, n))
            qpp_buf_printf(&b, "\\u%04X", (unsigned)code_point(p, n));
        else
            qpp_buf_addn(&b, (const char *)p, n);
        p += n ? n : 1;
    }
    c = qpp_buf_take(&b);
    if (!c)
        *failed = 1;
    return c;
}

void qpp_diag(struct qpp_diags *d, enum qpp_code code, const struct qpp_place *at,
              const char *pointer, const char *fmt, ...)
{
    enum qpp_severity sev = qpp_code_severity(code);
    struct qpp_diag g = {sev, code, NULL, -1, -1, NULL, NULL, NULL};
    struct qpp_buf ptr, msg;
    int failed = 0;
    va_list ap;

    d->count[sev]++;
    if (code == QPP_IO_ERROR || code == QPP_OUT_OF_MEMORY)
        d->io = 1;
    if (d->count[sev] > (sev == QPP_ERROR ? QPP_DIAG_ERROR_CAP : d->cap_per_severity) &&
        (code >= QPP_NCODES || d->seen[code])) {
        d->dropped[sev]++;
        if (code < QPP_NCODES)
            d->dropped_code[code]++;
        return;
    }
    if (code < QPP_NCODES)
        d->seen[code] = 1;
    if (at) {
        g.source = clean(at->source, &failed);
        g.line = at->line;
        g.column = at->column;
        g.resource = clean(at->resource, &failed);
    }
    qpp_buf_init(&ptr);
    if (at && at->pointer)
        qpp_buf_add(&ptr, at->pointer);
    if (pointer)
        qpp_buf_add(&ptr, pointer);
    if (ptr.failed)
        failed = 1;
    else if (ptr.len)
        g.pointer = clean(ptr.s, &failed);
    qpp_buf_free(&ptr);
    qpp_buf_init(&msg);
    va_start(ap, fmt);
    qpp_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    g.message = msg.failed ? NULL : clean(msg.s ? msg.s : "", &failed);
    qpp_buf_free(&msg);
    if (failed || !g.message ||
        qpp_grow((void **)&d->v, &d->cap, d->len + 1, sizeof *d->v) < 0) {
        diag_free(&g);
        d->nomem = 1;
        return;
    }
    d->v[d->len++] = g;
}

size_t qpp_diags_errors(const struct qpp_diags *d)
{
    return d->count[QPP_ERROR] + (d->nomem ? 1 : 0);
}

int qpp_diags_dropped_line(const struct qpp_diags *d, enum qpp_code code,
                           struct qpp_diag *g, char *buf, size_t n)
{
    if (code >= QPP_NCODES || !d->dropped_code[code])
        return 0;
    snprintf(buf, n, "%zu more %s[%s] not shown", d->dropped_code[code],
             qpp_severity_name(qpp_code_severity(code)), qpp_code_name(code));
    memset(g, 0, sizeof *g);
    g->severity = QPP_NOTE;
    g->code = QPP_TOO_MANY;
    g->line = g->column = -1;
    g->message = buf;
    return 1;
}

/* FHIR's id: 1 to 64 of A-Z a-z 0-9 - . */
static int plain_reference(const char *ref)
{
    const char *slash = strchr(ref, '/');
    size_t i, n;

    if (!slash || slash == ref || slash - ref > 64 || !isupper((unsigned char)ref[0]))
        return 0;
    for (i = 1; ref + i < slash; i++)
        if (!isalpha((unsigned char)ref[i]))
            return 0;
    n = strlen(slash + 1);
    if (n == 0 || n > 64)
        return 0;
    for (i = 0; i < n; i++) {
        char ch = slash[1 + i];
        if (!isalnum((unsigned char)ch) && ch != '-' && ch != '.')
            return 0;
    }
    return 1;
}

const char *qpp_diag_subject(const char *ref, char *buf, size_t n)
{
    static unsigned long long salt;
    unsigned long long h;
    const unsigned char *p;

    if (ref && plain_reference(ref))
        return ref;
    if (!salt) /* per run: a digest cannot be looked up across runs */
        salt = ((unsigned long long)time(NULL) << 20) ^ (unsigned long long)clock() ^
               (unsigned long long)(size_t)&salt ^ 0x9E3779B97F4A7C15ull;
    h = 1469598103934665603ull ^ salt;
    for (p = (const unsigned char *)(ref ? ref : ""); *p; p++)
        h = (h ^ *p) * 1099511628211ull;
    h ^= h >> 29;
    snprintf(buf, n, "a subject (digest %08llx)", h & 0xFFFFFFFFull);
    return buf;
}

int qpp_diags_io_failed(const struct qpp_diags *d)
{
    return d->io || d->nomem;
}

char *qpp_diag_text(const struct qpp_diag *g)
{
    struct qpp_buf b;

    qpp_buf_init(&b);
    if (g->source) {
        qpp_buf_add(&b, g->source);
        if (g->line > 0) {
            qpp_buf_printf(&b, ":%d", g->line);
            if (g->column > 0)
                qpp_buf_printf(&b, ":%d", g->column);
        }
        qpp_buf_add(&b, ": ");
    }
    if (g->resource || g->pointer) {
        if (g->resource)
            qpp_buf_add(&b, g->resource);
        if (g->resource && g->pointer)
            qpp_buf_add(&b, " ");
        if (g->pointer)
            qpp_buf_add(&b, g->pointer);
        qpp_buf_add(&b, ": ");
    }
    qpp_buf_printf(&b, "%s[%s]: %s", qpp_severity_name(g->severity),
                   qpp_code_name(g->code), g->message);
    return qpp_buf_take(&b);
}

static int set_str(json_t *o, const char *key, const char *value)
{
    return json_object_set_new(o, key, value ? json_string(value) : json_null());
}

static int set_int(json_t *o, const char *key, int value)
{
    return json_object_set_new(o, key, value > 0 ? json_integer(value) : json_null());
}

/* Returns a new reference.  Keys keep one fixed order: the format is a
 * documented interface. */
json_t *qpp_diag_json(const struct qpp_diag *g)
{
    json_t *o = json_object();

    if (!o)
        return NULL;
    if (set_str(o, "severity", qpp_severity_name(g->severity)) ||
        set_str(o, "code", qpp_code_name(g->code)) || set_str(o, "file", g->source) ||
        set_int(o, "line", g->line) || set_int(o, "column", g->column) ||
        set_str(o, "resource", g->resource) || set_str(o, "pointer", g->pointer) ||
        set_str(o, "message", g->message)) {
        json_decref(o);
        return NULL;
    }
    return o;
}
