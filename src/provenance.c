/* SPDX-License-Identifier: MIT */
/* The provenance Bundle; see provenance.h. */
#include "provenance.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

#define TIN_SYSTEM   "urn:oid:2.16.840.1.113883.4.4"
#define AGENT_SYSTEM "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
#define URI_SYSTEM   "urn:ietf:rfc:3986"

char *qpp_base64(const void *p, size_t n)
{
    static const char a[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const unsigned char *s = p;
    char *out, *o;
    size_t i;

    if (n / 3 >= ((size_t)-1) / 4 - 1)
        return NULL;
    if (!(out = o = qpp_malloc((n + 2) / 3 * 4 + 1)))
        return NULL;
    for (i = 0; i + 2 < n; i += 3) {
        *o++ = a[s[i] >> 2];
        *o++ = a[(s[i] & 3) << 4 | s[i + 1] >> 4];
        *o++ = a[(s[i + 1] & 15) << 2 | s[i + 2] >> 6];
        *o++ = a[s[i + 2] & 63];
    }
    if (i < n) {
        *o++ = a[s[i] >> 2];
        if (i + 1 < n) {
            *o++ = a[(s[i] & 3) << 4 | s[i + 1] >> 4];
            *o++ = a[(s[i + 1] & 15) << 2];
        } else {
            *o++ = a[(s[i] & 3) << 4];
            *o++ = '=';
        }
        *o++ = '=';
    }
    *o = '\0';
    return out;
}

/* RFC 6920's ni URI of a SHA-256: base64url without padding. */
static void ni_uri(const unsigned char d[QPP_SHA256_LEN], char *buf, size_t n)
{
    char *b = qpp_base64(d, QPP_SHA256_LEN);
    size_t i;

    if (!b) {
        buf[0] = '\0';
        return;
    }
    for (i = 0; b[i]; i++) {
        if (b[i] == '+')
            b[i] = '-';
        else if (b[i] == '/')
            b[i] = '_';
        else if (b[i] == '=')
            b[i] = '\0';
    }
    snprintf(buf, n, "ni:///sha-256;%s", b);
    qpp_free(b);
}

/* A urn:uuid of RFC 9562's version 8 (content-defined): the first 16 bytes
 * of SHA-256(seed, k). */
static void entry_uuid(const unsigned char seed[QPP_SHA256_LEN], size_t k, char *buf,
                       size_t n)
{
    struct qpp_sha256 c;
    unsigned char d[QPP_SHA256_LEN], kb[8];
    int i;

    for (i = 0; i < 8; i++)
        kb[i] = (unsigned char)((unsigned long long)k >> (8 * i));
    qpp_sha256_init(&c);
    qpp_sha256_update(&c, seed, QPP_SHA256_LEN);
    qpp_sha256_update(&c, kb, sizeof kb);
    qpp_sha256_final(&c, d);
    d[6] = (unsigned char)((d[6] & 0x0f) | 0x80);
    d[8] = (unsigned char)((d[8] & 0x3f) | 0x80);
    snprintf(
        buf, n,
        "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
        d[0], d[1], d[2], d[3], d[4], d[5], d[6], d[7], d[8], d[9], d[10], d[11], d[12],
        d[13], d[14], d[15]);
}

/* What the Bundle's content depends on, but for the time. */
static int seed_of(const struct qpp_provenance *p, unsigned char seed[QPP_SHA256_LEN])
{
    struct qpp_sha256 c;
    char *s = json_dumps(p->summaries, JSON_COMPACT);
    size_t i;

    if (!s)
        return -1;
    qpp_sha256_init(&c);
    qpp_sha256_update(&c, p->bytes, p->len);
    qpp_sha256_update(&c, s, strlen(s) + 1);
    for (i = 0; i < p->ninputs; i++)
        qpp_sha256_update(&c, p->inputs[i].sha256, QPP_SHA256_LEN);
    qpp_sha256_final(&c, seed);
    free(s);
    return 0;
}

/* Append {fullUrl, resource, request} to entries (resource stolen). */
static int add_entry(json_t *entries, const char *url, const char *type, json_t *resource)
{
    return json_array_append_new(entries, json_pack("{s:s,s:o,s:{s:s,s:s}}", "fullUrl",
                                                    url, "resource", resource, "request",
                                                    "method", "POST", "url", type));
}

static json_t *agent(const char *code, json_t *who)
{
    return json_pack("{s:{s:[{s:s,s:s}]},s:o}", "type", "coding", "system", AGENT_SYSTEM,
                     "code", code, "who", who);
}

static json_t *entity(const struct qpp_input *in)
{
    char ni[96], hex[QPP_SHA256_HEX + 1];
    struct qpp_buf b;
    json_t *e;

    ni_uri(in->sha256, ni, sizeof ni);
    qpp_sha256_hex(in->sha256, hex);
    qpp_buf_init(&b);
    qpp_buf_printf(&b, "%s, SHA-256 %s",
                   strcmp(in->name, "-") == 0 ? "standard input" : in->name, hex);
    if (b.failed || !ni[0]) {
        qpp_buf_free(&b);
        return NULL;
    }
    e = json_pack("{s:s,s:{s:{s:s,s:s},s:s}}", "role", "source", "what", "identifier",
                  "system", URI_SYSTEM, "value", ni, "display", b.s);
    qpp_buf_free(&b);
    return e;
}

static json_t *organization(const struct qpp_provenance *p)
{
    if (p->organization)
        return json_pack("{s:s}", "reference", p->organization);
    return json_pack("{s:{s:s,s:s}}", "identifier", "system", TIN_SYSTEM, "value",
                     p->tin);
}

static json_t *provenance(const struct qpp_provenance *p, json_t *targets,
                          const char *device)
{
    json_t *prov = NULL, *agents = json_array(), *entities = json_array();
    struct tm tm;
    char when[32];
    size_t i;
    int bad = !agents || !entities;

    if (!gmtime_r(&p->recorded, &tm) ||
        strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        bad = 1;
    if (!bad && (p->organization || p->tin))
        bad = json_array_append_new(agents, agent("author", organization(p)));
    if (!bad)
        bad = json_array_append_new(
            agents, agent("assembler", json_pack("{s:s}", "reference", device)));
    for (i = 0; !bad && i < p->ninputs; i++)
        bad = json_array_append_new(entities, entity(&p->inputs[i]));
    if (!bad)
        prov = json_pack("{s:s,s:O,s:s,s:O}", "resourceType", "Provenance", "target",
                         targets, "recorded", when, "agent", agents);
    if (prov && p->ninputs && json_object_set(prov, "entity", entities)) {
        json_decref(prov);
        prov = NULL;
    }
    json_decref(agents);
    json_decref(entities);
    return prov;
}

json_t *qpp_provenance_write(const struct qpp_provenance *p)
{
    unsigned char seed[QPP_SHA256_LEN];
    json_t *bundle = NULL, *entries = json_array(), *targets = json_array(), *mr;
    char url[64], device[64], *data = qpp_base64(p->bytes, p->len);
    size_t i, k = 0;
    int bad = !entries || !targets || !data || seed_of(p, seed) < 0;

    if (!bad) {
        entry_uuid(seed, k++, url, sizeof url);
        bad = add_entry(entries, url, "Binary",
                        json_pack("{s:s,s:s,s:s}", "resourceType", "Binary",
                                  "contentType", "application/json", "data", data)) ||
              json_array_append_new(targets, json_pack("{s:s}", "reference", url));
    }
    json_array_foreach(p->summaries, i, mr)
    {
        /* Created by the POST: the server gives the id. */
        json_t *copy = json_deep_copy(mr);
        if (bad || !copy || json_object_del(copy, "id") < 0) {
            json_decref(copy);
            bad = 1;
            break;
        }
        entry_uuid(seed, k++, url, sizeof url);
        bad = add_entry(entries, url, "MeasureReport", copy) ||
              json_array_append_new(targets, json_pack("{s:s}", "reference", url));
    }
    if (!bad) {
        entry_uuid(seed, k++, device, sizeof device);
        bad = add_entry(entries, device, "Device",
                        json_pack("{s:s,s:[{s:s,s:s}],s:[{s:s}]}", "resourceType",
                                  "Device", "deviceName", "name", "qppbuild", "type",
                                  "user-friendly-name", "version", "value", p->version));
    }
    if (!bad) {
        entry_uuid(seed, k++, url, sizeof url);
        bad = add_entry(entries, url, "Provenance", provenance(p, targets, device));
    }
    if (!bad)
        bundle = json_pack("{s:s,s:s,s:O}", "resourceType", "Bundle", "type",
                           "transaction", "entry", entries);
    json_decref(entries);
    json_decref(targets);
    qpp_free(data);
    return bundle;
}
