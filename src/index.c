/* SPDX-License-Identifier: MIT */
/* Resource store; see index.h. */
#include "index.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

static const char *const kind_names[QPP_NKINDS] = {"Organization", "Library", "Measure"};

struct seen {
    unsigned long long hash;
    char *source;
    int line;
};

/* A 64-bit hash of a JSON value, independent of key order. */
static int json_hash(json_t *v, unsigned long long *out)
{
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
    unsigned long long h = 14695981039346656037ULL; /* FNV-1a */
    const unsigned char *p;

    if (!s)
        return -1;
    for (p = (const unsigned char *)s; *p; p++)
        h = (h ^ *p) * 1099511628211ULL;
    free(s);
    *out = h;
    return 0;
}

struct qpp_index *qpp_index_new(struct qpp_diags *d)
{
    struct qpp_index *ix = qpp_calloc(1, sizeof *ix);

    if (!ix)
        return NULL;
    ix->d = d;
    ix->seen = json_object();
    ix->skipped = json_object();
    if (!ix->seen || !ix->skipped) {
        qpp_index_free(ix);
        return NULL;
    }
    return ix;
}

void qpp_index_free(struct qpp_index *ix)
{
    size_t i;
    int k;

    if (!ix)
        return;
    for (k = 0; k < QPP_NKINDS; k++) {
        for (i = 0; i < ix->nres[k]; i++) {
            struct qpp_resource *r = &ix->res[k][i];
            json_decref(r->json);
            qpp_free(r->name);
            qpp_free(r->source);
            qpp_free(r->base);
        }
        qpp_free(ix->res[k]);
    }
    for (i = 0; i < ix->nreports; i++)
        qpp_report_free(ix->reports[i]);
    qpp_free(ix->reports);
    for (i = 0; i < ix->nfirst; i++)
        qpp_free(ix->first[i].source);
    qpp_free(ix->first);
    json_decref(ix->seen);
    json_decref(ix->skipped);
    qpp_free(ix);
}

struct qpp_place qpp_resource_place(const struct qpp_resource *r)
{
    struct qpp_place at = {r->source, r->line, -1, r->name, r->id ? NULL : r->base};

    return at;
}

/* 1 when type/id was seen before (a copy: skip it), 0 when new, -1 when out
 * of memory.  A different resource under a seen type/id is reported and also
 * gives 1, so only the first is used. */
static int seen_before(struct qpp_index *ix, const char *type, const char *id,
                       unsigned long long hash, const struct qpp_place *at)
{
    struct qpp_buf key;
    json_t *prev;
    int rc = 0;

    qpp_buf_init(&key);
    qpp_buf_printf(&key, "%s/%s", type, id);
    if (key.failed)
        return -1;
    prev = json_object_get(ix->seen, key.s);
    if (prev) {
        struct seen *s = &ix->first[json_integer_value(prev)];
        if (s->hash != hash) {
            struct qpp_place here = *at;
            here.resource = key.s;
            here.pointer = NULL;
            if (s->line > 0)
                qpp_diag(ix->d, QPP_DUPLICATE_RESOURCE, &here, NULL,
                         "a different %s has the same id (first read from %s:%d)", type,
                         s->source ? s->source : "-", s->line);
            else
                qpp_diag(ix->d, QPP_DUPLICATE_RESOURCE, &here, NULL,
                         "a different %s has the same id (first read from %s)", type,
                         s->source ? s->source : "-");
        }
        rc = 1;
    } else if (qpp_grow((void **)&ix->first, &ix->capfirst, ix->nfirst + 1,
                        sizeof *ix->first) < 0 ||
               json_object_set_new(ix->seen, key.s,
                                   json_integer((json_int_t)ix->nfirst)) < 0) {
        rc = -1;
    } else {
        struct seen *s = &ix->first[ix->nfirst++];
        s->hash = hash;
        s->line = at->line;
        s->source = at->source ? qpp_strdup(at->source) : NULL;
        if (at->source && !s->source)
            rc = -1;
    }
    qpp_buf_free(&key);
    return rc;
}

static int add_report(struct qpp_index *ix, json_t *json, const struct qpp_place *at)
{
    const char *id = json_string_value(json_object_get(json, "id"));
    struct qpp_report *r;

    if (id) {
        unsigned long long hash;
        int dup;

        if (json_hash(json, &hash) < 0)
            return -1;
        dup = seen_before(ix, "MeasureReport", id, hash, at);
        if (dup)
            return dup < 0 ? -1 : 0;
    }
    if (qpp_report_read(json, at, &r, ix->d) < 0)
        return -1;
    if (qpp_grow((void **)&ix->reports, &ix->capreports, ix->nreports + 1,
                 sizeof *ix->reports) < 0) { /* NOLINT: an array of pointers */
        qpp_report_free(r);
        return -1;
    }
    ix->reports[ix->nreports++] = r;
    return 0;
}

static int count_skipped(struct qpp_index *ix, const char *type)
{
    json_int_t n = json_integer_value(json_object_get(ix->skipped, type));

    return json_object_set_new(ix->skipped, type, json_integer(n + 1));
}

static int add(struct qpp_index *ix, json_t *json, const struct qpp_place *at)
{
    const char *type = json_string_value(json_object_get(json, "resourceType"));
    const char *id = json_string_value(json_object_get(json, "id"));
    struct qpp_resource *r;
    unsigned long long hash = 0;
    struct qpp_buf name;
    int k;

    if (strcmp(type, "MeasureReport") == 0)
        return add_report(ix, json, at);
    for (k = 0; k < QPP_NKINDS; k++)
        if (strcmp(type, kind_names[k]) == 0)
            break;
    if (k == QPP_NKINDS)
        return count_skipped(ix, type);
    if (id) {
        int dup;
        if (json_hash(json, &hash) < 0)
            return -1;
        dup = seen_before(ix, type, id, hash, at);
        if (dup)
            return dup < 0 ? -1 : 0;
    }
    if (qpp_grow((void **)&ix->res[k], &ix->capres[k], ix->nres[k] + 1,
                 sizeof *ix->res[k]) < 0)
        return -1;
    r = &ix->res[k][ix->nres[k]];
    memset(r, 0, sizeof *r);
    qpp_buf_init(&name);
    qpp_buf_add(&name, type);
    if (id)
        qpp_buf_printf(&name, "/%s", id);
    r->name = qpp_buf_take(&name);
    r->source = at->source ? qpp_strdup(at->source) : NULL;
    r->base = at->pointer ? qpp_strdup(at->pointer) : NULL;
    if (!r->name || (at->source && !r->source) || (at->pointer && !r->base)) {
        qpp_free(r->name);
        qpp_free(r->source);
        qpp_free(r->base);
        return -1;
    }
    r->json = json_incref(json);
    r->id = id;
    r->url = json_string_value(json_object_get(json, "url"));
    r->version = json_string_value(json_object_get(json, "version"));
    r->line = at->line;
    ix->nres[k]++;
    return 0;
}

int qpp_index_add(void *ctx, json_t *json, const struct qpp_place *at)
{
    struct qpp_index *ix = ctx;

    if (add(ix, json, at) < 0) {
        qpp_diag(ix->d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory");
        return -1;
    }
    return 0;
}

const struct qpp_resource *qpp_index_find(const struct qpp_index *ix, enum qpp_kind kind,
                                          const char *id)
{
    size_t i;

    for (i = 0; i < ix->nres[kind]; i++)
        if (qpp_streq(ix->res[kind][i].id, id))
            return &ix->res[kind][i];
    return NULL;
}

const struct qpp_report *qpp_index_find_report(const struct qpp_index *ix, const char *id)
{
    size_t i;

    for (i = 0; i < ix->nreports; i++)
        if (qpp_streq(ix->reports[i]->id, id))
            return ix->reports[i];
    return NULL;
}
