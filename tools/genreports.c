/* SPDX-License-Identifier: MIT */
/*
 * genreports: patient-level MeasureReports for benchmarks, shaped like the
 * ones evaluators write (contained Parameters, extensions, stratifiers,
 * evaluatedResource; 1 to 4 groups), preceded by their Measures.  The same
 * seed gives the same bytes.
 *
 * usage: genreports [-b] [-s SEED] [-n PATIENTS | MEGABYTES] > reports.ndjson
 *   -b  one Bundle (type collection), an entry a line, instead of NDJSON
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
    printf(
        "%s{\"id\":\"%s\",\"code\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
        "CodeSystem/measure-population\",\"code\":\"%s\",\"display\":\"%s\"}]},"
        "\"count\":%d}",
        sep, codes[k], codes[k], displays[k], count);
}

static void report(size_t m, unsigned long patient, const char *sep)
{
    char id[40], params[40], enc[40];
    int g, k, e, n;

    uuid(id);
    uuid(params);
    printf(
        "%s{\"resourceType\":\"MeasureReport\",\"id\":\"%s\",\"contained\":[{"
        "\"resourceType\":\"Parameters\",\"id\":\"%s\",\"parameter\":[{\"name\":"
        "\"subject\",\"valueString\":\"Patient/%lu\"},{\"name\":\"Measurement Period\","
        "\"valuePeriod\":{\"start\":\"2025-01-01T00:00:00-05:00\",\"end\":"
        "\"2025-12-31T23:59:59-05:00\"}}]}],\"extension\":[{\"url\":\"http://hl7.org/"
        "fhir/"
        "us/cqfmeasures/StructureDefinition/cqfm-inputParameters\",\"valueReference\":{"
        "\"reference\":\"#%s\"}},{\"url\":\"http://hl7.org/fhir/5.0/StructureDefinition/"
        "extension-MeasureReport.population.description\",\"valueString\":\"Patients "
        "evaluated by the measure during the measurement period\"}],\"status\":"
        "\"complete\",\"type\":\"individual\",\"measure\":\"https://madie.cms.gov/"
        "Measure/"
        "%s\",\"subject\":{\"reference\":\"Patient/%lu\"},\"date\":"
        "\"2026-01-15T10:00:00-05:00\",\"reporter\":{\"reference\":\"Organization/"
        "bench-org\"},\"period\":{\"start\":\"2025-01-01\",\"end\":\"2025-12-31\"},"
        "\"improvementNotation\":{\"coding\":[{\"system\":\"http://terminology.hl7.org/"
        "CodeSystem/measure-improvement-notation\",\"code\":\"increase\"}]},\"group\":[",
        sep, id, params, patient, params, measures[m].name, patient);
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
    unsigned long long target = 0, patient = 0, patients = 0;
    int bundle = 0, ch;

    while ((ch = getopt(argc, argv, "bn:s:")) != -1) {
        if (ch == 'b')
            bundle = 1;
        else if (ch == 'n')
            patients = strtoull(optarg, NULL, 10);
        else if (ch == 's')
            rng = strtoull(optarg, NULL, 10) * 2654435761ULL + 1;
        else
            return 2;
    }
    if (optind != argc - (patients ? 0 : 1)) {
        fprintf(stderr, "usage: genreports [-b] [-s SEED] [-n PATIENTS | MEGABYTES]\n");
        return 2;
    }
    if (!patients)
        target = strtoull(argv[optind], NULL, 10) * 1000000ULL;
    if (bundle) {
        printf("{\"resourceType\":\"Bundle\",\"id\":\"bench\",\"type\":\"collection\","
               "\"entry\":[\n");
    }
    measure_resources(bundle);
    while (patients ? patient < patients
                    : (unsigned long long)ftell(stdout) < target || ftell(stdout) < 0) {
        size_t m;

        patient++;
        for (m = 0; m < NMEASURES; m++) {
            if (bundle) {
                report(m, patient, ",\n{\"fullUrl\":\"urn:uuid:x\",\"resource\":");
                printf("}");
            } else {
                report(m, patient, "");
                printf("\n");
            }
        }
        if (!patients && ftell(stdout) < 0 && patient * 40000ULL > target)
            break; /* a pipe: stop at about the size asked */
    }
    if (bundle)
        printf("\n]}\n");
    return ferror(stdout) ? 1 : 0;
}
