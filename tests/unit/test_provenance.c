/* SPDX-License-Identifier: MIT */
/* Unit tests for provenance.c: base64 (RFC 4648's test vectors), and the
 * transaction Bundle: its entries, the Binary's exact bytes, the agents and
 * entities, content-derived full URLs and a fixed recorded time. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "provenance.h"
#include "testutil.h"
#include "util.h"

static void test_base64_rfc4648_vectors(void **state)
{
    static const char *const want[] = {"",         "Zg==",     "Zm8=",    "Zm9v",
                                       "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    size_t n;

    (void)state;
    for (n = 0; n <= 6; n++) {
        char *b = qpp_base64("foobar", n);
        assert_string_equal(b, want[n]);
        qpp_free(b);
    }
}

static const char *at(json_t *bundle, const char *path)
{
    json_t *v = bundle;
    char buf[256], *tok, *save = NULL;

    snprintf(buf, sizeof buf, "%s", path);
    for (tok = strtok_r(buf, "/", &save); tok && v; tok = strtok_r(NULL, "/", &save))
        v = json_is_array(v) ? json_array_get(v, (size_t)atoi(tok))
                             : json_object_get(v, tok);
    return json_string_value(v);
}

static void provenance_of(const char *org, const char *tin, json_t **bundle)
{
    struct qpp_input in[2] = {{"reports.ndjson", {0}}, {"-", {0}}};
    json_t *mrs = json_pack("[{s:s,s:s,s:s}]", "resourceType", "MeasureReport", "id",
                            "qppbuild-001-x", "type", "summary");
    struct qpp_provenance p = {"{\"a\":1}\n", 8,          mrs, org, tin,
                               "9.9.9",       1700000000, in,  2};
    struct qpp_sha256 c;

    qpp_sha256_init(&c);
    qpp_sha256_update(&c, "abc", 3);
    qpp_sha256_final(&c, in[0].sha256);
    *bundle = qpp_provenance_write(&p);
    assert_non_null(*bundle);
    json_decref(mrs);
}

static void test_provenance_bundle(void **state)
{
    json_t *b, *again;

    (void)state;
    provenance_of("Organization/org-1", "123456789", &b);
    assert_string_equal(at(b, "resourceType"), "Bundle");
    assert_string_equal(at(b, "type"), "transaction");
    assert_int_equal(json_array_size(json_object_get(b, "entry")), 4);
    /* The Binary: the exact bytes, base64. */
    assert_string_equal(at(b, "entry/0/resource/resourceType"), "Binary");
    assert_string_equal(at(b, "entry/0/resource/contentType"), "application/json");
    assert_string_equal(at(b, "entry/0/resource/data"), "eyJhIjoxfQo=");
    assert_string_equal(at(b, "entry/0/request/method"), "POST");
    assert_string_equal(at(b, "entry/0/request/url"), "Binary");
    /* The summary, created by the POST: no id of its own. */
    assert_string_equal(at(b, "entry/1/resource/resourceType"), "MeasureReport");
    assert_null(at(b, "entry/1/resource/id"));
    assert_string_equal(at(b, "entry/1/request/url"), "MeasureReport");
    assert_string_equal(at(b, "entry/2/resource/resourceType"), "Device");
    assert_string_equal(at(b, "entry/2/resource/deviceName/0/name"), "qppbuild");
    assert_string_equal(at(b, "entry/2/resource/version/0/value"), "9.9.9");
    /* The Provenance: targets, time, agents, entities. */
    assert_string_equal(at(b, "entry/3/resource/resourceType"), "Provenance");
    assert_string_equal(at(b, "entry/3/resource/target/0/reference"),
                        at(b, "entry/0/fullUrl"));
    assert_string_equal(at(b, "entry/3/resource/target/1/reference"),
                        at(b, "entry/1/fullUrl"));
    assert_null(at(b, "entry/3/resource/target/2/reference"));
    assert_string_equal(at(b, "entry/3/resource/recorded"), "2023-11-14T22:13:20Z");
    assert_string_equal(at(b, "entry/3/resource/agent/0/who/reference"),
                        "Organization/org-1");
    assert_string_equal(at(b, "entry/3/resource/agent/0/type/coding/0/code"), "author");
    assert_string_equal(at(b, "entry/3/resource/agent/1/who/reference"),
                        at(b, "entry/2/fullUrl"));
    assert_string_equal(at(b, "entry/3/resource/agent/1/type/coding/0/code"),
                        "assembler");
    assert_string_equal(at(b, "entry/3/resource/entity/0/role"), "source");
    /* SHA-256("abc") as RFC 6920 names it, and in hex for sha256sum users. */
    assert_string_equal(at(b, "entry/3/resource/entity/0/what/identifier/value"),
                        "ni:///sha-256;ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0");
    assert_string_equal(
        at(b, "entry/3/resource/entity/0/what/display"),
        "reports.ndjson, SHA-256 "
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assert_non_null(
        strstr(at(b, "entry/3/resource/entity/1/what/display"), "standard input"));
    /* urn:uuid of version 8, the same for the same content. */
    assert_int_equal(strlen(at(b, "entry/0/fullUrl")), 45);
    assert_int_equal(at(b, "entry/0/fullUrl")[23], '8');
    provenance_of("Organization/org-1", "123456789", &again);
    assert_true(json_equal(b, again));
    json_decref(again);
    json_decref(b);
}

/* No Organization in the input: the agent is named by its TIN. */
static void test_provenance_organization_by_tin(void **state)
{
    json_t *b;

    (void)state;
    provenance_of(NULL, "123456789", &b);
    assert_string_equal(at(b, "entry/3/resource/agent/0/who/identifier/system"),
                        "urn:oid:2.16.840.1.113883.4.4");
    assert_string_equal(at(b, "entry/3/resource/agent/0/who/identifier/value"),
                        "123456789");
    json_decref(b);
    provenance_of(NULL, NULL, &b); /* neither: only qppbuild as agent */
    assert_string_equal(at(b, "entry/3/resource/agent/0/type/coding/0/code"),
                        "assembler");
    assert_null(at(b, "entry/3/resource/agent/1/type/coding/0/code"));
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_base64_rfc4648_vectors),
        cmocka_unit_test(test_provenance_bundle),
        cmocka_unit_test(test_provenance_organization_by_tin),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
