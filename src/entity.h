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

/* The entity a run submits for.  Its identifiers come from the command line
 * (o->tin, o->npi, o->entity_id) and from an Organization: the one -O names,
 * the only one in the input, or the one every report names as its reporter.
 * An Organization is optional when the command line gives what the entity
 * type needs; when both give an identifier they must agree
 * (identifier-conflict).  Fills *ids (borrowed strings) and *entity_id
 * (NULL for individual and group).  Returns the Organization chosen, or
 * NULL; what is wrong is in d. */
struct qpp_options;
const struct qpp_resource *qpp_entity_choose(const struct qpp_options *o,
                                             const struct qpp_index *ix,
                                             struct qpp_entity_ids *ids,
                                             const char **entity_id, struct qpp_diags *d);

int qpp_tin_valid(const char *s); /* 9 digits */
int qpp_npi_valid(const char *s); /* 10 digits, Luhn check digit after 80840 */

#endif
