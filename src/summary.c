/* SPDX-License-Identifier: MIT */
/* Summary MeasureReports and the partial-sum extension; see summary.h. */
#include "summary.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define POPULATION_SYSTEM "http://terminology.hl7.org/CodeSystem/measure-population"
#define TIN_SYSTEM        "urn:oid:2.16.840.1.113883.4.4"
#define DIGEST_PREFIX     "sha256:"

void qpp_partial_free(struct qpp_partial *p)
{
    if (!p)
        return;
    qpp_free(p->digests);
    qpp_free(p);
}

static int cmp_digest(const void *a, const void *b)
{
    return memcmp(a, b, QPP_SHA256_LEN);
}

/* "sha256:" and 64 lower-case hex digits, into d.  -1 when s is not. */
static int parse_digest(const char *s, unsigned char d[QPP_SHA256_LEN])
{
    size_t i, n = strlen(DIGEST_PREFIX);

    if (!s || strncmp(s, DIGEST_PREFIX, n) != 0 || strlen(s + n) != QPP_SHA256_HEX)
        return -1;
    for (i = 0; i < QPP_SHA256_HEX; i++) {
        char c = s[n + i];
        int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (v < 0)
            return -1;
        if (i % 2 == 0)
            d[i / 2] = (unsigned char)(v << 4);
        else
            d[i / 2] |= (unsigned char)v;
    }
    return 0;
}

/* A valueUnsignedInt (least 0) or valuePositiveInt (least 1) into *n; -1
 * when absent or not one. */
static int int_value(const struct qpp_jv *e, const char *type, long long least, size_t *n)
{
    const struct qpp_jv *v = qpp_jv_get(e, type);

    if (!qpp_jv_is(v, QPP_J_INTEGER) || qpp_jv_integer(v) < least ||
        qpp_jv_integer(v) > INT32_MAX)
        return -1;
    *n = (size_t)qpp_jv_integer(v);
    return 0;
}

/* The problem with the extension e (numbered k) of the report, or NULL;
 * digests are added to p.  *nomem on failure to grow. */
static const char *read_ext(const struct qpp_jv *e, struct qpp_partial *p, size_t *cap,
                            int *nomem, char *ptr, size_t ptrlen, size_t k)
{
    const struct qpp_jv *subs = qpp_jv_get(e, "extension"), *s;
    int digests = 0, reports = 0, tests = 0;
    size_t i;

    snprintf(ptr, ptrlen, "/extension/%zu", k);
    if (!qpp_jv_is(subs, QPP_J_ARRAY))
        return "the partial-sum extension has no extensions inside";
    qpp_jv_foreach(subs, i, s)
    {
        const char *url = qpp_jv_string(qpp_jv_get(s, "url"));

        snprintf(ptr, ptrlen, "/extension/%zu/extension/%zu", k, i);
        if (qpp_streq(url, "digest")) {
            if (qpp_grow((void **)&p->digests, cap, p->ndigests + 1, sizeof *p->digests) <
                0) {
                *nomem = 1;
                return NULL;
            }
            if (parse_digest(qpp_jv_string(qpp_jv_get(s, "valueString")),
                             p->digests[p->ndigests]) < 0)
                return "a partial-sum digest is not a valueString sha256: and 64 "
                       "lower-case hex digits";
            p->ndigests++;
            digests++;
        } else if (qpp_streq(url, "reports")) {
            if (reports++ || int_value(s, "valuePositiveInt", 1, &p->nreports) < 0)
                return "a partial sum's reports is not one valuePositiveInt";
        } else if (qpp_streq(url, "testCases")) {
            if (tests++ || int_value(s, "valueUnsignedInt", 0, &p->ntest) < 0)
                return "a partial sum's testCases is not one valueUnsignedInt";
        } else {
            return "an extension the partial sum does not define";
        }
    }
    snprintf(ptr, ptrlen, "/extension/%zu", k);
    if (!digests)
        return "the partial sum carries no digest";
    qsort(p->digests, p->ndigests, sizeof *p->digests, cmp_digest);
    for (i = 1; i < p->ndigests; i++)
        if (memcmp(p->digests[i - 1], p->digests[i], QPP_SHA256_LEN) == 0)
            return "the partial sum names one digest twice";
    return NULL;
}

int qpp_partial_read(const struct qpp_jv *mr, const struct qpp_place *at,
                     struct qpp_partial **out, struct qpp_diags *d)
{
    const struct qpp_jv *exts = qpp_jv_get(mr, "extension"), *e;
    struct qpp_partial *p = NULL;
    const char *why = NULL;
    size_t i, cap = 0;
    int nomem = 0;
    char ptr[64];

    *out = NULL;
    qpp_jv_foreach(exts, i, e)
    {
        if (!qpp_streq(qpp_jv_string(qpp_jv_get(e, "url")), QPP_PARTIAL_SUM_URL))
            continue;
        if (p) {
            snprintf(ptr, sizeof ptr, "/extension/%zu", i);
            why = "a second partial-sum extension";
            break;
        }
        if (!(p = qpp_calloc(1, sizeof *p)))
            return -1;
        p->nreports = 1;
        if ((why = read_ext(e, p, &cap, &nomem, ptr, sizeof ptr, i)) != NULL || nomem)
            break;
    }
    if (nomem) {
        qpp_partial_free(p);
        return -1;
    }
    if (why) {
        qpp_diag(d, QPP_REPORT_INVALID, at, ptr, "%s", why);
        qpp_partial_free(p);
        return 1;
    }
    *out = p;
    return 0;
}

int qpp_partial_merge(struct qpp_partial *a, const struct qpp_partial *b)
{
    unsigned char(*v)[QPP_SHA256_LEN];
    size_t i, j, k;

    for (i = 0, j = 0; i < a->ndigests && j < b->ndigests;) {
        int c = memcmp(a->digests[i], b->digests[j], QPP_SHA256_LEN);
        if (c == 0)
            return 1;
        if (c < 0)
            i++;
        else
            j++;
    }
    if (!b->ndigests)
        return 0;
    v = qpp_calloc(a->ndigests + b->ndigests, sizeof *v);
    if (!v)
        return -1;
    for (i = 0, j = 0, k = 0; i < a->ndigests || j < b->ndigests; k++) {
        if (j == b->ndigests ||
            (i < a->ndigests && memcmp(a->digests[i], b->digests[j], QPP_SHA256_LEN) < 0))
            memcpy(v[k], a->digests[i++], QPP_SHA256_LEN);
        else
            memcpy(v[k], b->digests[j++], QPP_SHA256_LEN);
    }
    qpp_free(a->digests);
    a->digests = v;
    a->ndigests = k;
    return 0;
}

/* ---- writing ---- */

/* obj[key] = v; nonzero on failure (v freed). */
static int set(json_t *o, const char *key, json_t *v)
{
    return json_object_set_new(o, key, v);
}

/* {url, type: v}; v is stolen. */
static json_t *sub_extension(const char *url, const char *type, json_t *v)
{
    json_t *e = json_object();

    if (!e || set(e, "url", json_string(url))) {
        json_decref(v);
        json_decref(e);
        return NULL;
    }
    if (set(e, type, v)) {
        json_decref(e);
        return NULL;
    }
    return e;
}

static json_t *partial_extension(const struct qpp_partial *p)
{
    json_t *e = json_object(), *subs = NULL;
    char hex[QPP_SHA256_HEX + 1], text[sizeof DIGEST_PREFIX + sizeof hex];
    size_t i;
    int bad;

    /* Each value is made where it is set, and stolen by its container (which
     * frees it on failure); subs stays valid while e holds it. */
    bad = !e || set(e, "url", json_string(QPP_PARTIAL_SUM_URL)) ||
          set(e, "extension", (subs = json_array()));
    for (i = 0; !bad && i < p->ndigests; i++) {
        qpp_sha256_hex(p->digests[i], hex);
        snprintf(text, sizeof text, "%s%s", DIGEST_PREFIX, hex);
        bad = json_array_append_new(
            subs, sub_extension("digest", "valueString", json_string(text)));
    }
    if (!bad && p->nreports > 0 && p->nreports <= INT32_MAX)
        bad = json_array_append_new(subs,
                                    sub_extension("reports", "valuePositiveInt",
                                                  json_integer((json_int_t)p->nreports)));
    if (!bad && p->ntest > 0 && p->ntest <= INT32_MAX)
        bad = json_array_append_new(subs,
                                    sub_extension("testCases", "valueUnsignedInt",
                                                  json_integer((json_int_t)p->ntest)));
    if (bad) {
        json_decref(e);
        return NULL;
    }
    return e;
}

/* "qppbuild-<measureId>-<16 hex of the digests' digest>": unique per
 * measure and shard, and at most 64 characters as FHIR ids must be. */
static void make_id(const struct qpp_summary *s, char *id, size_t n)
{
    struct qpp_sha256 c;
    unsigned char d[QPP_SHA256_LEN];
    char hex[QPP_SHA256_HEX + 1], mid[24];
    size_t i, j = 0;

    qpp_sha256_init(&c);
    qpp_sha256_update(&c, s->measure, strlen(s->measure));
    for (i = 0; i < s->partial->ndigests; i++)
        qpp_sha256_update(&c, s->partial->digests[i], QPP_SHA256_LEN);
    qpp_sha256_final(&c, d);
    qpp_sha256_hex(d, hex);
    for (i = 0; s->measure_id[i] && j + 1 < sizeof mid; i++) {
        char ch = s->measure_id[i];
        if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') ||
            (ch >= 'A' && ch <= 'Z'))
            mid[j++] = ch;
    }
    mid[j] = '\0';
    snprintf(id, n, "qppbuild-%s-%.16s", mid, hex);
}

static json_t *population(int k, long long count)
{
    return json_pack("{s:{s:[{s:s,s:s}]},s:I}", "code", "coding", "system",
                     POPULATION_SYSTEM, "code", qpp_pop_code[k], "count",
                     (json_int_t)count);
}

/* 1 when a count does not fit, -1 when out of memory. */
static int groups(const struct qpp_summary *s, json_t **out)
{
    json_t *a = json_array();
    size_t i;
    int k, rc = 0;

    *out = NULL;
    if (!a)
        return -1;
    for (i = 0; i < s->ngroups && rc == 0; i++) {
        const struct qpp_group *g = &s->groups[i];
        json_t *o = json_object(), *pops = NULL;

        /* o and pops are stolen by their containers, which free them on
         * failure; they stay valid while a holds them. */
        if (json_array_append_new(a, o) || (g->id && set(o, "id", json_string(g->id))) ||
            set(o, "population", (pops = json_array()))) {
            rc = -1;
            break;
        }
        for (k = 0; k < QPP_NPOP && rc == 0; k++) {
            if (!(g->present & (1u << k)))
                continue;
            if (g->count[k] > INT32_MAX)
                rc = 1;
            else if (json_array_append_new(pops, population(k, g->count[k])))
                rc = -1;
        }
    }
    if (rc != 0) {
        json_decref(a);
        return rc;
    }
    *out = a;
    return 0;
}

/* A reporter key that is a reference (report.c writes "(display only)" for
 * a reporter without one). */
static int has_reference(const struct qpp_summary *s)
{
    return s->reporter && s->reporter[0] != '(';
}

static json_t *reporter(const struct qpp_summary *s)
{
    if (has_reference(s))
        return json_pack("{s:s}", "reference", s->reporter);
    return json_pack("{s:{s:s,s:s}}", "identifier", "system", TIN_SYSTEM, "value",
                     s->tin);
}

int qpp_summary_write(const struct qpp_summary *s, json_t **out)
{
    json_t *mr = json_object(), *ext = NULL, *g = NULL;
    char id[96];
    int rc;

    *out = NULL;
    make_id(s, id, sizeof id);
    /* Every value is made where it is set, and stolen by mr, which frees it
     * on failure. */
    if (!mr || set(mr, "resourceType", json_string("MeasureReport")) ||
        set(mr, "id", json_string(id)) || set(mr, "extension", (ext = json_array())) ||
        json_array_append_new(ext, partial_extension(s->partial)) ||
        set(mr, "status", json_string("complete")) ||
        set(mr, "type", json_string("summary")) ||
        set(mr, "measure", json_string(s->measure)) ||
        (s->start && s->end &&
         set(mr, "period", json_pack("{s:s,s:s}", "start", s->start, "end", s->end))) ||
        ((has_reference(s) || s->tin) && set(mr, "reporter", reporter(s)))) {
        json_decref(mr);
        return -1;
    }
    if ((rc = groups(s, &g)) != 0 || set(mr, "group", g)) {
        json_decref(mr);
        return rc ? rc : -1;
    }
    *out = mr;
    return 0;
}

char *qpp_summary_dumps(json_t *a)
{
    struct qpp_buf b;
    json_t *mr;
    size_t i;

    qpp_buf_init(&b);
    json_array_foreach(a, i, mr)
    {
        char *line = json_dumps(mr, JSON_COMPACT);
        if (!line) {
            qpp_buf_free(&b);
            return NULL;
        }
        qpp_buf_add(&b, line);
        qpp_buf_add(&b, "\n");
        free(line);
    }
    if (!b.s)
        qpp_buf_add(&b, "");
    return qpp_buf_take(&b);
}
