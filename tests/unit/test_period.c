/* SPDX-License-Identifier: MIT */
/* Unit tests for period.c: FHIR date/dateTime parsing and performance years. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "period.h"
#include "testutil.h"

#define DAY 86400LL

/* Parse or fail the test. */
static struct qpp_when when(const char *text, int is_end)
{
    struct qpp_when w;

    memset(&w, 0, sizeof w);
    if (qpp_when_parse(text, is_end, &w) != 0)
        fail_msg("%s did not parse", text);
    return w;
}

static void assert_date(const struct qpp_date *d, int y, int m, int day)
{
    if (d->year != y || d->month != m || d->day != day)
        fail_msg("got %04d-%02d-%02d, want %04d-%02d-%02d", d->year, d->month, d->day, y,
                 m, day);
}

static void assert_invalid(const char *text)
{
    struct qpp_when w;

    if (qpp_when_parse(text, 0, &w) != -1 || qpp_when_parse(text, 1, &w) != -1)
        fail_msg("\"%s\" parsed but is not a FHIR date or dateTime", text);
}

/* Days from 1970-01-01, for expected instants: 2019-01-01 is day 17897
 * (49 years of 365 days plus 12 leap days: 1972 ... 2016). */
static void test_period_date_start_and_end(void **state)
{
    struct qpp_when s = when("2019-01-01", 0), e = when("2019-01-01", 1);

    (void)state;
    assert_date(&s.local, 2019, 1, 1);
    assert_date(&s.utc, 2019, 1, 1);
    assert_true(s.instant == 17897 * DAY);
    /* A date as an end reaches to the last second of its day. */
    assert_date(&e.local, 2019, 1, 1);
    assert_true(e.instant == 17897 * DAY + 86399);
}

static void test_period_epoch_is_zero(void **state)
{
    struct qpp_when w = when("1970-01-01T00:00:00Z", 0);

    (void)state;
    assert_true(w.instant == 0);
    assert_date(&w.utc, 1970, 1, 1);
}

static void test_period_year_only_start_and_end(void **state)
{
    struct qpp_when s = when("2025", 0), e = when("2025", 1);

    (void)state;
    assert_date(&s.local, 2025, 1, 1);
    assert_date(&s.utc, 2025, 1, 1);
    assert_date(&e.local, 2025, 12, 31);
    assert_date(&e.utc, 2025, 12, 31);
    assert_true(e.instant - s.instant == 365 * DAY - 1);
}

static void test_period_year_month_start_and_end(void **state)
{
    struct qpp_when s = when("2025-04", 0), e = when("2025-04", 1);

    (void)state;
    assert_date(&s.local, 2025, 4, 1);
    assert_date(&e.local, 2025, 4, 30);
}

static void test_period_year_month_end_of_february(void **state)
{
    struct qpp_when leap = when("2024-02", 1), plain = when("2025-02", 1);
    struct qpp_when century = when("1900-02", 1), y2000 = when("2000-02", 1);

    (void)state;
    assert_date(&leap.local, 2024, 2, 29);
    assert_date(&plain.local, 2025, 2, 28);
    assert_date(&century.local, 1900, 2, 28);
    assert_date(&y2000.local, 2000, 2, 29);
}

static void test_period_datetime_utc(void **state)
{
    struct qpp_when w = when("2019-01-01T12:30:15Z", 0);

    (void)state;
    assert_date(&w.local, 2019, 1, 1);
    assert_date(&w.utc, 2019, 1, 1);
    assert_true(w.instant == 17897 * DAY + 12 * 3600 + 30 * 60 + 15);
}

static void test_period_datetime_offset_converts_to_next_utc_year(void **state)
{
    struct qpp_when w = when("2018-12-31T17:00:00-07:00", 0);

    (void)state;
    /* 17:00 at UTC-7 is midnight UTC of the next day. */
    assert_date(&w.local, 2018, 12, 31);
    assert_date(&w.utc, 2019, 1, 1);
    assert_true(w.instant == 17897 * DAY);
}

static void
test_period_datetime_positive_offset_converts_to_previous_utc_day(void **state)
{
    struct qpp_when w = when("2019-01-01T01:00:00+02:00", 0);

    (void)state;
    assert_date(&w.local, 2019, 1, 1);
    assert_date(&w.utc, 2018, 12, 31);
    assert_true(w.instant == 17897 * DAY - 3600);
}

static void test_period_datetime_before_epoch_converts_to_previous_day(void **state)
{
    struct qpp_when w = when("1970-01-01T00:00:00+01:00", 0);

    (void)state;
    assert_true(w.instant == -3600);
    assert_date(&w.utc, 1969, 12, 31);
}

static void test_period_datetime_fraction_and_z(void **state)
{
    struct qpp_when w = when("2026-01-01T05:00:00.000Z", 0);
    struct qpp_when f = when("2026-12-31T05:00:00.123456Z", 1);

    (void)state;
    assert_date(&w.local, 2026, 1, 1);
    assert_date(&w.utc, 2026, 1, 1);
    assert_date(&f.local, 2026, 12, 31);
    assert_date(&f.utc, 2026, 12, 31);
}

static void test_period_datetime_leap_second_accepted(void **state)
{
    struct qpp_when w;

    (void)state;
    /* FHIR's dateTime pattern allows second 60. */
    assert_int_equal(qpp_when_parse("2016-12-31T23:59:60Z", 1, &w), 0);
    assert_date(&w.local, 2016, 12, 31);
}

static void test_period_datetime_end_keeps_its_time(void **state)
{
    /* is_end only fills in missing parts; a full dateTime is an instant. */
    struct qpp_when s = when("2025-03-01T10:00:00Z", 0),
                    e = when("2025-03-01T10:00:00Z", 1);

    (void)state;
    assert_true(s.instant == e.instant);
}

static void test_period_feb_29_in_leap_years(void **state)
{
    struct qpp_when w;

    (void)state;
    assert_int_equal(qpp_when_parse("2024-02-29", 0, &w), 0);
    assert_date(&w.local, 2024, 2, 29);
    assert_int_equal(qpp_when_parse("2000-02-29", 0, &w), 0);
    assert_int_equal(qpp_when_parse("2024-02-29T00:00:00Z", 0, &w), 0);
}

static void test_period_rejects_impossible_dates(void **state)
{
    (void)state;
    assert_invalid("2025-13-01");
    assert_invalid("2025-00-10");
    assert_invalid("2025-13");
    assert_invalid("2025-01-00");
    assert_invalid("2025-01-32");
    assert_invalid("2025-04-31");
    assert_invalid("2025-02-29"); /* 2025 is not a leap year */
    assert_invalid("2023-02-30");
    assert_invalid("2024-02-30");
    assert_invalid("1900-02-29"); /* a century that is not a leap year */
}

static void test_period_rejects_datetime_without_zone(void **state)
{
    (void)state;
    assert_invalid("2025-01-01T00:00:00");
    assert_invalid("2025-01-01T00:00:00.000");
}

static void test_period_rejects_time_without_day(void **state)
{
    (void)state;
    assert_invalid("2025-01T00:00:00Z");
    assert_invalid("2025T00:00:00Z");
}

static void test_period_rejects_bad_times_and_offsets(void **state)
{
    (void)state;
    assert_invalid("2025-01-01T24:00:00Z");
    assert_invalid("2025-01-01T12:60:00Z");
    assert_invalid("2025-01-01T12:00:61Z");
    assert_invalid("2025-01-01T12:00Z");
    assert_invalid("2025-01-01T12:00:00.Z");
    assert_invalid("2025-01-01T12:00:00+0700");
    assert_invalid("2025-01-01T12:00:00+7:00");
    assert_invalid("2025-01-01T12:00:00+15:00");
    assert_invalid("2025-01-01T12:00:00+05:60");
    assert_invalid("2025-01-01t12:00:00Z");
    assert_invalid("2025-01-01T12:00:00z");
}

static void test_period_rejects_garbage(void **state)
{
    struct qpp_when w;

    (void)state;
    assert_invalid("");
    assert_invalid("abcd");
    assert_invalid("202");
    assert_invalid("20250101");
    assert_invalid("2025-1-01");
    assert_invalid("2025-01-1");
    assert_invalid("2025/01/01");
    assert_invalid("2025-01-01 ");
    assert_invalid(" 2025-01-01");
    assert_invalid("2025-01-01T");
    assert_invalid("2025-01-01Z");
    assert_invalid("0000-01-01");
    assert_invalid("2025-01-01T12:00:00Zjunk");
    assert_int_equal(qpp_when_parse(NULL, 0, &w), -1);
}

static void test_period_in_year_by_local_date(void **state)
{
    struct qpp_when w = when("2025-06-15", 0);

    (void)state;
    assert_true(qpp_when_in_year(&w, 2025));
    assert_false(qpp_when_in_year(&w, 2024));
    assert_false(qpp_when_in_year(&w, 2026));
}

static void test_period_in_year_by_either_reading(void **state)
{
    struct qpp_when w = when("2018-12-31T17:00:00-07:00", 0);

    (void)state;
    /* Written in 2018, but 2019 in UTC: in both years. */
    assert_true(qpp_when_in_year(&w, 2018));
    assert_true(qpp_when_in_year(&w, 2019));
    assert_false(qpp_when_in_year(&w, 2020));
}

static int covers(const char *start, const char *end, int year)
{
    struct qpp_when s = when(start, 0), e = when(end, 1);

    return qpp_period_covers_year(&s, &e, year);
}

static void test_period_covers_full_year_dates(void **state)
{
    (void)state;
    assert_true(covers("2025-01-01", "2025-12-31", 2025));
    assert_false(covers("2025-01-01", "2025-12-31", 2024));
    assert_false(covers("2025-01-01", "2025-12-31", 2026));
}

static void test_period_covers_full_year_partial_dates(void **state)
{
    (void)state;
    assert_true(covers("2025", "2025", 2025));
    assert_true(covers("2025-01", "2025-12", 2025));
}

static void test_period_covers_local_midnights_written_in_utc(void **state)
{
    (void)state;
    /* fqm-execution: US local midnights written as 05:00Z. */
    assert_true(covers("2026-01-01T05:00:00.000Z", "2026-12-31T05:00:00.000Z", 2026));
}

static void test_period_covers_offset_datetimes(void **state)
{
    (void)state;
    assert_true(covers("2019-01-01T00:00:00-07:00", "2019-12-31T23:59:59-07:00", 2019));
    /* cqf-ruler writes the end as midnight of the last day. */
    assert_true(covers("2019-01-01T00:00:00-07:00", "2019-12-31T00:00:00-07:00", 2019));
}

static void test_period_covers_shifted_utc_midnights(void **state)
{
    (void)state;
    /* EXM104 connectathon bundles: UTC midnights written at UTC-7. */
    assert_true(covers("2018-12-31T17:00:00-07:00", "2019-12-30T17:00:00-07:00", 2019));
}

static void test_period_does_not_cover_a_month(void **state)
{
    (void)state;
    assert_false(covers("2025-01-01", "2025-01-31", 2025));
    assert_false(covers("2025-12-01", "2025-12-31", 2025));
    assert_false(covers("2022-01-01T00:00:00-07:00", "2022-01-31T23:59:59-07:00", 2022));
}

static void test_period_covers_with_one_day_of_slack(void **state)
{
    (void)state;
    /* A day or less missing at either end is slack, not a short period. */
    assert_true(covers("2025-01-02", "2025-12-31", 2025));
    assert_true(covers("2025-01-01", "2025-12-30", 2025));
    assert_true(covers("2025-01-02", "2025-12-30", 2025));
}

static void test_period_does_not_cover_when_two_days_short(void **state)
{
    (void)state;
    assert_false(covers("2025-01-03", "2025-12-31", 2025));
    assert_false(covers("2025-01-01", "2025-12-29", 2025));
}

static void test_period_does_not_cover_when_an_end_is_outside(void **state)
{
    (void)state;
    assert_false(covers("2024-07-01", "2025-06-30", 2025));
    assert_false(covers("2025-07-01", "2026-06-30", 2025));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_period_date_start_and_end),
        cmocka_unit_test(test_period_epoch_is_zero),
        cmocka_unit_test(test_period_year_only_start_and_end),
        cmocka_unit_test(test_period_year_month_start_and_end),
        cmocka_unit_test(test_period_year_month_end_of_february),
        cmocka_unit_test(test_period_datetime_utc),
        cmocka_unit_test(test_period_datetime_offset_converts_to_next_utc_year),
        cmocka_unit_test(
            test_period_datetime_positive_offset_converts_to_previous_utc_day),
        cmocka_unit_test(test_period_datetime_before_epoch_converts_to_previous_day),
        cmocka_unit_test(test_period_datetime_fraction_and_z),
        cmocka_unit_test(test_period_datetime_leap_second_accepted),
        cmocka_unit_test(test_period_datetime_end_keeps_its_time),
        cmocka_unit_test(test_period_feb_29_in_leap_years),
        cmocka_unit_test(test_period_rejects_impossible_dates),
        cmocka_unit_test(test_period_rejects_datetime_without_zone),
        cmocka_unit_test(test_period_rejects_time_without_day),
        cmocka_unit_test(test_period_rejects_bad_times_and_offsets),
        cmocka_unit_test(test_period_rejects_garbage),
        cmocka_unit_test(test_period_in_year_by_local_date),
        cmocka_unit_test(test_period_in_year_by_either_reading),
        cmocka_unit_test(test_period_covers_full_year_dates),
        cmocka_unit_test(test_period_covers_full_year_partial_dates),
        cmocka_unit_test(test_period_covers_local_midnights_written_in_utc),
        cmocka_unit_test(test_period_covers_offset_datetimes),
        cmocka_unit_test(test_period_covers_shifted_utc_midnights),
        cmocka_unit_test(test_period_does_not_cover_a_month),
        cmocka_unit_test(test_period_covers_with_one_day_of_slack),
        cmocka_unit_test(test_period_does_not_cover_when_two_days_short),
        cmocka_unit_test(test_period_does_not_cover_when_an_end_is_outside),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
