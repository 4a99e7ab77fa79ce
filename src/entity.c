/* SPDX-License-Identifier: MIT */
/* Entity identifiers; see entity.h. */
#include "entity.h"

#include <ctype.h>
#include <string.h>

#include "util.h"

#define TIN_SYSTEM "urn:oid:2.16.840.1.113883.4.4"
#define NPI_SYSTEM "http://hl7.org/fhir/sid/us-npi"

enum { TIN, NPI, ENTITY_ID, NIDS };

static int kind_of(json_t *ident)
{
    const char *system = json_string_value(json_object_get(ident, "system"));

    if (qpp_concept_has(json_object_get(ident, "type"), NULL, "TAX") ||
        qpp_streq(system, TIN_SYSTEM))
        return TIN;
    if (qpp_concept_has(json_object_get(ident, "type"), NULL, "NPI") ||
        qpp_concept_has(json_object_get(ident, "type"), NULL, "PRN") ||
        qpp_streq(system, NPI_SYSTEM))
        return NPI;
    if (qpp_concept_has(json_object_get(ident, "type"), NULL, "XX"))
        return ENTITY_ID;
    return -1;
}

int qpp_entity_read(const struct qpp_resource *org, struct qpp_entity_ids *ids,
                    struct qpp_diags *d)
{
    static const char *const what[NIDS] = {"TIN", "NPI", "entity id"};
    const char *found[NIDS] = {NULL, NULL, NULL};
    json_t *idents = json_object_get(org->json, "identifier"), *ident;
    size_t i;
    int rc = 0;

    json_array_foreach(idents, i, ident)
    {
        const char *value = json_string_value(json_object_get(ident, "value"));
        int k = kind_of(ident);
        char ptr[48];

        if (k < 0 || !value)
            continue;
        if (found[k] && strcmp(found[k], value) != 0) {
            struct qpp_place at = qpp_resource_place(org);
            snprintf(ptr, sizeof ptr, "/identifier/%zu", i);
            qpp_diag(d, QPP_IDENTIFIER_CONFLICT, &at, ptr,
                     "the Organization has two different %ss", what[k]);
            rc = -1;
            continue;
        }
        found[k] = value;
    }
    ids->tin = found[TIN];
    ids->npi = found[NPI];
    ids->entity_id = found[ENTITY_ID];
    return rc;
}

static int all_digits(const char *s, size_t n)
{
    size_t i;

    if (strlen(s) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

int qpp_tin_valid(const char *s)
{
    return all_digits(s, 9);
}

int qpp_npi_valid(const char *s)
{
    /* The Luhn check over "80840" followed by the NPI (ISO 7812 card issuer
     * prefix of US health): the prefix's digits add 24 to the sum. */
    int sum = 24, i;

    if (!all_digits(s, 10))
        return 0;
    for (i = 8; i >= 0; i--) {
        int v = s[i] - '0';
        if ((8 - i) % 2 == 0) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
    }
    return (10 - sum % 10) % 10 == s[9] - '0';
}

static int needs_tin(const char *t)
{
    return strcmp(t, "individual") == 0 || strcmp(t, "group") == 0;
}

static const struct qpp_resource *choose_organization(const struct qpp_index *ix,
                                                      const char *organization_id,
                                                      const char *t, int needed,
                                                      struct qpp_diags *d)
{
    const char *reporter = NULL;
    size_t i;

    if (organization_id) {
        /* -O takes an id or a reference Organization/id. */
        const char *id = qpp_ref_id(organization_id, "Organization");
        const struct qpp_resource *org =
            qpp_index_find(ix, QPP_ORGANIZATION, id ? id : organization_id);
        if (!org)
            qpp_diag(d, QPP_ORGANIZATION_NOT_FOUND, NULL, NULL,
                     "the input holds no Organization/%s", id ? id : organization_id);
        return org;
    }
    if (ix->nres[QPP_ORGANIZATION] == 1)
        return &ix->res[QPP_ORGANIZATION][0];
    if (ix->nres[QPP_ORGANIZATION] == 0) {
        if (needed)
            qpp_diag(d, QPP_ORGANIZATION_MISSING, NULL, NULL,
                     "the input holds no Organization to name the %s entity", t);
        return NULL;
    }
    /* Several: the one every chosen report names as its reporter. */
    for (i = 0; i < ix->nreports; i++) {
        const struct qpp_report *r = ix->reports[i];
        if (!r->reporter || r->mixed_reporters ||
            (reporter && strcmp(reporter, r->reporter) != 0)) {
            reporter = NULL;
            break;
        }
        reporter = r->reporter;
    }
    if (qpp_ref_id(reporter, "Organization")) {
        const struct qpp_resource *org =
            qpp_index_find(ix, QPP_ORGANIZATION, qpp_ref_id(reporter, "Organization"));
        if (org)
            return org;
    }
    qpp_diag(d, QPP_ORGANIZATION_AMBIGUOUS, NULL, NULL,
             "the input holds %zu Organizations and the reports do not name one "
             "reporter; choose one with -O",
             ix->nres[QPP_ORGANIZATION]);
    return NULL;
}

const struct qpp_resource *
qpp_entity_choose(const struct qpp_index *ix, const char *organization_id, const char *t,
                  const char *entity_id, struct qpp_entity_ids *ids,
                  const char **entity_id_out, struct qpp_diags *d)
{
    int tin = needs_tin(t), npi = strcmp(t, "individual") == 0;
    /* An entity named by --entity-id needs no Organization (unless -O asks). */
    const struct qpp_resource *org =
        tin || !entity_id || organization_id
            ? choose_organization(ix, organization_id, t, tin || !entity_id, d)
            : NULL;

    if (org)
        qpp_entity_read(org, ids, d);
    if (tin) {
        struct qpp_place at =
            org ? qpp_resource_place(org) : (struct qpp_place){NULL, -1, -1, NULL, NULL};
        if (org && !ids->tin)
            qpp_diag(d, QPP_TIN_MISSING, &at, "/identifier",
                     "the Organization has no TIN (identifier typed TAX)");
        else if (org && !qpp_tin_valid(ids->tin))
            qpp_diag(d, QPP_TIN_INVALID, &at, "/identifier",
                     "the TIN is not 9 digits (it has %zu characters; not shown)",
                     strlen(ids->tin));
        if (npi && org && !ids->npi)
            qpp_diag(d, QPP_NPI_MISSING, &at, "/identifier",
                     "an individual needs an NPI (identifier typed NPI)");
        else if (npi && org && !qpp_npi_valid(ids->npi))
            qpp_diag(d, QPP_NPI_INVALID, &at, "/identifier",
                     "NPI %s is not 10 digits with a valid check digit", ids->npi);
        return org;
    }
    *entity_id_out = entity_id ? entity_id : ids->entity_id;
    if (!*entity_id_out && (org || ix->nres[QPP_ORGANIZATION] == 0))
        qpp_diag(d, QPP_ENTITY_ID_MISSING, NULL, NULL,
                 "an %s entity needs an id: give --entity-id or an Organization "
                 "identifier typed XX",
                 t);
    return org;
}
