/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: one input through the whole conversion (reading, index,
 * mapping, checks, output), then through the pre-score.  Any crash, leak or undefined
 * behaviour is a bug; diagnostics are the expected answer to bad input.
 */
#include <stdint.h>
#include <stdlib.h>

#include "qppbuild.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One run: the conversion, or with pre_score its preview (JSON and text). */
static void run(const uint8_t *data, size_t size, int pre_score)
{
    struct qpp_options o;
    struct qpp_diags d;
    struct qpp_run *run;
    json_t *out = NULL;
    size_t i;

    qpp_options_init(&o);
    o.score.enabled = pre_score;
    qpp_diags_init(&d);
    run = qpp_run_new(&o, &d);
    if (run && qpp_run_read_buffer(run, (const char *)data, size, "fuzz") == 0 &&
        qpp_run_build(run, &out) == 0) {
        char *s = qpp_write_dumps(out, 0);
        free(s);
        if (pre_score) {
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
    run(data, size, 0);
    run(data, size, 1);
    return 0;
}
