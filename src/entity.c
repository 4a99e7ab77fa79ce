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

int qpp_cehrt_valid(const char *s)
{
    size_t i;

    if (strlen(s) != 15 || s[4] != 'C')
        return 0;
    for (i = 0; i < 15; i++)
        if (!isdigit((unsigned char)s[i]) && !isupper((unsigned char)s[i]))
            return 0;
    return 1;
}
