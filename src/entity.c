/* SPDX-License-Identifier: MIT */
/* Entity identifiers; see entity.h. */
#include "entity.h"

#include <ctype.h>
#include <string.h>

#include "qppbuild.h"
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

/* The resources of a kind, for messages. */
static void name_some(struct qpp_buf *b, const struct qpp_index *ix, enum qpp_kind kind)
{
    size_t i;

    for (i = 0; i < ix->nres[kind]; i++)
        qpp_buf_add_item(b, i, ix->nres[kind], ix->res[kind][i].name);
}

/* The Organization to read, or NULL.  quiet: the command line names the
 * entity (what it lacks is said after), so none found is no error. */
static const struct qpp_resource *choose_organization(const struct qpp_options *o,
                                                      const struct qpp_index *ix,
                                                      int needed, int quiet,
                                                      struct qpp_diags *d)
{
    const char *reporter = NULL;
    struct qpp_buf names;
    size_t i;

    if (o->organization_id) {
        /* -O takes an id or a reference Organization/id. */
        const char *id = qpp_ref_id(o->organization_id, "Organization");
        const struct qpp_resource *org =
            qpp_index_find(ix, QPP_ORGANIZATION, id ? id : o->organization_id);
        if (!org) {
            qpp_buf_init(&names);
            name_some(&names, ix, QPP_ORGANIZATION);
            qpp_diag(d, QPP_ORGANIZATION_NOT_FOUND, NULL, NULL,
                     "the input holds no Organization/%s (it holds %s)",
                     id ? id : o->organization_id, names.len ? names.s : "none");
            if (names.failed) /* the message lacks its evidence */
                qpp_diag_nomem(d);
            qpp_buf_free(&names);
        }
        return org;
    }
    if (ix->nres[QPP_ORGANIZATION] == 1)
        return &ix->res[QPP_ORGANIZATION][0];
    if (ix->nres[QPP_ORGANIZATION] == 0) {
        if (needed && !quiet)
            qpp_diag(d, QPP_ORGANIZATION_MISSING, NULL, NULL,
                     "the input holds no Organization to name the %s entity: give %s, "
                     "or an Organization resource with the reports "
                     "(examples/templates/organization.json)",
                     o->entity_type,
                     strcmp(o->entity_type, "individual") == 0 ? "--tin and --npi"
                     : needs_tin(o->entity_type)               ? "--tin"
                                                               : "--entity-id");
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
    if (quiet)
        return NULL;
    qpp_buf_init(&names);
    name_some(&names, ix, QPP_ORGANIZATION);
    qpp_diag(d, QPP_ORGANIZATION_AMBIGUOUS, NULL, NULL,
             "the input holds %zu Organizations (%s) and the reports do not name one "
             "reporter; choose one with -O, or name the entity with --tin",
             ix->nres[QPP_ORGANIZATION], names.s ? names.s : "");
    if (names.failed) /* the message lacks its evidence */
        qpp_diag_nomem(d);
    qpp_buf_free(&names);
    return NULL;
}

/* One identifier from the command line (cli) and the Organization (org):
 * they must agree; the value is never shown. */
static const char *agree(const char *cli, const char *org, const char *what,
                         const char *option, const struct qpp_resource *r,
                         struct qpp_diags *d)
{
    if (cli && org && r && strcmp(cli, org) != 0) {
        struct qpp_place at = qpp_resource_place(r);
        qpp_diag(d, QPP_IDENTIFIER_CONFLICT, &at, "/identifier",
                 "the Organization's %s is not the one given with %s (values not shown)",
                 what, option);
    }
    return cli ? cli : org;
}

const struct qpp_resource *qpp_entity_choose(const struct qpp_options *o,
                                             const struct qpp_index *ix,
                                             struct qpp_entity_ids *ids,
                                             const char **entity_id, struct qpp_diags *d)
{
    const char *t = o->entity_type;
    int tin = needs_tin(t), npi = strcmp(t, "individual") == 0;
    /* What the command line names needs no Organization (unless -O asks). */
    int named = tin ? o->tin || o->npi : o->entity_id != NULL;
    const struct qpp_resource *org =
        tin || !o->entity_id || o->organization_id
            ? choose_organization(o, ix, tin || !o->entity_id, named, d)
            : NULL;
    struct qpp_place at =
        org ? qpp_resource_place(org) : (struct qpp_place){NULL, -1, -1, NULL, NULL};

    memset(ids, 0, sizeof *ids);
    *entity_id = NULL;
    if (org)
        qpp_entity_read(org, ids, d);
    ids->tin = agree(o->tin, ids->tin, "TIN", "--tin", org, d);
    ids->npi = agree(o->npi, ids->npi, "NPI", "--npi", org, d);
    if (tin) {
        if (!ids->tin && (org || o->npi)) {
            qpp_diag(d, QPP_TIN_MISSING, org ? &at : NULL, org ? "/identifier" : NULL,
                     "the %s entity has no TIN: give --tin, or an Organization "
                     "identifier typed TAX",
                     t);
        } else if (ids->tin && !qpp_tin_valid(ids->tin)) {
            qpp_diag(d, QPP_TIN_INVALID, org ? &at : NULL, org ? "/identifier" : NULL,
                     "the TIN is not 9 digits (it has %zu characters; not shown)",
                     strlen(ids->tin));
        }
        if (npi && !ids->npi && (org || ids->tin)) {
            qpp_diag(d, QPP_NPI_MISSING, org ? &at : NULL, org ? "/identifier" : NULL,
                     "an individual needs an NPI: give --npi, or an Organization "
                     "identifier typed NPI");
        } else if (npi && ids->npi && !qpp_npi_valid(ids->npi)) {
            qpp_diag(d, QPP_NPI_INVALID, org ? &at : NULL, org ? "/identifier" : NULL,
                     "NPI %s is not 10 digits with a valid check digit", ids->npi);
        }
        return org;
    }
    *entity_id = o->entity_id ? o->entity_id : ids->entity_id;
    if (!*entity_id && (org || ix->nres[QPP_ORGANIZATION] == 0)) {
        qpp_diag(d, QPP_ENTITY_ID_MISSING, NULL, NULL,
                 "an %s entity needs an id: give --entity-id or an Organization "
                 "identifier typed XX",
                 t);
    }
    return org;
}
