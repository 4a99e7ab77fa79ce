/* SPDX-License-Identifier: MIT */
/*
 * The submitting entity: its identifiers as an Organization carries them
 * (TIN, NPI, entity id) and the checks CMS applies to their form.
 */
#ifndef QPP_ENTITY_H
#define QPP_ENTITY_H

#include "diag.h"
#include "index.h"

struct qpp_entity_ids {
    const char *tin, *npi, *entity_id; /* borrowed from the Organization, or NULL */
};

/* Read org's identifiers: TIN typed TAX or with the IRS system, NPI typed NPI
 * or PRN or with the US NPI system, entity id typed XX.  Two different values
 * of one kind are an error (identifier-conflict).  Returns 0, -1 on error. */
int qpp_entity_read(const struct qpp_resource *org, struct qpp_entity_ids *ids,
                    struct qpp_diags *d);

/* Choose the entity of the submission: the Organization (-O, the only one,
 * or the one every report names as reporter) and its identifiers, checked
 * for what entity type t needs.  organization_id and entity_id are -O and
 * --entity-id (NULL when not given); *entity_id_out receives the entity id
 * of a type that has one (apm, virtualGroup, subgroup).  Returns the
 * Organization chosen, or NULL. */
const struct qpp_resource *
qpp_entity_choose(const struct qpp_index *ix, const char *organization_id, const char *t,
                  const char *entity_id, struct qpp_entity_ids *ids,
                  const char **entity_id_out, struct qpp_diags *d);

int qpp_tin_valid(const char *s); /* 9 digits */
int qpp_npi_valid(const char *s); /* 10 digits, Luhn check digit after 80840 */

#endif
