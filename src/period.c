/* SPDX-License-Identifier: MIT */
/* FHIR date/dateTime parsing and performance-year logic; see period.h. */
#include "period.h"

#include <ctype.h>
#include <string.h>

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && leap(y) ? 29 : dm[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static long long days_from_civil(int y, int m, int d)
{
    long long yy = y - (m <= 2);
    long long era = (yy >= 0 ? yy : yy - 399) / 400;
    long long yoe = yy - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, struct qpp_date *out)
{
    long long era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    out->day = (int)(doy - (153 * mp + 2) / 5 + 1);
    out->month = (int)(mp < 10 ? mp + 3 : mp - 9);
    out->year = (int)(yoe + era * 400 + (out->month <= 2));
}

/* n digits at *p into *v; advances *p. */
static int digits(const char **p, int n, int *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return -1;
        *v = *v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    return 0;
}

int qpp_when_parse(const char *s, int is_end, struct qpp_when *out)
{
    int y, mo = 0, d = 0, h = 0, mi = 0, sec = 0, off = 0;
    int has_month = 0, has_day = 0;
    const char *p = s;

    if (!s || digits(&p, 4, &y) < 0 || y < 1)
        return -1;
    if (*p == '-') {
        p++;
        if (digits(&p, 2, &mo) < 0 || mo < 1 || mo > 12)
            return -1;
        has_month = 1;
        if (*p == '-') {
            p++;
            if (digits(&p, 2, &d) < 0 || d < 1 || d > days_in_month(y, mo))
                return -1;
            has_day = 1;
        }
    }
    if (!has_month)
        mo = is_end ? 12 : 1;
    if (!has_day)
        d = is_end ? days_in_month(y, mo) : 1;
    out->local.year = y;
    out->local.month = mo;
    out->local.day = d;
    if (*p == '\0') {
        out->utc = out->local;
        out->instant = days_from_civil(y, mo, d) * 86400 + (is_end ? 86399 : 0);
        return 0;
    }
    /* A time needs a full date and a zone (FHIR dateTime). */
    if (!has_day || *p++ != 'T')
        return -1;
    if (digits(&p, 2, &h) < 0 || *p++ != ':' || digits(&p, 2, &mi) < 0 || *p++ != ':' ||
        digits(&p, 2, &sec) < 0 || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p))
            return -1;
        while (isdigit((unsigned char)*p))
            p++;
    }
    if (*p == 'Z') {
        p++;
    } else if (*p == '+' || *p == '-') {
        int sign = *p++ == '-' ? -1 : 1, oh, om;

        /* FHIR allows offsets up to 14:00. */
        if (digits(&p, 2, &oh) < 0 || *p++ != ':' || digits(&p, 2, &om) < 0 || oh > 14 ||
            om > 59 || (oh == 14 && om > 0))
            return -1;
        off = sign * (oh * 3600 + om * 60);
    } else {
        return -1;
    }
    if (*p != '\0')
        return -1;
    out->instant = days_from_civil(y, mo, d) * 86400 + (long long)h * 3600 +
                   (long long)mi * 60 + sec - off;
    civil_from_days(out->instant >= 0 ? out->instant / 86400
                                      : -((-out->instant + 86399) / 86400),
                    &out->utc);
    return 0;
}

int qpp_when_in_year(const struct qpp_when *w, int year)
{
    return w->local.year == year || w->utc.year == year;
}

static long long day_number(const struct qpp_date *dt)
{
    return days_from_civil(dt->year, dt->month, dt->day);
}

int qpp_period_covers_year(const struct qpp_when *start, const struct qpp_when *end,
                           int year)
{
    long long first = days_from_civil(year, 1, 1), last = days_from_civil(year, 12, 31);
    long long s = last + 1, e = first - 1; /* nothing covered yet */

    /* Of the two readings, take the one in the year that covers the most. */
    if (start->local.year == year)
        s = day_number(&start->local);
    if (start->utc.year == year && day_number(&start->utc) < s)
        s = day_number(&start->utc);
    if (end->local.year == year)
        e = day_number(&end->local);
    if (end->utc.year == year && day_number(&end->utc) > e)
        e = day_number(&end->utc);
    return s <= first + 1 && e >= last - 1;
}
