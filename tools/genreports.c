/* SPDX-License-Identifier: MIT */
/*
 * genreports: patient-level MeasureReports for benchmarks, shaped like the
 * ones evaluators write (contained Parameters, extensions, stratifiers,
 * evaluatedResource; 1 to 4 groups), preceded by their Measures.  The same
 * seed gives the same bytes.
 *
 * usage: genreports [-b|-S] [-f|-m] [-P] [-U] [-O] [-s SEED]
 *                   [-g GROUPS | -n PATIENTS | MEGABYTES] > reports.ndjson
 *   -b  one Bundle (type collection), an entry a line, instead of NDJSON
 *   -S  the same Bundle with its members in sorted key order (jq -S,
 *       Python sort_keys): "entry" comes before "resourceType"
 *   -f  reports shaped like fqm-execution's individual reports (period
 *       2026): a narrative text.div of 120 to 170 KB full of escaped quotes,
 *       contained SDE Observations, stratifiers whose strata have no value,
 *       evaluatedResource (modelled on fhir-examples/fqm-execution-2026)
 *   -m  small reports of about 1 KB: counts, subject and period only
 *   -P  each report its own period: the same year, a different time
 *   -U  each report its own measure canonical (a version of its own)
 *   -O  each report its own reporter, an Organization written before it
 *   -g  one MeasureReport (summary) with this many groups
 *   -n  this many patients (a report per measure each), whatever the size
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* 2025 eCQMs open to mips (not 112, 113, 128: MVP and APP Plus only): CMS
 * number, MADiE name, groups. */
static const struct {
    const char *name;
    int cms;
    int groups;
} measures[] = {
    {"DiabetesGlycemicStatusAssessmentGreaterThan9PercentFHIR", 122, 1},
    {"ControllingHighBloodPressureFHIR", 165, 1},
    {"DiabetesEyeExamFHIR", 131, 1},
    {"DementiaCognitiveAssessmentFHIR", 149, 1},
    {"PCSDepressionScreenAndFollowUpFHIR", 2, 1},
    {"PreventiveCareAndTobaccoUseScreeningAndCessationInterventionFHIR", 138, 3},
    {"UseofHighRiskMedicationsintheElderlyFHIR", 156, 3},
    {"StatinTherapyforthePreventionandTreatmentofCardiovascularDiseaseFHIR", 347, 4},
    {"CADBetaBlockerTherapyPriorMIorLVSDFHIR", 145, 2},
    {"AntidepressantMedicationManagementFHIR", 128, 2},
};
#define NMEASURES (sizeof measures / sizeof measures[0])

static unsigned long long rng = 88172645463325252ULL;

static unsigned long long next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static int shape_fqm, shape_small, own_period, own_url, own_org;
static unsigned long long serial; /* reports written */

static int chance(int percent)
{
    return (int)(next() % 100) < percent;
}

static void uuid(char *out)
{
    unsigned long long a = next(), b = next();

    sprintf(out, "%08llx-%04llx-4%03llx-a%03llx-%012llx", a >> 32, (a >> 16) & 0xFFFF,
            a & 0xFFF, b >> 52, b & 0xFFFFFFFFFFFFULL);
}

static const char *const codes[] = {"initial-population", "denominator",
                                    "denominator-exclusion", "numerator",
                                    "denominator-exception"};
static const char *const displays[] = {"Initial Population", "Denominator",
                                       "Denominator Exclusion", "Numerator",
                                       "Denominator Exception"};

static void population(const char *sep, int k, int count)
{
    if (shape_small) {
        printf("%s{\"code\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
               "CodeSystem/measure-population\",\"code\":\"%s\"}]},\"count\":%d}",
               sep, codes[k], count);
        return;
    }
    if (shape_fqm) { /* fqm-execution's member order, no id */
        printf("%s{\"count\":%d,\"code\":{\"coding\":[{\"system\":\"http://"
               "terminology.hl7.org/CodeSystem/measure-population\",\"code\":\"%s\","
               "\"display\":\"%s\"}]}}",
               sep, count, codes[k], displays[k]);
        return;
    }
    printf(
        "%s{\"id\":\"%s\",\"code\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
        "CodeSystem/measure-population\",\"code\":\"%s\",\"display\":\"%s\"}]},"
        "\"count\":%d}",
        sep, codes[k], codes[k], displays[k], count);
}

/* The report's period: the year's, or with -P a time of its own in it. */
static void period(int year, int fqm)
{
    unsigned long long t = serial;

    if (!own_period) {
        if (fqm)
            printf("\"period\":{\"start\":\"%d-01-01T00:00:00.000Z\",\"end\":\"%d-12-31T"
                   "23:59:59.999Z\"}",
                   year, year);
        else
            printf("\"period\":{\"start\":\"%d-01-01\",\"end\":\"%d-12-31\"}", year,
                   year);
        return;
    }
    printf("\"period\":{\"start\":\"%d-01-01T%02llu:%02llu:%02llu.%03lluZ\",\"end\":\"%d-"
           "12-31T23:59:59.%03lluZ\"}",
           year, t / 3600000 % 24, t / 60000 % 60, t / 1000 % 60, t % 1000, year,
           (t / 86400000) % 1000);
}

/* The measure canonical; with -U a version of its own. */
static void measure_url(size_t m)
{
    printf("\"measure\":\"https://madie.cms.gov/Measure/%s", measures[m].name);
    if (own_url)
        printf("|0.%llu.000", serial);
    printf("\"");
}

/* With -O: the report's reporter, written before it. */
static void organization(const char *sep, const char *end)
{
    if (own_org)
        printf(
            "%s{\"resourceType\":\"Organization\",\"id\":\"org-%llu\",\"identifier\":[{"
            "\"system\":\"urn:oid:2.16.840.1.113883.4.4\",\"value\":\"%09llu\"}],"
            "\"name\":\"Practice %llu\"}%s",
            sep, serial, 100000000 + serial, serial, end);
}

static void reporter(void)
{
    if (own_org)
        printf("\"reporter\":{\"reference\":\"Organization/org-%llu\"},", serial);
    else
        printf("\"reporter\":{\"reference\":\"Organization/bench-org\"},");
}

/* The logic-highlighting narrative of fqm-execution: HTML in a JSON string,
 * its quotes escaped, about n bytes. */
static void narrative(size_t n, const char *name)
{
    static const char *const colours[][2] = {
        {"ccebe0", "20744c"}, {"edd8d0", "a63b12"}, {"", ""}};
    static const char *const words[] = {"exists ",
                                        "union ",
                                        "where ",
                                        "and ",
                                        "or ",
                                        "[Encounter: ",
                                        "Interval[",
                                        "during day of ",
                                        "\\\"Qualifying Encounters\\\"",
                                        "null "};
    size_t done = 0;
    int ref = 270;

    done += (size_t)printf(
        "<div><h2>Population Group: Group_1</h2><pre style=\\\"tab-size: 2; line-height: "
        "1.51em\\\"\\n  data-library-name=\\\"%s\\\" data-statement-name=\\\"Initial "
        "Population\\\">\\n<code>\\n",
        name);
    while (done < n) {
        int c = (int)(next() % 3), k;

        if (colours[c][0][0])
            done += (size_t)printf(
                "<span data-ref-id=\\\"%d\\\" style=\\\"background-color:#%s;color:#%s;"
                "border-bottom-color:#%s;border-bottom-style:%s;border-bottom-width:0."
                "35em"
                "\\\">",
                ref++, colours[c][0], colours[c][1], colours[c][1],
                c ? "double" : "solid");
        else
            done += (size_t)printf("<span data-ref-id=\\\"%d\\\" style=\\\"\\\">", ref++);
        k = (int)(next() % 10);
        done += (size_t)printf("<span>%s&quot;Statement %d&quot;</span></span>%s",
                               words[k], ref, k == 0 ? "\\n    " : "");
        if (ref % 40 == 0)
            done += (size_t)printf(
                "</code>\\n</pre><pre style=\\\"tab-size: 2; line-height: 1.51em\\\"\\n  "
                "data-library-name=\\\"%s\\\" data-statement-name=\\\"Define %d\\\">\\n"
                "<code>\\n\\t",
                name, ref);
    }
    printf("</code>\\n</pre></div>");
}

static void fqm_report(size_t m, const char *sep)
{
    static const char *const sde[] = {"SDE Ethnicity", "SDE Payer", "SDE Race",
                                      "SDE Sex"};
    char id[40], obs[40], patient[40], ev[40];
    int g, k, e, n;

    uuid(id);
    uuid(patient);
    printf("%s{\"id\":\"%s\",\"resourceType\":\"MeasureReport\",", sep, id);
    period(2026, 1);
    printf(",\"status\":\"complete\",\"type\":\"individual\",");
    measure_url(m);
    printf(",");
    if (own_org)
        reporter();
    printf("\"contained\":[");
    for (k = 0; k < 4; k++) {
        uuid(obs);
        printf(
            "%s{\"resourceType\":\"Observation\",\"code\":{\"text\":\"%s\"},\"id\":\"%"
            "s\","
            "\"status\":\"final\",\"extension\":[{\"url\":\"http://hl7.org/fhir/"
            "StructureDefinition/cqf-measureInfo\",\"extension\":[{\"url\":\"measure\","
            "\"valueCanonical\":\"https://madie.cms.gov/Measure/%s\"},{\"url\":"
            "\"populationId\",\"valueString\":\"%s\"}]}]%s}",
            k ? "," : "", sde[k], obs, measures[m].name, sde[k],
            k == 1 ? ",\"valueCodeableConcept\":{\"coding\":[]}" : "");
    }
    printf("],\"text\":{\"status\":\"generated\",\"div\":\"");
    narrative(120000 + (size_t)(next() % 50000), measures[m].name);
    printf("\"},\"group\":[");
    for (g = 0; g < measures[m].groups; g++) {
        int den = chance(90), excl = den && chance(40), num = den && !excl && chance(40);
        int counts[4];

        counts[0] = 1;
        counts[1] = den;
        counts[2] = excl;
        counts[3] = num;
        printf("%s{\"id\":\"Group_%d\",\"population\":[", g ? "," : "", g + 1);
        for (k = 0; k < 4; k++)
            population(k ? "," : "", k, counts[k]);
        printf(
            "],\"measureScore\":{\"value\":%d},\"stratifier\":[{\"id\":\"Stratifier_%d\","
            "\"stratum\":[{\"population\":[",
            num, g + 1);
        for (k = 0; k < 4; k++)
            population(k ? "," : "", k, counts[k]);
        printf("]}]}]}");
    }
    printf("],\"evaluatedResource\":[");
    n = 4 + (int)(next() % 6);
    for (e = 0; e < n; e++) {
        uuid(ev);
        printf("%s{\"reference\":\"%s/%s\"}", e ? "," : "",
               e == 0  ? "Patient"
               : e % 2 ? "Encounter"
                       : "Observation",
               e == 0 ? patient : ev);
    }
    printf("],\"subject\":{\"reference\":\"Patient/%s\"}}", patient);
}

static void small_report(size_t m, unsigned long long patient, const char *sep)
{
    char id[40];
    int k, den = chance(90), excl = den && chance(8), num = den && !excl && chance(60);
    int counts[4];

    counts[0] = 1;
    counts[1] = den;
    counts[2] = excl;
    counts[3] = num;
    uuid(id);
    printf("%s{\"resourceType\":\"MeasureReport\",\"id\":\"%s\",\"status\":\"complete\","
           "\"type\":\"individual\",",
           sep, id);
    measure_url(m);
    printf(",\"subject\":{\"reference\":\"Patient/%llu\"},", patient);
    if (own_org)
        reporter();
    period(2025, 0);
    printf(",\"group\":[{\"id\":\"group-1\",\"population\":[");
    for (k = 0; k < 4; k++)
        population(k ? "," : "", k, counts[k]);
    printf("]}]}");
}

static void report(size_t m, unsigned long long patient, const char *sep)
{
    char id[40], params[40], enc[40];
    int g, k, e, n;

    if (shape_fqm) {
        fqm_report(m, sep);
        return;
    }
    if (shape_small) {
        small_report(m, patient, sep);
        return;
    }
    uuid(id);
    uuid(params);
    printf(
        "%s{\"resourceType\":\"MeasureReport\",\"id\":\"%s\",\"contained\":[{"
        "\"resourceType\":\"Parameters\",\"id\":\"%s\",\"parameter\":[{\"name\":"
        "\"subject\",\"valueString\":\"Patient/%llu\"},{\"name\":\"Measurement Period\","
        "\"valuePeriod\":{\"start\":\"2025-01-01T00:00:00-05:00\",\"end\":"
        "\"2025-12-31T23:59:59-05:00\"}}]}],\"extension\":[{\"url\":\"http://hl7.org/"
        "fhir/"
        "us/cqfmeasures/StructureDefinition/cqfm-inputParameters\",\"valueReference\":{"
        "\"reference\":\"#%s\"}},{\"url\":\"http://hl7.org/fhir/5.0/StructureDefinition/"
        "extension-MeasureReport.population.description\",\"valueString\":\"Patients "
        "evaluated by the measure during the measurement period\"}],\"status\":"
        "\"complete\",\"type\":\"individual\",",
        sep, id, params, patient, params);
    measure_url(m);
    printf(",\"subject\":{\"reference\":\"Patient/%llu\"},\"date\":"
           "\"2026-01-15T10:00:00-05:00\",",
           patient);
    reporter();
    period(2025, 0);
    printf(
        ",\"improvementNotation\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
        "CodeSystem/measure-improvement-notation\",\"code\":\"increase\"}]},\"group\":[");
    for (g = 0; g < measures[m].groups; g++) {
        int ip = 1, den = chance(90), excl = den && chance(8);
        int num = den && !excl && chance(60), exc = den && !excl && !num && chance(5);
        int counts[5];

        counts[0] = ip;
        counts[1] = den;
        counts[2] = excl;
        counts[3] = num;
        counts[4] = exc;
        printf("%s{\"id\":\"group-%d\",\"population\":[", g ? "," : "", g + 1);
        for (k = 0; k < 5; k++)
            population(k ? "," : "", k, counts[k]);
        printf(
            "],\"measureScore\":{\"value\":%s},\"stratifier\":[{\"code\":[{\"text\":"
            "\"Age Group\"}],\"stratum\":[{\"value\":{\"text\":\"%s\"},\"population\":[",
            num ? "1.0" : "0.0", chance(50) ? "18-64" : "65+");
        for (k = 0; k < 5; k++)
            population(k ? "," : "", k, counts[k]);
        printf("]}]}]}");
    }
    printf("],\"evaluatedResource\":[");
    n = 2 + (int)(next() % 6);
    for (e = 0; e < n; e++) {
        uuid(enc);
        printf("%s{\"reference\":\"%s/%s\"}", e ? "," : "",
               e % 3 == 0   ? "Encounter"
               : e % 3 == 1 ? "Condition"
                            : "Observation",
               enc);
    }
    printf("]}");
}

/* One summary MeasureReport with n groups (of two populations each), their
 * counts differing from group to group as real strata's do. */
static void many_groups(unsigned long long n)
{
    unsigned long long g;

    printf(
        "{\"resourceType\":\"MeasureReport\",\"id\":\"groups\",\"status\":\"complete\","
        "\"type\":\"summary\",\"measure\":\"https://madie.cms.gov/Measure/%s\","
        "\"period\":{\"start\":\"2025-01-01\",\"end\":\"2025-12-31\"},\"group\":[",
        measures[0].name);
    for (g = 0; g < n; g++) {
        printf("%s{\"id\":\"group-%llu\",\"population\":[", g ? "," : "", g + 1);
        population("", 0, (int)(10 + g % 9973));
        population(",", 1, (int)(8 + g % 9973 - g % 7));
        printf("]}");
    }
    printf("]}\n");
}

static void measure_resources(int bundle)
{
    size_t m;

    for (m = 0; m < NMEASURES; m++) {
        printf(
            "%s{\"resourceType\":\"Measure\",\"id\":\"%s\",\"url\":\"https://"
            "madie.cms.gov/"
            "Measure/%s\",\"version\":\"0.1.000\",\"status\":\"active\",\"identifier\":[{"
            "\"type\":{\"coding\":[{\"system\":\"http://hl7.org/fhir/us/cqfmeasures/"
            "CodeSystem/identifier-type\",\"code\":\"short-name\"}]},\"system\":"
            "\"https://madie.cms.gov/measure/shortName\",\"value\":\"CMS%dFHIR\"}]}%s",
            !bundle ? ""
            : m     ? ",\n{\"resource\":"
                    : "{\"resource\":",
            measures[m].name, measures[m].name, measures[m].cms, bundle ? "}" : "\n");
    }
}

int main(int argc, char **argv)
{
    unsigned long long target = 0, patient = 0, patients = 0, groups = 0;
    int bundle = 0, sorted = 0, ch;

    while ((ch = getopt(argc, argv, "bSfmPUOg:n:s:")) != -1) {
        if (ch == 'b')
            bundle = 1;
        else if (ch == 'S')
            bundle = sorted = 1;
        else if (ch == 'f')
            shape_fqm = 1;
        else if (ch == 'm')
            shape_small = 1;
        else if (ch == 'P')
            own_period = 1;
        else if (ch == 'U')
            own_url = 1;
        else if (ch == 'O')
            own_org = 1;
        else if (ch == 'g')
            groups = strtoull(optarg, NULL, 10);
        else if (ch == 'n')
            patients = strtoull(optarg, NULL, 10);
        else if (ch == 's')
            rng = strtoull(optarg, NULL, 10) * 2654435761ULL + 1;
        else
            return 2;
    }
    if (optind != argc - (patients || groups ? 0 : 1)) {
        fprintf(stderr, "usage: genreports [-b|-S] [-f|-m] [-P] [-U] [-O] [-s SEED]\n"
                        "                  [-g GROUPS | -n PATIENTS | MEGABYTES]\n");
        return 2;
    }
    if (groups) {
        measure_resources(0);
        many_groups(groups);
        return ferror(stdout) ? 1 : 0;
    }
    if (!patients)
        target = strtoull(argv[optind], NULL, 10) * 1000000ULL;
    if (sorted)
        printf("{\"entry\":[\n");
    else if (bundle)
        printf("{\"resourceType\":\"Bundle\",\"id\":\"bench\",\"type\":\"collection\","
               "\"entry\":[\n");
    measure_resources(bundle);
    while (patients ? patient < patients
                    : (unsigned long long)ftell(stdout) < target || ftell(stdout) < 0) {
        size_t m;

        patient++;
        for (m = 0; m < NMEASURES; m++) {
            if (shape_small && measures[m].groups != 1)
                continue; /* one group: about 1 KB */
            serial++;
            if (bundle) {
                organization(",\n{\"resource\":", "}");
                report(m, patient, ",\n{\"fullUrl\":\"urn:uuid:x\",\"resource\":");
                printf("}");
            } else {
                organization("", "\n");
                report(m, patient, "");
                printf("\n");
            }
        }
        if (!patients && ftell(stdout) < 0 && patient * 40000ULL > target)
            break; /* a pipe: stop at about the size asked */
    }
    if (sorted)
        printf("\n],\"id\":\"bench\",\"resourceType\":\"Bundle\",\"type\":\"collection\"}"
               "\n");
    else if (bundle)
        printf("\n]}\n");
    return ferror(stdout) ? 1 : 0;
}
