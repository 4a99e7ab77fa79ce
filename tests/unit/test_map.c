/* SPDX-License-Identifier: MIT */
/* Unit tests for map.c: FHIR population counts to QPP values (DESIGN 4). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>

#include "map.h"
#include "testutil.h"

#define ABSENT -1LL

/* A group with the given counts; ABSENT leaves a population out. */
static struct qpp_group group(long long ip, long long denom, long long denex,
                              long long denexcep, long long numer, long long numex)
{
    struct qpp_group g;
    const long long c[QPP_NPOP] = {ip, denom, denex, denexcep, numer, numex};
    int k;

    memset(&g, 0, sizeof g);
    for (k = 0; k < QPP_NPOP; k++) {
        if (c[k] == ABSENT)
            continue;
        g.count[k] = c[k];
        g.present |= 1u << k;
    }
    return g;
}

struct mapped {
    enum qpp_code code;
    struct qpp_value v;
    int hint; /* why mentions --counts net */
};

static struct mapped map(const struct qpp_group *g, enum qpp_counts counts, int registry)
{
    struct mapped m;
    struct qpp_buf why;

    memset(&m, 0, sizeof m);
    qpp_buf_init(&why);
    m.code = qpp_map_group(g, counts, registry, &m.v, &why);
    assert_false(why.failed);
    /* An explanation comes with every problem. */
    if (m.code != QPP_NCODES)
        assert_true(why.len > 0);
    m.hint = why.s && strstr(why.s, "--counts net") != NULL;
    qpp_buf_free(&why);
    return m;
}

static void assert_value(const struct qpp_value *v, long long eligible,
                         long long exclusion, long long exception, long long met,
                         long long not_met)
{
    if (v->eligible != eligible || v->exclusion != exclusion ||
        v->exception != exception || v->met != met || v->not_met != not_met)
        fail_msg("got eligible %lld exclusion %lld exception %lld met %lld notMet %lld; "
                 "want %lld %lld %lld %lld %lld",
                 v->eligible, v->exclusion, v->exception, v->met, v->not_met, eligible,
                 exclusion, exception, met, not_met);
}

static void test_map_gross_reference_example(void **state)
{
    struct qpp_group g = group(120, 100, 5, 3, 60, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 100, 5, 3, 60, 32);
}

static void test_map_gross_absent_exclusion_and_exception_are_zero(void **state)
{
    struct qpp_group g = group(50, 40, ABSENT, ABSENT, 30, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 40, 0, 0, 30, 10);
}

static void test_map_gross_without_initial_population(void **state)
{
    struct qpp_group g = group(ABSENT, 100, 5, 3, 60, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 100, 5, 3, 60, 32);
}

static void test_map_gross_subtracts_numerator_exclusion(void **state)
{
    struct qpp_group g = group(120, 100, 5, 3, 60, 10);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 100, 5, 3, 50, 42);
}

static void test_map_gross_numerator_exclusion_equal_to_numerator(void **state)
{
    struct qpp_group g = group(1, 1, 0, 0, 1, 1);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 1, 0, 0, 0, 1);
}

static void test_map_rejects_numerator_exclusion_above_numerator(void **state)
{
    struct qpp_group g = group(120, 100, 5, 3, 60, 61);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_INCONSISTENT_COUNTS);
}

static void test_map_all_zero_counts_map_to_zeros(void **state)
{
    struct qpp_group g = group(0, 0, 0, 0, 0, 0);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 0, 0, 0, 0, 0);
    assert_false(qpp_value_has_rate(&m.v));
}

static void test_map_rejects_negative_not_met_with_net_hint(void **state)
{
    /* 92 + 5 + 3 = 100: a net denominator read as gross. */
    struct qpp_group g = group(120, 92, 5, 3, 90, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NEGATIVE_NOT_MET);
    assert_true(m.hint);
}

static void test_map_negative_not_met_without_exclusions_gives_no_net_hint(void **state)
{
    /* Numerator over denominator is wrong under either convention. */
    struct qpp_group g = group(200, 100, 0, 0, 110, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NEGATIVE_NOT_MET);
    assert_false(m.hint);
}

static void test_map_numerator_above_denominator_gives_no_net_hint(void **state)
{
    struct qpp_group g = group(200, 100, 5, 0, 101, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NEGATIVE_NOT_MET);
    assert_false(m.hint);
}

static void test_map_gross_not_met_exactly_zero_is_fine(void **state)
{
    struct qpp_group g = group(100, 100, 5, 3, 92, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 100, 5, 3, 92, 0);
}

static void test_map_gross_huge_counts_do_not_wrap(void **state)
{
    /* eligible - met - exclusion - exception passes LLONG_MIN. */
    struct qpp_group g = group(ABSENT, 0, LLONG_MAX, LLONG_MAX, LLONG_MAX, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NEGATIVE_NOT_MET);
}

static void test_map_net_adds_exclusions_back(void **state)
{
    struct qpp_group g = group(120, 92, 5, 3, 60, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_NET, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 100, 5, 3, 60, 32);
}

static void test_map_net_clinical_reasoning_subject_list_example(void **state)
{
    /* IP 30, denominator 24, exclusion 6, numerator 12 (score 12/24). */
    struct qpp_group g = group(30, 24, 6, ABSENT, 12, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_NET, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 30, 6, 0, 12, 12);
}

static void test_map_net_rejects_numerator_above_denominator(void **state)
{
    struct qpp_group g = group(120, 92, 5, 3, 93, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_NET, 0);

    (void)state;
    assert_int_equal(m.code, QPP_NEGATIVE_NOT_MET);
}

static void test_map_net_rejects_eligible_overflow(void **state)
{
    struct qpp_group g = group(ABSENT, LLONG_MAX, 1, 0, 0, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_NET, 0);

    (void)state;
    assert_int_equal(m.code, QPP_COUNT_OVERFLOW);
}

static void test_map_rejects_denominator_above_initial_population(void **state)
{
    struct qpp_group g = group(90, 100, 5, 3, 60, ABSENT);

    (void)state;
    assert_int_equal(map(&g, QPP_COUNTS_GROSS, 0).code, QPP_DENOMINATOR_EXCEEDS_IP);
    assert_int_equal(map(&g, QPP_COUNTS_NET, 0).code, QPP_DENOMINATOR_EXCEEDS_IP);
}

/* Net counts: the eligible population (denominator + exclusions +
 * exceptions) is what the initial population bounds: 95 + 4 + 2 = 101. */
static void test_map_net_eligible_above_initial_population(void **state)
{
    struct qpp_group over = group(100, 95, 4, 2, 50, ABSENT);
    struct qpp_group equal = group(100, 94, 4, 2, 50, ABSENT);

    (void)state;
    assert_int_equal(map(&over, QPP_COUNTS_GROSS, 0).code, QPP_NCODES);
    assert_int_equal(map(&over, QPP_COUNTS_NET, 0).code, QPP_DENOMINATOR_EXCEEDS_IP);
    assert_int_equal(map(&equal, QPP_COUNTS_NET, 0).code, QPP_NCODES);
    assert_int_equal(map(&equal, QPP_COUNTS_NET, 0).v.eligible, 100);
}

static void test_map_denominator_equal_to_initial_population_is_fine(void **state)
{
    struct qpp_group g = group(100, 100, 5, 3, 60, ABSENT);

    (void)state;
    assert_int_equal(map(&g, QPP_COUNTS_GROSS, 0).code, QPP_NCODES);
}

static void test_map_missing_denominator_is_not_proportion(void **state)
{
    struct qpp_group g = group(100, ABSENT, 5, 3, 60, ABSENT);

    (void)state;
    assert_int_equal(map(&g, QPP_COUNTS_GROSS, 0).code, QPP_NOT_PROPORTION);
    assert_int_equal(map(&g, QPP_COUNTS_NET, 0).code, QPP_NOT_PROPORTION);
}

static void test_map_missing_numerator_is_not_proportion(void **state)
{
    struct qpp_group g = group(100, 100, 5, 3, ABSENT, ABSENT);

    (void)state;
    assert_int_equal(map(&g, QPP_COUNTS_GROSS, 0).code, QPP_NOT_PROPORTION);
}

static void test_map_no_populations_is_not_proportion(void **state)
{
    struct qpp_group g = group(ABSENT, ABSENT, ABSENT, ABSENT, ABSENT, ABSENT);

    (void)state;
    assert_int_equal(map(&g, QPP_COUNTS_GROSS, 0).code, QPP_NOT_PROPORTION);
}

static void test_map_registry_folds_exclusions_out_of_eligible(void **state)
{
    struct qpp_group g = group(120, 100, 5, 3, 60, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_GROSS, 1);

    (void)state;
    /* CMS: registry CQMs report exclusion 0, excluded patients removed. */
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 95, 0, 3, 60, 32);
}

static void test_map_registry_with_net_counts(void **state)
{
    struct qpp_group g = group(120, 92, 5, 3, 60, ABSENT);
    struct mapped m = map(&g, QPP_COUNTS_NET, 1);

    (void)state;
    assert_int_equal(m.code, QPP_NCODES);
    assert_value(&m.v, 95, 0, 3, 60, 32);
}

static void test_map_values_add_up_to_eligible(void **state)
{
    /* met + notMet + exclusion + exception = eligible for eCQMs. */
    static const long long cases[][6] = {
        {120, 100, 5, 3, 60, ABSENT}, {10, 10, 0, 0, 10, ABSENT}, {50, 40, 10, 0, 0, 0},
        {50, 40, 10, 5, 25, 5},       {7, 7, 7, 0, 0, ABSENT},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct qpp_group g = group(cases[i][0], cases[i][1], cases[i][2], cases[i][3],
                                   cases[i][4], cases[i][5]);
        struct mapped m = map(&g, QPP_COUNTS_GROSS, 0);
        assert_int_equal(m.code, QPP_NCODES);
        assert_true(m.v.met + m.v.not_met + m.v.exclusion + m.v.exception ==
                    m.v.eligible);
        assert_true(m.v.not_met >= 0);
    }
}

static void test_map_add_sums_counts_and_presence(void **state)
{
    struct qpp_group a = group(10, 8, ABSENT, ABSENT, 4, ABSENT);
    struct qpp_group b = group(5, 5, 1, 2, 3, ABSENT);

    (void)state;
    assert_int_equal(qpp_map_add(&a, &b), 0);
    assert_true(a.count[QPP_POP_IP] == 15);
    assert_true(a.count[QPP_POP_DENOM] == 13);
    assert_true(a.count[QPP_POP_DENEX] == 1);
    assert_true(a.count[QPP_POP_DENEXCEP] == 2);
    assert_true(a.count[QPP_POP_NUMER] == 7);
    assert_true(a.count[QPP_POP_NUMEX] == 0);
    assert_int_equal(a.present, (1u << QPP_POP_IP) | (1u << QPP_POP_DENOM) |
                                    (1u << QPP_POP_DENEX) | (1u << QPP_POP_DENEXCEP) |
                                    (1u << QPP_POP_NUMER));
}

static void test_map_add_into_empty_group_copies(void **state)
{
    struct qpp_group a, b = group(120, 100, 5, 3, 60, ABSENT);
    int k;

    (void)state;
    memset(&a, 0, sizeof a);
    assert_int_equal(qpp_map_add(&a, &b), 0);
    for (k = 0; k < QPP_NPOP; k++)
        assert_true(a.count[k] == b.count[k]);
    assert_int_equal(a.present, b.present);
}

static void test_map_add_rejects_overflow(void **state)
{
    struct qpp_group a = group(LLONG_MAX, 1, 0, 0, 0, ABSENT);
    struct qpp_group b = group(1, 1, 0, 0, 0, ABSENT);

    (void)state;
    assert_int_equal(qpp_map_add(&a, &b), -1);
}

static void test_map_value_has_rate(void **state)
{
    struct qpp_value v;

    (void)state;
    memset(&v, 0, sizeof v);
    v.eligible = 5;
    v.exclusion = 5;
    assert_false(qpp_value_has_rate(&v));
    v.not_met = 1;
    assert_true(qpp_value_has_rate(&v));
    v.not_met = 0;
    v.met = 1;
    assert_true(qpp_value_has_rate(&v));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_map_gross_reference_example),
        cmocka_unit_test(test_map_gross_absent_exclusion_and_exception_are_zero),
        cmocka_unit_test(test_map_gross_without_initial_population),
        cmocka_unit_test(test_map_gross_subtracts_numerator_exclusion),
        cmocka_unit_test(test_map_gross_numerator_exclusion_equal_to_numerator),
        cmocka_unit_test(test_map_rejects_numerator_exclusion_above_numerator),
        cmocka_unit_test(test_map_all_zero_counts_map_to_zeros),
        cmocka_unit_test(test_map_rejects_negative_not_met_with_net_hint),
        cmocka_unit_test(test_map_negative_not_met_without_exclusions_gives_no_net_hint),
        cmocka_unit_test(test_map_numerator_above_denominator_gives_no_net_hint),
        cmocka_unit_test(test_map_gross_not_met_exactly_zero_is_fine),
        cmocka_unit_test(test_map_gross_huge_counts_do_not_wrap),
        cmocka_unit_test(test_map_net_adds_exclusions_back),
        cmocka_unit_test(test_map_net_clinical_reasoning_subject_list_example),
        cmocka_unit_test(test_map_net_rejects_numerator_above_denominator),
        cmocka_unit_test(test_map_net_rejects_eligible_overflow),
        cmocka_unit_test(test_map_rejects_denominator_above_initial_population),
        cmocka_unit_test(test_map_net_eligible_above_initial_population),
        cmocka_unit_test(test_map_denominator_equal_to_initial_population_is_fine),
        cmocka_unit_test(test_map_missing_denominator_is_not_proportion),
        cmocka_unit_test(test_map_missing_numerator_is_not_proportion),
        cmocka_unit_test(test_map_no_populations_is_not_proportion),
        cmocka_unit_test(test_map_registry_folds_exclusions_out_of_eligible),
        cmocka_unit_test(test_map_registry_with_net_counts),
        cmocka_unit_test(test_map_values_add_up_to_eligible),
        cmocka_unit_test(test_map_add_sums_counts_and_presence),
        cmocka_unit_test(test_map_add_into_empty_group_copies),
        cmocka_unit_test(test_map_add_rejects_overflow),
        cmocka_unit_test(test_map_value_has_rate),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
