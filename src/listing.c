/* SPDX-License-Identifier: MIT */
/* --list-measures: see listing.h. */
#include "listing.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util.h"

/* A field: tabs and line ends inside it (CMS's titles have some) would break
 * the one-line, tab-separated format, so each run of control characters
 * becomes one space. */
static void add_field(struct qpp_buf *b, const char *s, const char *sep)
{
    int space = 0;

    for (; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;

        if (ch < 0x20 || ch == 0x7f) {
            if (!space)
                qpp_buf_addn(b, " ", 1);
            space = 1;
        } else {
            qpp_buf_addn(b, s, 1);
            space = ch == ' ';
        }
    }
    qpp_buf_add(b, sep);
}

static void add_list(struct qpp_buf *b, const char *const *v, size_t n)
{
    size_t k;

    for (k = 0; k < n; k++)
        add_field(b, v[k], k + 1 < n ? "," : "");
    qpp_buf_add(b, n ? "\t" : "-\t");
}

static void add_measure(struct qpp_buf *b, const struct qpp_measure *m)
{
    add_field(b, m->id, "\t");
    add_field(b, m->emeasure_id ? m->emeasure_id : "-", "\t");
    add_field(b, m->metric_type, "\t");
    add_field(b, m->overall_algorithm ? m->overall_algorithm : "-", "\t");
    add_list(b, m->strata, m->nstrata);
    add_list(b, m->methods, m->nmethods);
    add_field(b, m->title, "\n");
}

/* "CMS130" or "CMS130v13" in any case: the number, and the version (0 when
 * none); returns 0 when s is not that. */
static int parse_cms(const char *s, unsigned long *num, unsigned long *ver)
{
    size_t n;

    if (strncasecmp(s, "CMS", 3) != 0 || !(n = strspn(s + 3, "0123456789")) || n > 6)
        return 0;
    *num = strtoul(s + 3, NULL, 10);
    *ver = 0;
    s += 3 + n;
    if (*s == 'v' || *s == 'V') {
        if (!(n = strspn(s + 1, "0123456789")) || n > 6 || s[1 + n])
            return 0;
        *ver = strtoul(s + 1, NULL, 10);
        return 1;
    }
    return *s == '\0';
}

int qpp_listing_match(const struct qpp_measure *m, const char *key)
{
    size_t n = strlen(key);
    unsigned long num, ver, mnum, mver;

    if (n > 0 && n <= 3 && strspn(key, "0123456789") == n) {
        char id[4] = "000";
        memcpy(id + 3 - n, key, n);
        return strcmp(m->id, id) == 0;
    }
    if (strcasecmp(m->id, key) == 0)
        return 1;
    if (!m->emeasure_id || !parse_cms(key, &num, &ver) ||
        !parse_cms(m->emeasure_id, &mnum, &mver))
        return 0;
    return num == mnum && (!ver || ver == mver);
}

int qpp_listing_measures(const struct qpp_catalog_year *y, const char *const *keys,
                         size_t nkeys, char **out, struct qpp_diags *d)
{
    struct qpp_buf b;
    size_t i, k;
    int rc = 0;

    *out = NULL;
    for (k = 0; k < nkeys; k++) {
        for (i = 0; i < y->nmeasures && !qpp_listing_match(&y->measures[i], keys[k]); i++)
            ;
        if (i == y->nmeasures) {
            char year[16] = "the file's";
            if (y->year)
                snprintf(year, sizeof year, "%d's", y->year);
            qpp_diag(d, QPP_MEASURE_NOT_IN_YEAR, NULL, NULL,
                     "no quality measure '%s' in %s data: give a QPP measureId "
                     "(113) or a CMS number (CMS130)",
                     keys[k], year);
            rc = -1;
        }
    }
    if (rc < 0)
        return -1;
    qpp_buf_init(&b);
    qpp_buf_add(&b, QPP_LISTING_HEADER);
    for (i = 0; i < y->nmeasures; i++) {
        for (k = 0; k < nkeys && !qpp_listing_match(&y->measures[i], keys[k]); k++)
            ;
        if (!nkeys || k < nkeys)
            add_measure(&b, &y->measures[i]);
    }
    *out = qpp_buf_take(&b);
    if (!*out) {
        qpp_diag_nomem(d);
        return -1;
    }
    return 0;
}
