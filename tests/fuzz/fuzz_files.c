/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: one input cut into up to four files, read as a list of
 * files (qpp_run_read_files: one crew of threads for all of them), with
 * perhaps a file that cannot be opened and a directory (a read error)
 * among them.  Read with one thread and with three, the run must say the
 * same: the same diagnostics in the same order and the same output.  Any
 * difference aborts; so do crashes, leaks and undefined behaviour.
 *
 * The first byte chooses: bits 0-1 how many files (1 to 4), bit 2 a
 * missing file after the first, bit 3 a directory last, bit 4 --summary
 * (the files' digests); the next three bytes where the cuts are.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "qppbuild.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 4

static char dir[64];
static char names[MAX_FILES][96];

static void remove_files(void)
{
    int i;

    for (i = 0; i < MAX_FILES; i++)
        unlink(names[i]);
    rmdir(dir);
}

/* The directory the files are written in, made once. */
static int make_dir(void)
{
    const char *tmp = getenv("TMPDIR");
    int i;

    if (dir[0])
        return 0;
    snprintf(dir, sizeof dir, "%s/qppfuzz-XXXXXX",
             tmp && strlen(tmp) < 40 ? tmp : "/tmp");
    if (!mkdtemp(dir)) {
        dir[0] = '\0';
        return -1;
    }
    for (i = 0; i < MAX_FILES; i++)
        snprintf(names[i], sizeof names[i], "%s/f%d.json", dir, i);
    atexit(remove_files);
    return 0;
}

static int write_file(const char *name, const uint8_t *p, size_t n)
{
    FILE *fp = fopen(name, "wb");
    int ok;

    if (!fp)
        return -1;
    ok = fwrite(p, 1, n, fp) == n;
    return fclose(fp) == 0 && ok ? 0 : -1;
}

/* What a run said: its diagnostics and its output, as one text. */
static char *run(const char *const *list, int n, int jobs, int summary)
{
    struct qpp_options o;
    struct qpp_diags d;
    struct qpp_run *r;
    json_t *out = NULL;
    char *text = NULL, *s = NULL;
    size_t len = 0, i;
    FILE *fp = open_memstream(&text, &len);

    if (!fp)
        abort();
    qpp_options_init(&o);
    o.jobs = jobs;
    o.summary = summary;
    qpp_diags_init(&d);
    r = qpp_run_new(&o, &d);
    if (!r)
        abort();
    fprintf(fp, "read %d\n", qpp_run_read_files(r, list, n));
    fprintf(fp, "build %d\n", qpp_run_build(r, &out));
    if (out && (s = json_dumps(out, JSON_SORT_KEYS | JSON_COMPACT)) != NULL)
        fprintf(fp, "%s\n", s);
    free(s);
    for (i = 0; i < d.len; i++) {
        char *t = qpp_diag_text(&d.v[i]);
        fprintf(fp, "%s\n", t ? t : "(no text)");
        free(t);
    }
    json_decref(out);
    qpp_run_free(r);
    qpp_diags_free(&d);
    fclose(fp);
    return text;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *list[MAX_FILES + 2];
    size_t cut[MAX_FILES + 1], rest;
    int nfiles, n = 0, i;
    char *one, *three;

    if (size < 4 || make_dir() < 0)
        return 0;
    nfiles = 1 + (data[0] & 3);
    rest = size - 4;
    cut[0] = 4;
    for (i = 1; i < nfiles; i++) {
        size_t at = 4 + rest * data[i] / 256;
        cut[i] = at < cut[i - 1] ? cut[i - 1] : at;
    }
    cut[nfiles] = size;
    for (i = 0; i < nfiles; i++) {
        if (write_file(names[i], data + cut[i], cut[i + 1] - cut[i]) < 0)
            return 0;
        list[n++] = names[i];
        if (i == 0 && (data[0] & 4))
            list[n++] = "/nonexistent/qppfuzz.json";
    }
    if (data[0] & 8)
        list[n++] = dir; /* opens, then fails to read */
    one = run(list, n, 1, (data[0] & 16) != 0);
    three = run(list, n, 3, (data[0] & 16) != 0);
    if (strcmp(one, three) != 0) {
        fprintf(stderr, "-j 1 and -j 3 differ:\n--- -j 1\n%s--- -j 3\n%s", one, three);
        abort();
    }
    free(one);
    free(three);
    return 0;
}
