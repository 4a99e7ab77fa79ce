/* SPDX-License-Identifier: MIT */
/* Resource store and the sums of individual reports; see index.h. */
#include "index.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "map.h"
#include "util.h"

static const char *const kind_names[QPP_NKINDS] = {"Organization", "Library", "Measure"};

struct seen {
    unsigned long long hash;
    char *source;
    int line, column;
};

struct qpp_index *qpp_index_new(struct qpp_diags *d, const char *const *report_ids,
                                size_t nreport_ids)
{
    struct qpp_index *ix = qpp_calloc(1, sizeof *ix);

    if (!ix)
        return NULL;
    ix->d = d;
    ix->report_ids = report_ids;
    ix->nreport_ids = nreport_ids;
    ix->report_found = qpp_calloc(nreport_ids + 1, 1);
    ix->seen = json_object();
    ix->sums = json_object();
    ix->skipped = json_object();
    ix->source_ids = json_object();
    if (!ix->report_found || !ix->seen || !ix->sums || !ix->skipped || !ix->source_ids) {
        qpp_index_free(ix);
        return NULL;
    }
    return ix;
}

void qpp_index_free(struct qpp_index *ix)
{
    size_t i;
    int k;

    if (!ix)
        return;
    for (k = 0; k < QPP_NKINDS; k++) {
        for (i = 0; i < ix->nres[k]; i++) {
            struct qpp_resource *r = &ix->res[k][i];
            json_decref(r->json);
            qpp_free(r->name);
            qpp_free(r->source);
            qpp_free(r->base);
        }
        qpp_free(ix->res[k]);
    }
    for (i = 0; i < ix->nreports; i++)
        qpp_report_free(ix->reports[i]);
    qpp_free(ix->reports);
    for (i = 0; i < ix->nfirst; i++)
        qpp_free(ix->first[i].source);
    qpp_free(ix->first);
    for (i = 0; i < ix->nsources; i++)
        qpp_free(ix->sources[i]);
    qpp_free(ix->sources);
    json_decref(ix->source_ids);
    qpp_hashset_free(&ix->report_seen);
    qpp_free(ix->report_found);
    json_decref(ix->seen);
    json_decref(ix->sums);
    json_decref(ix->skipped);
    qpp_free(ix);
}

struct qpp_place qpp_resource_place(const struct qpp_resource *r)
{
    struct qpp_place at = {r->source, r->line, r->column, r->name,
                           r->id ? NULL : r->base};

    return at;
}

/* The index of source in the list of file names, added when new: the last
 * one most often, else by name (many files take linear time). */
static int source_index(struct qpp_index *ix, const char *source, unsigned int *out)
{
    json_t *id;

    source = source ? source : "-";
    if (ix->nsources && strcmp(ix->sources[ix->nsources - 1], source) == 0) {
        *out = (unsigned int)(ix->nsources - 1);
        return 0;
    }
    if ((id = json_object_get(ix->source_ids, source)) != NULL) {
        *out = (unsigned int)json_integer_value(id);
        return 0;
    }
    /* a file name need not be UTF-8: no check of the key */
    if (qpp_grow((void **)&ix->sources, &ix->capsources, ix->nsources + 1,
                 sizeof *ix->sources) < 0 ||
        !(ix->sources[ix->nsources] = qpp_strdup(source)))
        return -1;
    if (json_object_set_new_nocheck(ix->source_ids, source,
                                    json_integer((json_int_t)ix->nsources)) < 0) {
        qpp_free(ix->sources[ix->nsources]);
        return -1;
    }
    *out = (unsigned int)ix->nsources++;
    return 0;
}

void qpp_index_where(const struct qpp_index *ix, const struct qpp_seen *e, int column,
                     char *buf, size_t n)
{
    const char *source = e->source < ix->nsources ? ix->sources[e->source] : "-";

    if (e->line > 0 && column > 0)
        snprintf(buf, n, "%s:%u:%d", source, e->line, column);
    else if (e->line > 0)
        snprintf(buf, n, "%s:%u", source, e->line);
    else
        snprintf(buf, n, "%s", source);
}

/* 1 when type/id was seen before (a copy: skip it), 0 when new, -1 when out
 * of memory.  A different resource under a seen type/id is reported and also
 * gives 1, so only the first is used. */
static int seen_before(struct qpp_index *ix, const char *type, const char *id,
                       unsigned long long hash, const struct qpp_place *at)
{
    struct qpp_buf key;
    json_t *prev;
    int rc = 0;

    qpp_buf_init(&key);
    qpp_buf_printf(&key, "%s/%s", type, id);
    if (key.failed)
        return -1;
    prev = json_object_get(ix->seen, key.s);
    if (prev) {
        struct seen *s = &ix->first[json_integer_value(prev)];
        if (s->hash != hash) {
            struct qpp_place here = *at;
            here.resource = key.s;
            here.pointer = NULL;
            qpp_diag(ix->d, QPP_DUPLICATE_RESOURCE, &here, NULL,
                     "a different %s has the same id (first read from %s:%d:%d)", type,
                     s->source ? s->source : "-", s->line, s->column);
        }
        rc = 1;
    } else if (qpp_grow((void **)&ix->first, &ix->capfirst, ix->nfirst + 1,
                        sizeof *ix->first) < 0 ||
               json_object_set_new(ix->seen, key.s,
                                   json_integer((json_int_t)ix->nfirst)) < 0) {
        rc = -1;
    } else {
        struct seen *s = &ix->first[ix->nfirst++];
        s->hash = hash;
        s->line = at->line;
        s->column = at->column;
        s->source = at->source ? qpp_strdup(at->source) : NULL;
        if (at->source && !s->source)
            rc = -1;
    }
    qpp_buf_free(&key);
    return rc;
}

/* An individual report's id, in the compact set: 1 a copy or a conflict
 * (reported), 0 new, -1 out of memory. */
static int report_seen_before(struct qpp_index *ix, const struct qpp_report *r,
                              unsigned long long hash)
{
    const struct qpp_seen *e;
    unsigned int src;
    int nomem = 0;

    if (source_index(ix, r->source, &src) < 0)
        return -1;
    e = qpp_hashset_put(&ix->report_seen, r->id_key, hash,
                        r->line > 0 ? (unsigned int)r->line : 0, src, &nomem);
    if (nomem)
        return -1;
    if (!e)
        return 0;
    if (e->value != hash) {
        struct qpp_place at = qpp_report_place(r);
        char where[256];
        qpp_index_where(ix, e, 0, where, sizeof where);
        qpp_diag(ix->d, QPP_DUPLICATE_RESOURCE, &at, NULL,
                 "a different MeasureReport has the same id (first read from %s)", where);
    }
    return 1;
}

static int keep_report(struct qpp_index *ix, struct qpp_report *r)
{
    if (qpp_grow((void **)&ix->reports, &ix->capreports, ix->nreports + 1,
                 sizeof *ix->reports) < 0) /* NOLINT: an array of pointers */
        return -1;
    ix->reports[ix->nreports++] = r;
    return 0;
}

static int same_period(const struct qpp_report *a, const struct qpp_report *b)
{
    if (a->has_period != b->has_period)
        return 0;
    return !a->has_period ||
           (a->start.instant == b->start.instant && a->end.instant == b->end.instant &&
            a->end.local.year == b->end.local.year);
}

/* A subject's entry keeps the column of its report in its value: with the
 * line it names the report even in a Bundle written on one line. */
static unsigned long long column(const struct qpp_report *r)
{
    return r->column > 0 ? (unsigned long long)r->column : 0;
}

/* "file:line:column (MeasureReport/id)" of r, new; NULL when out of memory. */
static char *report_where(const struct qpp_report *r)
{
    struct qpp_buf b;

    qpp_buf_init(&b);
    qpp_buf_printf(&b, "%s:%d:%d (%s)", r->source ? r->source : "-", r->line, r->column,
                   r->name);
    return qpp_buf_take(&b); /* NOLINT: no va_list here (clang 14 analyzer) */
}

/* Note that r counts a population above 1 in the sum; -1 when out of memory. */
static int note_over(struct qpp_report *sum, const struct qpp_report *r)
{
    if (!r->nover)
        return 0;
    if (!sum->over_where) {
        if (!(sum->over_where = report_where(r)))
            return -1;
        sum->over_group = r->over_group;
        sum->over_pop = r->over_pop;
        sum->over_count = r->over_count;
    }
    if (sum != r)
        sum->nover++;
    sum->over_groups |= r->over_groups;
    return 0;
}

static void free_sumkey(char *key, const char *small)
{
    if (key != small)
        qpp_free(key);
}

/* Add individual report r (taken) to the sum of its Measure canonical and
 * reporter. */
static int add_individual(struct qpp_index *ix, struct qpp_report *r)
{
    char small[256], *sumkey = small; /* "measure\nreporter" */
    size_t nm = strlen(r->measure), nr = r->reporter ? strlen(r->reporter) : 0;
    json_t *at_index;
    struct qpp_place at = qpp_report_place(r);
    struct qpp_report *sum;
    unsigned int src;
    size_t i, perm[64];
    int nomem = 0;

    if (nm + nr + 2 > sizeof small && !(sumkey = qpp_malloc(nm + nr + 2)))
        goto nomem;
    memcpy(sumkey, r->measure, nm);
    sumkey[nm] = '\n';
    if (nr)
        memcpy(sumkey + nm + 1, r->reporter, nr);
    sumkey[nm + 1 + nr] = '\0';
    if (source_index(ix, r->source, &src) < 0) {
        free_sumkey(sumkey, small);
        goto nomem;
    }
    at_index = json_object_get(ix->sums, sumkey);
    if (!at_index) {
        /* The first report of its Measure and reporter becomes the sum. */
        int rc =
            json_object_set_new(ix->sums, sumkey, json_integer((json_int_t)ix->nreports));
        free_sumkey(sumkey, small);
        if (rc < 0 || note_over(r, r) < 0 || keep_report(ix, r) < 0)
            goto nomem;
        if (r->subject)
            qpp_hashset_put(&r->subjects, r->subject_key, column(r),
                            r->line > 0 ? (unsigned int)r->line : 0, src, &nomem);
        return nomem ? -1 : 0;
    }
    free_sumkey(sumkey, small);
    sum = ix->reports[json_integer_value(at_index)];
    if (r->subject) {
        /* A patient counted twice would inflate every population. */
        const struct qpp_seen *e =
            qpp_hashset_put(&sum->subjects, r->subject_key, column(r),
                            r->line > 0 ? (unsigned int)r->line : 0, src, &nomem);
        if (nomem)
            goto nomem;
        if (e) {
            char where[256], shown[64];
            qpp_index_where(ix, e, (int)e->value, where, sizeof where);
            qpp_diag(ix->d, QPP_DUPLICATE_SUBJECT, &at, "/subject",
                     "%s is counted twice for this measure (also at %s)",
                     qpp_diag_subject(r->subject, shown, sizeof shown), where);
            sum->invalid = 1;
            goto drop;
        }
    }
    if (r->invalid) {
        sum->invalid = 1;
        goto drop;
    }
    /* Groups are matched by id whenever the ids settle it. */
    if (r->ngroups > sizeof perm / sizeof perm[0] ||
        qpp_report_match_groups(sum->groups, sum->ngroups, r->groups, r->ngroups, perm) <
            0) {
        qpp_diag(ix->d, QPP_GROUP_MISMATCH, &at, "/group",
                 "%zu groups, or groups of other ids (or ids on one side only, which "
                 "order cannot match), where the first report of %s has %zu",
                 r->ngroups, r->measure, sum->ngroups);
        sum->invalid = 1;
        goto drop;
    }
    if (note_over(sum, r) < 0)
        goto nomem;
    for (i = 0; i < r->ngroups; i++) {
        struct qpp_group g = r->groups[i];
        g.id = NULL;
        if (qpp_map_add(&sum->groups[perm[i]], &g) < 0) {
            qpp_diag(ix->d, QPP_COUNT_OVERFLOW, &at, NULL,
                     "the counts of %s do not fit 64 bits", r->measure);
            sum->invalid = 1;
            goto drop;
        }
    }
    sum->nreports++;
    sum->ntest += r->ntest;
    if (!qpp_streq(sum->reporter, r->reporter))
        sum->mixed_reporters = 1;
    if (!same_period(sum, r)) {
        /* Found by a key of the period: a period per report stays linear. */
        char pk[64];
        unsigned long long pkey;
        const struct qpp_seen *e;

        snprintf(pk, sizeof pk, "%lld %lld %d", r->start.instant, r->end.instant,
                 r->end.local.year);
        pkey = qpp_hashset_key(pk, strlen(pk), 4);
        e = qpp_hashset_get(&sum->periods, pkey);
        if (!e)
            i = sum->nvariants;
        else if (same_period(sum->variants[e->value], r))
            i = (size_t)e->value;
        else /* two periods, one key: look at each */
            for (i = 0; i < sum->nvariants && !same_period(sum->variants[i], r); i++)
                ;
        if (i == sum->nvariants) {
            /* Kept for its period, checked against the year later. */
            struct qpp_report **v;
            size_t vsize = sizeof *v; /* NOLINT: an array of pointers */
            if (qpp_grow((void **)&sum->variants, &sum->capvariants, i + 1, vsize) < 0)
                goto nomem;
            if (!e) {
                qpp_hashset_put(&sum->periods, pkey, i, 0, 0, &nomem);
                if (nomem)
                    goto nomem;
            }
            sum->variants[sum->nvariants++] = r;
            return 0;
        }
    }
drop:
    qpp_report_free(r);
    return 0;
nomem:
    qpp_report_free(r);
    return -1;
}

static int selected(struct qpp_index *ix, const struct qpp_report *r)
{
    size_t i;
    int yes = 0;

    if (!ix->report_ids)
        return 1;
    for (i = 0; i < ix->nreport_ids; i++) {
        const char *id = qpp_ref_id(ix->report_ids[i], "MeasureReport");

        /* -r takes an id or a reference MeasureReport/id. */
        if (qpp_streq(r->id, id ? id : ix->report_ids[i])) {
            ix->report_found[i] = 1;
            yes = 1;
        }
    }
    return yes;
}

static int add_report(struct qpp_index *ix, struct qpp_item *it)
{
    struct qpp_report *r = it->report;
    int dup;

    it->report = NULL;
    if (!selected(ix, r)) {
        qpp_report_free(r);
        return 0;
    }
    /* A partial sum given twice is never quietly counted once: the tally
     * refuses its digests the second time (partial-sum-twice). */
    if (r->id && !r->partial) {
        dup = r->type == QPP_REPORT_INDIVIDUAL
                  ? report_seen_before(ix, r, it->hash)
                  : seen_before(ix, "MeasureReport", r->id, it->hash, &it->at);
        if (dup) {
            qpp_report_free(r);
            return dup < 0 ? -1 : 0;
        }
    }
    if (r->type == QPP_REPORT_DATA_COLLECTION) {
        struct qpp_place at = qpp_report_place(r);
        qpp_diag(ix->d, QPP_REPORT_SKIPPED, &at, "/type",
                 "a data-collection report carries no counts; not used");
        qpp_report_free(r);
        return 0;
    }
    if (r->type == QPP_REPORT_INDIVIDUAL && r->measure) {
        if (qpp_report_judge(r, ix->counts, ix->registry, ix->d) < 0) {
            qpp_report_free(r);
            return -1;
        }
        return add_individual(ix, r);
    }
    if (keep_report(ix, r) < 0) {
        qpp_report_free(r);
        return -1;
    }
    return 0;
}

/* The resource types of FHIR R4 (4.0.1), sorted. */
static const char *const r4_types[] = {
    "Account",
    "ActivityDefinition",
    "AdverseEvent",
    "AllergyIntolerance",
    "Appointment",
    "AppointmentResponse",
    "AuditEvent",
    "Basic",
    "Binary",
    "BiologicallyDerivedProduct",
    "BodyStructure",
    "Bundle",
    "CapabilityStatement",
    "CarePlan",
    "CareTeam",
    "CatalogEntry",
    "ChargeItem",
    "ChargeItemDefinition",
    "Claim",
    "ClaimResponse",
    "ClinicalImpression",
    "CodeSystem",
    "Communication",
    "CommunicationRequest",
    "CompartmentDefinition",
    "Composition",
    "ConceptMap",
    "Condition",
    "Consent",
    "Contract",
    "Coverage",
    "CoverageEligibilityRequest",
    "CoverageEligibilityResponse",
    "DetectedIssue",
    "Device",
    "DeviceDefinition",
    "DeviceMetric",
    "DeviceRequest",
    "DeviceUseStatement",
    "DiagnosticReport",
    "DocumentManifest",
    "DocumentReference",
    "EffectEvidenceSynthesis",
    "Encounter",
    "Endpoint",
    "EnrollmentRequest",
    "EnrollmentResponse",
    "EpisodeOfCare",
    "EventDefinition",
    "Evidence",
    "EvidenceVariable",
    "ExampleScenario",
    "ExplanationOfBenefit",
    "FamilyMemberHistory",
    "Flag",
    "Goal",
    "GraphDefinition",
    "Group",
    "GuidanceResponse",
    "HealthcareService",
    "ImagingStudy",
    "Immunization",
    "ImmunizationEvaluation",
    "ImmunizationRecommendation",
    "ImplementationGuide",
    "InsurancePlan",
    "Invoice",
    "Library",
    "Linkage",
    "List",
    "Location",
    "Measure",
    "MeasureReport",
    "Media",
    "Medication",
    "MedicationAdministration",
    "MedicationDispense",
    "MedicationKnowledge",
    "MedicationRequest",
    "MedicationStatement",
    "MedicinalProduct",
    "MedicinalProductAuthorization",
    "MedicinalProductContraindication",
    "MedicinalProductIndication",
    "MedicinalProductIngredient",
    "MedicinalProductInteraction",
    "MedicinalProductManufactured",
    "MedicinalProductPackaged",
    "MedicinalProductPharmaceutical",
    "MedicinalProductUndesirableEffect",
    "MessageDefinition",
    "MessageHeader",
    "MolecularSequence",
    "NamingSystem",
    "NutritionOrder",
    "Observation",
    "ObservationDefinition",
    "OperationDefinition",
    "OperationOutcome",
    "Organization",
    "OrganizationAffiliation",
    "Parameters",
    "Patient",
    "PaymentNotice",
    "PaymentReconciliation",
    "Person",
    "PlanDefinition",
    "Practitioner",
    "PractitionerRole",
    "Procedure",
    "Provenance",
    "Questionnaire",
    "QuestionnaireResponse",
    "RelatedPerson",
    "RequestGroup",
    "ResearchDefinition",
    "ResearchElementDefinition",
    "ResearchStudy",
    "ResearchSubject",
    "RiskAssessment",
    "RiskEvidenceSynthesis",
    "Schedule",
    "SearchParameter",
    "ServiceRequest",
    "Slot",
    "Specimen",
    "SpecimenDefinition",
    "StructureDefinition",
    "StructureMap",
    "Subscription",
    "Substance",
    "SubstanceNucleicAcid",
    "SubstancePolymer",
    "SubstanceProtein",
    "SubstanceReferenceInformation",
    "SubstanceSourceMaterial",
    "SubstanceSpecification",
    "SupplyDelivery",
    "SupplyRequest",
    "Task",
    "TerminologyCapabilities",
    "TestReport",
    "TestScript",
    "ValueSet",
    "VerificationResult",
    "VisionPrescription",
};

static int cmp_type(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

/* A resource qppbuild does not use: counted by type.  A type FHIR R4 does
 * not have may be a misspelt MeasureReport: an error, once per type. */
static int count_skipped(struct qpp_index *ix, const struct qpp_item *it)
{
    json_int_t n = json_integer_value(json_object_get(ix->skipped, it->type));

    if (n == 0 && !bsearch(it->type, r4_types, sizeof r4_types / sizeof r4_types[0],
                           sizeof r4_types[0], cmp_type))
        qpp_diag(ix->d, QPP_UNKNOWN_RESOURCE_TYPE, &it->at, NULL,
                 "%s is not a FHIR R4 resource type", it->type);
    return json_object_set_new(ix->skipped, it->type, json_integer(n + 1));
}

static int add_json(struct qpp_index *ix, struct qpp_item *it)
{
    json_t *json = it->json;
    const char *id = json_string_value(json_object_get(json, "id"));
    struct qpp_resource *r;
    struct qpp_buf name;
    int k;

    for (k = 0; k < QPP_NKINDS; k++)
        if (strcmp(it->type, kind_names[k]) == 0)
            break;
    if (k == QPP_NKINDS)
        return count_skipped(ix, it);
    if (id) {
        int dup = seen_before(ix, it->type, id, it->hash, &it->at);
        if (dup)
            return dup < 0 ? -1 : 0;
    }
    if (qpp_grow((void **)&ix->res[k], &ix->capres[k], ix->nres[k] + 1,
                 sizeof *ix->res[k]) < 0)
        return -1;
    r = &ix->res[k][ix->nres[k]];
    memset(r, 0, sizeof *r);
    qpp_buf_init(&name);
    qpp_buf_add(&name, it->type);
    if (id)
        qpp_buf_printf(&name, "/%s", id);
    r->name = qpp_buf_take(&name); /* NOLINT: no va_list here (clang 14 analyzer) */
    r->source = it->at.source ? qpp_strdup(it->at.source) : NULL;
    r->base = it->at.pointer ? qpp_strdup(it->at.pointer) : NULL;
    if (!r->name || (it->at.source && !r->source) || (it->at.pointer && !r->base)) {
        qpp_free(r->name);
        qpp_free(r->source);
        qpp_free(r->base);
        return -1;
    }
    r->json = json;
    it->json = NULL;
    r->id = id;
    r->url = json_string_value(json_object_get(json, "url"));
    r->version = json_string_value(json_object_get(json, "version"));
    r->line = it->at.line;
    r->column = it->at.column;
    ix->nres[k]++;
    return 0;
}

int qpp_index_add(void *ctx, struct qpp_item *it)
{
    struct qpp_index *ix = ctx;
    int rc;

    if (it->kind == QPP_ITEM_REPORT)
        rc = add_report(ix, it);
    else if (it->kind == QPP_ITEM_JSON)
        rc = add_json(ix, it);
    else
        rc = count_skipped(ix, it);
    if (rc < 0)
        qpp_diag(ix->d, QPP_OUT_OF_MEMORY, NULL, NULL, "out of memory");
    return rc;
}

const struct qpp_resource *qpp_index_find(const struct qpp_index *ix, enum qpp_kind kind,
                                          const char *id)
{
    size_t i;

    for (i = 0; i < ix->nres[kind]; i++)
        if (qpp_streq(ix->res[kind][i].id, id))
            return &ix->res[kind][i];
    return NULL;
}
