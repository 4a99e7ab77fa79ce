/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: one input through the whole conversion (reading with two
 * threads, index, mapping, checks, output, its provenance Bundle), then through the
 * pre-score, then through --summary.  Any crash, leak or undefined
 * behaviour is a bug; diagnostics are the expected answer to bad input.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qppbuild.h"
#include "summary.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum mode { CONVERT, PRE_SCORE, SUMMARY };

/* One run: the conversion and its provenance, the preview (JSON and text),
 * or the summaries. */
static void run(const uint8_t *data, size_t size, enum mode mode)
{
    struct qpp_options o;
    struct qpp_diags d;
    struct qpp_run *run;
    json_t *out = NULL;
    size_t i;

    qpp_options_init(&o);
    o.jobs = mode == CONVERT ? 2 : 1; /* the threads' way and the lone one */
    o.score.enabled = mode == PRE_SCORE;
    o.summary = mode == SUMMARY;
    qpp_diags_init(&d);
    run = qpp_run_new(&o, &d);
    if (run && qpp_run_read_buffer(run, (const char *)data, size, "fuzz") == 0 &&
        qpp_run_build(run, &out) == 0) {
        char *s = mode == SUMMARY ? qpp_summary_dumps(out) : qpp_write_dumps(out, 0);
        if (mode == CONVERT && s) {
            json_t *b = qpp_run_provenance(run, s, strlen(s), 0);
            json_decref(b);
        }
        free(s);
        if (mode == PRE_SCORE) {
            s = qpp_score_text(out);
            free(s);
        }
    }
    for (i = 0; i < d.len; i++) {
        char *t = qpp_diag_text(&d.v[i]);
        json_t *j = qpp_diag_json(&d.v[i]);
        free(t);
        json_decref(j);
    }
    json_decref(out);
    qpp_run_free(run);
    qpp_diags_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(data, size, CONVERT);
    run(data, size, PRE_SCORE);
    run(data, size, SUMMARY);
    return 0;
}
