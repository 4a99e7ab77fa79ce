/* SPDX-License-Identifier: MIT */
/*
 * Differential fuzz target: the splitter must hand over the same pieces
 * (bytes, places, pointers) whether the stream arrives whole or a few bytes
 * at a time, as it does from a pipe; and the same again when it is given
 * windows it does not own (qpp_split_window), each a new buffer holding the
 * bytes kept and the next few, the old one freed (so that a stale pointer
 * is caught under AddressSanitizer).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
    struct qpp_buf log; /* every piece, written out */
};

static int take(void *ctx, const struct qpp_piece *p)
{
    struct seen *s = ctx;

    qpp_buf_printf(&s->log, "%d %d:%d d%d t%d %s [%s] ", (int)p->kind, p->line, p->column,
                   p->depth, p->truncated, p->pointer, p->message ? p->message : "");
    qpp_buf_addn(&s->log, p->bytes, p->len);
    qpp_buf_add(&s->log, "\n");
    return 0;
}

static void run_windows(const uint8_t *data, size_t size, size_t step, struct seen *s)
{
    struct qpp_splitter *sp = qpp_split_new(take, s, 0, 0, "", 1, 1);
    char *win = NULL;
    size_t off = 0, len = 0;
    int rc = 0;

    if (!sp)
        abort();
    while (off < size && rc == 0) {
        size_t n = size - off < step ? size - off : step, kept = qpp_split_kept(sp);
        char *next = malloc(kept + n);
        if (!next)
            abort();
        if (kept && win)
            memcpy(next, win + len - kept, kept);
        memcpy(next + kept, data + off, n);
        free(win);
        win = next;
        len = kept + n;
        rc = qpp_split_window(sp, win, len);
        off += n;
    }
    if (rc == 0)
        qpp_split_end(sp);
    qpp_buf_printf(&s->log, "bytes %llu\n", rc == 0 ? qpp_split_bytes(sp) : 0ULL);
    qpp_split_free(sp);
    free(win);
}

static void run(const uint8_t *data, size_t size, size_t step, struct seen *s)
{
    struct qpp_splitter *sp = qpp_split_new(take, s, 0, 0, "", 1, 1);
    size_t off = 0;
    int rc = 0;

    if (!sp)
        abort();
    while (off < size && rc == 0) {
        size_t n = size - off < step ? size - off : step;
        rc = qpp_split_feed(sp, (const char *)data + off, n);
        off += n;
    }
    if (rc == 0)
        qpp_split_end(sp);
    qpp_buf_printf(&s->log, "bytes %llu\n", rc == 0 ? qpp_split_bytes(sp) : 0ULL);
    qpp_split_free(sp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct seen whole, pieces, windows;
    size_t step;

    if (size < 1)
        return 0;
    step = 1 + data[0] % 16;
    qpp_buf_init(&whole.log);
    qpp_buf_init(&pieces.log);
    qpp_buf_init(&windows.log);
    run(data + 1, size - 1, size, &whole);
    run(data + 1, size - 1, step, &pieces);
    run_windows(data + 1, size - 1, step, &windows);
    if (whole.log.failed || pieces.log.failed || windows.log.failed)
        abort();
    if (whole.log.len != pieces.log.len ||
        (whole.log.len && memcmp(whole.log.s, pieces.log.s, whole.log.len) != 0)) {
        fprintf(stderr, "whole:\n%s\nin steps of %zu:\n%s\n", whole.log.s, step,
                pieces.log.s);
        abort();
    }
    if (whole.log.len != windows.log.len ||
        (whole.log.len && memcmp(whole.log.s, windows.log.s, whole.log.len) != 0)) {
        fprintf(stderr, "whole:\n%s\nin windows of %zu new bytes:\n%s\n", whole.log.s,
                step, windows.log.s);
        abort();
    }
    qpp_buf_free(&whole.log);
    qpp_buf_free(&pieces.log);
    qpp_buf_free(&windows.log);
    return 0;
}
