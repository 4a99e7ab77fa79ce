/* SPDX-License-Identifier: MIT */
/*
 * FHIR date and dateTime values of MeasureReport.period, and how a period sits
 * in a performance year.  A value is read two ways: its date part as written,
 * and the date of the same instant in UTC (2018-12-31T17:00:00-07:00 is
 * 2019-01-01 in UTC); it lies in a year when either reading does.
 */
#ifndef QPP_PERIOD_H
#define QPP_PERIOD_H

struct qpp_date {
    int year, month, day;
};

struct qpp_when {
    struct qpp_date local; /* the date part as written */
    struct qpp_date utc;   /* the date in UTC; equals local without a time */
    long long instant;     /* seconds since 1970 in UTC, for ordering */
};

/* Parse a FHIR date or dateTime.  A partial date (YYYY, YYYY-MM) means its
 * first day when is_end is 0 and its last day when is_end is 1.  Returns 0,
 * or -1 when the text is not a valid date or dateTime. */
int qpp_when_parse(const char *text, int is_end, struct qpp_when *out);

/* 1 when the value lies in the year by either reading. */
int qpp_when_in_year(const struct qpp_when *w, int year);

/* 1 when start..end covers the year but for a day or less at either end
 * (a day of slack absorbs local midnights written in UTC). */
int qpp_period_covers_year(const struct qpp_when *start, const struct qpp_when *end,
                           int year);

#endif
