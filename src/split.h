/* SPDX-License-Identifier: MIT */
/*
 * Splitting a byte stream into resources without holding it whole.  The
 * stream is one JSON value or several in a row (NDJSON too); a top-level
 * array is a list of resources (what fqm-execution's `reports` writes), each
 * handed over on its own; a Bundle whose first member is "resourceType":
 * "Bundle" is opened and its entries' resources handed over one by one
 * (Bundles inside Bundles too), while its other members are handed over to be
 * validated.  Any other value is handed over whole, to be scanned (scan.h); a
 * Bundle that names its type later is split from memory by the reader.
 *
 * A searchset Bundle that is one page of its search (a `next` link, or a
 * `total` above its match entries) is said with a FINDING piece when the
 * Bundle closes; so are XML input and input that ends inside a value.
 */
#ifndef QPP_SPLIT_H
#define QPP_SPLIT_H

#include <stddef.h>

enum qpp_piece_kind {
    QPP_PIECE_RESOURCE, /* a resource, or a value that should be one */
    QPP_PIECE_CHECK,    /* a member of a Bundle's frame: validate only */
    QPP_PIECE_INVALID,  /* an entry or entry list of the wrong type: validate, report */
    QPP_PIECE_ERROR,    /* a syntax error in a Bundle's frame: report, stop */
    QPP_PIECE_FINDING   /* a finding about the input: bytes hold the message */
};

struct qpp_piece {
    enum qpp_piece_kind kind;
    const char *bytes; /* valid during the callback only */
    size_t len;
    int line, column;    /* where the piece starts (or the error is) */
    int depth;           /* nesting depth of the piece in its file */
    const char *pointer; /* from the file's value to the piece, "" at the top */
    const char *message; /* INVALID and ERROR */
    int truncated;       /* the bytes end before the value does */
    /* ERROR and FINDING: the diagnostic code (enum qpp_code); 0 for ERROR
     * means json-syntax.  With truncated: the input ended inside the value. */
    int code;
};

/* Returns 0 to go on, -1 to stop (out of memory, or no point reading on). */
typedef int (*qpp_piece_fn)(void *ctx, const struct qpp_piece *p);

struct qpp_splitter;

/* bundle: the bytes are one Bundle object (whatever its key order), to split
 * into its entries; depth, pointer, line and column place its start. */
struct qpp_splitter *qpp_split_new(qpp_piece_fn fn, void *ctx, int bundle, int depth,
                                   const char *pointer, int line, int column);
void qpp_split_free(struct qpp_splitter *sp);

/* Hand over the next bytes, then the end.  Each returns 0, or -1 when the
 * callback asked to stop, a syntax error in a Bundle's frame was reported,
 * or memory ran out (then *nomem is set). */
int qpp_split_feed(struct qpp_splitter *sp, const char *data, size_t len);
int qpp_split_end(struct qpp_splitter *sp);

/* Or, without a copy, windows the caller owns (not both ways for one
 * splitter): qpp_split_window makes win[0..len) the window and splits what
 * it can.  Its first qpp_split_kept() bytes must be the last that many of
 * the window before (the splitter still needs them), the rest new bytes.
 * Pieces point into the window: the caller keeps it while it uses them.
 * Returns as qpp_split_feed (and -1 when len is too short). */
size_t qpp_split_kept(const struct qpp_splitter *sp);
int qpp_split_window(struct qpp_splitter *sp, const char *win, size_t len);
int qpp_split_nomem(const struct qpp_splitter *sp);

/* How many top-level JSON values the stream has held so far. */
unsigned long long qpp_split_values(const struct qpp_splitter *sp);

/* How many bytes have been handed over (for progress). */
unsigned long long qpp_split_bytes(const struct qpp_splitter *sp);

#endif
