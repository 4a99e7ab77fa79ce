/* SPDX-License-Identifier: MIT */
/* The reading pipeline; see read.h. */
#include "read.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "scan.h"
#include "split.h"
#include "util.h"

/* Under AddressSanitizer a window in the pool is poisoned: a piece that
 * still points into it is reported where it is read. */
#if defined(__SANITIZE_ADDRESS__)
#define QPP_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define QPP_ASAN 1
#endif
#endif
#ifdef QPP_ASAN
#include <sanitizer/asan_interface.h>
#define POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define POISON(p, n)   ((void)(p), (void)(n))
#define UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define CHUNK             (1u << 18)      /* bytes read at a time */
#define SLAB              QPP_READ_WINDOW /* bytes read into one window */
#define SLAB_POOL         16              /* windows kept for use again */
#define BATCH_BYTES       (1u << 18)      /* a batch closes past this many piece bytes */
#define BATCH_PIECES      4096            /* or this many pieces */
#define IN_FLIGHT_PER_JOB 8               /* batches split, not yet merged, per thread */
_Static_assert(SLAB % QPP_HUGE_PAGE == 0, "a window is whole huge pages");

/* A window the input is read into, shared by the batches whose pieces point
 * into it: the bytes are read once and never copied again (but for a piece
 * cut by a window's end, which begins the next one). */
struct slab {
    char *buf;
    size_t cap;
    int refs; /* the reader's, and each batch's; under the pipeline's lock */
};

/* A piece as the splitter handed it over: its bytes in a slab (or the
 * caller's buffer), else copied into the batch. */
struct piece {
    enum qpp_piece_kind kind;
    const char *bytes; /* in a slab the batch holds, or NULL: at off */
    size_t off, len;   /* bytes in batch->bytes */
    size_t pointer;    /* a NUL-terminated pointer in batch->bytes */
    int line, column, depth;
    const char *message; /* a static string */
    int truncated;
    int code;
};

/* How an input ended, handed on with its last batch (which may have no
 * piece) to be told in order. */
struct input_end {
    int open_errno; /* it could not be opened: nothing else is set */
    int read_errno;
    int nomem;                 /* the reader's memory ran out in it */
    unsigned long long values; /* top-level JSON values in it */
    unsigned long long bytes;  /* split */
    struct qpp_sha256 sha;     /* of its bytes, when the inputs are digested */
};

/* What a piece gave: an item, and whether its file must stop there. */
struct result {
    struct qpp_item item;
    int has_item;
    int stop; /* a syntax error: nothing after it in the file is read */
};

struct batch {
    char *bytes;
    size_t nbytes, capbytes;
    struct slab **slabs; /* those its pieces point into, a reference each */
    size_t nslabs, capslabs;
    size_t window_bytes; /* bytes of its pieces in them */
    struct piece *pieces;
    size_t npieces, cappieces;
    unsigned long long end_offset; /* stream bytes split when it closed */
    int input;                     /* the index of the input it is of */
    struct input_end *end;         /* the last batch of its input: how it ended */
    /* Filled by a worker. */
    struct result *results;
    size_t nresults, capresults;
    struct qpp_diags d;  /* uncapped: the caller's diags apply the cap */
    size_t *diag_result; /* for each diagnostic, the result it belongs to */
    size_t capdiag_result;
    int nomem;
    int done;
};

/* An input: a file to open by its name ("-": standard input), a stream
 * given, or bytes in memory. */
struct source {
    const char *name; /* in diagnostics */
    FILE *fp;         /* given */
    const char *buf;  /* given, when neither fp nor by_name */
    size_t len;
    int by_name;
};

struct pipeline {
    const struct source *sources;
    int nsources;
    const struct qpp_read_options *o;
    qpp_item_fn fn;
    qpp_input_fn done;
    void *ctx;
    struct qpp_diags *d;
    int jobs;
    /* Shared, under lock. */
    pthread_mutex_t lock;
    pthread_cond_t cv;   /* something changed */
    int waiting;         /* threads waiting on cv */
    struct batch **ring; /* batches in flight, by seq % nring */
    size_t nring;
    size_t submitted, taken, merged;
    int reading, merging, reader_finished;
    int stop;            /* written by the merging thread only */
    int stop_input;      /* an input a syntax error ended, or -1: the rest of it
                            need not be read (written by the merging thread) */
    struct batch **pool; /* merged batches to use again, under lock */
    size_t npool, cappool;
    struct slab *slabs[SLAB_POOL]; /* windows to use again, under lock */
    size_t nslabs;
    const char *win; /* the window being split: the reader's */
    size_t winlen;
    struct slab *cur;
    /* The reader's own (the caller reads them once the reader is done). */
    int input;               /* the input being read (nsources: all are) */
    FILE *fp;                /* its stream; NULL for bytes */
    struct qpp_splitter *sp; /* its splitter; NULL between inputs */
    struct qpp_sha256 sha;   /* its digest (o->digest) */
    struct qpp_sha256 *sha_to;
    size_t used; /* bytes read into cur */
    struct batch *open;
    int reader_nomem, reader_nomem_input, read_errno;
    int reader_nomem_told;                 /* with the input's last batch */
    unsigned long long reader_nomem_bytes; /* split when it ran out */
    /* The merging thread's own, for the input being merged (but nomem,
     * nomem_input and failed). */
    int file_stopped, nomem, nomem_input, failed;
    unsigned long long stopped_at; /* end_offset of the batch that stopped */
    unsigned long long resources;
};

/* ---- batches ---- */

static struct batch *batch_new(void)
{
    struct batch *b = qpp_calloc(1, sizeof *b);

    if (!b)
        return NULL;
    qpp_diags_init(&b->d);
    b->d.cap_per_severity = (size_t)-1;
    return b;
}

static void item_clear(struct qpp_item *it)
{
    json_decref(it->json);
    qpp_report_free(it->report);
    qpp_free((char *)it->at.pointer); /* its source is the pipeline's */
    memset(it, 0, sizeof *it);
}

static void batch_free(struct batch *b)
{
    size_t i;

    if (!b)
        return;
    for (i = 0; i < b->nresults; i++)
        item_clear(&b->results[i].item);
    qpp_free(b->results);
    qpp_free(b->slabs);
    qpp_free(b->bytes);
    qpp_free(b->pieces);
    qpp_diags_free(&b->d);
    qpp_free(b->diag_result);
    qpp_free(b->end);
    qpp_free(b);
}

/* Empty a merged batch for another use, keeping what it allocated: a
 * batch's bytes are then not faulted in afresh each time. */
static void batch_reset(struct batch *b)
{
    size_t i;

    for (i = 0; i < b->nresults; i++)
        item_clear(&b->results[i].item);
    b->nresults = 0;
    b->nbytes = 0;
    b->window_bytes = 0;
    b->npieces = 0;
    b->end_offset = 0;
    qpp_free(b->end);
    b->end = NULL;
    b->nomem = 0;
    b->done = 0;
    qpp_diags_free(&b->d);
    qpp_diags_init(&b->d);
    b->d.cap_per_severity = (size_t)-1;
}

static int add_bytes(struct batch *b, const char *p, size_t n, size_t *off)
{
    if (qpp_grow((void **)&b->bytes, &b->capbytes, b->nbytes + n + 1, 1) < 0)
        return -1;
    memcpy(b->bytes + b->nbytes, p, n);
    *off = b->nbytes;
    b->nbytes += n;
    b->bytes[b->nbytes++] = '\0';
    return 0;
}

/* A batch for the reader: one merged before, else a new one. */
static struct batch *batch_get(struct pipeline *pl)
{
    struct batch *b = NULL;

    if (pl->jobs > 1)
        pthread_mutex_lock(&pl->lock);
    if (pl->npool)
        b = pl->pool[--pl->npool];
    if (pl->jobs > 1)
        pthread_mutex_unlock(&pl->lock);
    if (b)
        batch_reset(b); /* here, so that the merging thread does not free */
    return b ? b : batch_new();
}

/* A window of SLAB bytes is in huge pages (qpp_alloc_pages), a long
 * value's is malloc's: it may grow in place. */
static void slab_free(struct slab *sl)
{
    if (sl->cap == SLAB)
        qpp_free_pages(sl->buf, sl->cap);
    else
        qpp_free(sl->buf);
    qpp_free(sl);
}

/* Drop a reference to a slab (under the lock when there are threads). */
static void slab_unref(struct pipeline *pl, struct slab *sl)
{
    if (!sl || --sl->refs > 0)
        return;
    if (sl->cap == SLAB && pl->nslabs < SLAB_POOL) {
        POISON(sl->buf, sl->cap);
        pl->slabs[pl->nslabs++] = sl;
        return;
    }
    slab_free(sl);
}

/* Whether only the reader holds the slab. */
static int slab_alone(struct pipeline *pl, const struct slab *sl)
{
    int alone;

    if (pl->jobs > 1)
        pthread_mutex_lock(&pl->lock);
    alone = sl->refs == 1;
    if (pl->jobs > 1)
        pthread_mutex_unlock(&pl->lock);
    return alone;
}

/* A slab of at least n bytes, referenced once. */
static struct slab *slab_get(struct pipeline *pl, size_t n)
{
    struct slab *sl = NULL;

    if (n <= SLAB) {
        if (pl->jobs > 1)
            pthread_mutex_lock(&pl->lock);
        if (pl->nslabs) {
            sl = pl->slabs[--pl->nslabs];
            UNPOISON(sl->buf, sl->cap);
        }
        if (pl->jobs > 1)
            pthread_mutex_unlock(&pl->lock);
        n = SLAB;
    }
    if (!sl) {
        if (!(sl = qpp_malloc(sizeof *sl)))
            return NULL;
        /* A long value's window grows in place (qpp_realloc): for a large
         * block the system moves pages, where huge pages are not moved. */
        sl->buf = n == SLAB ? qpp_alloc_pages(n) : qpp_malloc(n);
        if (!sl->buf) {
            qpp_free(sl);
            return NULL;
        }
        sl->cap = n;
    }
    sl->refs = 1;
    return sl;
}

/* A merged batch back to the pool, emptied when it is taken again (freed
 * when the pool is full). */
static void batch_put(struct pipeline *pl, struct batch *b)
{
    if (!b)
        return;
    if (pl->jobs > 1)
        pthread_mutex_lock(&pl->lock);
    while (b->nslabs)
        slab_unref(pl, b->slabs[--b->nslabs]);
    if (pl->pool && pl->npool < pl->cappool)
        pl->pool[pl->npool++] = b, b = NULL;
    if (pl->jobs > 1)
        pthread_mutex_unlock(&pl->lock);
    batch_free(b);
}

/* ---- working on a batch ---- */

/* Where offset k of a piece is: its start moved over the bytes before k. */
static void place_of(const char *bytes, size_t k, int line, int column, int *l, int *c)
{
    const char *p = bytes, *end = bytes + k, *nl;
    long long ln = line, col = column; /* a piece may hold more than INT_MAX */

    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        ln++;
        col = 1;
        p = nl + 1;
    }
    for (; p < end; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            col++;
    *l = ln > INT_MAX ? INT_MAX : (int)ln;
    *c = col > INT_MAX ? INT_MAX : (int)col;
}

struct work {
    struct pipeline *pl;
    struct batch *b;
    size_t current; /* the result being made */
    /* Used again from one piece of the batch to the next. */
    struct qpp_tree tree;
    int tree_busy; /* by a Bundle's piece, while its entries are worked */
    struct qpp_scan_room room;
    size_t piece;      /* the batch's piece being worked */
    size_t slabs_kept; /* b->slabs[slabs_kept..] still held */
};

static struct result *new_result(struct work *w)
{
    struct batch *b = w->b;
    struct result *r;

    if (qpp_grow((void **)&b->results, &b->capresults, b->nresults + 1,
                 sizeof *b->results) < 0)
        return NULL;
    r = &b->results[b->nresults];
    memset(r, 0, sizeof *r);
    w->current = b->nresults++;
    return r;
}

/* Record a diagnostic of the current result. */
static void problem(struct work *w, enum qpp_code code, const struct qpp_place *at,
                    const char *pointer, const char *fmt, const char *arg)
{
    struct batch *b = w->b;
    size_t before = b->d.len;

    qpp_diag(&b->d, code, at, pointer, fmt, arg);
    if (b->d.len > before) {
        if (qpp_grow((void **)&b->diag_result, &b->capdiag_result, b->d.len,
                     sizeof *b->diag_result) < 0)
            b->nomem = 1;
        else
            b->diag_result[b->d.len - 1] = w->current;
    }
}

static int work_piece(struct work *w, const struct qpp_piece *p);

static int split_piece(void *ctx, const struct qpp_piece *p)
{
    return work_piece(ctx, p);
}

/* The reports' reduced copy, or the whole resource, built by jansson. */
static json_t *load(struct work *w, const char *bytes, size_t len,
                    const struct qpp_place *at)
{
    json_error_t err;
    json_t *j;

    memset(&err, 0, sizeof err);
    j = json_loadb(bytes, len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        /* jansson leaves the error empty when its first allocation fails. */
        if (!err.text[0] || json_error_code(&err) == json_error_out_of_memory)
            w->b->nomem = 1;
        else /* the scanner accepted it: this would be a scanner bug */
            problem(w, QPP_JSON_SYNTAX, at, NULL, "%s", err.text);
    }
    return j;
}

static int is_kept(const char *type)
{
    return strcmp(type, "Measure") == 0 || strcmp(type, "Library") == 0 ||
           strcmp(type, "Organization") == 0;
}

/* A FHIR bulk-data export manifest (transactionTime, request, output[] of
 * type and url) given instead of the files it names.  1 when it is one. */
static int bulk_manifest(struct work *w, const struct qpp_piece *p, struct qpp_item *it)
{
    json_t *j = json_loadb(p->bytes, p->len, 0, NULL), *out, *o;
    struct qpp_buf types;
    size_t i;
    int yes;

    out = json_object_get(j, "output");
    yes = json_is_array(out) &&
          (json_object_get(j, "transactionTime") || json_object_get(j, "request"));
    if (yes) {
        qpp_buf_init(&types);
        qpp_buf_printf(&types,
                       "a FHIR bulk-data export manifest, not resources: give the %zu "
                       "files its output[].url name instead (",
                       json_array_size(out));
        json_array_foreach(out, i, o)
        {
            const char *t = json_string_value(json_object_get(o, "type"));
            if (i < 8)
                qpp_buf_printf(&types, "%s%.40s", i ? ", " : "", t ? t : "?");
        }
        qpp_buf_add(&types, json_array_size(out) > 8 ? ", ...)" : ")");
        if (types.failed)
            w->b->nomem = 1;
        else
            problem(w, QPP_BULK_MANIFEST, &it->at, NULL, "%s", types.s);
        qpp_buf_free(&types);
    }
    json_decref(j);
    return yes;
}

/* An OperationOutcome with an error or fatal issue: the evaluator failed for
 * part of the population, whose reports are then missing.  Named by its
 * issue codes; the diagnostics text is not shown (it may name patients). */
static void work_outcome(struct work *w, const struct qpp_piece *p, struct qpp_item *it)
{
    json_t *j = load(w, p->bytes, p->len, &it->at), *issue;
    const char *id = json_string_value(json_object_get(j, "id"));
    size_t i, n = 0, first = 0;
    char name[96], ptr[48], msg[320];
    const char *code = NULL, *detail = NULL;
    struct qpp_place at = it->at;

    json_array_foreach(json_object_get(j, "issue"), i, issue)
    {
        const char *sev = json_string_value(json_object_get(issue, "severity"));
        if (!qpp_streq(sev, "error") && !qpp_streq(sev, "fatal"))
            continue;
        if (n++ == 0) {
            first = i;
            code = json_string_value(json_object_get(issue, "code"));
            detail = json_string_value(json_object_get(
                json_array_get(
                    json_object_get(json_object_get(issue, "details"), "coding"), 0),
                "code"));
        }
    }
    if (n) {
        snprintf(name, sizeof name, "OperationOutcome%s%.80s", id ? "/" : "",
                 id ? id : "");
        snprintf(ptr, sizeof ptr, "/issue/%zu", first);
        snprintf(msg, sizeof msg,
                 "the evaluator reports %zu error or fatal issue(s) (the first: code "
                 "%.40s%s%.40s): reports of part of the population may be missing; "
                 "its diagnostics are not shown, they may name patients",
                 n, code ? code : "(none)", detail ? ", details " : "",
                 detail ? detail : "");
        at.resource = name;
        problem(w, QPP_EVALUATION_FAILED, &at, ptr, "%s", msg);
    }
    json_decref(j);
}

/* Each resource of a Parameters resource (parameter[].resource, and the
 * resources of its parts), read as if it stood alone.  -1 when out of
 * memory. */
static int work_parameters(struct work *w, const struct qpp_piece *p, json_t *params,
                           const char *base)
{
    json_t *param;
    size_t i;
    int rc = 0;

    json_array_foreach(params, i, param)
    {
        json_t *res = json_object_get(param, "resource");
        struct qpp_buf ptr;

        qpp_buf_init(&ptr);
        qpp_buf_printf(&ptr, "%s/%zu", base, i);
        if (ptr.failed) {
            rc = -1;
        } else if (res) {
            struct qpp_piece sub = *p;
            char *bytes =
                json_dumps(res, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
            qpp_buf_add(&ptr, "/resource");
            if (!bytes || ptr.failed) {
                rc = -1;
            } else {
                sub.kind = QPP_PIECE_RESOURCE;
                sub.bytes = bytes;
                sub.len = strlen(bytes);
                sub.pointer = ptr.s;
                sub.depth = p->depth + 3;
                sub.truncated = 0;
                sub.code = 0;
                rc = work_piece(w, &sub);
            }
            free(bytes);
            ptr.len -= strlen("/resource");
            ptr.s[ptr.len] = '\0';
        }
        if (rc == 0 && json_object_get(param, "part")) {
            qpp_buf_add(&ptr, "/part");
            rc = ptr.failed
                     ? -1
                     : work_parameters(w, p, json_object_get(param, "part"), ptr.s);
        }
        qpp_buf_free(&ptr);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int work_resource(struct work *w, const struct qpp_piece *p, struct result *r,
                         struct qpp_scan *s)
{
    struct qpp_item *it = &r->item;

    memcpy(it->type, s->type, sizeof it->type);
    it->hash = s->hash;
    if (!s->is_object) {
        problem(w, QPP_NOT_A_RESOURCE, &it->at, NULL, "%s",
                "not a FHIR resource: not a JSON object");
        return 0;
    }
    if (!s->type[0]) {
        if (!s->type_present && bulk_manifest(w, p, it))
            return w->b->nomem ? -1 : 0;
        problem(w, QPP_NOT_A_RESOURCE, &it->at, NULL, "%s",
                s->type_present
                    ? "not a FHIR resource: resourceType is not a non-empty string"
                    : "not a FHIR resource: no resourceType");
        return 0;
    }
    if (strcmp(s->type, "Parameters") == 0) {
        /* Operations that return several resources wrap them so.  r and it
         * are not used past here: reading the parts adds results. */
        json_t *j = load(w, p->bytes, p->len, &it->at);
        struct qpp_buf base;
        int rc;

        if (!j)
            return w->b->nomem ? -1 : 0;
        qpp_buf_init(&base);
        qpp_buf_printf(&base, "%s/parameter", p->pointer);
        rc = base.failed ? -1
                         : work_parameters(w, p, json_object_get(j, "parameter"), base.s);
        qpp_buf_free(&base);
        json_decref(j);
        return rc;
    }
    if (strcmp(s->type, "Bundle") == 0) {
        /* A Bundle that names its type after other members: split it now. */
        struct qpp_splitter *sp =
            qpp_split_new(split_piece, w, 1, p->depth, p->pointer, p->line, p->column);
        int rc;

        if (!sp)
            return -1;
        /* Syntax errors come as pieces; only a lack of memory stops here. */
        if (qpp_split_feed(sp, p->bytes, p->len) == 0)
            qpp_split_end(sp);
        rc = qpp_split_nomem(sp) || w->b->nomem ? -1 : 0;
        qpp_split_free(sp);
        return rc;
    }
    r->has_item = 1;
    if (strcmp(s->type, "MeasureReport") == 0) {
        const struct qpp_jv *j = s->tree->root;
        int rc = 0;

        if (j) {
            struct qpp_diags one;
            size_t i;

            qpp_diags_init(&one);
            one.cap_per_severity = (size_t)-1;
            rc = qpp_report_read(j, &it->at, &it->report, &one);
            for (i = 0; i < one.len; i++) {
                struct qpp_diag *g = &one.v[i];
                struct qpp_place at = {g->source, g->line, g->column, g->resource, NULL};
                problem(w, g->code, &at, g->pointer, "%s", g->message);
            }
            qpp_diags_free(&one);
        }
        it->kind = QPP_ITEM_REPORT;
        return rc;
    }
    if (strcmp(s->type, "OperationOutcome") == 0)
        work_outcome(w, p, it);
    if (is_kept(s->type)) {
        it->json = load(w, p->bytes, p->len, &it->at);
        it->kind = QPP_ITEM_JSON;
        if (!it->json)
            r->has_item = 0;
        return w->b->nomem ? -1 : 0;
    }
    it->kind = QPP_ITEM_OTHER;
    return 0;
}

/* Whether piece pc's bytes are in window sl. */
static int in_slab(const struct piece *pc, const struct slab *sl)
{
    return pc->bytes && pc->bytes >= sl->buf && pc->bytes < sl->buf + sl->cap;
}

/* Let the batch's windows go that no piece after the i-th is in: a huge
 * resource's window goes once it is scanned, before its report is read. */
static void let_windows_go(struct pipeline *pl, struct batch *b, size_t i, size_t *kept)
{
    size_t j;

    while (*kept < b->nslabs) {
        const struct slab *sl = b->slabs[*kept];

        for (j = i + 1; j < b->npieces && !b->pieces[j].bytes; j++)
            ;
        if (j < b->npieces && in_slab(&b->pieces[j], sl))
            return;
        if (pl->jobs > 1)
            pthread_mutex_lock(&pl->lock);
        slab_unref(pl, b->slabs[*kept]);
        if (pl->jobs > 1)
            pthread_mutex_unlock(&pl->lock);
        b->slabs[(*kept)++] = NULL;
    }
}

static int work_piece(struct work *w, const struct qpp_piece *p)
{
    struct pipeline *pl = w->pl;
    struct result *r = new_result(w);
    struct qpp_scan s;
    struct qpp_tree local, *tree = &w->tree;
    int rc = 0;

    if (!r)
        return -1;
    r->item.at.source = pl->sources[w->b->input].name;
    r->item.at.pointer = p->pointer[0] ? qpp_strdup(p->pointer) : NULL;
    r->item.at.line = p->line;
    r->item.at.column = p->column;
    if (p->pointer[0] && !r->item.at.pointer)
        return -1;
    if (p->kind == QPP_PIECE_ERROR) {
        struct qpp_place at = r->item.at;
        at.pointer = NULL; /* line and column say where */
        problem(w, p->code ? (enum qpp_code)p->code : QPP_JSON_SYNTAX, &at, NULL, "%s",
                p->message);
        r->stop = 1;
        return 0;
    }
    if (p->kind == QPP_PIECE_FINDING) {
        problem(w, (enum qpp_code)p->code, &r->item.at, NULL, "%s", p->bytes);
        return 0;
    }
    memset(&s, 0, sizeof s);
    if (w->tree_busy) { /* an entry of a Bundle whose piece holds the tree */
        qpp_tree_init(&local);
        tree = &local;
    }
    w->tree_busy++;
    s.depth = p->depth;
    s.tree = p->kind == QPP_PIECE_RESOURCE ? tree : NULL;
    s.room = &w->room;
    rc = qpp_scan(p->bytes, p->len, &s);
    if (rc == 0 && !p->truncated && w->tree_busy == 1 && p->kind == QPP_PIECE_RESOURCE &&
        strcmp(s.type, "MeasureReport") == 0)
        /* Its tree holds what is read of it: its bytes can go now. */
        let_windows_go(w->pl, w->b, w->piece, &w->slabs_kept);
    if (rc == -2) {
        rc = -1;
    } else if (rc == -1 || p->truncated) {
        struct qpp_place at = r->item.at;
        /* Cut by the end of the input, and nothing wrong before the cut. */
        int cut = p->code == QPP_INPUT_TRUNCATED && (rc == 0 || s.err_offset >= p->len);
        place_of(p->bytes, rc == -1 ? s.err_offset : p->len, p->line, p->column, &at.line,
                 &at.column);
        at.pointer = NULL;
        problem(w, cut ? QPP_INPUT_TRUNCATED : QPP_JSON_SYNTAX, &at, NULL, "%s",
                cut        ? "the input ends inside a value: it looks cut short"
                : rc == -1 ? s.err_text
                           : "premature end of input");
        r->stop = 1;
        rc = 0;
    } else if (p->kind == QPP_PIECE_INVALID) {
        problem(w, QPP_BUNDLE_INVALID, &r->item.at, NULL, "%s", p->message);
    } else if (p->kind == QPP_PIECE_RESOURCE) {
        rc = work_resource(w, p, r, &s);
    }
    if (--w->tree_busy == 0)
        qpp_tree_reset(tree);
    else if (tree == &local)
        qpp_tree_free(&local);
    return rc;
}

static void work_batch(struct pipeline *pl, struct batch *b)
{
    struct work w;
    size_t i;

    memset(&w, 0, sizeof w);
    w.pl = pl;
    w.b = b;
    qpp_tree_init(&w.tree);
    for (i = 0; i < b->npieces && !b->nomem; i++) {
        const struct piece *pc = &b->pieces[i];
        struct qpp_piece p;

        p.kind = pc->kind;
        p.bytes = pc->bytes ? pc->bytes : b->bytes + pc->off;
        p.len = pc->len;
        p.line = pc->line;
        p.column = pc->column;
        p.depth = pc->depth;
        p.pointer = b->bytes + pc->pointer;
        p.message = pc->message;
        p.truncated = pc->truncated;
        p.code = pc->code;
        w.piece = i;
        if (work_piece(&w, &p) < 0)
            b->nomem = 1;
        let_windows_go(pl, b, i, &w.slabs_kept);
    }
    qpp_tree_free(&w.tree);
    qpp_scan_room_free(&w.room);
    if (b->d.nomem)
        b->nomem = 1;
    /* The results hold copies: the windows can go now, before the merge. */
    if (pl->jobs > 1)
        pthread_mutex_lock(&pl->lock);
    while (b->nslabs)
        slab_unref(pl, b->slabs[--b->nslabs]);
    if (pl->jobs > 1)
        pthread_mutex_unlock(&pl->lock);
}

/* ---- taking results, in order ---- */

/* What is said of an input once its last batch is merged, in input order:
 * that it could not be opened, or its progress line, its read error and
 * whether it held no value; then the consumer is told it was read.  -1 when
 * the run cannot go on (a read error, or no memory). */
static int input_told(struct pipeline *pl, const struct batch *b)
{
    const struct input_end *e = b->end;
    const char *name = pl->sources[b->input].name;
    struct qpp_place at = {name, -1, -1, NULL, NULL};
    int rc = 0;

    if (e->open_errno) {
        qpp_diag(pl->d, QPP_IO_ERROR, &at, NULL, "cannot open: %s",
                 strerror(e->open_errno));
    } else {
        if (pl->o->progress)
            /* After a syntax error, threads may have read on: where the
             * batch that stopped ends, the same whatever their number. */
            pl->o->progress(pl->o->progress_ctx,
                            pl->file_stopped ? pl->stopped_at : e->bytes, pl->resources,
                            1);
        if (e->read_errno) {
            qpp_diag(pl->d, QPP_IO_ERROR, &at, NULL, "read error: %s",
                     strerror(e->read_errno));
            pl->failed = 1;
            rc = -1;
        }
        if (e->nomem) {
            pl->nomem = 1;
            pl->nomem_input = b->input;
            rc = -1;
        } else if (e->values == 0 && !e->read_errno) {
            qpp_diag(pl->d, QPP_EMPTY_INPUT, &at, NULL, "no JSON value in the input");
        }
        if (rc == 0 && pl->done) {
            unsigned char digest[QPP_SHA256_LEN] = {0};
            struct qpp_sha256 c = e->sha;

            if (pl->o->digest)
                qpp_sha256_final(&c, digest);
            if (pl->done(pl->ctx, name, digest) < 0) {
                pl->nomem = 1;
                pl->nomem_input = b->input;
                rc = -1;
            }
        }
    }
    pl->file_stopped = 0;
    pl->stopped_at = 0;
    pl->resources = 0;
    return rc;
}

/* Memory ran out while the batch's input was worked or taken on: the run
 * stops, the input's progress line said as far as it went. */
static int merge_nomem(struct pipeline *pl, const struct batch *b)
{
    pl->nomem = 1;
    pl->nomem_input = b->input;
    if (pl->o->progress)
        pl->o->progress(pl->o->progress_ctx, b->end_offset, pl->resources, 1);
    return -1;
}

static int merge_batch(struct pipeline *pl, struct batch *b)
{
    size_t i, k = 0;

    if (pl->file_stopped && !b->end)
        return 0; /* the rest of an input a syntax error ended */
    if (b->nomem)
        return merge_nomem(pl, b);
    for (i = 0; i < b->nresults; i++) {
        struct result *r = &b->results[i];

        if (pl->file_stopped)
            break;
        for (; k < b->d.len && b->diag_result[k] == i; k++) {
            struct qpp_diag *g = &b->d.v[k];
            struct qpp_place at = {g->source, g->line, g->column, g->resource, NULL};
            qpp_diag(pl->d, g->code, &at, g->pointer, "%s", g->message);
        }
        if (r->stop) {
            pl->file_stopped = 1;
            pl->stopped_at = b->end_offset;
            break;
        }
        if (r->has_item) {
            pl->resources++;
            if (pl->fn(pl->ctx, &r->item) < 0)
                return merge_nomem(pl, b);
        }
    }
    if (pl->o->progress)
        pl->o->progress(pl->o->progress_ctx, b->end_offset, pl->resources, 0);
    return b->end ? input_told(pl, b) : 0;
}

/* Tell waiting threads that there may be something to do (under the lock). */
static void changed(struct pipeline *pl)
{
    if (pl->waiting)
        pthread_cond_broadcast(&pl->cv);
}

static void wait_for_change(struct pipeline *pl)
{
    pl->waiting++;
    pthread_cond_wait(&pl->cv, &pl->lock);
    pl->waiting--;
}

/* Hand a closed batch on: to the workers, or (one job) work and merge it now. */
static int submit(struct pipeline *pl, struct batch *b)
{
    if (pl->jobs <= 1) {
        int rc;
        work_batch(pl, b);
        rc = merge_batch(pl, b);
        batch_put(pl, b);
        if (rc < 0)
            pl->stop = 1;
        return rc < 0 || pl->file_stopped ? -1 : 0;
    }
    /* The ring is full: the other threads work and merge what is in it. */
    pthread_mutex_lock(&pl->lock);
    while (!pl->stop && pl->submitted - pl->merged >= pl->nring)
        wait_for_change(pl);
    if (pl->stop) {
        pthread_mutex_unlock(&pl->lock);
        batch_put(pl, b);
        return -1;
    }
    pl->ring[pl->submitted++ % pl->nring] = b;
    changed(pl);
    pthread_mutex_unlock(&pl->lock);
    return 0;
}

static int close_batch(struct pipeline *pl)
{
    struct batch *b = pl->open;

    pl->open = NULL;
    if (!b || b->npieces == 0) {
        batch_put(pl, b);
        return 0;
    }
    b->end_offset = qpp_split_bytes(pl->sp);
    return submit(pl, b);
}

/* The splitter's callback, in the reader. */
static int take_piece(void *ctx, const struct qpp_piece *p)
{
    struct pipeline *pl = ctx;
    struct batch *b = pl->open;
    struct piece *pc;

    /* A piece that cannot be kept would leave a hole in the input: every
     * failure here is a lack of memory, reported as such. */
    if (!b && (b = pl->open = batch_get(pl)) != NULL)
        b->input = pl->input;
    if (!b || qpp_grow((void **)&b->pieces, &b->cappieces, b->npieces + 1,
                       sizeof *b->pieces) < 0) {
        pl->reader_nomem = 1;
        return -1;
    }
    pc = &b->pieces[b->npieces];
    pc->kind = p->kind;
    pc->len = p->len;
    pc->line = p->line;
    pc->column = p->column;
    pc->depth = p->depth;
    pc->message = p->message;
    pc->truncated = p->truncated;
    pc->code = p->code;
    pc->bytes = NULL;
    if (pl->win && p->bytes >= pl->win && p->bytes + p->len <= pl->win + pl->winlen) {
        /* In the window: pointed to, the batch holding the window. */
        if (pl->cur && (!b->nslabs || b->slabs[b->nslabs - 1] != pl->cur)) {
            if (qpp_grow((void **)&b->slabs, &b->capslabs, b->nslabs + 1,
                         sizeof *b->slabs) < 0) { /* NOLINT: pointers */
                pl->reader_nomem = 1;
                return -1;
            }
            if (pl->jobs > 1)
                pthread_mutex_lock(&pl->lock);
            pl->cur->refs++;
            if (pl->jobs > 1)
                pthread_mutex_unlock(&pl->lock);
            b->slabs[b->nslabs++] = pl->cur;
        }
        pc->bytes = p->bytes;
        b->window_bytes += p->len;
    } else if (add_bytes(b, p->bytes, p->len, &pc->off) < 0) {
        pl->reader_nomem = 1;
        return -1;
    }
    if (add_bytes(b, p->pointer, strlen(p->pointer), &pc->pointer) < 0) {
        pl->reader_nomem = 1;
        return -1;
    }
    b->npieces++;
    if (b->nbytes + b->window_bytes >= BATCH_BYTES || b->npieces >= BATCH_PIECES)
        return close_batch(pl);
    return 0;
}

/* The reader's reference to its current window, dropped. */
static void reader_lets_go(struct pipeline *pl)
{
    if (pl->jobs > 1)
        pthread_mutex_lock(&pl->lock);
    slab_unref(pl, pl->cur);
    if (pl->jobs > 1)
        pthread_mutex_unlock(&pl->lock);
}

/* Whether the reading must stop: everything (-1), the input being read
 * (a syntax error ended it: 1), or not (0). */
static int reader_stops(struct pipeline *pl)
{
    int stop;

    if (pl->jobs <= 1)
        return pl->stop ? -1 : 0;
    pthread_mutex_lock(&pl->lock);
    stop = pl->stop ? -1 : pl->stop_input == pl->input ? 1 : 0;
    pthread_mutex_unlock(&pl->lock);
    return stop;
}

/* The input being read has ended (or could not be opened: open_errno): how
 * is handed on to be told in order, with a batch of its own, and the next
 * input is taken.  Returns 1 when there is more to read, else 0. */
static int input_end(struct pipeline *pl, int open_errno)
{
    const struct source *src = &pl->sources[pl->input];
    struct batch *b = pl->open ? pl->open : batch_get(pl);
    struct input_end *e = b ? qpp_calloc(1, sizeof *e) : NULL;

    pl->open = NULL;
    if (b && !e && b->npieces) {
        b->end_offset = qpp_split_bytes(pl->sp);
        submit(pl, b); /* its pieces, told as they are; the reader stops */
        b = NULL;
    }
    if (!e) {
        batch_put(pl, b);
        pl->reader_nomem = 1;
    } else {
        e->open_errno = open_errno;
        e->read_errno = pl->read_errno;
        e->nomem = pl->reader_nomem;
        if (pl->sp) {
            e->values = qpp_split_values(pl->sp);
            e->bytes = qpp_split_bytes(pl->sp);
        }
        if (pl->sha_to == &pl->sha)
            e->sha = pl->sha;
        b->input = pl->input;
        b->end = e;
        b->end_offset = e->bytes;
        submit(pl, b);
    }
    pl->win = NULL;
    if (pl->reader_nomem) {
        pl->reader_nomem_input = pl->input;
        pl->reader_nomem_told = e != NULL || open_errno; /* unopened: no line */
        pl->reader_nomem_bytes = pl->sp ? qpp_split_bytes(pl->sp) : 0;
    }
    if (pl->fp && src->by_name && pl->fp != stdin)
        fclose(pl->fp);
    pl->fp = NULL;
    qpp_split_free(pl->sp);
    pl->sp = NULL;
    pl->input++;
    if (pl->input < pl->nsources && !pl->reader_nomem && !pl->read_errno &&
        reader_stops(pl) >= 0)
        return 1; /* the next input is read on into the same window */
    reader_lets_go(pl);
    pl->cur = NULL;
    return 0;
}

/* The next input opened, with a splitter of its own.  Returns 1 when there
 * is more to read, else 0. */
static int input_begin(struct pipeline *pl)
{
    const struct source *src = &pl->sources[pl->input];

    pl->fp = src->fp;
    if (src->by_name) {
        pl->fp = strcmp(src->name, "-") == 0 ? stdin : fopen(src->name, "rb");
        if (!pl->fp)
            return input_end(pl, errno ? errno : EIO);
    }
    pl->sp = qpp_split_new(take_piece, pl, 0, 0, "", 1, 1);
    if (!pl->sp) {
        pl->reader_nomem = 1;
        return input_end(pl, 0);
    }
    pl->sha_to = pl->o->sha256;
    if (!pl->sha_to && pl->o->digest) {
        qpp_sha256_init(&pl->sha);
        pl->sha_to = &pl->sha;
    }
    return 1;
}

/* One step of reading: the next input opened, or a chunk of the input
 * read and split (bytes in memory: all of them).  Returns 1 when there is
 * more to read; at the end 0, the last batch handed on and the window let
 * go. */
static int read_step(struct pipeline *pl)
{
    int rc = 0;

    if (!pl->sp)
        return pl->input < pl->nsources && reader_stops(pl) >= 0 ? input_begin(pl) : 0;
    if (!pl->fp) {
        const struct source *src = &pl->sources[pl->input];

        if (pl->sha_to)
            qpp_sha256_update(pl->sha_to, src->buf, src->len);
        pl->win = src->buf;
        pl->winlen = src->len;
        rc = qpp_split_window(pl->sp, src->buf, src->len);
    } else {
        size_t n, want, kept = qpp_split_kept(pl->sp);

        if (reader_stops(pl)) {
            rc = -1;
            goto end;
        }
        if (pl->cur && pl->cur->cap > SLAB && pl->cur->cap - pl->used < CHUNK &&
            kept > (SLAB - CHUNK) / 2 && slab_alone(pl, pl->cur)) {
            /* A long piece, in a long piece's window no batch holds: the
             * window grows where it is (for a large block the system moves
             * pages, not bytes), so a piece of n bytes costs about n, not
             * 2n.  In a window of SLAB bytes it is copied once, below. */
            char *buf = qpp_realloc(pl->cur->buf, 2 * pl->cur->cap);
            if (!buf) {
                pl->reader_nomem = 1;
                rc = -1;
                goto end;
            }
            pl->cur->buf = buf;
            pl->cur->cap *= 2;
        }
        if (!pl->cur || pl->cur->cap - pl->used < CHUNK) {
            /* A new window, beginning with the bytes the splitter keeps;
             * twice their size at least, so a long piece costs linear time. */
            struct slab *sl =
                slab_get(pl, kept > (SLAB - CHUNK) / 2 ? 2 * kept + CHUNK : SLAB);
            if (!sl) {
                pl->reader_nomem = 1;
                rc = -1;
                goto end;
            }
            if (kept && pl->cur) /* bytes kept come from a window */
                memcpy(sl->buf, pl->cur->buf + pl->used - kept, kept);
            pl->used = kept;
            reader_lets_go(pl);
            pl->cur = sl;
        }
        want = pl->cur->cap - pl->used < CHUNK ? pl->cur->cap - pl->used : CHUNK;
        n = fread(pl->cur->buf + pl->used, 1, want, pl->fp);
        if (n > 0 && pl->sha_to)
            qpp_sha256_update(pl->sha_to, pl->cur->buf + pl->used, n);
        pl->used += n;
        pl->win = pl->cur->buf + pl->used - kept - n;
        pl->winlen = kept + n;
        /* Even with no new byte: a new window holds the bytes kept, and the
         * window before may be gone. */
        if ((rc = qpp_split_window(pl->sp, pl->win, pl->winlen)) < 0)
            goto end;
        if (n == want)
            return 1;
        if (ferror(pl->fp)) {
            pl->read_errno = errno ? errno : EIO;
            rc = -1;
        }
    }
end:
    if (rc == 0) /* a stop or a failure leaves the value under way unsaid */
        qpp_split_end(pl->sp);
    if (qpp_split_nomem(pl->sp))
        pl->reader_nomem = 1;
    /* A syntax error in a Bundle's frame stops splitting; what came before
     * it is still worked on.  Its last batch tells how the input ended. */
    return input_end(pl, 0);
}

/* ---- threads ---- */

/* With several jobs every thread, the caller's among them, does in turn
 * whatever can be done: merge the batches done, in order (one thread at a
 * time), read and split a chunk (one thread at a time: the splitter is the
 * reader's), or work on a batch. A thread that has just read works next,
 * on what it read while its bytes are in its cache, once a second batch
 * waits for the other threads (else it reads on: a thread done with its
 * batch then finds one, rather than waiting while the reader reads); there
 * is no thread that only reads or only merges, and no batch waits for one
 * to wake. */
static void merge_ready(struct pipeline *pl)
{
    pl->merging = 1;
    while (pl->merged < pl->submitted && pl->ring[pl->merged % pl->nring]->done) {
        struct batch *b = pl->ring[pl->merged % pl->nring];
        int stop = pl->stop, stop_input = -1;

        pthread_mutex_unlock(&pl->lock);
        if (!stop && merge_batch(pl, b) < 0)
            stop = 1;
        if (pl->file_stopped)
            stop_input = b->input;
        batch_put(pl, b);
        pthread_mutex_lock(&pl->lock);
        if (stop)
            pl->stop = 1;
        if (stop_input >= 0)
            pl->stop_input = stop_input;
        pl->ring[pl->merged % pl->nring] = NULL;
        pl->merged++;
    }
    pl->merging = 0;
    changed(pl);
}

static void *crew(void *arg)
{
    struct pipeline *pl = arg;
    int just_read = 0;

    pthread_mutex_lock(&pl->lock);
    for (;;) {
        int work = pl->taken < pl->submitted;

        if (!pl->merging && pl->merged < pl->submitted &&
            pl->ring[pl->merged % pl->nring]->done) {
            merge_ready(pl);
        } else if (!pl->reading && !pl->reader_finished &&
                   !(just_read && pl->submitted - pl->taken >= 2) &&
                   pl->submitted - pl->merged < pl->nring) {
            int rc;

            pl->reading = 1;
            pthread_mutex_unlock(&pl->lock);
            rc = read_step(pl);
            pthread_mutex_lock(&pl->lock);
            pl->reading = 0;
            if (rc <= 0)
                pl->reader_finished = 1;
            just_read = 1;
            changed(pl);
        } else if (work) {
            struct batch *b = pl->ring[pl->taken++ % pl->nring];

            pthread_mutex_unlock(&pl->lock);
            work_batch(pl, b);
            pthread_mutex_lock(&pl->lock);
            b->done = 1;
            just_read = 0;
            changed(pl);
        } else if (pl->reader_finished && pl->merged == pl->submitted && !pl->merging) {
            break;
        } else {
            wait_for_change(pl);
        }
    }
    changed(pl);
    pthread_mutex_unlock(&pl->lock);
    return NULL;
}

static int run(const struct source *sources, int nsources,
               const struct qpp_read_options *o, qpp_item_fn fn, qpp_input_fn done,
               void *ctx, struct qpp_diags *d)
{
    struct pipeline pl;
    pthread_t *threads = NULL;
    int i, started = 0, rc = 0;

    memset(&pl, 0, sizeof pl);
    pl.sources = sources;
    pl.nsources = nsources;
    pl.o = o;
    pl.fn = fn;
    pl.done = done;
    pl.ctx = ctx;
    pl.d = d;
    pl.stop_input = -1;
    pl.jobs = o->jobs > 1 ? o->jobs : 1;
    pthread_mutex_init(&pl.lock, NULL);
    pthread_cond_init(&pl.cv, NULL);
    if (pl.jobs > 1) {
        pl.nring = (size_t)pl.jobs * IN_FLIGHT_PER_JOB;
        pl.ring = qpp_calloc(pl.nring, sizeof *pl.ring); /* NOLINT: pointers */
        threads = qpp_calloc((size_t)pl.jobs - 1, sizeof *threads);
        if (!pl.ring || !threads)
            pl.jobs = 1; /* no memory for threads: read alone */
    }
    /* Every batch in flight, the one being filled and one spare. */
    pl.cappool = pl.jobs > 1 ? pl.nring + 2 : 2;
    pl.pool = qpp_calloc(pl.cappool, sizeof *pl.pool); /* NOLINT: pointers */
    if (!pl.pool) {
        pl.cappool = 0;
        pl.nomem = 1;
        goto out;
    }
    if (pl.jobs > 1) {
        /* The caller's thread is one of the crew. */
        for (i = 0; i < pl.jobs - 1; i++)
            if (pthread_create(&threads[started], NULL, crew, &pl) == 0)
                started++;
        if (started == 0)
            pl.jobs = 1; /* no thread: read alone */
    }
    if (pl.jobs > 1) {
        crew(&pl);
        for (i = 0; i < started; i++)
            pthread_join(threads[i], NULL);
    } else {
        while (read_step(&pl) > 0)
            ;
    }
    batch_put(&pl, pl.open);
    reader_lets_go(&pl); /* the reading stopped between inputs */
    pl.cur = NULL;
    if (pl.reader_nomem && !pl.nomem) {
        pl.nomem = 1;
        pl.nomem_input = pl.reader_nomem_input;
        /* How the input ended could not be handed on: its progress line
         * is said here, as far as it went. */
        if (!pl.reader_nomem_told && o->progress)
            o->progress(o->progress_ctx, pl.reader_nomem_bytes, pl.resources, 1);
    }
out:
    if (pl.nomem) {
        const char *name =
            pl.nomem_input < nsources ? sources[pl.nomem_input].name : NULL;
        qpp_diag(d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory reading %s",
                 name ? name : "-");
    }
    if (pl.nomem || pl.failed)
        rc = -1;
    pthread_mutex_destroy(&pl.lock);
    pthread_cond_destroy(&pl.cv);
    while (pl.pool && pl.npool)
        batch_free(pl.pool[--pl.npool]);
    while (pl.nslabs) {
        struct slab *sl = pl.slabs[--pl.nslabs];
        UNPOISON(sl->buf, sl->cap);
        slab_free(sl);
    }
    qpp_free(pl.pool);
    qpp_free(pl.ring);
    qpp_free(threads);
    return rc;
}

int qpp_read_files(const char *const *names, int n, const struct qpp_read_options *o,
                   qpp_item_fn fn, qpp_input_fn done, void *ctx, struct qpp_diags *d)
{
    struct source *sources = n > 0 ? qpp_calloc((size_t)n, sizeof *sources) : NULL;
    int i, rc;

    if (n > 0 && !sources) {
        qpp_diag(d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory reading %s", names[0]);
        return -1;
    }
    for (i = 0; i < n; i++) {
        sources[i].name = names[i];
        sources[i].by_name = 1;
    }
    rc = run(sources, n, o, fn, done, ctx, d);
    qpp_free(sources);
    return rc;
}

int qpp_read_stream(FILE *fp, const char *source, const struct qpp_read_options *o,
                    qpp_item_fn fn, void *ctx, struct qpp_diags *d)
{
    struct source src = {source, fp, NULL, 0, 0};

    return run(&src, 1, o, fn, NULL, ctx, d);
}

int qpp_read_buffer(const char *buf, size_t len, const char *source,
                    const struct qpp_read_options *o, qpp_item_fn fn, void *ctx,
                    struct qpp_diags *d)
{
    struct source src = {source, NULL, buf, len, 0};

    return run(&src, 1, o, fn, NULL, ctx, d);
}
