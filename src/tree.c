/* SPDX-License-Identifier: MIT */
/* The read-only JSON tree; see tree.h. */
#include "tree.h"

#include <math.h>
#include <stdalign.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "alloc.h"
#include "scan.h"
#include "util.h"

struct qpp_tree_block {
    struct qpp_tree_block *next;
    size_t used, cap;
    alignas(max_align_t) unsigned char bytes[];
};

#define FIRST_BLOCK ((size_t)4096)
/* A block at its largest is a huge page (a huge report's tree is many). */
#define MAX_BLOCK (QPP_HUGE_PAGE - sizeof(struct qpp_tree_block))

void qpp_tree_init(struct qpp_tree *t)
{
    memset(t, 0, sizeof *t);
    t->next_size = FIRST_BLOCK;
}

/* Whether a block of cap bytes is taken in huge pages (qpp_alloc_pages). */
static int in_pages(size_t cap)
{
    return sizeof(struct qpp_tree_block) + cap >= QPP_HUGE_PAGE;
}

/* A block of cap bytes, empty. */
static struct qpp_tree_block *block_new(size_t cap)
{
    struct qpp_tree_block *b;

    if (cap > SIZE_MAX - sizeof *b)
        return NULL;
    b = in_pages(cap) ? qpp_alloc_pages(sizeof *b + cap) : qpp_malloc(sizeof *b + cap);
    if (b) {
        b->cap = cap;
        b->used = 0;
        b->next = NULL;
    }
    return b;
}

static void block_free(struct qpp_tree_block *b)
{
    if (in_pages(b->cap))
        qpp_free_pages(b, sizeof *b + b->cap);
    else
        qpp_free(b);
}

void qpp_tree_free(struct qpp_tree *t)
{
    while (t->blocks) {
        struct qpp_tree_block *b = t->blocks;
        t->blocks = b->next;
        block_free(b);
    }
    qpp_tree_init(t);
}

void qpp_tree_reset(struct qpp_tree *t)
{
    struct qpp_tree_block *b = t->blocks;

    if (!b || b->cap > MAX_BLOCK) { /* a huge value's block is let go */
        qpp_tree_free(t);
        return;
    }
    while (b->next) { /* the newest block is kept */
        struct qpp_tree_block *old = b->next;
        b->next = old->next;
        block_free(old);
    }
    b->used = 0;
    t->made = 0;
    t->root = NULL;
    if (++t->gen == 0) { /* after 2^32 values: none of recent may look new */
        memset(t->recent, 0, sizeof t->recent);
        memset(t->recent_kids, 0, sizeof t->recent_kids);
    }
}

/* n bytes at a multiple of a (a power of two) from the block's start. */
static void *alloc_aligned(struct qpp_tree *t, size_t n, size_t a)
{
    struct qpp_tree_block *b = t->blocks;

    if (b)
        b->used = (b->used + a - 1) & ~(a - 1);
    if (!b || b->used > b->cap || b->cap - b->used < n) {
        if (!(b = block_new(t->next_size > n ? t->next_size : n)))
            return NULL;
        b->next = t->blocks;
        t->blocks = b;
        if (t->next_size < MAX_BLOCK)
            t->next_size = 2 * t->next_size < MAX_BLOCK ? 2 * t->next_size : MAX_BLOCK;
    }
    b->used += n;
    t->made += n;
    return b->bytes + b->used - n;
}

void *qpp_tree_alloc(struct qpp_tree *t, size_t n)
{
    return alloc_aligned(t, n, alignof(struct qpp_jv));
}

/* An object's keys, after its n member values. */
static const char *const *keys_of(const struct qpp_jv *kids, size_t n)
{
    return (const char *const *)(const void *)(kids + n);
}

/* Whether two values built are the same, their kids compared by address. */
static int same_jv(const struct qpp_jv *a, const struct qpp_jv *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
        case QPP_J_INTEGER:
            return a->u.i == b->u.i;
        case QPP_J_REAL:
            /* -0.0 is written apart from 0.0; JSON has no NaN */
            return a->u.r == b->u.r && !signbit(a->u.r) == !signbit(b->u.r);
        case QPP_J_STRING:
            return a->u.s == b->u.s || strcmp(a->u.s, b->u.s) == 0;
        case QPP_J_ARRAY:
        case QPP_J_OBJECT:
            return a->n == b->n && a->u.kids == b->u.kids;
        default:
            return 1;
    }
}

const struct qpp_jv *qpp_tree_share(struct qpp_tree *t, unsigned long long hash,
                                    unsigned char type, const struct qpp_jv *kids,
                                    unsigned n)
{
    size_t k = (size_t)(hash % QPP_TREE_RECENT), i;
    const struct qpp_jv *old = t->recent_kids[k].kids;

    if (t->made < QPP_TREE_SHARE_FROM)
        return kids;
    if (old && t->recent_kids[k].gen == t->gen && t->recent_kids[k].hash == hash &&
        t->recent_kids[k].type == type && t->recent_kids[k].n == n) {
        for (i = 0; i < n && same_jv(&old[i], &kids[i]); i++)
            ;
        if (i == n && type == QPP_J_OBJECT) {
            const char *const *ka = keys_of(old, n), *const *kb = keys_of(kids, n);
            for (i = 0; i < n && (ka[i] == kb[i] || strcmp(ka[i], kb[i]) == 0); i++)
                ;
        }
        if (i == n) {
            struct qpp_tree_block *b = t->blocks;
            size_t size =
                n * (sizeof *kids + (type == QPP_J_OBJECT ? sizeof(char *) : 0));
            /* Given back when it is the last made (it is, but for a block
             * begun for it). */
            if (b && (const unsigned char *)kids + size == b->bytes + b->used) {
                b->used -= size;
                t->made -= size;
            }
            return old;
        }
    }
    t->recent_kids[k].hash = hash;
    t->recent_kids[k].kids = kids;
    t->recent_kids[k].n = n;
    t->recent_kids[k].type = type;
    t->recent_kids[k].gen = t->gen;
    return kids;
}

const char *qpp_tree_string(struct qpp_tree *t, unsigned long long hash, const char *s,
                            size_t n)
{
    size_t k = (size_t)(hash % QPP_TREE_RECENT);
    char *d;

    if (t->recent[k].s && t->recent[k].gen == t->gen && t->recent[k].hash == hash &&
        t->recent[k].n == n && memcmp(t->recent[k].s, s, n) == 0)
        return t->recent[k].s;
    if (!(d = alloc_aligned(t, n + 1, 1)))
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    t->recent[k].hash = hash;
    t->recent[k].s = d;
    t->recent[k].n = n;
    t->recent[k].gen = t->gen;
    return d;
}

const struct qpp_jv *qpp_jv_get(const struct qpp_jv *v, const char *key)
{
    size_t i;

    if (!v || v->type != QPP_J_OBJECT)
        return NULL;
    for (i = 0; i < v->n; i++)
        if (strcmp(qpp_jv_key(v, i), key) == 0)
            return &v->u.kids[i];
    return NULL;
}

size_t qpp_jv_count(const struct qpp_jv *v)
{
    return v && (v->type == QPP_J_ARRAY || v->type == QPP_J_OBJECT) ? v->n : 0;
}

const char *qpp_jv_key(const struct qpp_jv *obj, size_t i)
{
    if (!obj || obj->type != QPP_J_OBJECT || i >= obj->n)
        return NULL;
    return keys_of(obj->u.kids, obj->n)[i];
}

const struct qpp_jv *qpp_jv_member(const struct qpp_jv *obj, size_t i)
{
    return obj && obj->type == QPP_J_OBJECT && i < obj->n ? &obj->u.kids[i] : NULL;
}

const char *qpp_jv_string(const struct qpp_jv *v)
{
    return v && v->type == QPP_J_STRING ? v->u.s : NULL;
}

long long qpp_jv_integer(const struct qpp_jv *v)
{
    return v && v->type == QPP_J_INTEGER ? v->u.i : 0;
}

size_t qpp_jv_size(const struct qpp_jv *v)
{
    return v && v->type == QPP_J_ARRAY ? v->n : 0;
}

const struct qpp_jv *qpp_jv_at(const struct qpp_jv *v, size_t i)
{
    return i < qpp_jv_size(v) ? &v->u.kids[i] : NULL;
}

int qpp_jv_is(const struct qpp_jv *v, enum qpp_jtype type)
{
    return v && v->type == type;
}

int qpp_jv_is_boolean(const struct qpp_jv *v)
{
    return v && (v->type == QPP_J_TRUE || v->type == QPP_J_FALSE);
}

int qpp_tree_parse(const char *buf, size_t len, struct qpp_tree *t)
{
    struct qpp_scan s;
    int rc;

    memset(&s, 0, sizeof s);
    s.tree = t;
    s.keep_all = 1;
    rc = qpp_scan(buf, len, &s);
    if (rc < 0) {
        qpp_tree_free(t);
        t->root = NULL;
    }
    return rc;
}
