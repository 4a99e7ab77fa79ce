/* SPDX-License-Identifier: MIT */
/*
 * Unit tests for split.c: which pieces a stream is split into (resources,
 * Bundle members to check, invalid entries, syntax errors in a Bundle's
 * frame), where each starts (line:column in characters, 1-based), how deep
 * and under which JSON Pointer; and that the pieces do not depend on how
 * the bytes arrive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "split.h"
#include "testutil.h"
#include "util.h"

#define MAXPIECES 32

struct got_piece {
    enum qpp_piece_kind kind;
    char *bytes;
    int line, column, depth;
    char *pointer;
    int has_message;
    int truncated;
};

struct got {
    size_t n;
    size_t stop_at; /* return -1 on this piece (1-based); 0: never */
    struct got_piece p[MAXPIECES];
    struct qpp_buf log; /* every piece written out, to compare runs */
};

static int take(void *ctx, const struct qpp_piece *p)
{
    struct got *g = ctx;
    struct got_piece *gp;

    qpp_buf_printf(&g->log, "%d %d:%d d%d t%d %s [%s] ", (int)p->kind, p->line, p->column,
                   p->depth, p->truncated, p->pointer, p->message ? p->message : "");
    qpp_buf_addn(&g->log, p->bytes, p->len);
    qpp_buf_add(&g->log, "\n");
    if (g->n < MAXPIECES) {
        gp = &g->p[g->n];
        gp->kind = p->kind;
        gp->bytes = qpp_strndup(p->bytes, p->len);
        gp->line = p->line;
        gp->column = p->column;
        gp->depth = p->depth;
        gp->pointer = qpp_strdup(p->pointer);
        gp->has_message = p->message != NULL;
        gp->truncated = p->truncated;
    }
    g->n++;
    return g->stop_at && g->n == g->stop_at ? -1 : 0;
}

/* The collections in use, for the teardown to free when a test fails
 * half-way (the tests keep them in static storage: the stack is gone by
 * then). */
static struct got *live[4];

static void got_init(struct got *g)
{
    size_t i;

    memset(g, 0, sizeof *g);
    qpp_buf_init(&g->log);
    for (i = 0; i < sizeof live / sizeof live[0] && live[i]; i++)
        ;
    assert_true(i < sizeof live / sizeof live[0]);
    live[i] = g;
}

static void got_free(struct got *g)
{
    size_t i;

    for (i = 0; i < g->n && i < MAXPIECES; i++) {
        qpp_free(g->p[i].bytes);
        qpp_free(g->p[i].pointer);
    }
    qpp_buf_free(&g->log);
    memset(g, 0, sizeof *g);
    for (i = 0; i < sizeof live / sizeof live[0]; i++)
        if (live[i] == g)
            live[i] = NULL;
}

static int teardown(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof live / sizeof live[0]; i++)
        if (live[i])
            got_free(live[i]);
    return 0;
}

/* Feed bytes in chunks of the given sizes (cycled; NULL: all at once), then
 * the end.  Returns what the last call returned. */
static int feed(struct got *g, const char *buf, size_t len, const size_t *sizes,
                size_t nsizes)
{
    struct qpp_splitter *sp = qpp_split_new(take, g, 0, 0, "", 1, 1);
    size_t off = 0, k = 0;
    int rc = 0;

    assert_non_null(sp);
    while (off < len && rc == 0) {
        size_t n = sizes ? sizes[k++ % nsizes] : len;
        if (n > len - off)
            n = len - off;
        rc = qpp_split_feed(sp, buf + off, n);
        off += n;
    }
    if (rc == 0)
        rc = qpp_split_end(sp);
    assert_false(qpp_split_nomem(sp));
    qpp_buf_printf(&g->log, "rc %d bytes %llu\n", rc, rc == 0 ? qpp_split_bytes(sp) : 0);
    qpp_split_free(sp);
    return rc;
}

static int split_fixture(struct got *g, const char *name)
{
    size_t len;
    char *buf = fixture_bytes(name, &len);
    int rc;

    got_init(g);
    rc = feed(g, buf, len, NULL, 0);
    free(buf);
    return rc;
}

static const char *const kind_names[] = {"RESOURCE", "CHECK", "INVALID", "ERROR"};

static void assert_piece(const struct got *g, size_t i, enum qpp_piece_kind kind,
                         int line, int column, int depth, const char *pointer,
                         const char *bytes)
{
    const struct got_piece *p = &g->p[i];

    if (i >= g->n) {
        print_message("%s", g->log.s ? g->log.s : "");
        fail_msg("piece %zu not handed over (%zu were)", i, g->n);
    }
    if (p->kind != kind || p->line != line || p->column != column || p->depth != depth) {
        print_message("%s", g->log.s ? g->log.s : "");
        fail_msg("piece %zu: %s at %d:%d depth %d, want %s at %d:%d depth %d", i,
                 kind_names[p->kind], p->line, p->column, p->depth, kind_names[kind],
                 line, column, depth);
    }
    if (pointer)
        assert_string_equal(p->pointer, pointer);
    if (bytes)
        assert_string_equal(p->bytes, bytes);
    assert_int_equal(p->has_message,
                     kind == QPP_PIECE_INVALID || kind == QPP_PIECE_ERROR);
}

static void assert_pieces(const struct got *g, size_t n)
{
    if (g->n != n) {
        print_message("%s", g->log.s ? g->log.s : "");
        fail_msg("%zu pieces, want %zu", g->n, n);
    }
}

/* ---- NDJSON and values in a row ---- */

static void test_split_ndjson_one_piece_a_line(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-ndjson.ndjson"), 0);
    assert_pieces(&g, 6);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 1, 0, "",
                 "{\"resourceType\":\"Patient\",\"id\":\"a\"}");
    assert_piece(&g, 1, QPP_PIECE_RESOURCE, 2, 3, 0, "",
                 "{\"resourceType\":\"Observation\",\"id\":\"b\"}");
    /* Values that are not resources are handed over for the reader to say
     * so; an array's elements one by one, as a list of resources. */
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 3, 2, 1, "/0", "1");
    assert_piece(&g, 3, QPP_PIECE_RESOURCE, 3, 4, 1, "/1", "2");
    assert_piece(&g, 4, QPP_PIECE_RESOURCE, 4, 1, 0, "", "\"text\"");
    assert_piece(&g, 5, QPP_PIECE_RESOURCE, 5, 1, 0, "", "42");
    assert_int_equal(g.p[5].truncated, 0);
    got_free(&g);
}

static void test_split_concatenated_pretty_values(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-pretty.json"), 0);
    assert_pieces(&g, 3);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 1, 0, "",
                 "{\n  \"resourceType\": \"Patient\",\n  \"id\": \"p1\"\n}");
    assert_piece(&g, 1, QPP_PIECE_RESOURCE, 5, 3, 0, "",
                 "{\"resourceType\": \"Patient\",\n   \"id\": \"Zo\xC3\xAB\"}");
    /* Columns count characters: ë is one. */
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 6, 17, 0, "",
                 "{\"resourceType\": \"Patient\", \"id\": \"p3\"}");
    got_free(&g);
}

static void test_split_values_without_white_space_between(void **state)
{
    static struct got g;
    static const char in[] = "{\"a\":1}{\"b\":2}[3]\"x\"4 5";

    (void)state;
    got_init(&g);
    assert_int_equal(feed(&g, in, sizeof in - 1, NULL, 0), 0);
    assert_pieces(&g, 6);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 1, 0, "", "{\"a\":1}");
    assert_piece(&g, 1, QPP_PIECE_RESOURCE, 1, 8, 0, "", "{\"b\":2}");
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 1, 16, 1, "/0", "3");
    assert_piece(&g, 3, QPP_PIECE_RESOURCE, 1, 18, 0, "", "\"x\"");
    assert_piece(&g, 4, QPP_PIECE_RESOURCE, 1, 21, 0, "", "4");
    assert_piece(&g, 5, QPP_PIECE_RESOURCE, 1, 23, 0, "", "5");
    got_free(&g);
}

static void test_split_truncated_last_value(void **state)
{
    static struct got g;
    static const char in[] = "{\"resourceType\":\"Patient\"}\n{\"resourceType\":\"Pat";

    (void)state;
    got_init(&g);
    feed(&g, in, sizeof in - 1, NULL, 0);
    assert_pieces(&g, 2);
    assert_int_equal(g.p[0].truncated, 0);
    /* The bytes that came, for the scanner to say where input ended. */
    assert_piece(&g, 1, QPP_PIECE_RESOURCE, 2, 1, 0, "", "{\"resourceType\":\"Pat");
    assert_int_equal(g.p[1].truncated, 1);
    got_free(&g);
}

static void test_split_empty_and_blank_input(void **state)
{
    static struct got g;

    (void)state;
    got_init(&g);
    assert_int_equal(feed(&g, "", 0, NULL, 0), 0);
    assert_pieces(&g, 0);
    got_free(&g);
    got_init(&g);
    assert_int_equal(feed(&g, " \n\t\r\n", 5, NULL, 0), 0);
    assert_pieces(&g, 0);
    got_free(&g);
}

/* ---- Bundles ---- */

static void test_split_bundle_entries(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-bundle.json"), 0);
    assert_pieces(&g, 9);
    /* Bundle members other than entry: to check, one level down. */
    assert_piece(&g, 0, QPP_PIECE_CHECK, 3, 11, 1, NULL, "\"collection\"");
    /* Entry members other than resource, three levels down. */
    assert_piece(&g, 1, QPP_PIECE_CHECK, 6, 18, 3, NULL, "\"urn:uuid:1\"");
    /* Each resource at its '{', under /entry/i/resource. */
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 7, 19, 3, "/entry/0/resource",
                 "{\"resourceType\": \"Patient\", \"id\": \"a\"}");
    assert_piece(&g, 3, QPP_PIECE_RESOURCE, 9, 18, 3, "/entry/1/resource",
                 "{\n        \"resourceType\": \"Observation\", \"id\": \"b\"}");
    assert_piece(&g, 4, QPP_PIECE_CHECK, 10, 62, 3, NULL, "{\"mode\": \"match\"}");
    /* Entry 2 is {}: nothing.  Entry 3 has no resource, entry 4 a null one. */
    assert_piece(&g, 5, QPP_PIECE_CHECK, 12, 17, 3, NULL, "\"urn:uuid:4\"");
    assert_piece(&g, 6, QPP_PIECE_CHECK, 13, 18, 3, "/entry/4/resource", "null");
    assert_piece(&g, 7, QPP_PIECE_RESOURCE, 15, 7, 3, "/entry/5/resource",
                 "{\"resourceType\": \"Patient\", \"id\": \"c\"}");
    assert_piece(&g, 8, QPP_PIECE_CHECK, 18, 12, 1, NULL, "3");
    got_free(&g);
}

static void test_split_bundle_entries_without_resource_give_no_resource(void **state)
{
    static struct got g;
    size_t i, n = 0;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-bundle.json"), 0);
    for (i = 0; i < g.n; i++)
        if (g.p[i].kind == QPP_PIECE_RESOURCE)
            n++;
    assert_int_equal(n, 3); /* entries 0, 1 and 5 */
    got_free(&g);
}

static void test_split_check_piece_pointer_names_the_member(void **state)
{
    static struct got g;

    (void)state;
    /* split.h: the pointer goes "from the file's value to the piece", as it
     * does for a null resource (/entry/4/resource). */
    assert_int_equal(split_fixture(&g, "split-bundle.json"), 0);
    assert_pieces(&g, 9);
    assert_string_equal(g.p[0].pointer, "/type");
    assert_string_equal(g.p[1].pointer, "/entry/0/fullUrl");
    assert_string_equal(g.p[4].pointer, "/entry/1/search");
    assert_string_equal(g.p[8].pointer, "/total");
    got_free(&g);
}

static void test_split_nested_bundles(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-nested-bundle.json"), 0);
    assert_pieces(&g, 5);
    assert_piece(&g, 0, QPP_PIECE_CHECK, 1, 36, 1, NULL, "\"batch-response\"");
    assert_piece(&g, 1, QPP_PIECE_CHECK, 2, 50, 4, NULL, "\"searchset\"");
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 3, 17, 6,
                 "/entry/0/resource/entry/0/resource",
                 "{\"resourceType\": \"MeasureReport\", \"id\": \"m1\"}");
    assert_piece(&g, 3, QPP_PIECE_RESOURCE, 4, 67, 9,
                 "/entry/0/resource/entry/1/resource/entry/0/resource",
                 "{\"resourceType\": \"Patient\", \"id\": \"deep\"}");
    assert_piece(&g, 4, QPP_PIECE_RESOURCE, 6, 15, 3, "/entry/1/resource",
                 "{\"resourceType\": \"Organization\", \"id\": \"o1\"}");
    got_free(&g);
}

static void test_split_bundle_naming_its_type_later_streams(void **state)
{
    static struct got g;

    (void)state;
    /* Was one piece (the whole Bundle in memory); now opened as it comes. */
    assert_int_equal(split_fixture(&g, "split-bundle-type-last.json"), 0);
    assert_pieces(&g, 3);
    assert_piece(&g, 0, QPP_PIECE_CHECK, 1, 10, 1, NULL, "\"collection\"");
    assert_piece(&g, 1, QPP_PIECE_RESOURCE, 1, 47, 3, "/entry/0/resource",
                 "{\"resourceType\": \"Patient\"}");
    assert_piece(&g, 2, QPP_PIECE_CHECK, 1, 94, 1, NULL, "\"Bundle\"");
    got_free(&g);
}

/* Sorted keys (jq -S): entry before resourceType, in any chunking. */
static void test_split_sorted_bundle_streams_in_any_chunks(void **state)
{
    static const char text[] =
        "{\"entry\":[{\"fullUrl\":\"u\",\"resource\":{\"id\":\"p\",\"resourceType\":"
        "\"Patient\"}}],\"id\":\"b\",\"resourceType\":\"Bundle\",\"type\":"
        "\"collection\"}";
    static const size_t sizes[] = {1, 2, 3, 7};
    static struct got g;
    size_t k;

    (void)state;
    for (k = 0; k <= 4; k++) {
        got_init(&g);
        assert_int_equal(feed(&g, text, strlen(text), k < 4 ? &sizes[k] : NULL, 1), 0);
        assert_pieces(&g, 5);
        assert_piece(&g, 0, QPP_PIECE_CHECK, 1, 22, 3, NULL, "\"u\"");
        assert_piece(&g, 1, QPP_PIECE_RESOURCE, 1, 37, 3, "/entry/0/resource",
                     "{\"id\":\"p\",\"resourceType\":\"Patient\"}");
        assert_piece(&g, 2, QPP_PIECE_CHECK, 1, 80, 1, NULL, "\"b\"");
        assert_piece(&g, 3, QPP_PIECE_CHECK, 1, 99, 1, NULL, "\"Bundle\"");
        assert_piece(&g, 4, QPP_PIECE_CHECK, 1, 115, 1, NULL, "\"collection\"");
        got_free(&g);
    }
}

/* Entries before a resourceType that is not "Bundle": said; entries but no
 * resourceType: not a resource, placed at its brace. */
static void test_split_entry_first_but_not_a_bundle(void **state)
{
    static const char list[] =
        "{\"entry\":[{\"item\":{}}],\"resourceType\":\"List\"}\n{\"entry\":[]}";
    static struct got g;

    (void)state;
    got_init(&g);
    assert_int_equal(feed(&g, list, strlen(list), NULL, 0), 0);
    assert_pieces(&g, 3);
    assert_piece(&g, 0, QPP_PIECE_CHECK, 1, 19, 3, NULL, "{}");
    assert_piece(&g, 1, QPP_PIECE_INVALID, 1, 39, 1, NULL, "\"List\"");
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 2, 1, 1, "", "{}");
    got_free(&g);
}

/* A resource in sorted key order stays one piece, as does an object whose
 * first key is not resourceType and that has neither resourceType "Bundle"
 * nor entries; a Bundle named later is opened (here it ends early). */
static void test_split_sorted_resource_is_one_piece(void **state)
{
    static const char text[] =
        "{\"group\":[{\"id\":\"g\"}],\"id\":\"r\",\"resourceType\":\"MeasureReport\"}\n"
        "{\"id\":\"x\"}\n{\"id\":\"y\",\"resourceType\":\"Bundle\"";
    static const size_t one = 1;
    static struct got g;
    int chunked;

    (void)state;
    for (chunked = 0; chunked <= 1; chunked++) {
        got_init(&g);
        assert_int_equal(feed(&g, text, strlen(text), chunked ? &one : NULL, 1), -1);
        assert_pieces(&g, 5);
        assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 1, 0, "",
                     "{\"group\":[{\"id\":\"g\"}],\"id\":\"r\",\"resourceType\":"
                     "\"MeasureReport\"}");
        assert_piece(&g, 1, QPP_PIECE_RESOURCE, 2, 1, 0, "", "{\"id\":\"x\"}");
        assert_piece(&g, 2, QPP_PIECE_CHECK, 3, 7, 1, NULL, "\"y\"");
        assert_int_equal(g.p[4].kind, QPP_PIECE_ERROR);
        got_free(&g);
    }
}

static void test_split_bundle_mode_opens_a_bundle_in_any_key_order(void **state)
{
    static struct got g;
    size_t len;
    char *buf = fixture_bytes("split-bundle-type-last.json", &len);
    struct qpp_splitter *sp;

    (void)state;
    /* As the reader splits a Bundle from memory: it was found at 10:5, three
     * levels down, under /entry/2/resource. */
    got_init(&g);
    sp = qpp_split_new(take, &g, 1, 3, "/entry/2/resource", 10, 5);
    assert_non_null(sp);
    assert_int_equal(qpp_split_feed(sp, buf, len), 0);
    assert_int_equal(qpp_split_end(sp), 0);
    qpp_split_free(sp);
    free(buf);
    assert_pieces(&g, 3);
    assert_piece(&g, 0, QPP_PIECE_CHECK, 10, 14, 4, NULL, "\"collection\"");
    assert_piece(&g, 1, QPP_PIECE_RESOURCE, 10, 51, 6,
                 "/entry/2/resource/entry/0/resource", "{\"resourceType\": \"Patient\"}");
    assert_piece(&g, 2, QPP_PIECE_CHECK, 10, 98, 4, NULL, "\"Bundle\"");
    got_free(&g);
}

static void test_split_invalid_entries(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-bundle-invalid.json"), 0);
    assert_pieces(&g, 4);
    /* entry is an object, not an array. */
    assert_piece(&g, 0, QPP_PIECE_INVALID, 1, 37, 1, "/entry", "{\"resource\": {}}");
    /* Elements that are not objects; the one between still counts. */
    assert_piece(&g, 1, QPP_PIECE_INVALID, 2, 38, 2, "/entry/0", "5");
    assert_piece(&g, 2, QPP_PIECE_RESOURCE, 2, 54, 3, "/entry/1/resource",
                 "{\"resourceType\": \"Patient\"}");
    assert_piece(&g, 3, QPP_PIECE_INVALID, 2, 84, 2, "/entry/2", "\"x\"");
    got_free(&g);
}

static void test_split_resource_that_is_not_an_object(void **state)
{
    static struct got g;
    static const char in[] =
        "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":[1]}]}";

    (void)state;
    got_init(&g);
    assert_int_equal(feed(&g, in, sizeof in - 1, NULL, 0), 0);
    assert_pieces(&g, 1);
    /* Handed over as a resource, for the reader to say it is none. */
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 47, 3, "/entry/0/resource", "[1]");
    got_free(&g);
}

static void test_split_bundle_without_entries(void **state)
{
    static struct got g;
    static const char in[] = "{\"resourceType\":\"Bundle\",\"entry\":[]}\n"
                             "{\"resourceType\":\"Bundle\"}\n"
                             "{\"resourceType\":\"Patient\"}\n";

    (void)state;
    got_init(&g);
    assert_int_equal(feed(&g, in, sizeof in - 1, NULL, 0), 0);
    assert_pieces(&g, 1);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 3, 1, 0, "",
                 "{\"resourceType\":\"Patient\"}");
    got_free(&g);
}

static void test_split_bundle_entry_key_written_with_an_escape(void **state)
{
    static struct got g;
    static const char in[] =
        "{\"resourceType\":\"Bundle\",\"\\u0065ntry\":[{\"resource\":{\"id\":\"a\"}}]}";

    (void)state;
    /* "\u0065ntry" is the member entry to jansson: its resource is read. */
    got_init(&g);
    assert_int_equal(feed(&g, in, sizeof in - 1, NULL, 0), 0);
    assert_pieces(&g, 1);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 52, 3, "/entry/0/resource",
                 "{\"id\":\"a\"}");
    got_free(&g);
}

/* ---- syntax errors in a Bundle's frame ---- */

static void test_split_missing_comma_between_entries(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-error-missing-comma.json"), -1);
    assert_pieces(&g, 2);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 2, 16, 3, "/entry/0/resource", NULL);
    /* At the '{' where ',' or ']' belongs; nothing after it. */
    assert_piece(&g, 1, QPP_PIECE_ERROR, 3, 3, 2, NULL, "");
    got_free(&g);
}

static void test_split_missing_comma_between_members(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-error-member-comma.json"), -1);
    assert_pieces(&g, 2);
    assert_piece(&g, 0, QPP_PIECE_CHECK, 2, 10, 1, NULL, "\"collection\"");
    assert_piece(&g, 1, QPP_PIECE_ERROR, 3, 2, 1, NULL, "");
    got_free(&g);
}

static void test_split_entry_twice_is_a_duplicate_key(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-error-duplicate-entry.json"), -1);
    assert_pieces(&g, 2);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 51, 3, "/entry/0/resource", NULL);
    /* Where the second "entry" starts, as the scanner places duplicates. */
    assert_piece(&g, 1, QPP_PIECE_ERROR, 2, 2, 1, NULL, "");
    got_free(&g);
}

static void test_split_other_duplicate_keys_in_the_frame(void **state)
{
    static const struct {
        const char *in;
        int column;
    } cases[] = {
        {"{\"resourceType\":\"Bundle\",\"resourceType\":\"Bundle\"}", 26},
        {"{\"resourceType\":\"Bundle\",\"type\":\"a\",\"type\":\"b\"}", 37},
        {"{\"resourceType\":\"Bundle\",\"entry\":[],\"\\u0065ntry\":[]}", 37},
        {"{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":null,\"resource\":null}]"
         "}",
         52},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct got g;
        size_t k;

        got_init(&g);
        assert_int_equal(feed(&g, cases[i].in, strlen(cases[i].in), NULL, 0), -1);
        assert_true(g.n >= 1);
        k = g.n - 1;
        if (g.p[k].kind != QPP_PIECE_ERROR || g.p[k].line != 1 ||
            g.p[k].column != cases[i].column)
            fail_msg("%s: last piece %s at %d:%d, want ERROR at 1:%d", cases[i].in,
                     kind_names[g.p[k].kind], g.p[k].line, g.p[k].column,
                     cases[i].column);
        got_free(&g);
    }
}

static void test_split_premature_end_in_a_bundle(void **state)
{
    static struct got g;

    (void)state;
    assert_int_equal(split_fixture(&g, "split-error-truncated.json"), -1);
    assert_pieces(&g, 2);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 2, 16, 3, "/entry/0/resource", NULL);
    /* Just past the last character, the ','. */
    assert_piece(&g, 1, QPP_PIECE_ERROR, 2, 56, 2, NULL, "");
    got_free(&g);
}

static void test_split_other_frame_errors(void **state)
{
    static const struct {
        const char *in;
        int column;
    } cases[] = {
        /* ':' expected where the '[' is. */
        {"{\"resourceType\": \"Bundle\", \"entry\" []}", 36},
        /* A value expected after ',', at the ']'. */
        {"{\"resourceType\":\"Bundle\",\"entry\":[{},]}", 38},
        /* Keys are strings. */
        {"{\"resourceType\":\"Bundle\",5:1}", 26},
        /* ',' or '}' expected. */
        {"{\"resourceType\":\"Bundle\"]", 25},
        {"{\"resourceType\":\"Bundle\",\"entry\":[{}}", 37},
        /* Ends in the frame. */
        {"{\"resourceType\":\"Bundle\",\"entry\":[{}", 37},
        {"{\"resourceType\":\"Bundle\",", 26},
        {"{\"resourceType\":\"Bundle\",\"entry\":", 34},
    };
    size_t i, bad = 0;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        static struct got g;

        got_init(&g);
        assert_int_equal(feed(&g, cases[i].in, strlen(cases[i].in), NULL, 0), -1);
        if (g.n != 1 || g.p[0].kind != QPP_PIECE_ERROR || g.p[0].line != 1 ||
            g.p[0].column != cases[i].column) {
            print_message(
                "%s: %zu pieces, the first %s at %d:%d; want one ERROR at 1:%d\n",
                cases[i].in, g.n, g.n ? kind_names[g.p[0].kind] : "-",
                g.n ? g.p[0].line : 0, g.n ? g.p[0].column : 0, cases[i].column);
            bad++;
        }
        got_free(&g);
    }
    if (bad)
        fail_msg("%zu of the cases above are wrong", bad);
}

static void test_split_depth_limit_at_the_opening_brace(void **state)
{
    struct qpp_buf b;
    static struct got g;
    int i, n = 683;

    (void)state;
    /* Bundles inside Bundles: the entry object of the 683rd opens level
     * 3 * 683 = 2049, one past jansson's limit.  Each level of nesting is
     * 46 characters, the entry's '{' the 35th of them. */
    qpp_buf_init(&b);
    for (i = 0; i < n; i++)
        qpp_buf_add(&b, "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":");
    qpp_buf_add(&b, "{\"resourceType\":\"Patient\"}");
    for (i = 0; i < n; i++)
        qpp_buf_add(&b, "}]}");
    assert_false(b.failed);
    got_init(&g);
    assert_int_equal(feed(&g, b.s, b.len, NULL, 0), -1);
    qpp_buf_free(&b);
    assert_pieces(&g, 1);
    assert_int_equal(g.p[0].kind, QPP_PIECE_ERROR);
    assert_int_equal(g.p[0].line, 1);
    assert_int_equal(g.p[0].column, 46 * (n - 1) + 35);
    got_free(&g);
}

static void test_split_deepest_bundle_that_fits(void **state)
{
    struct qpp_buf b;
    static struct got g;
    int i, n = 682;

    (void)state;
    /* 682 Bundles: the Patient sits 2046 levels down. */
    qpp_buf_init(&b);
    for (i = 0; i < n; i++)
        qpp_buf_add(&b, "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":");
    qpp_buf_add(&b, "{\"resourceType\":\"Patient\"}");
    for (i = 0; i < n; i++)
        qpp_buf_add(&b, "}]}");
    assert_false(b.failed);
    got_init(&g);
    assert_int_equal(feed(&g, b.s, b.len, NULL, 0), 0);
    qpp_buf_free(&b);
    assert_pieces(&g, 1);
    assert_piece(&g, 0, QPP_PIECE_RESOURCE, 1, 46 * n + 1, 3 * n, NULL,
                 "{\"resourceType\":\"Patient\"}");
    got_free(&g);
}

/* ---- however the bytes arrive ---- */

static const char *const stream_fixtures[] = {
    "split-ndjson.ndjson",
    "split-pretty.json",
    "split-bundle.json",
    "split-nested-bundle.json",
    "split-bundle-type-last.json",
    "split-bundle-invalid.json",
    "split-error-missing-comma.json",
    "split-error-member-comma.json",
    "split-error-duplicate-entry.json",
    "split-error-truncated.json",
    "scan-report-full.json",
};

static void check_same_pieces(const char *name, const size_t *sizes, size_t nsizes,
                              const char *how)
{
    size_t len;
    char *buf = fixture_bytes(name, &len);
    static struct got whole, parts;

    got_init(&whole);
    got_init(&parts);
    feed(&whole, buf, len, NULL, 0);
    feed(&parts, buf, len, sizes, nsizes);
    free(buf);
    assert_false(whole.log.failed || parts.log.failed);
    if (strcmp(whole.log.s, parts.log.s) != 0) {
        print_message("whole:\n%s\n%s:\n%s\n", whole.log.s, how, parts.log.s);
        fail_msg("%s: pieces differ fed %s", name, how);
    }
    got_free(&whole);
    got_free(&parts);
}

static void test_split_a_byte_at_a_time_gives_the_same_pieces(void **state)
{
    static const size_t one[] = {1};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof stream_fixtures / sizeof stream_fixtures[0]; i++)
        check_same_pieces(stream_fixtures[i], one, 1, "a byte at a time");
}

static void test_split_small_fixed_chunks_give_the_same_pieces(void **state)
{
    size_t i, k;

    (void)state;
    for (k = 2; k <= 9; k++)
        for (i = 0; i < sizeof stream_fixtures / sizeof stream_fixtures[0]; i++)
            check_same_pieces(stream_fixtures[i], &k, 1, "in fixed chunks");
}

static void test_split_random_chunks_give_the_same_pieces(void **state)
{
    size_t sizes[64], i, k, seed;
    unsigned long long x;

    (void)state;
    for (seed = 1; seed <= 20; seed++) {
        x = seed * 0x9E3779B97F4A7C15ULL;
        for (k = 0; k < 64; k++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            sizes[k] = 1 + (size_t)((x >> 33) % 23);
        }
        for (i = 0; i < sizeof stream_fixtures / sizeof stream_fixtures[0]; i++)
            check_same_pieces(stream_fixtures[i], sizes, 64, "in random chunks");
    }
}

static void test_split_comma_at_the_end_of_a_chunk(void **state)
{
    static const char in[] = "{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":"
                             "{\"resourceType\":\"Patient\"}} , \n {\"resource\":"
                             "{\"resourceType\":\"Patient\",\"id\":\"2\"}},{}]}";
    size_t cut;

    (void)state;
    /* Two chunks, cut at every place: always the two resources. */
    for (cut = 0; cut <= sizeof in - 1; cut++) {
        static struct got g;
        size_t sizes[2] = {cut ? cut : 1, sizeof in};

        got_init(&g);
        if (feed(&g, in, sizeof in - 1, sizes, 2) != 0 || g.n != 2 ||
            g.p[0].kind != QPP_PIECE_RESOURCE || g.p[1].kind != QPP_PIECE_RESOURCE ||
            strcmp(g.p[1].pointer, "/entry/1/resource") != 0 || g.p[1].line != 2 ||
            g.p[1].column != 14)
            fail_msg("cut at %zu:\n%s", cut, g.log.s);
        got_free(&g);
    }
}

/* ---- stopping, and counting bytes ---- */

static void test_split_callback_can_stop(void **state)
{
    size_t len;
    char *buf = fixture_bytes("split-bundle.json", &len);
    struct qpp_splitter *sp;
    static struct got g;

    (void)state;
    got_init(&g);
    g.stop_at = 3; /* the first resource */
    sp = qpp_split_new(take, &g, 0, 0, "", 1, 1);
    assert_non_null(sp);
    assert_int_equal(qpp_split_feed(sp, buf, len), -1);
    assert_int_equal(g.n, 3);
    assert_false(qpp_split_nomem(sp));
    /* Stopped for good. */
    assert_int_equal(qpp_split_feed(sp, "{}", 2), -1);
    assert_int_equal(qpp_split_end(sp), -1);
    assert_int_equal(g.n, 3);
    qpp_split_free(sp);
    got_free(&g);
    free(buf);
}

static void test_split_callback_can_stop_on_the_last_piece(void **state)
{
    struct qpp_splitter *sp;
    static struct got g;

    (void)state;
    got_init(&g);
    g.stop_at = 1;
    sp = qpp_split_new(take, &g, 0, 0, "", 1, 1);
    assert_non_null(sp);
    assert_int_equal(qpp_split_feed(sp, "12", 2), 0); /* may go on: "123" */
    assert_int_equal(qpp_split_end(sp), -1);
    assert_int_equal(g.n, 1);
    qpp_split_free(sp);
    got_free(&g);
}

static void test_split_bytes_counts_what_was_taken(void **state)
{
    size_t len, first;
    char *buf = fixture_bytes("split-ndjson.ndjson", &len);
    struct qpp_splitter *sp;
    static struct got g;

    (void)state;
    first = (size_t)(strchr(buf, '\n') - buf) + 1;
    got_init(&g);
    sp = qpp_split_new(take, &g, 0, 0, "", 1, 1);
    assert_non_null(sp);
    assert_true(qpp_split_bytes(sp) == 0);
    /* The first line and half the second: the second is not taken yet. */
    assert_int_equal(qpp_split_feed(sp, buf, first + 10), 0);
    assert_int_equal(g.n, 1);
    assert_true(qpp_split_bytes(sp) == first + 2); /* its two spaces are */
    assert_int_equal(qpp_split_feed(sp, buf + first + 10, len - first - 10), 0);
    assert_int_equal(qpp_split_end(sp), 0);
    assert_true(qpp_split_bytes(sp) == len);
    qpp_split_free(sp);
    got_free(&g);
    free(buf);
}

static void test_split_bytes_of_a_bundle_fed_in_chunks(void **state)
{
    size_t len, off;
    char *buf = fixture_bytes("split-nested-bundle.json", &len);
    struct qpp_splitter *sp;
    static struct got g;
    unsigned long long last = 0;

    (void)state;
    got_init(&g);
    sp = qpp_split_new(take, &g, 0, 0, "", 1, 1);
    assert_non_null(sp);
    for (off = 0; off < len; off += 7) {
        size_t n = len - off < 7 ? len - off : 7;
        assert_int_equal(qpp_split_feed(sp, buf + off, n), 0);
        /* Never more than was given, never going back. */
        assert_true(qpp_split_bytes(sp) <= off + n);
        assert_true(qpp_split_bytes(sp) >= last);
        last = qpp_split_bytes(sp);
    }
    assert_int_equal(qpp_split_end(sp), 0);
    assert_true(qpp_split_bytes(sp) == len);
    qpp_split_free(sp);
    got_free(&g);
    free(buf);
}

static void test_split_new_and_free(void **state)
{
    static struct got g;
    struct qpp_splitter *sp;

    (void)state;
    got_init(&g);
    sp = qpp_split_new(take, &g, 0, 0, NULL, 1, 1);
    assert_non_null(sp);
    qpp_split_free(sp);
    qpp_split_free(NULL);
    assert_int_equal(g.n, 0);
    got_free(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_split_ndjson_one_piece_a_line, teardown),
        cmocka_unit_test_teardown(test_split_concatenated_pretty_values, teardown),
        cmocka_unit_test_teardown(test_split_values_without_white_space_between,
                                  teardown),
        cmocka_unit_test_teardown(test_split_truncated_last_value, teardown),
        cmocka_unit_test_teardown(test_split_empty_and_blank_input, teardown),
        cmocka_unit_test_teardown(test_split_bundle_entries, teardown),
        cmocka_unit_test_teardown(
            test_split_bundle_entries_without_resource_give_no_resource, teardown),
        cmocka_unit_test_teardown(test_split_check_piece_pointer_names_the_member,
                                  teardown),
        cmocka_unit_test_teardown(test_split_nested_bundles, teardown),
        cmocka_unit_test_teardown(test_split_bundle_naming_its_type_later_streams,
                                  teardown),
        cmocka_unit_test_teardown(test_split_sorted_bundle_streams_in_any_chunks,
                                  teardown),
        cmocka_unit_test_teardown(test_split_entry_first_but_not_a_bundle, teardown),
        cmocka_unit_test_teardown(test_split_sorted_resource_is_one_piece, teardown),
        cmocka_unit_test_teardown(test_split_bundle_mode_opens_a_bundle_in_any_key_order,
                                  teardown),
        cmocka_unit_test_teardown(test_split_invalid_entries, teardown),
        cmocka_unit_test_teardown(test_split_resource_that_is_not_an_object, teardown),
        cmocka_unit_test_teardown(test_split_bundle_without_entries, teardown),
        cmocka_unit_test_teardown(test_split_bundle_entry_key_written_with_an_escape,
                                  teardown),
        cmocka_unit_test_teardown(test_split_missing_comma_between_entries, teardown),
        cmocka_unit_test_teardown(test_split_missing_comma_between_members, teardown),
        cmocka_unit_test_teardown(test_split_entry_twice_is_a_duplicate_key, teardown),
        cmocka_unit_test_teardown(test_split_other_duplicate_keys_in_the_frame, teardown),
        cmocka_unit_test_teardown(test_split_premature_end_in_a_bundle, teardown),
        cmocka_unit_test_teardown(test_split_other_frame_errors, teardown),
        cmocka_unit_test_teardown(test_split_depth_limit_at_the_opening_brace, teardown),
        cmocka_unit_test_teardown(test_split_deepest_bundle_that_fits, teardown),
        cmocka_unit_test_teardown(test_split_a_byte_at_a_time_gives_the_same_pieces,
                                  teardown),
        cmocka_unit_test_teardown(test_split_small_fixed_chunks_give_the_same_pieces,
                                  teardown),
        cmocka_unit_test_teardown(test_split_random_chunks_give_the_same_pieces,
                                  teardown),
        cmocka_unit_test_teardown(test_split_comma_at_the_end_of_a_chunk, teardown),
        cmocka_unit_test_teardown(test_split_callback_can_stop, teardown),
        cmocka_unit_test_teardown(test_split_callback_can_stop_on_the_last_piece,
                                  teardown),
        cmocka_unit_test_teardown(test_split_bytes_counts_what_was_taken, teardown),
        cmocka_unit_test_teardown(test_split_bytes_of_a_bundle_fed_in_chunks, teardown),
        cmocka_unit_test_teardown(test_split_new_and_free, teardown),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
