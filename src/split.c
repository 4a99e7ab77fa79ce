/* SPDX-License-Identifier: MIT */
/* The streaming splitter; see split.h. */
#include "split.h"

#include <jansson.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "diag.h"
#include "hashset.h"
#include "scan.h"
#include "util.h"

/* F_MAYBE: an object whose "entry" array came before its resourceType,
 * read as a Bundle (only a Bundle has entries of resources) until its
 * resourceType says it is one (then F_BUNDLE) or is not (an error). */
enum frame_type { F_BUNDLE, F_ENTRIES, F_ENTRY, F_LIST, F_MAYBE };

/* Members of a Bundle read to tell a search page from a whole result. */
enum key { K_NONE, K_TYPE, K_LINK, K_TOTAL, K_ID, K_SEARCH, K_RESPONSE, NKEYS };
static const char *const key_names[NKEYS] = {"",   "type",   "link",    "total",
                                             "id", "search", "response"};

/* A value still open after this many bytes has them checked (then at twice
 * as many, and so on): an unbalanced brace in a valid-looking stream would
 * otherwise keep the rest of the input in memory. */
#define UNIT_CHECK       ((size_t)16 << 20)
#define UNIT_CHECK_SLACK 4096 /* an error this close to the cut may be the cut's */

struct frame {
    enum frame_type type;
    int first;               /* no member or element yet */
    int comma;               /* F_ENTRIES: a ',' was taken, an element must follow */
    size_t index;            /* F_ENTRIES: the next element's index */
    size_t mark;             /* pointer length before this frame's part */
    struct qpp_hashset keys; /* F_BUNDLE, F_ENTRY: hashes of the members seen */
    /* F_BUNDLE: what says whether it is one page of a search. */
    long long line, column;  /* of its '{' */
    int searchset, next;     /* type searchset; a link with relation next */
    int later;               /* a previous/prev link, or first/last other than self */
    long long total;         /* -1 when not given */
    size_t nentries, nother; /* entries, and those whose search.mode is not match */
    char name[80];           /* "Bundle/id" */
};

enum state {
    S_TOP,      /* between top-level values */
    S_RESOURCE, /* a value that is a resource (maybe a Bundle to open) */
    S_PEEK,     /* an object whose first key is not resourceType: Bundle or not? */
    S_UNIT,     /* finding where a piece ends */
    S_MEMBER,   /* in a Bundle or entry object: a key, ',' or '}' */
    S_ELEMENT,  /* in a Bundle's entry array: a value, ',' or ']' */
    S_DONE      /* stopped */
};

struct qpp_splitter {
    qpp_piece_fn fn;
    void *ctx;
    char *win; /* bytes not yet consumed: win[0] is at stream offset base */
    size_t len, cap;
    int borrowed;     /* win is the caller's (qpp_split_window) */
    size_t pos;       /* the current position in win */
    long long line;   /* at pos (a 2 GB line is possible) */
    long long column; /* at win[col_at], counted on demand (column_at) */
    size_t col_at;
    unsigned long long consumed; /* stream offset of win[0] */
    enum state state;
    struct frame *frames;
    size_t nframes, capframes;
    int depth0;
    struct qpp_buf ptr;
    /* The piece being spanned (S_UNIT) or the resource being peeked. */
    enum qpp_piece_kind unit_kind;
    const char *unit_message;
    char suffix[96]; /* the piece's part of its pointer, after the frames' */
    size_t unit_start;
    long long unit_line, unit_column;
    struct qpp_span span;
    size_t unit_check; /* check the piece's bytes when it grows past this */
    int in_entry;      /* the S_RESOURCE is an entry's resource (1), a list's
                          element (2), a top-level value (0) */
    /* S_PEEK: the object at pos looked at member by member, resumably. */
    size_t peek_off;   /* from pos: the next key, or the value in peek_span */
    int peek_in_value; /* peek_span spans a member's value at peek_off */
    struct qpp_span peek_span;
    enum key unit_key; /* the member being spanned, when it is one of keys */
    unsigned long long key_hash[NKEYS];
    char finding[256]; /* a FINDING piece's message */
    int at_eof;
    int nomem;
    unsigned long long values; /* top-level values begun */
};

struct qpp_splitter *qpp_split_new(qpp_piece_fn fn, void *ctx, int bundle, int depth,
                                   const char *pointer, int line, int column)
{
    struct qpp_splitter *sp = qpp_calloc(1, sizeof *sp);

    if (!sp)
        return NULL;
    sp->fn = fn;
    sp->ctx = ctx;
    sp->line = line;
    sp->column = column;
    sp->depth0 = depth;
    qpp_buf_init(&sp->ptr);
    qpp_buf_add(&sp->ptr, pointer ? pointer : "");
    sp->state = bundle ? S_RESOURCE : S_TOP;
    sp->in_entry = -1; /* bundle mode: the value is a Bundle, whatever its key order */
    if (sp->ptr.failed) {
        qpp_split_free(sp);
        return NULL;
    }
    if (!bundle)
        sp->in_entry = 0;
    {
        int k;
        for (k = 1; k < NKEYS; k++)
            sp->key_hash[k] = qpp_scan_string_hash(key_names[k], strlen(key_names[k]));
    }
    return sp;
}

void qpp_split_free(struct qpp_splitter *sp)
{
    size_t i;

    if (!sp)
        return;
    for (i = 0; i < sp->nframes; i++)
        qpp_hashset_free(&sp->frames[i].keys);
    qpp_free(sp->frames);
    if (!sp->borrowed)
        qpp_free(sp->win);
    qpp_buf_free(&sp->ptr);
    qpp_free(sp);
}

int qpp_split_nomem(const struct qpp_splitter *sp)
{
    return sp->nomem;
}

unsigned long long qpp_split_values(const struct qpp_splitter *sp)
{
    return sp->values;
}

unsigned long long qpp_split_bytes(const struct qpp_splitter *sp)
{
    return sp->consumed + sp->pos;
}

/* Move over win[pos..to): lines are counted now (memchr is fast), columns
 * only when a place is wanted, so a long line is not looked at byte by byte
 * unless something on it is placed. */
static void advance(struct qpp_splitter *sp, size_t to)
{
    const char *p, *end, *nl;

    if (to == sp->pos)
        return;
    p = sp->win + sp->pos;
    end = sp->win + to;
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        sp->line++;
        sp->column = 1;
        p = nl + 1;
        sp->col_at = (size_t)(p - sp->win);
    }
    sp->pos = to;
}

/* The column at pos: characters (UTF-8 lead bytes) since col_at. */
static long long column_at(struct qpp_splitter *sp)
{
    const char *p = sp->win + sp->col_at, *end = sp->win + sp->pos;
    long long col = sp->column;

    for (; p < end; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            col++;
    sp->column = col;
    sp->col_at = sp->pos;
    return col;
}

/* Places are ints in diagnostics: past INT_MAX they stay at INT_MAX. */
static int clamp(long long v)
{
    return v > INT_MAX ? INT_MAX : (int)v;
}

static int emit_code(struct qpp_splitter *sp, enum qpp_piece_kind kind, const char *bytes,
                     size_t len, long long line, long long column, const char *message,
                     int truncated, int code)
{
    struct qpp_piece p;

    p.kind = kind;
    p.bytes = bytes;
    p.len = len;
    p.line = clamp(line);
    p.column = clamp(column);
    size_t mark = sp->ptr.len;
    int rc;

    p.depth = sp->depth0 + (int)sp->nframes;
    qpp_buf_add(&sp->ptr, sp->suffix);
    if (sp->ptr.failed) {
        sp->nomem = 1;
        sp->state = S_DONE;
        return -1;
    }
    p.pointer = sp->ptr.s;
    p.message = message;
    p.truncated = truncated;
    p.code = code;
    rc = sp->fn(sp->ctx, &p);
    sp->ptr.len = mark;
    sp->ptr.s[mark] = '\0';
    if (rc < 0) {
        sp->state = S_DONE;
        return -1;
    }
    return 0;
}

static int emit(struct qpp_splitter *sp, enum qpp_piece_kind kind, const char *bytes,
                size_t len, long long line, long long column, const char *message,
                int truncated)
{
    return emit_code(sp, kind, bytes, len, line, column, message, truncated, 0);
}

static int syntax_code(struct qpp_splitter *sp, const char *message, int code)
{
    sp->suffix[0] = '\0';
    emit_code(sp, QPP_PIECE_ERROR, sp->win + sp->pos, 0, sp->line, column_at(sp), message,
              0, code);
    sp->state = S_DONE;
    return -1;
}

static int syntax(struct qpp_splitter *sp, const char *message)
{
    return syntax_code(sp, message, 0);
}

/* The input ended where more was needed: say so at its end.  A file cut
 * short (a full disk, a copy stopped half-way) ends like this. */
static int premature(struct qpp_splitter *sp)
{
    advance(sp, sp->len);
    return syntax_code(sp, "the input ends inside a value: it looks cut short",
                       QPP_INPUT_TRUNCATED);
}

static int is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Skip white space; 1 when a byte follows, 0 when more are needed. */
static int skip_ws(struct qpp_splitter *sp)
{
    size_t to = sp->pos;

    while (to < sp->len && is_ws(sp->win[to]))
        to++;
    advance(sp, to);
    return sp->pos < sp->len;
}

/* Where the state machine goes after a value inside the current frame. */
static enum state after_value(const struct qpp_splitter *sp)
{
    if (sp->nframes == 0)
        return S_TOP;
    enum frame_type t = sp->frames[sp->nframes - 1].type;

    return t == F_ENTRIES || t == F_LIST ? S_ELEMENT : S_MEMBER;
}

static int push(struct qpp_splitter *sp, enum frame_type type, const char *part)
{
    struct frame *f;

    if (sp->depth0 + (int)sp->nframes + 1 > QPP_MAX_DEPTH)
        return syntax(sp, "maximum parsing depth reached");
    if (qpp_grow((void **)&sp->frames, &sp->capframes, sp->nframes + 1,
                 sizeof *sp->frames) < 0) {
        sp->nomem = 1;
        sp->state = S_DONE;
        return -1;
    }
    f = &sp->frames[sp->nframes++];
    memset(f, 0, sizeof *f);
    f->type = type;
    f->first = 1;
    f->mark = sp->ptr.len;
    f->line = sp->line;
    f->column = column_at(sp);
    f->total = -1;
    qpp_buf_add(&sp->ptr, part);
    return 0;
}

static void pop(struct qpp_splitter *sp)
{
    struct frame *f = &sp->frames[--sp->nframes];

    sp->ptr.len = f->mark;
    if (sp->ptr.s)
        sp->ptr.s[f->mark] = '\0';
    qpp_hashset_free(&f->keys);
}

/* Start spanning a piece at pos. */
static void start_unit(struct qpp_splitter *sp, enum qpp_piece_kind kind,
                       const char *message, const char *suffix)
{
    snprintf(sp->suffix, sizeof sp->suffix, "%s", suffix);
    sp->unit_key = K_NONE;
    sp->unit_kind = kind;
    sp->unit_message = message;
    sp->unit_start = sp->pos;
    sp->unit_line = sp->line;
    sp->unit_column = column_at(sp);
    sp->unit_check = UNIT_CHECK;
    memset(&sp->span, 0, sizeof sp->span);
    sp->state = S_UNIT;
}

/* 1 when the piece's bytes so far hold an error that more bytes cannot mend. */
static int broken_so_far(const struct qpp_splitter *sp)
{
    struct qpp_scan s;
    size_t n = sp->len - sp->unit_start;
    int rc;

    memset(&s, 0, sizeof s);
    s.depth = sp->depth0 + (int)sp->nframes;
    rc = qpp_scan(sp->win + sp->unit_start, n, &s);
    return rc == -1 && s.err_offset + UNIT_CHECK_SLACK < n;
}

/* The Bundle frame an entry's member belongs to (F_ENTRY in F_ENTRIES in
 * F_BUNDLE), or the Bundle frame itself. */
static struct frame *bundle_frame(struct qpp_splitter *sp)
{
    struct frame *f = &sp->frames[sp->nframes - 1];

    if (f->type == F_ENTRY && sp->nframes >= 3)
        return &sp->frames[sp->nframes - 3];
    return f->type == F_BUNDLE || f->type == F_MAYBE ? f : NULL;
}

/* A batch or transaction response entry that failed (status 4xx or 5xx, or
 * an outcome with an error or fatal issue): what it stood for is missing.
 * Said by status and issue code; the diagnostics text may name patients. */
static int failed_response(struct qpp_splitter *sp, json_t *response)
{
    const char *status = json_string_value(json_object_get(response, "status"));
    json_t *issue;
    const char *code = NULL;
    size_t i;

    json_array_foreach(json_object_get(json_object_get(response, "outcome"), "issue"), i,
                       issue)
    {
        const char *sev = json_string_value(json_object_get(issue, "severity"));
        if (!code && (qpp_streq(sev, "error") || qpp_streq(sev, "fatal"))) {
            code = json_string_value(json_object_get(issue, "code"));
            code = code ? code : "(none)";
        }
    }
    if (!code && !(status && (status[0] == '4' || status[0] == '5')))
        return 0;
    snprintf(sp->finding, sizeof sp->finding,
             "a Bundle entry's response failed (status %.40s, issue code %.40s): what "
             "it stood for (a report, say) is missing; its diagnostics are not shown, "
             "they may name patients",
             status ? status : "(none)", code ? code : "(none)");
    return emit_code(sp, QPP_PIECE_FINDING, sp->finding, strlen(sp->finding),
                     sp->unit_line, sp->unit_column, NULL, 0, QPP_EVALUATION_FAILED);
}

/* Note a Bundle member that tells a page of a search from a whole result:
 * type, total, link (relation next) and an entry's search (mode).  Small
 * values of few members: the entries' resources never come here. */
static int note_member(struct qpp_splitter *sp, const char *bytes, size_t len)
{
    struct frame *f = bundle_frame(sp);
    json_t *v, *l;
    size_t i;
    int rc = 0;

    if (!f || len > 65536)
        return 0;
    v = json_loadb(bytes, len, JSON_DECODE_ANY, NULL);
    switch (sp->unit_key) {
        case K_TYPE:
            f->searchset = qpp_streq(json_string_value(v), "searchset");
            break;
        case K_TOTAL:
            f->total = json_is_integer(v) ? (long long)json_integer_value(v) : -1;
            break;
        case K_ID:
            if (json_is_string(v))
                snprintf(f->name, sizeof f->name, "Bundle/%.64s", json_string_value(v));
            break;
        case K_LINK: {
            const char *self = NULL;
            json_array_foreach(v, i, l)
            {
                if (qpp_streq(json_string_value(json_object_get(l, "relation")), "self"))
                    self = json_string_value(json_object_get(l, "url"));
            }
            json_array_foreach(v, i, l)
            {
                const char *rel = json_string_value(json_object_get(l, "relation"));
                const char *url = json_string_value(json_object_get(l, "url"));
                if (qpp_streq(rel, "next"))
                    f->next = 1;
                /* A page after the first: it points back, or its first or
                 * last page is another one (FHIR R4 3.1.1.3.2, paging). */
                if (qpp_streq(rel, "previous") || qpp_streq(rel, "prev"))
                    f->later = 1;
                if ((qpp_streq(rel, "first") || qpp_streq(rel, "last")) && self && url &&
                    strcmp(self, url) != 0)
                    f->later = 1;
            }
            break;
        }
        case K_SEARCH: {
            const char *mode = json_string_value(json_object_get(v, "mode"));
            if (mode && strcmp(mode, "match") != 0)
                f->nother++;
            break;
        }
        case K_RESPONSE:
            rc = failed_response(sp, v);
            break;
        default:
            break;
    }
    json_decref(v);
    return rc;
}

/* A searchset Bundle closes: one page of a search is not the result. */
static int bundle_closed(struct qpp_splitter *sp, const struct frame *f)
{
    size_t matches = f->nentries - f->nother;

    if (!f->searchset ||
        (!f->next && !f->later && (f->total < 0 || (size_t)f->total <= matches)))
        return 0;
    if (f->next || f->later) {
        snprintf(sp->finding, sizeof sp->finding,
                 "searchset %s has a %s link: it is one page of a search "
                 "(%zu match entries), not the whole result; fetch every page",
                 f->name[0] ? f->name : "Bundle",
                 f->next ? "next" : "previous, first or last", matches);
        snprintf(sp->suffix, sizeof sp->suffix, "/link");
    } else {
        snprintf(sp->finding, sizeof sp->finding,
                 "searchset %s has total %lld but holds %zu match entries: it is "
                 "part of a search result; fetch every page",
                 f->name[0] ? f->name : "Bundle", f->total, matches);
        snprintf(sp->suffix, sizeof sp->suffix, "/total");
    }
    return emit_code(sp, QPP_PIECE_FINDING, sp->finding, strlen(sp->finding), f->line,
                     f->column, NULL, 0, QPP_SEARCH_INCOMPLETE);
}

/* 1 when done, 0 when more bytes are needed, -1 to stop. */
static int step_unit(struct qpp_splitter *sp)
{
    enum qpp_span_result r;
    size_t end;
    int cut;

    r = qpp_span(sp->win + sp->unit_start, sp->len - sp->unit_start, sp->at_eof,
                 &sp->span);
    if (r == QPP_SPAN_MORE) {
        if (sp->len - sp->unit_start < sp->unit_check)
            return 0;
        sp->unit_check *= 2;
        if (!broken_so_far(sp))
            return 0;
        /* Hand over what there is: the scanner reports the error. */
        emit(sp, sp->unit_kind, sp->win + sp->unit_start, sp->len - sp->unit_start,
             sp->unit_line, sp->unit_column, sp->unit_message, 1);
        sp->state = S_DONE;
        return -1;
    }
    end = sp->unit_start + sp->span.pos;
    cut = r == QPP_SPAN_BAD && sp->at_eof && end == sp->len &&
          (sp->span.depth > 0 || sp->span.in_string);
    if (emit_code(sp, sp->unit_kind, sp->win + sp->unit_start, end - sp->unit_start,
                  sp->unit_line, sp->unit_column, sp->unit_message, r == QPP_SPAN_BAD,
                  cut ? QPP_INPUT_TRUNCATED : 0) < 0)
        return -1;
    if (r == QPP_SPAN_END && sp->unit_key != K_NONE &&
        note_member(sp, sp->win + sp->unit_start, end - sp->unit_start) < 0)
        return -1;
    advance(sp, end);
    if (r == QPP_SPAN_BAD) {
        /* The scanner reports what is wrong; nothing after it can be trusted. */
        sp->state = S_DONE;
        return -1;
    }
    sp->state = after_value(sp);
    return 1;
}

/* A string at win[at]: its end (past the closing quote) in *end, and
 * whether it is exactly lit.  1 done, 0 more bytes needed, -1 not a string. */
static int token_string(struct qpp_splitter *sp, size_t at, size_t *end, const char *lit,
                        int *is_lit, unsigned long long *hash)
{
    struct qpp_span span;
    struct qpp_scan s;
    enum qpp_span_result r;
    int rc;

    if (sp->win[at] != '"')
        return -1;
    memset(&span, 0, sizeof span);
    r = qpp_span(sp->win + at, sp->len - at, sp->at_eof, &span);
    if (r == QPP_SPAN_MORE)
        return 0;
    if (r == QPP_SPAN_BAD)
        return -1;
    *end = at + span.pos;
    memset(&s, 0, sizeof s);
    rc = qpp_scan(sp->win + at, span.pos, &s);
    if (rc < 0)
        return -1;
    *hash = s.hash;
    /* By the decoded text: "\u0065ntry" is "entry". */
    *is_lit = lit && s.hash == qpp_scan_string_hash(lit, strlen(lit));
    return 1;
}

/* At a resource: open it when it is a Bundle that says so first, else span it. */
static int step_resource(struct qpp_splitter *sp)
{
    size_t q, kend, vend;
    unsigned long long h;
    int is_lit, r, nomem = 0;

    if (!skip_ws(sp))
        return sp->at_eof ? premature(sp) : 0;
    if (sp->consumed + sp->pos == 0 && (unsigned char)sp->win[0] == 0xEF) {
        /* Say what it is: editors add it, JSON (RFC 8259, 8.1) forbids it. */
        if (sp->len < 3 && !sp->at_eof)
            return 0;
        if (sp->len >= 3 && memcmp(sp->win, "\xEF\xBB\xBF", 3) == 0)
            return syntax(sp, "the input starts with a UTF-8 byte-order mark, "
                              "which JSON does not allow");
    }
    if (sp->nframes == 0 && sp->in_entry == 0 && sp->win[sp->pos] == '<')
        return syntax_code(sp,
                           "the input looks like XML: qppbuild reads FHIR JSON only "
                           "(JSON, NDJSON or a JSON array of resources)",
                           QPP_NOT_JSON);
    if (sp->nframes == 0 && sp->in_entry == 0 && sp->win[sp->pos] == '[') {
        /* A list of resources, as fqm-execution's reports command writes. */
        if (push(sp, F_LIST, "") < 0)
            return -1;
        advance(sp, sp->pos + 1);
        sp->state = S_ELEMENT;
        return 1;
    }
    if (sp->in_entry == 1 && sp->win[sp->pos] == 'n') {
        start_unit(sp, QPP_PIECE_CHECK, NULL, "/resource"); /* null: nothing */
        return 1;
    }
    if (sp->in_entry < 0) {
        /* A Bundle known to be one: open it at its brace. */
        if (sp->win[sp->pos] != '{')
            return syntax(sp, "'{' expected");
        if (push(sp, F_BUNDLE, "") < 0)
            return -1;
        advance(sp, sp->pos + 1);
        sp->in_entry = 0;
        sp->state = S_MEMBER;
        return 1;
    }
    if (sp->win[sp->pos] != '{') {
        start_unit(sp, QPP_PIECE_RESOURCE, NULL, sp->in_entry == 1 ? "/resource" : "");
        return 1;
    }
    /* Peek: { "resourceType" : "Bundle" */
    q = sp->pos + 1;
    while (q < sp->len && is_ws(sp->win[q]))
        q++;
    if (q >= sp->len)
        goto more;
    r = token_string(sp, q, &kend, "resourceType", &is_lit, &h);
    if (r == 0)
        goto more;
    if (r < 0)
        goto unit;
    if (!is_lit) {
        sp->peek_off = 1;
        sp->peek_in_value = 0;
        sp->state = S_PEEK;
        return 1;
    }
    q = kend;
    while (q < sp->len && is_ws(sp->win[q]))
        q++;
    if (q >= sp->len)
        goto more;
    if (sp->win[q] != ':')
        goto unit;
    q++;
    while (q < sp->len && is_ws(sp->win[q]))
        q++;
    if (q >= sp->len)
        goto more;
    r = token_string(sp, q, &vend, "Bundle", &is_lit, &h);
    if (r == 0)
        goto more;
    if (r < 0 || !is_lit)
        goto unit;
    if (push(sp, F_BUNDLE, sp->in_entry == 1 ? "/resource" : "") < 0)
        return -1; /* placed at the Bundle's '{' */
    advance(sp, vend);
    sp->frames[sp->nframes - 1].first = 0;
    qpp_hashset_put(&sp->frames[sp->nframes - 1].keys,
                    qpp_scan_string_hash("resourceType", 12), 0, 0, 0, &nomem);
    if (nomem) {
        sp->nomem = 1;
        return -1;
    }
    sp->state = S_MEMBER;
    return 1;
more:
    if (!sp->at_eof)
        return 0;
unit:
    start_unit(sp, QPP_PIECE_RESOURCE, NULL, sp->in_entry == 1 ? "/resource" : "");
    return 1;
}

/* Open the object at pos as a frame of type t, to be read member by member
 * from its first (pieces from its start, in the order they come). */
static int open_object(struct qpp_splitter *sp, enum frame_type t)
{
    if (push(sp, t, sp->in_entry == 1 ? "/resource" : "") < 0)
        return -1;
    advance(sp, sp->pos + 1);
    sp->state = S_MEMBER;
    return 1;
}

/* An object whose first key is not resourceType: a Bundle written in
 * another key order (jq -S, sort_keys) must stream like any other, so look
 * at its members, without taking them, until one tells: resourceType
 * "Bundle", or an "entry" array, opens it as a Bundle; resourceType
 * otherwise, the end of the object, or anything odd, makes it a piece as
 * before (the scanner says what is wrong).  Resumable: each byte is looked
 * at once however the input comes.  Past UNIT_CHECK bytes it is a piece (a
 * large resource in sorted order, or an unbalanced brace): the decision
 * depends on the bytes alone, not on how they arrive. */
static int step_peek(struct qpp_splitter *sp)
{
    const char *w = sp->win + sp->pos;
    size_t n = sp->len - sp->pos, q, kend, vend;
    unsigned long long h;
    int is_lit, r;

    for (;;) {
        if (sp->peek_off >= UNIT_CHECK)
            goto unit;
        if (sp->peek_in_value) {
            enum qpp_span_result sr =
                qpp_span(w + sp->peek_off, n - sp->peek_off, sp->at_eof, &sp->peek_span);
            if (sr == QPP_SPAN_MORE) {
                if (sp->at_eof || sp->peek_off + sp->peek_span.pos >= UNIT_CHECK)
                    goto unit;
                return 0;
            }
            if (sr == QPP_SPAN_BAD)
                goto unit;
            sp->peek_off += sp->peek_span.pos;
            sp->peek_in_value = 0;
            continue;
        }
        /* After '{' or a value: a key, after ',' when not the first. */
        q = sp->peek_off;
        while (q < n && is_ws(w[q]))
            q++;
        if (q >= n)
            goto more;
        if (sp->peek_off > 1) { /* after a value (1: just past the '{') */
            if (w[q] != ',')
                goto unit; /* '}' or an error: a piece either way */
            q++;
            while (q < n && is_ws(w[q]))
                q++;
            if (q >= n)
                goto more;
        }
        r = token_string(sp, sp->pos + q, &kend, "entry", &is_lit, &h);
        if (r == 0)
            goto more;
        if (r < 0)
            goto unit;
        kend -= sp->pos;
        q = kend;
        while (q < n && is_ws(w[q]))
            q++;
        if (q >= n)
            goto more;
        if (w[q] != ':')
            goto unit;
        q++;
        while (q < n && is_ws(w[q]))
            q++;
        if (q >= n)
            goto more;
        if (is_lit) {
            if (w[q] != '[')
                goto unit;
            return open_object(sp, F_MAYBE);
        }
        if (h == qpp_scan_string_hash("resourceType", 12)) {
            r = token_string(sp, sp->pos + q, &vend, "Bundle", &is_lit, &h);
            if (r == 0)
                goto more;
            if (r > 0 && is_lit)
                return open_object(sp, F_BUNDLE);
            goto unit;
        }
        sp->peek_off = q;
        sp->peek_in_value = 1;
        memset(&sp->peek_span, 0, sizeof sp->peek_span);
    }
more: /* a key or white space still arriving: at most UNIT_CHECK bytes of it */
    if (!sp->at_eof && n - sp->peek_off < UNIT_CHECK)
        return 0;
unit:
    start_unit(sp, QPP_PIECE_RESOURCE, NULL, sp->in_entry == 1 ? "/resource" : "");
    return 1;
}

/* The suffix of a member's pointer: "/" and its key (its raw text, RFC 6901
 * escaped; a long key is cut, the pointer only helps a reader). */
static void member_pointer(struct qpp_splitter *sp, size_t key_at, size_t kend)
{
    size_t i, n = 0;

    sp->suffix[n++] = '/';
    for (i = key_at + 1; i + 1 < kend && n + 3 < sizeof sp->suffix; i++) {
        char ch = sp->win[i];
        if (ch == '~' || ch == '/') {
            sp->suffix[n++] = '~';
            ch = ch == '~' ? '0' : '1';
        }
        sp->suffix[n++] = ch;
    }
    sp->suffix[n] = '\0';
}

/* In a Bundle or entry object. */
static int step_member(struct qpp_splitter *sp)
{
    struct frame *f = &sp->frames[sp->nframes - 1];
    size_t key_at, kend, q;
    unsigned long long h;
    int is_lit, r, nomem = 0, not_bundle = 0;
    const char *lit = f->type == F_ENTRY ? "resource" : "entry";

    if (!skip_ws(sp))
        return sp->at_eof ? premature(sp) : 0;
    if (sp->win[sp->pos] == '}') {
        if (f->type == F_MAYBE) {
            /* Entries but no resourceType: not a resource, as a piece would say. */
            sp->suffix[0] = '\0';
            if (emit(sp, QPP_PIECE_RESOURCE, "{}", 2, f->line, f->column, NULL, 0) < 0)
                return -1;
        }
        advance(sp, sp->pos + 1);
        if (f->type == F_BUNDLE && bundle_closed(sp, f) < 0)
            return -1;
        pop(sp);
        sp->state = after_value(sp);
        return 1;
    }
    q = sp->pos;
    if (!f->first) {
        if (sp->win[q] != ',')
            return syntax(sp, "',' or '}' expected");
        q++;
        while (q < sp->len && is_ws(sp->win[q]))
            q++;
        if (q >= sp->len)
            return sp->at_eof ? premature(sp) : 0;
    }
    key_at = q;
    r = token_string(sp, q, &kend, lit, &is_lit, &h);
    if (r == 0)
        return sp->at_eof ? premature(sp) : 0;
    if (r < 0 && sp->at_eof && sp->win[key_at] == '"' &&
        !memchr(sp->win + key_at + 1, '"', sp->len - key_at - 1))
        return premature(sp); /* the input ends inside the key */
    if (r < 0) {
        advance(sp, key_at);
        return syntax(sp, f->first ? "string or '}' expected" : "invalid object key");
    }
    /* Take nothing until the key's value has begun to arrive. */
    q = kend;
    while (q < sp->len && is_ws(sp->win[q]))
        q++;
    if (q < sp->len && sp->win[q] == ':') {
        q++;
        while (q < sp->len && is_ws(sp->win[q]))
            q++;
    } else if (q < sp->len) {
        advance(sp, q);
        return syntax(sp, "':' expected");
    }
    if (q >= sp->len)
        return sp->at_eof ? premature(sp) : 0;
    if (f->type == F_MAYBE && h == qpp_scan_string_hash("resourceType", 12)) {
        size_t vend;
        unsigned long long vh;
        int is_bundle;

        r = token_string(sp, q, &vend, "Bundle", &is_bundle, &vh);
        if (r == 0)
            return sp->at_eof ? premature(sp) : 0;
        not_bundle = r < 0 || !is_bundle;
        f->type = F_BUNDLE; /* read on as one; if it is not, that is said */
    }
    if (qpp_hashset_put(&f->keys, h, 0, 0, 0, &nomem)) {
        advance(sp, key_at);
        return syntax(sp, "duplicate object key");
    }
    if (nomem) {
        sp->nomem = 1;
        return -1;
    }
    f->first = 0;
    advance(sp, q);
    if (is_lit && f->type != F_ENTRY) {
        if (sp->win[sp->pos] == '[') {
            if (push(sp, F_ENTRIES, "/entry") < 0)
                return -1;
            advance(sp, sp->pos + 1);
            sp->state = S_ELEMENT;
            return 1;
        }
        start_unit(sp, QPP_PIECE_INVALID, "Bundle entry is not an array", "/entry");
        return 1;
    }
    if (is_lit) {
        sp->in_entry = 1;
        sp->state = S_RESOURCE;
        return 1;
    }
    /* Another member: validate it. */
    if (not_bundle)
        start_unit(sp, QPP_PIECE_INVALID,
                   "an object whose entry comes before its resourceType must be a Bundle",
                   "");
    else
        start_unit(sp, QPP_PIECE_CHECK, NULL, "");
    member_pointer(sp, key_at, kend);
    if (f->type == F_BUNDLE || f->type == F_MAYBE) {
        enum key k;
        for (k = K_TYPE; k <= K_ID; k++)
            if (h == sp->key_hash[k])
                sp->unit_key = k;
    } else if (h == sp->key_hash[K_SEARCH]) {
        sp->unit_key = K_SEARCH;
    } else if (h == sp->key_hash[K_RESPONSE]) {
        sp->unit_key = K_RESPONSE;
    }
    return 1;
}

/* In a Bundle's entry array. */
static int step_element(struct qpp_splitter *sp)
{
    struct frame *f = &sp->frames[sp->nframes - 1];
    char part[32];

    if (!skip_ws(sp))
        return sp->at_eof ? premature(sp) : 0;
    if (sp->win[sp->pos] == ']' && !f->comma) {
        advance(sp, sp->pos + 1);
        pop(sp);
        sp->state = after_value(sp);
        return 1;
    }
    if (!f->first && !f->comma) {
        if (sp->win[sp->pos] != ',')
            return syntax(sp, "',' or ']' expected");
        advance(sp, sp->pos + 1);
        f->comma = 1; /* kept should the next bytes be late */
        if (!skip_ws(sp))
            return sp->at_eof ? premature(sp) : 0;
    }
    if (f->comma && sp->win[sp->pos] == ']')
        return syntax(sp, "a value expected after ','");
    f->first = 0;
    f->comma = 0;
    snprintf(part, sizeof part, "/%zu", f->index++);
    if (f->type == F_LIST) {
        /* Each element is a resource at /i. */
        sp->ptr.len = f->mark;
        qpp_buf_add(&sp->ptr, part);
        sp->in_entry = 2;
        sp->state = S_RESOURCE;
        return 1;
    }
    if (sp->win[sp->pos] == '{') {
        if (sp->nframes >= 2)
            sp->frames[sp->nframes - 2].nentries++;
        if (push(sp, F_ENTRY, part) < 0)
            return -1;
        advance(sp, sp->pos + 1);
        sp->state = S_MEMBER;
        return 1;
    }
    start_unit(sp, QPP_PIECE_INVALID, "Bundle entry is not an object", part);
    return 1;
}

static int run(struct qpp_splitter *sp)
{
    for (;;) {
        int r;

        switch (sp->state) {
            case S_TOP:
                if (!skip_ws(sp))
                    return 0;
                sp->values++;
                sp->in_entry = 0;
                sp->state = S_RESOURCE;
                continue;
            case S_RESOURCE:
                r = step_resource(sp);
                break;
            case S_PEEK:
                r = step_peek(sp);
                break;
            case S_UNIT:
                r = step_unit(sp);
                break;
            case S_MEMBER:
                r = step_member(sp);
                break;
            case S_ELEMENT:
                r = step_element(sp);
                break;
            default:
                return -1;
        }
        if (sp->ptr.failed)
            sp->nomem = 1;
        if (r < 0 || sp->nomem) {
            sp->state = S_DONE;
            return -1;
        }
        if (r == 0)
            return 0;
    }
}

/* Where the bytes still needed begin in win: the piece being spanned, else
 * the current position. */
static size_t keep_from(const struct qpp_splitter *sp)
{
    return sp->state == S_UNIT ? sp->unit_start : sp->pos;
}

/* Forget win[0..keep): the window will begin at keep. */
static void drop(struct qpp_splitter *sp, size_t keep)
{
    if (sp->col_at < keep) { /* count the columns of the bytes dropped */
        size_t pos = sp->pos;
        sp->pos = keep;
        column_at(sp);
        sp->pos = pos;
    }
    sp->col_at -= keep;
    sp->len -= keep;
    sp->pos -= keep;
    if (sp->state == S_UNIT)
        sp->unit_start = 0;
    sp->consumed += keep;
}

int qpp_split_feed(struct qpp_splitter *sp, const char *data, size_t len)
{
    size_t keep;

    if (sp->state == S_DONE || sp->borrowed)
        return -1;
    /* Drop what is consumed once it is a good part of the window. */
    keep = keep_from(sp);
    if (keep > 0 && keep >= sp->len / 2) {
        drop(sp, keep);
        memmove(sp->win, sp->win + keep, sp->len);
    }
    if (qpp_grow((void **)&sp->win, &sp->cap, sp->len + len + 1, 1) < 0) {
        sp->nomem = 1;
        sp->state = S_DONE;
        return -1;
    }
    memcpy(sp->win + sp->len, data, len);
    sp->len += len;
    return run(sp);
}

size_t qpp_split_kept(const struct qpp_splitter *sp)
{
    return sp->len - keep_from(sp);
}

int qpp_split_window(struct qpp_splitter *sp, const char *win, size_t len)
{
    if (sp->state == S_DONE || (sp->win && !sp->borrowed) || len < qpp_split_kept(sp))
        return -1;
    drop(sp, keep_from(sp));
    sp->win = (char *)win; /* NOLINT: only read, never written or freed */
    sp->borrowed = 1;
    sp->len = len;
    if (run(sp) < 0)
        return -1;
    /* The columns of the bytes the next window drops are counted now: the
     * caller may free this one before. */
    if (sp->col_at < keep_from(sp)) {
        size_t pos = sp->pos;
        sp->pos = keep_from(sp);
        column_at(sp);
        sp->pos = pos;
    }
    return 0;
}

int qpp_split_end(struct qpp_splitter *sp)
{
    if (sp->state == S_DONE)
        return -1;
    sp->at_eof = 1;
    if (run(sp) < 0)
        return -1;
    if (sp->state != S_TOP || sp->nframes)
        return premature(sp);
    return 0;
}
