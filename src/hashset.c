/* SPDX-License-Identifier: MIT */
/* Open addressing with linear probing; see hashset.h. */
#include "hashset.h"

#include "util.h"

static size_t slot(const struct qpp_hashset *s, unsigned long long key)
{
    return (size_t)(key ^ (key >> 29)) & (s->cap - 1);
}

static int grow(struct qpp_hashset *s)
{
    struct qpp_hashset bigger = {NULL, 0, s->cap ? s->cap * 2 : 64};
    size_t i;

    bigger.v = qpp_calloc(bigger.cap, sizeof *bigger.v);
    if (!bigger.v)
        return -1;
    for (i = 0; i < s->cap; i++) {
        if (s->v[i].key) {
            size_t k = slot(&bigger, s->v[i].key);
            while (bigger.v[k].key)
                k = (k + 1) & (bigger.cap - 1);
            bigger.v[k] = s->v[i];
        }
    }
    bigger.n = s->n;
    qpp_free(s->v);
    *s = bigger;
    return 0;
}

const struct qpp_seen *qpp_hashset_get(const struct qpp_hashset *s,
                                       unsigned long long key)
{
    size_t k;

    if (!s->cap)
        return NULL;
    key = key ? key : 1;
    for (k = slot(s, key); s->v[k].key; k = (k + 1) & (s->cap - 1))
        if (s->v[k].key == key)
            return &s->v[k];
    return NULL;
}

const struct qpp_seen *qpp_hashset_put(struct qpp_hashset *s, unsigned long long key,
                                       unsigned long long value, unsigned int line,
                                       unsigned int source, int *nomem)
{
    const struct qpp_seen *found = qpp_hashset_get(s, key);
    size_t k;

    if (found)
        return found;
    key = key ? key : 1;
    /* Keep the table at most three quarters full. */
    if (4 * (s->n + 1) > 3 * s->cap && grow(s) < 0) {
        *nomem = 1;
        return NULL;
    }
    for (k = slot(s, key); s->v[k].key; k = (k + 1) & (s->cap - 1))
        ;
    s->v[k].key = key;
    s->v[k].value = value;
    s->v[k].line = line;
    s->v[k].source = source;
    s->n++;
    return NULL;
}

void qpp_hashset_free(struct qpp_hashset *s)
{
    qpp_free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}
