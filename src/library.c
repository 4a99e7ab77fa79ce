/* SPDX-License-Identifier: MIT */
/* The quality-program Library; see library.h. */
#include "library.h"

#include <string.h>

#include "util.h"

#define QUALITY_PROGRAM_SYSTEM                                                           \
    "http://hl7.org/fhir/us/cqfmeasures/CodeSystem/quality-programs"

void qpp_canon_free(struct qpp_canon *c)
{
    qpp_free(c->url);
    qpp_free(c->version);
    c->url = c->version = NULL;
}

int qpp_canon_split(const char *s, struct qpp_canon *c)
{
    const char *bar = strrchr(s, '|');

    c->url = bar ? qpp_strndup(s, (size_t)(bar - s)) : qpp_strdup(s);
    c->version = bar ? qpp_strdup(bar + 1) : NULL;
    if (!c->url || (bar && !c->version)) {
        qpp_canon_free(c);
        return -1;
    }
    if (c->version && !*c->version) {
        qpp_free(c->version);
        c->version = NULL;
    }
    return 0;
}

static int is_qpp_program(json_t *library)
{
    json_t *uses = json_object_get(library, "useContext"), *u, *c;
    size_t i, k;

    json_array_foreach(uses, i, u)
    {
        json_t *codings =
            json_object_get(json_object_get(u, "valueCodeableConcept"), "coding");
        if (!qpp_streq(
                json_string_value(json_object_get(json_object_get(u, "code"), "code")),
                "program"))
            continue;
        json_array_foreach(codings, k, c)
        {
            if (qpp_streq(json_string_value(json_object_get(c, "code")), "qpp") &&
                qpp_streq(json_string_value(json_object_get(c, "system")),
                          QUALITY_PROGRAM_SYSTEM))
                return 1;
        }
    }
    return 0;
}

/* -L names a Library by id, Library/id, url or url|version (DESIGN 1). */
static int names_library(const struct qpp_resource *r, const char *want)
{
    const char *id = qpp_ref_id(want, "Library");
    const char *bar = strrchr(want, '|');

    if (qpp_streq(r->id, want) || (id && qpp_streq(r->id, id)) || qpp_streq(r->url, want))
        return 1;
    return bar && r->url && r->version && strlen(r->url) == (size_t)(bar - want) &&
           strncmp(r->url, want, (size_t)(bar - want)) == 0 &&
           strcmp(r->version, bar + 1) == 0;
}

const struct qpp_resource *qpp_library_find(const struct qpp_index *ix, const char *want,
                                            struct qpp_diags *d)
{
    const struct qpp_resource *found = NULL;
    struct qpp_buf names;
    size_t i, k, n = 0;

    qpp_buf_init(&names);
    if (want) {
        for (i = 0; i < ix->nres[QPP_LIBRARY]; i++) {
            if (names_library(&ix->res[QPP_LIBRARY][i], want)) {
                found = &ix->res[QPP_LIBRARY][i];
                n++;
            }
        }
        if (n == 0) {
            for (i = 0; i < ix->nres[QPP_LIBRARY]; i++)
                qpp_buf_add_item(&names, i, ix->nres[QPP_LIBRARY],
                                 ix->res[QPP_LIBRARY][i].name);
            qpp_diag(d, QPP_LIBRARY_NOT_FOUND, NULL, NULL,
                     "the input holds no Library with id, url or url|version %s "
                     "(it holds %s)",
                     want, names.len ? names.s : "none");
        } else if (n > 1) { /* versions of one url */
            for (i = 0, k = 0; i < ix->nres[QPP_LIBRARY]; i++) {
                const struct qpp_resource *r = &ix->res[QPP_LIBRARY][i];
                if (names_library(r, want))
                    qpp_buf_add_item(&names, k++, n, r->version ? r->version : "none");
            }
            qpp_diag(d, QPP_LIBRARY_AMBIGUOUS, NULL, NULL,
                     "the input holds %zu Libraries named %s (versions %s); give "
                     "url|version",
                     n, want, names.s ? names.s : "");
        }
        goto out;
    }
    for (i = 0; i < ix->nres[QPP_LIBRARY]; i++) {
        if (is_qpp_program(ix->res[QPP_LIBRARY][i].json)) {
            found = &ix->res[QPP_LIBRARY][i];
            n++;
        }
    }
    if (n == 1)
        return found;
    for (i = 0, k = 0; n > 1 && i < ix->nres[QPP_LIBRARY]; i++)
        if (is_qpp_program(ix->res[QPP_LIBRARY][i].json))
            qpp_buf_add_item(&names, k++, n, ix->res[QPP_LIBRARY][i].name);
    if (n == 0)
        qpp_diag(d, QPP_LIBRARY_MISSING, NULL, NULL,
                 "the input holds no quality-program Library (useContext program qpp; "
                 "%zu other Libraries): list the measures in one "
                 "(examples/templates/library.json), name one with -L, or convert "
                 "without with --no-program-library",
                 ix->nres[QPP_LIBRARY]);
    else if (n > 1)
        qpp_diag(d, QPP_LIBRARY_AMBIGUOUS, NULL, NULL,
                 "the input holds %zu quality-program Libraries (%s); choose one with -L",
                 n, names.s ? names.s : "");
out:
    if (names.failed) /* the message lacks its evidence */
        qpp_diag_nomem(d);
    qpp_buf_free(&names);
    return n == 1 ? found : NULL;
}

/* A relative Measure/id entry compares by the Measure's url when the input
 * holds it.  -1 when out of memory. */
static int entry_by_url(struct qpp_canon *c, const struct qpp_index *ix)
{
    const struct qpp_resource *m =
        qpp_index_find(ix, QPP_MEASURE, qpp_ref_id(c->url, "Measure"));
    char *url, *ver;

    if (!m || !m->url)
        return 0;
    url = qpp_strdup(m->url);
    ver = m->version && !c->version ? qpp_strdup(m->version) : NULL;
    if (!url || (m->version && !c->version && !ver)) {
        qpp_free(url);
        qpp_free(ver);
        return -1;
    }
    qpp_free(c->url);
    c->url = url;
    if (ver)
        c->version = ver;
    return 0;
}

int qpp_library_read(struct qpp_library *lib, const struct qpp_resource *res,
                     const struct qpp_index *ix, struct qpp_diags *d)
{
    json_t *arts = json_object_get(res->json, "relatedArtifact"), *a;
    size_t i;

    lib->res = res;
    if (!is_qpp_program(res->json)) {
        struct qpp_place at = qpp_resource_place(res);
        qpp_diag(d, QPP_LIBRARY_NOT_QPP, &at, "/useContext",
                 "the Library is not marked as a qpp quality program; used as asked");
    }
    lib->entries = qpp_calloc(json_array_size(arts) + 1, sizeof *lib->entries);
    lib->artifact = qpp_calloc(json_array_size(arts) + 1, sizeof *lib->artifact);
    if (!lib->entries || !lib->artifact)
        return -1;
    json_array_foreach(arts, i, a)
    {
        const char *ref = json_string_value(json_object_get(a, "resource"));
        struct qpp_canon *c = &lib->entries[lib->nentries];

        if (!ref ||
            !qpp_streq(json_string_value(json_object_get(a, "type")), "composed-of") ||
            (!strstr(ref, "/Measure/") && !qpp_ref_id(ref, "Measure")))
            continue;
        if (qpp_canon_split(ref, c) < 0)
            return -1;
        if (qpp_ref_id(c->url, "Measure") && entry_by_url(c, ix) < 0) {
            qpp_canon_free(c);
            return -1;
        }
        lib->artifact[lib->nentries++] = i;
    }
    return 0;
}

void qpp_library_free(struct qpp_library *lib)
{
    size_t i;

    for (i = 0; i < lib->nentries; i++)
        qpp_canon_free(&lib->entries[i]);
    qpp_free(lib->entries);
    qpp_free(lib->artifact);
    memset(lib, 0, sizeof *lib);
}

const struct qpp_canon *qpp_library_entry(const struct qpp_library *lib, const char *url,
                                          size_t *pos)
{
    size_t i;

    for (i = 0; i < lib->nentries; i++) {
        if (strcmp(lib->entries[i].url, url) == 0) {
            *pos = i;
            return &lib->entries[i];
        }
    }
    return NULL;
}

void qpp_library_check(const struct qpp_library *lib, const struct qpp_report *r,
                       const struct qpp_canon *c, const struct qpp_resource *m,
                       size_t *order, struct qpp_diags *d)
{
    struct qpp_place at = qpp_report_place(r);
    const char *url = c->url, *version = c->version;
    const struct qpp_canon *entry;

    if (m && m->url && qpp_ref_id(url, "Measure")) {
        url = m->url;
        version = version ? version : m->version;
    }
    if (m && !version)
        version = m->version;
    entry = qpp_library_entry(lib, url, order);
    if (!entry)
        qpp_diag(d, QPP_NOT_IN_LIBRARY, &at, "/measure", "%s is not a measure of %s", url,
                 lib->res->name);
    else if (entry->version && version && strcmp(entry->version, version) != 0)
        qpp_diag(d, QPP_VERSION_MISMATCH, &at, "/measure",
                 "the report is for version %s of the measure, %s lists version %s",
                 version, lib->res->name, entry->version);
}
