/* SPDX-License-Identifier: MIT */
/* Unit tests for write.c: QPP JSON shapes, key order and serialisation.
 * Expected shapes: reference/qpp-output.md sections 1-3 (CMS's documentation
 * order of the fields). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testutil.h"
#include "write.h"

#define VALUE_113                                                                        \
    "{\"isEndToEndReported\":true,\"performanceMet\":60,\"eligiblePopulation\":100,"     \
    "\"performanceNotMet\":32,\"eligiblePopulationExclusion\":5,"                        \
    "\"eligiblePopulationException\":3}"

#define SET_2025(cehrt)                                                                  \
    "{\"category\":\"quality\",\"submissionMethod\":\"electronicHealthRecord\","         \
    "\"programName\":\"mips\",\"performanceStart\":\"2025-01-01\","                      \
    "\"performanceEnd\":\"2025-12-31\"," cehrt                                           \
    "\"measurements\":[{\"measureId\":\"113\","                                          \
    "\"value\":" VALUE_113 "}]}"

static struct qpp_measurement one[1];

/* A one-measurement 2025 EHR submission for entity type t. */
static struct qpp_submission submission(const char *t)
{
    struct qpp_submission s;

    memset(&s, 0, sizeof s);
    memset(one, 0, sizeof one);
    one[0].measure_id = "113";
    one[0].value.eligible = 100;
    one[0].value.exclusion = 5;
    one[0].value.exception = 3;
    one[0].value.met = 60;
    one[0].value.not_met = 32;
    s.entity_type = t;
    s.tin = "000123456";
    s.npi = "1234567893";
    s.entity_id = "APM-0001";
    s.year = 2025;
    s.method = "electronicHealthRecord";
    s.program = "mips";
    s.cehrt_id = "2025CABCDEF1234";
    s.end_to_end = 1;
    s.nmeasurements = 1;
    s.measurements = one;
    return s;
}

/* The compact dump of json (stolen), without the final newline. */
static char *compact(json_t *json)
{
    char *s;
    size_t n;

    assert_non_null(json);
    s = qpp_write_dumps(json, 1);
    json_decref(json);
    assert_non_null(s);
    n = strlen(s);
    assert_true(n > 0);
    assert_int_equal(s[n - 1], '\n');
    s[n - 1] = '\0';
    return s;
}

static void assert_json(json_t *json, const char *want)
{
    char *s = compact(json);

    assert_string_equal(s, want);
    free(s);
}

static void test_write_group_has_tin_and_no_npi(void **state)
{
    struct qpp_submission s = submission("group");

    (void)state;
    assert_json(
        qpp_write_submission(&s),
        "{\"entityType\":\"group\",\"taxpayerIdentificationNumber\":\"000123456\","
        "\"performanceYear\":2025,\"measurementSets\":[" SET_2025(
            "\"cehrtId\":\"2025CABCDEF1234\",") "]}");
}

static void test_write_individual_has_tin_and_npi(void **state)
{
    struct qpp_submission s = submission("individual");

    (void)state;
    assert_json(qpp_write_submission(&s),
                "{\"entityType\":\"individual\",\"taxpayerIdentificationNumber\":"
                "\"000123456\",\"nationalProviderIdentifier\":\"1234567893\","
                "\"performanceYear\":2025,\"measurementSets\":[" SET_2025(
                    "\"cehrtId\":\"2025CABCDEF1234\",") "]}");
}

static void test_write_apm_has_entity_id_and_no_tin(void **state)
{
    struct qpp_submission s = submission("apm");

    (void)state;
    assert_json(qpp_write_submission(&s),
                "{\"entityType\":\"apm\",\"entityId\":\"APM-0001\","
                "\"performanceYear\":2025,\"measurementSets\":[" SET_2025(
                    "\"cehrtId\":\"2025CABCDEF1234\",") "]}");
}

static void test_write_virtual_group_and_subgroup_have_entity_id(void **state)
{
    struct qpp_submission v = submission("virtualGroup");
    struct qpp_submission g = submission("subgroup");

    (void)state;
    assert_json(qpp_write_submission(&v),
                "{\"entityType\":\"virtualGroup\",\"entityId\":\"APM-0001\","
                "\"performanceYear\":2025,\"measurementSets\":[" SET_2025(
                    "\"cehrtId\":\"2025CABCDEF1234\",") "]}");
    assert_json(qpp_write_submission(&g),
                "{\"entityType\":\"subgroup\",\"entityId\":\"APM-0001\","
                "\"performanceYear\":2025,\"measurementSets\":[" SET_2025(
                    "\"cehrtId\":\"2025CABCDEF1234\",") "]}");
}

static void test_write_without_cehrt_id_leaves_it_out(void **state)
{
    struct qpp_submission s = submission("group");

    (void)state;
    s.cehrt_id = NULL;
    assert_json(
        qpp_write_submission(&s),
        "{\"entityType\":\"group\",\"taxpayerIdentificationNumber\":\"000123456\","
        "\"performanceYear\":2025,\"measurementSets\":[" SET_2025("") "]}");
}

static void test_write_performance_year_is_an_integer(void **state)
{
    struct qpp_submission s = submission("group");
    json_t *o = qpp_write_submission(&s);

    (void)state;
    assert_non_null(o);
    assert_true(json_is_integer(json_object_get(o, "performanceYear")));
    assert_true(json_is_string(json_object_get(o, "taxpayerIdentificationNumber")));
    json_decref(o);
}

static void test_write_registry_set_is_not_end_to_end(void **state)
{
    struct qpp_submission s = submission("group");
    json_t *o, *m;

    (void)state;
    s.method = "registry";
    s.end_to_end = 0;
    s.cehrt_id = NULL;
    s.program = "G0053";
    o = qpp_write_submission(&s);
    assert_non_null(o);
    m = json_array_get(json_object_get(o, "measurementSets"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "submissionMethod")),
                        "registry");
    assert_string_equal(json_string_value(json_object_get(m, "programName")), "G0053");
    m = json_object_get(json_array_get(json_object_get(m, "measurements"), 0), "value");
    assert_true(json_is_false(json_object_get(m, "isEndToEndReported")));
    json_decref(o);
}

static void test_write_dates_are_first_and_last_day_of_year(void **state)
{
    struct qpp_submission s = submission("group");
    json_t *o, *m;

    (void)state;
    s.year = 2024;
    o = qpp_write_submission(&s);
    m = json_array_get(json_object_get(o, "measurementSets"), 0);
    assert_string_equal(json_string_value(json_object_get(m, "performanceStart")),
                        "2024-01-01");
    assert_string_equal(json_string_value(json_object_get(m, "performanceEnd")),
                        "2024-12-31");
    json_decref(o);
}

static void test_write_multi_rate_strata(void **state)
{
    struct qpp_submission s = submission("group");
    struct qpp_measurement m;
    struct qpp_stratum st[2];

    (void)state;
    memset(&m, 0, sizeof m);
    memset(st, 0, sizeof st);
    st[0].name = "adolescents";
    st[0].value.eligible = 10;
    st[0].value.met = 4;
    st[0].value.not_met = 5;
    st[0].value.exclusion = 1;
    st[1].name = "adults";
    st[1].value.eligible = 90;
    st[1].value.met = 30;
    st[1].value.not_met = 50;
    st[1].value.exception = 10;
    m.measure_id = "370";
    m.nstrata = 2;
    m.strata = st;
    s.measurements = &m;
    s.cehrt_id = NULL;
    assert_json(
        qpp_write_measurement(&s, 0, "set-1"),
        "{\"measurementSetId\":\"set-1\",\"measureId\":\"370\",\"value\":{"
        "\"isEndToEndReported\":true,\"strata\":["
        "{\"stratum\":\"adolescents\",\"performanceMet\":4,\"eligiblePopulation\":10,"
        "\"performanceNotMet\":5,\"eligiblePopulationExclusion\":1,"
        "\"eligiblePopulationException\":0},"
        "{\"stratum\":\"adults\",\"performanceMet\":30,\"eligiblePopulation\":90,"
        "\"performanceNotMet\":50,\"eligiblePopulationExclusion\":0,"
        "\"eligiblePopulationException\":10}]}}");
}

static void test_write_measurement_structure(void **state)
{
    struct qpp_submission s = submission("group");

    (void)state;
    assert_json(
        qpp_write_measurement(&s, 0, "abc-123"),
        "{\"measurementSetId\":\"abc-123\",\"measureId\":\"113\",\"value\":" VALUE_113
        "}");
}

static void test_write_measurements_in_given_order(void **state)
{
    struct qpp_submission s = submission("group");
    struct qpp_measurement ms[3];
    json_t *o, *list;

    (void)state;
    memset(ms, 0, sizeof ms);
    ms[0].measure_id = "236";
    ms[1].measure_id = "001";
    ms[2].measure_id = "113";
    s.measurements = ms;
    s.nmeasurements = 3;
    o = qpp_write_submission(&s);
    list = json_object_get(json_array_get(json_object_get(o, "measurementSets"), 0),
                           "measurements");
    assert_int_equal(json_array_size(list), 3);
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(list, 0), "measureId")), "236");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(list, 1), "measureId")), "001");
    assert_string_equal(
        json_string_value(json_object_get(json_array_get(list, 2), "measureId")), "113");
    json_decref(o);
}

static void test_write_empty_measurements_is_an_array(void **state)
{
    struct qpp_submission s = submission("group");
    json_t *o, *set;

    (void)state;
    s.nmeasurements = 0;
    o = qpp_write_submission(&s);
    set = json_array_get(json_object_get(o, "measurementSets"), 0);
    assert_true(json_is_array(json_object_get(set, "measurements")));
    assert_int_equal(json_array_size(json_object_get(set, "measurements")), 0);
    json_decref(o);
}

/* The keys of o in order, but skip, joined by commas. */
static char *keys(json_t *o, const char *skip)
{
    struct qpp_buf b;
    void *it;

    qpp_buf_init(&b);
    for (it = json_object_iter(o); it; it = json_object_iter_next(o, it)) {
        if (skip && strcmp(json_object_iter_key(it), skip) == 0)
            continue;
        qpp_buf_printf(&b, "%s%s", b.len ? "," : "", json_object_iter_key(it));
    }
    return qpp_buf_take(&b);
}

static void test_write_measurement_set_nests_submission(void **state)
{
    struct qpp_submission s = submission("individual");
    json_t *o = qpp_write_measurement_set(&s), *sub;
    char *k;

    (void)state;
    assert_non_null(o);
    k = keys(o, "submission");
    assert_string_equal(k, "category,submissionMethod,programName,performanceStart,"
                           "performanceEnd,cehrtId,measurements");
    qpp_free(k);
    sub = json_object_get(o, "submission");
    assert_true(json_is_object(sub));
    k = keys(sub, NULL);
    assert_string_equal(k, "entityType,taxpayerIdentificationNumber,"
                           "nationalProviderIdentifier,performanceYear");
    qpp_free(k);
    assert_int_equal(json_integer_value(json_object_get(sub, "performanceYear")), 2025);
    assert_null(json_object_get(o, "measurementSets"));
    json_decref(o);
}

static void test_write_measurement_set_for_apm(void **state)
{
    struct qpp_submission s = submission("apm");
    json_t *o = qpp_write_measurement_set(&s);
    char *k;

    (void)state;
    k = keys(json_object_get(o, "submission"), NULL);
    assert_string_equal(k, "entityType,entityId,performanceYear");
    qpp_free(k);
    json_decref(o);
}

static void test_write_compact_dump_is_one_line(void **state)
{
    struct qpp_submission s = submission("group");
    json_t *o = qpp_write_submission(&s);
    char *c = qpp_write_dumps(o, 1);
    size_t n = strlen(c);

    (void)state;
    assert_int_equal(c[n - 1], '\n');
    assert_ptr_equal(strchr(c, '\n'), c + n - 1);
    assert_null(strstr(c, ": "));
    free(c);
    json_decref(o);
}

static void test_write_indented_dump_uses_two_spaces(void **state)
{
    struct qpp_submission s = submission("group");
    json_t *o = qpp_write_submission(&s);
    char *c = qpp_write_dumps(o, 0);
    size_t n = strlen(c);
    const char *want =
        "{\n  \"entityType\": \"group\",\n"
        "  \"taxpayerIdentificationNumber\": \"000123456\",\n"
        "  \"performanceYear\": 2025,\n"
        "  \"measurementSets\": [\n    {\n      \"category\": \"quality\",\n";

    (void)state;
    assert_true(strncmp(c, want, strlen(want)) == 0);
    assert_true(n >= 3);
    assert_string_equal(c + n - 3, "\n}\n");
    free(c);
    json_decref(o);
}

static void test_write_dumps_same_bytes_every_time(void **state)
{
    struct qpp_submission s = submission("individual");
    json_t *a = qpp_write_submission(&s), *b = qpp_write_submission(&s);
    char *x = qpp_write_dumps(a, 0), *y = qpp_write_dumps(b, 0);

    (void)state;
    assert_string_equal(x, y);
    free(x);
    free(y);
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_write_group_has_tin_and_no_npi),
        cmocka_unit_test(test_write_individual_has_tin_and_npi),
        cmocka_unit_test(test_write_apm_has_entity_id_and_no_tin),
        cmocka_unit_test(test_write_virtual_group_and_subgroup_have_entity_id),
        cmocka_unit_test(test_write_without_cehrt_id_leaves_it_out),
        cmocka_unit_test(test_write_performance_year_is_an_integer),
        cmocka_unit_test(test_write_registry_set_is_not_end_to_end),
        cmocka_unit_test(test_write_dates_are_first_and_last_day_of_year),
        cmocka_unit_test(test_write_multi_rate_strata),
        cmocka_unit_test(test_write_measurement_structure),
        cmocka_unit_test(test_write_measurements_in_given_order),
        cmocka_unit_test(test_write_empty_measurements_is_an_array),
        cmocka_unit_test(test_write_measurement_set_nests_submission),
        cmocka_unit_test(test_write_measurement_set_for_apm),
        cmocka_unit_test(test_write_compact_dump_is_one_line),
        cmocka_unit_test(test_write_indented_dump_uses_two_spaces),
        cmocka_unit_test(test_write_dumps_same_bytes_every_time),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
