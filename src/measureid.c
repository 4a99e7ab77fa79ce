/* SPDX-License-Identifier: MIT */
/* Measure to QPP measureId; see measureid.h. */
#include "measureid.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

/* Systems whose identifier values are CMS eCQM numbers ("130FHIR"). */
static const char *const cms_id_systems[] = {
    "https://madie.cms.gov/measure/cmsId",
    "http://hl7.org/fhir/cqi/ecqm/Measure/Identifier/cms",
};

unsigned long qpp_cms_number(const char *text)
{
    const char *p = text;

    while (p && (p = strstr(p, "CMS")) != NULL) {
        /* "CMS" must start a word: a segment, or after a non-letter. */
        if ((p == text || !isalpha((unsigned char)p[-1])) && isdigit((unsigned char)p[3]))
            return strtoul(p + 3, NULL, 10);
        p += 3;
    }
    return 0;
}

static int is_cms_id_system(const char *system)
{
    size_t i;

    for (i = 0; system && i < sizeof cms_id_systems / sizeof cms_id_systems[0]; i++)
        if (strcmp(system, cms_id_systems[i]) == 0)
            return 1;
    return 0;
}

/* "1" -> "001": QPP writes numeric ids with three digits. */
static void pad_id(const char *v, char *out, size_t n)
{
    size_t len = strlen(v), i;

    for (i = 0; i < len; i++)
        if (!isdigit((unsigned char)v[i]))
            break;
    if (i == len && len < 3)
        snprintf(out, n, "%0*d%s", (int)(3 - len), 0, v);
    else
        snprintf(out, n, "%s", v);
}

static int only_digits(const char *v)
{
    if (!*v)
        return 0;
    for (; *v; v++)
        if (!isdigit((unsigned char)*v))
            return 0;
    return 1;
}

/* "130FHIR": the CMS number written the way MADiE names FHIR eCQMs, under
 * whatever system; 0 when v is not of that form. */
static unsigned long fhir_number(const char *v)
{
    char *end;
    unsigned long n;

    if (!isdigit((unsigned char)v[0]))
        return 0;
    n = strtoul(v, &end, 10);
    return strcmp(end, "FHIR") == 0 ? n : 0;
}

/* The CMS number of a Measure from its identifiers, then its url. */
static unsigned long measure_cms_number(json_t *measure, const char *url)
{
    json_t *idents = json_object_get(measure, "identifier"), *ident;
    size_t i;

    json_array_foreach(idents, i, ident)
    {
        const char *v = json_string_value(json_object_get(ident, "value"));
        const char *system = json_string_value(json_object_get(ident, "system"));

        if (!v)
            continue;
        if (is_cms_id_system(system) && isdigit((unsigned char)v[0]))
            return strtoul(v, NULL, 10); /* "130FHIR" */
        if (fhir_number(v))
            return fhir_number(v);
        if (qpp_cms_number(v))
            return qpp_cms_number(v); /* "CMS130FHIR", "CMS130v13" */
    }
    return qpp_cms_number(url);
}

enum qpp_code qpp_measureid_find(const struct qpp_catalog_year *y, const char *url,
                                 json_t *measure, const struct qpp_measure_map *maps,
                                 size_t nmaps, const struct qpp_measure **out,
                                 struct qpp_buf *how)
{
    json_t *idents = json_object_get(measure, "identifier"), *ident;
    unsigned long cms;
    char id[64];
    size_t i;

    *out = NULL;
    for (i = 0; url && i < nmaps; i++) {
        if (strcmp(maps[i].url, url) != 0)
            continue;
        pad_id(maps[i].id, id, sizeof id);
        *out = qpp_catalog_find(y, id);
        qpp_buf_printf(how, "--measure-map gives %s", id);
        return *out ? QPP_NCODES : QPP_MEASURE_NOT_IN_YEAR;
    }
    json_array_foreach(idents, i, ident)
    {
        const char *v = json_string_value(json_object_get(ident, "value"));
        const char *system = json_string_value(json_object_get(ident, "system"));

        if (!v || !qpp_concept_has(json_object_get(ident, "type"), NULL, "publisher") ||
            is_cms_id_system(system))
            continue;
        pad_id(v, id, sizeof id);
        *out = qpp_catalog_find(y, id);
        if (*out) {
            qpp_buf_printf(how, "publisher identifier %s", v);
            return QPP_NCODES;
        }
        if (only_digits(v) && strlen(v) <= 3) {
            qpp_buf_printf(how, "publisher identifier gives %s", id);
            return QPP_MEASURE_NOT_IN_YEAR;
        }
    }
    cms = measure_cms_number(measure, url);
    if (cms) {
        *out = qpp_catalog_find_cms(y, cms);
        qpp_buf_printf(how, "CMS eCQM number %lu", cms);
        if (*out) {
            qpp_buf_printf(how, " is %s", (*out)->emeasure_id);
            return QPP_NCODES;
        }
        return QPP_MEASURE_NOT_IN_YEAR;
    }
    qpp_buf_add(how, "no --measure-map, QPP publisher identifier or CMS eCQM number");
    return QPP_MEASURE_ID_UNKNOWN;
}
