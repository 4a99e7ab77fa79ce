/* SPDX-License-Identifier: MIT */
/* Unit tests for entity.c: TIN, NPI and Organization identifiers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "entity.h"
#include "testutil.h"

struct fx {
    struct qpp_diags d;
    struct qpp_resource org;
    struct qpp_entity_ids ids;
    int rc;
};

static void read_org(struct fx *f, const char *name)
{
    static char org_name[64];

    memset(f, 0, sizeof *f);
    qpp_diags_init(&f->d);
    f->org.json = fixture_json(name);
    f->org.id = json_string_value(json_object_get(f->org.json, "id"));
    snprintf(org_name, sizeof org_name, "Organization/%s", f->org.id);
    f->org.name = org_name;
    f->org.source = (char *)"org.json";
    f->org.line = 1;
    f->rc = qpp_entity_read(&f->org, &f->ids, &f->d);
}

static void done(struct fx *f)
{
    json_decref(f->org.json);
    qpp_diags_free(&f->d);
}

static void test_entity_tin_is_nine_digits(void **state)
{
    (void)state;
    assert_true(qpp_tin_valid("123456789"));
    assert_true(qpp_tin_valid("000000001")); /* leading zeros are part of it */
    assert_false(qpp_tin_valid("12345678"));
    assert_false(qpp_tin_valid("1234567890"));
    assert_false(qpp_tin_valid("12-3456789"));
    assert_false(qpp_tin_valid("12345678a"));
    assert_false(qpp_tin_valid(" 23456789"));
    assert_false(qpp_tin_valid(""));
}

static void test_entity_npi_check_digit(void **state)
{
    (void)state;
    /* Luhn over 80840 + the first nine digits. */
    assert_true(qpp_npi_valid("1234567893"));
    assert_true(qpp_npi_valid("1245319599"));
    assert_false(qpp_npi_valid("1234567890"));
    assert_false(qpp_npi_valid("1234567894"));
    assert_false(qpp_npi_valid("1245319590"));
}

static void test_entity_npi_is_ten_digits(void **state)
{
    (void)state;
    assert_false(qpp_npi_valid("123456789"));
    assert_false(qpp_npi_valid("01234567893"));
    assert_false(qpp_npi_valid("123456789X"));
    assert_false(qpp_npi_valid("12345 7893"));
    assert_false(qpp_npi_valid(""));
}

static void test_entity_reads_typed_identifiers(void **state)
{
    struct fx f;

    (void)state;
    read_org(&f, "entity-org.json");
    assert_int_equal(f.rc, 0);
    assert_int_equal(f.d.len, 0);
    assert_string_equal(f.ids.tin, "123456789");
    assert_string_equal(f.ids.npi, "1234567893");
    assert_string_equal(f.ids.entity_id, "A1234");
    done(&f);
}

static void test_entity_reads_deqm_tax_and_prn_with_systems(void **state)
{
    struct fx f;

    (void)state;
    read_org(&f, "entity-org-deqm.json");
    assert_int_equal(f.rc, 0);
    assert_string_equal(f.ids.tin, "123456789");
    assert_string_equal(f.ids.npi, "1245319599");
    assert_null(f.ids.entity_id);
    done(&f);
}

static void test_entity_reads_identifiers_by_system_alone(void **state)
{
    struct fx f;

    (void)state;
    read_org(&f, "entity-org-systems.json");
    assert_int_equal(f.rc, 0);
    assert_string_equal(f.ids.tin, "987654321");
    assert_string_equal(f.ids.npi, "1234567893");
    done(&f);
}

static void test_entity_reads_prn_typed_npi(void **state)
{
    struct fx f;

    (void)state;
    read_org(&f, "entity-org-prn.json");
    assert_int_equal(f.rc, 0);
    assert_null(f.ids.tin);
    assert_string_equal(f.ids.npi, "1245319599");
    done(&f);
}

static void test_entity_without_identifiers_finds_none(void **state)
{
    struct fx f;

    (void)state;
    read_org(&f, "entity-org-none.json");
    assert_int_equal(f.rc, 0);
    assert_null(f.ids.tin);
    assert_null(f.ids.npi);
    assert_null(f.ids.entity_id);
    assert_int_equal(f.d.len, 0);
    done(&f);
}

static void test_entity_conflicting_identifiers_are_errors(void **state)
{
    struct fx f;
    const struct qpp_diag *g;

    (void)state;
    read_org(&f, "entity-org-conflict.json");
    assert_int_equal(f.rc, -1);
    /* The same TIN twice is no conflict; a different NPI and TIN are. */
    assert_null(diag_find(&f.d, QPP_IDENTIFIER_CONFLICT, "/identifier/2"));
    assert_diag(&f.d, QPP_IDENTIFIER_CONFLICT, "/identifier/3");
    assert_diag(&f.d, QPP_IDENTIFIER_CONFLICT, "/identifier/4");
    assert_int_equal(diag_count(&f.d, QPP_IDENTIFIER_CONFLICT), 2);
    g = diag_find(&f.d, QPP_IDENTIFIER_CONFLICT, "/identifier/3");
    assert_string_equal(g->resource, "Organization/org4");
    assert_string_equal(g->source, "org.json");
    assert_int_equal(g->severity, QPP_ERROR);
    done(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entity_tin_is_nine_digits),
        cmocka_unit_test(test_entity_npi_check_digit),
        cmocka_unit_test(test_entity_npi_is_ten_digits),
        cmocka_unit_test(test_entity_reads_typed_identifiers),
        cmocka_unit_test(test_entity_reads_deqm_tax_and_prn_with_systems),
        cmocka_unit_test(test_entity_reads_identifiers_by_system_alone),
        cmocka_unit_test(test_entity_reads_prn_typed_npi),
        cmocka_unit_test(test_entity_without_identifiers_finds_none),
        cmocka_unit_test(test_entity_conflicting_identifiers_are_errors),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
