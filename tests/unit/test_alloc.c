/* SPDX-License-Identifier: MIT */
/*
 * Failing allocations: a whole run (reading summary and individual reports,
 * building, writing) is repeated with allocation number N failing, for every
 * N until a run needs fewer.  Each failing run must say it ran out of memory
 * and give no output; none may crash, and under ASan or valgrind none may
 * leak.  QPP_ALLOC_STRIDE=k tries every k-th N (for slow valgrind runs).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "alloc.h"
#include "qppbuild.h"
#include "summary.h"
#include "testutil.h"

static const char *const inputs[] = {
    "../../examples/group-2023/input/organization.json",
    "../../examples/group-2023/input/library.json",
    "../../examples/group-2023/input/measures.json",
    "../../examples/group-2023/input/reports.ndjson",
};

/* What a run writes: the submission, the summaries (--summary), or the
 * provenance Bundle of the submission (--provenance). */
static enum { SUBMISSION, SUMMARY, PROVENANCE } mode;

struct outcome {
    int ok;      /* built */
    int nomem;   /* said it ran out of memory */
    char *bytes; /* the output, when built */
};

static void run(const char *const *files, size_t nfiles, int year, int jobs,
                struct outcome *o)
{
    struct qpp_options opt;
    struct qpp_diags d;
    struct qpp_run *r;
    json_t *out = NULL;
    size_t i;
    int rc = 0;

    qpp_options_init(&opt);
    opt.year = year;
    opt.jobs = jobs;
    if (year == 2025) {
        opt.no_program_library = 1;
        opt.entity_type = "apm";
        opt.entity_id = "A1";
        opt.cehrt_id = "0015CABCDEF1234";
    }
    qpp_diags_init(&d);
    memset(o, 0, sizeof *o);
    opt.summary = mode == SUMMARY;
    r = qpp_run_new(&opt, &d);
    for (i = 0; r && i < nfiles && rc == 0; i++) {
        size_t len;
        char *buf = fixture_bytes(files[i], &len);
        rc = qpp_run_read_buffer(r, buf, len, files[i]);
        free(buf);
    }
    if (r && rc == 0 && !qpp_diags_io_failed(&d) && qpp_run_build(r, &out) == 0) {
        /* Writing the bytes out is part of the run (main.c exits 3 when it fails). */
        o->bytes = mode == SUMMARY ? qpp_summary_dumps(out) : qpp_write_dumps(out, 1);
        if (mode == PROVENANCE && o->bytes) {
            json_t *b = qpp_run_provenance(r, o->bytes, strlen(o->bytes), 0);
            qpp_free(o->bytes);
            o->bytes = b ? qpp_write_dumps(b, 1) : NULL;
            json_decref(b);
        }
        o->ok = o->bytes != NULL;
    }
    o->nomem = !r || qpp_diags_io_failed(&d) || (out && !o->bytes);
    json_decref(out);
    qpp_run_free(r);
    qpp_diags_free(&d);
}

/* With one job the allocations come in the same order every run, so every
 * N is tried.  With threads they do not; then every k-th N is, to show that
 * a failure in a worker thread ends the run as cleanly. */
static void every_failure(const char *const *files, size_t nfiles, int year, int jobs,
                          int once)
{
    struct outcome ref, o;
    unsigned long n, stride = 1, made;
    const char *s = getenv("QPP_ALLOC_STRIDE");

    if (s && atoi(s) > 0)
        stride = (unsigned long)atoi(s);
    if (jobs > 1)
        stride *= 13;
    run(files, nfiles, year, jobs, &ref);
    assert_true(ref.ok);
    assert_non_null(ref.bytes);
    for (n = 1;; n += stride) {
        if (once)
            qpp_alloc_fail_once(n);
        else
            qpp_alloc_fail_at(n);
        run(files, nfiles, year, jobs, &o);
        made = qpp_alloc_fail_at(0);
        if (made < n) { /* nothing failed: the run is whole again */
            assert_true(o.ok);
            assert_string_equal(o.bytes, ref.bytes);
            free(o.bytes);
            break;
        }
        if (o.ok || !o.nomem)
            fail_msg("allocation %lu failed, yet the run %s", n,
                     o.ok ? "wrote output" : "did not say it ran out of memory");
        free(o.bytes);
    }
    free(ref.bytes);
}

static void test_alloc_every_failure_in_a_summary_run_is_out_of_memory(void **state)
{
    (void)state;
    every_failure(inputs, sizeof inputs / sizeof inputs[0], 0, 1, 0);
}

/* One failed allocation, and all after it succeeding: no path may recover
 * silently and write a submission missing what it could not keep. */
static void test_alloc_a_lone_failure_is_out_of_memory(void **state)
{
    static const char *const individual[] = {"alloc-individual.ndjson"};

    (void)state;
    every_failure(inputs, sizeof inputs / sizeof inputs[0], 0, 1, 1);
    every_failure(individual, 1, 2025, 1, 1);
    every_failure(individual, 1, 2025, 3, 1);
}

static void test_alloc_every_failure_in_a_patient_level_run_is_out_of_memory(void **state)
{
    static const char *const individual[] = {"alloc-individual.ndjson"};

    (void)state;
    every_failure(individual, 1, 2025, 1, 0);
}

static void test_alloc_failures_in_worker_threads_are_out_of_memory(void **state)
{
    static const char *const individual[] = {"alloc-individual.ndjson"};

    (void)state;
    every_failure(individual, 1, 2025, 3, 0);
}

/* --summary and --provenance: their summaries, digests and Bundle too. */
static void
test_alloc_every_failure_in_summary_and_provenance_is_out_of_memory(void **state)
{
    static const char *const individual[] = {"alloc-individual.ndjson"};

    (void)state;
    mode = SUMMARY;
    every_failure(inputs, sizeof inputs / sizeof inputs[0], 0, 1, 0);
    every_failure(individual, 1, 2025, 1, 1);
    mode = PROVENANCE;
    every_failure(inputs, sizeof inputs / sizeof inputs[0], 0, 1, 0);
    every_failure(individual, 1, 2025, 1, 1);
    mode = SUBMISSION;
}

/* A window's memory: counted as any allocation, and on a system with
 * transparent huge pages aligned for them, whatever its size. */
static void test_alloc_pages_are_counted_and_aligned(void **state)
{
    size_t sizes[] = {1, QPP_HUGE_PAGE, 3 * QPP_HUGE_PAGE + 5};
    size_t i;

    (void)state;
    for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        unsigned char *p = qpp_alloc_pages(sizes[i]);

        assert_non_null(p);
#ifdef __linux__
        assert_int_equal((uintptr_t)p % QPP_HUGE_PAGE, 0);
#endif
        memset(p, 0xA5, sizes[i]); /* all of it is ours */
        assert_int_equal(p[sizes[i] - 1], 0xA5);
        qpp_free_pages(p, sizes[i]);
    }
    qpp_alloc_fail_once(2);
    qpp_free(qpp_malloc(8));
    assert_null(qpp_alloc_pages(QPP_HUGE_PAGE));
    assert_int_equal(qpp_alloc_fail_once(0), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_alloc_every_failure_in_a_summary_run_is_out_of_memory),
        cmocka_unit_test(
            test_alloc_every_failure_in_a_patient_level_run_is_out_of_memory),
        cmocka_unit_test(test_alloc_failures_in_worker_threads_are_out_of_memory),
        cmocka_unit_test(test_alloc_a_lone_failure_is_out_of_memory),
        cmocka_unit_test(
            test_alloc_every_failure_in_summary_and_provenance_is_out_of_memory),
        cmocka_unit_test(test_alloc_pages_are_counted_and_aligned),
    };

    qpp_alloc_setup();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
