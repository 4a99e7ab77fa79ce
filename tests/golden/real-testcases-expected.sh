#!/bin/sh
# SPDX-License-Identifier: MIT
# Writes the golden cases tests/golden/ok-real-tc-cms<n>/ (args, expected.json,
# expected.codes) for every MADiE eCQM in $SHARED/fhir-testcases, computing
# the expected submission with jq alone, from the test-case MeasureReports and
# CMS's measures-data-2025.json, never from qppbuild's output.
#
#   sh tests/golden/real-testcases-expected.sh      (SHARED defaults to ../shared)
#
# Rules applied (DESIGN.md section 4, reference/qpp-output.md sections 4-5):
#  - Measure -> QPP measureId: the CMS number of the Measure's short-name
#    identifier (CMS130FHIR) and cmsId publisher identifier (130FHIR), which
#    must agree with each other and with the file name, matched to the one
#    2025 quality measure whose eMeasureId starts with "CMS<n>v";
#  - each population code (system measure-population) is summed per group
#    position over all reports; gross counts:
#      eligiblePopulation = denominator, exclusion = denominator-exclusion,
#      exception = denominator-exception, met = numerator - numerator-exclusion,
#      notMet = eligible - met - exclusion - exception (negative: stop);
#  - singlePerformanceRate: all groups summed first, then mapped once;
#  - multiPerformanceRate: group i -> stratum i named by strata[i].name;
#    370 (one FHIR group, two strata): counts to the first stratum, zeros to
#    the rest (CMS's converter);
#  - diagnostics, in the order qppbuild prints them (run, measure, set):
#      warning[no-program-library]   --no-program-library is given
#      warning[test-case]            the reports carry cqfm-isTestCase = true
#      warning[no-rate]              no met and no not-met (in any stratum)
#      warning[small-case-count]     case count < 20; case count as CMS computes
#                                    it (qpp-output.md section 4): single rate:
#                                    eligiblePopulation; simpleAverage: largest
#                                    stratum; weightedAverage: sum of strata;
#                                    overallStratumOnly: stratum "overall";
#                                    split: stratum "reporting"
#      warning[few-measures]         one measure < the 6 CMS asks for (4 in
#                                    an MVP)
#      warning[mvp-no-outcome]       an MVP set whose measure is not an outcome
#                                    type while the MVP offers one by
#                                    electronicHealthRecord that CMS does not
#                                    compute itself (methods other than
#                                    certifiedSurveyVendor, administrativeClaims)
#      warning[no-high-priority]     otherwise, the measure is neither
#                                    isHighPriority nor an outcome type
#  - the program: mips when the measure's allowedPrograms names it, else the
#    first MVP id it names (CMS took 112, 113 and 128 out of traditional MIPS
#    from 2024: reference/qpp-output.md section 8); given with -p then.
set -eu
LC_ALL=C
export LC_ALL
here=$(cd "$(dirname "$0")" && pwd)
SHARED=${SHARED:-$here/../../../shared}
SHARED=$(cd "$SHARED" && pwd)
data=$SHARED/qpp-data/measures/measures-data-2025.json
[ -f "$data" ] || { echo "$0: $data not found (set SHARED)" >&2; exit 2; }

filter='
def popsystem: "http://terminology.hl7.org/CodeSystem/measure-population";
def count($grp; $code):
  [ $grp.population[]?
    | select(any(.code.coding[]?; .system == popsystem and .code == $code))
    | .count ] | add // 0;
def codes: ["initial-population", "denominator", "denominator-exclusion",
            "denominator-exception", "numerator", "numerator-exclusion"];
# per group position, the sum over all reports of each population code
def sums($reports):
  ([ $reports[] | .group | length ] | max) as $n
  | [ range(0; $n) as $i
      | reduce codes[] as $c ({};
          .[$c] = ([ $reports[] | count(.group[$i]; $c) ] | add)) ];
def add2($a; $b): reduce codes[] as $c ({}; .[$c] = $a[$c] + $b[$c]);
def value($s):
  if $s.denominator > $s["initial-population"] then
    error("denominator exceeds initial-population: \($s)") else . end
  | ($s.numerator - $s["numerator-exclusion"]) as $met
  | ($s.denominator - $met - $s["denominator-exclusion"]
     - $s["denominator-exception"]) as $notmet
  | if $notmet < 0 then error("negative performanceNotMet: \($s)") else . end
  | { performanceMet: $met,
      eligiblePopulation: $s.denominator,
      performanceNotMet: $notmet,
      eligiblePopulationExclusion: $s["denominator-exclusion"],
      eligiblePopulationException: $s["denominator-exception"] };
def zero: reduce codes[] as $c ({}; .[$c] = 0);

($m[0]) as $measure
| [ $measure.identifier[]
    | select(.system == "https://madie.cms.gov/measure/shortName")
    | .value | capture("^CMS(?<n>[0-9]+)FHIR$").n ] as $short
| [ $measure.identifier[]
    | select(.system == "https://madie.cms.gov/measure/cmsId")
    | .value | capture("^(?<n>[0-9]+)FHIR$").n ] as $cmsid
| if ($short | length) != 1 or $short != $cmsid or $short[0] != $filecms
  then error("CMS number: short-name \($short), cmsId \($cmsid), file \($filecms)")
  else $short[0] end
| . as $n
| [ $d[0][] | select(.category == "quality"
                     and ((.eMeasureId // "") | startswith("CMS\($n)v"))) ] as $hits
| if ($hits | length) != 1 then error("CMS\($n): \($hits | length) 2025 measures")
  else $hits[0] end
| . as $qm
| (if ($qm.allowedPrograms | index("mips")) then "mips"
   else [ $qm.allowedPrograms[] | select(test("^[GM][0-9]{4}$")) ][0]
        // error("\($qm.measureId): no mips or MVP program") end) as $program
| ($program | test("^[GM][0-9]{4}$")) as $mvp
| [ $d[0][] | select(.category == "quality"
                     and ((.allowedPrograms // []) | index($program))
                     and ((.measureType // "") | test("utcome$"))
                     and (.submissionMethods | index("electronicHealthRecord"))) ]
  as $offered
| [ $r[] | select(.resourceType == "MeasureReport" and .measure == $measure.url) ]
  as $reports
| if ($reports | length) != ($r | length) then error("a line is not a report of the Measure")
  else . end
| sums($reports) as $g
| (if $qm.metricType == "singlePerformanceRate" then
     { isEndToEndReported: true }
     + value(reduce $g[] as $x (zero; add2(.; $x)))
   elif $qm.metricType == "multiPerformanceRate" then
     ($qm.strata | map(.name)) as $names
     | if ($g | length) == ($names | length) then $g
       elif $qm.measureId == "370" and ($g | length) == 1
         then $g + [ range(1; $names | length) | zero ]
       else error("\($qm.measureId): \($g | length) groups, \($names | length) strata")
       end
     | . as $groups
     | { isEndToEndReported: true,
         strata: [ range(0; $names | length) as $i
                   | { stratum: $names[$i] } + value($groups[$i]) ] }
   else error("\($qm.measureId): metricType \($qm.metricType)") end) as $value
| { entityType: "apm",
    entityId: "A1234",
    performanceYear: 2025,
    measurementSets: [
      { category: "quality",
        submissionMethod: "electronicHealthRecord",
        programName: $program,
        performanceStart: "2025-01-01",
        performanceEnd: "2025-12-31",
        cehrtId: "0015CABCDEF1234",
        measurements: [ { measureId: $qm.measureId, value: $value } ] } ] }
  as $submission
| (if $value.strata == null then $value.eligiblePopulation
   else ($value.strata | map(.eligiblePopulation)) as $e
   | ($value.strata | map(select(.stratum == "overall").eligiblePopulation)) as $ov
   | ($value.strata | map(select(.stratum == "reporting").eligiblePopulation)) as $rp
   | { simpleAverage: ($e | max), weightedAverage: ($e | add),
       sumNumerators: ($e | add), overallStratumOnly: $ov[0],
       split: $rp[0] }[$qm.overallAlgorithm]
     // error("\($qm.measureId): no case count for \($qm.overallAlgorithm)")
   end) as $cases
| ([ $reports[] | select(any(.modifierExtension[]?;
      .url == "http://hl7.org/fhir/us/cqfmeasures/StructureDefinition/cqfm-isTestCase"
      and .valueBoolean == true)) ] | length) as $ntest
| ($qm.measureType | test("utcome$")) as $outcome
| { cms: $n,
    measureId: $qm.measureId,
    program: $program,
    submission: $submission,
    codes: ( ["warning[no-program-library]"]
             + (if $ntest > 0 then ["warning[test-case]"] else [] end)
             + (if [ $value, $value.strata[]? ]
                   | any(.performanceMet != null
                         and .performanceMet + .performanceNotMet > 0)
                then [] else ["warning[no-rate]"] end)
             + (if $cases < 20 then ["warning[small-case-count]"] else [] end)
             + ["warning[few-measures]"]
             + (if $mvp and ($outcome | not) and ($offered | length) > 0
                then ["warning[mvp-no-outcome]"]
                elif $qm.isHighPriority or $outcome
                then [] else ["warning[no-high-priority]"] end) ) }
'

tmp=$(mktemp) || exit 2
trap 'rm -f "$tmp"' EXIT INT TERM
n=0
for measure in "$SHARED"/fhir-testcases/CMS*.measure.json; do
    base=${measure%.measure.json}
    name=${base##*/}
    filecms=${name%%-*}
    filecms=${filecms#CMS}
    cases=$base.testcases.ndjson
    jq -n --arg filecms "$filecms" --slurpfile m "$measure" --slurpfile r "$cases" \
        --slurpfile d "$data" "$filter" >"$tmp"
    cms=$(jq -r .cms "$tmp")
    dir=$here/ok-real-tc-cms$cms
    mkdir -p "$dir"
    program=$(jq -r .program "$tmp")
    p=
    [ "$program" = mips ] || p="-p $program "
    printf '%s\n' "-y 2025 $p--no-program-library -e apm --entity-id A1234 --cehrt-id 0015CABCDEF1234 \"\$SHARED/fhir-testcases/$name.measure.json\" \"\$SHARED/fhir-testcases/$name.testcases.ndjson\"" >"$dir/args"
    jq --indent 2 .submission "$tmp" >"$dir/expected.json"
    jq -r '.codes[]' "$tmp" >"$dir/expected.codes"
    rm -f "$dir/status"
    n=$((n + 1))
    printf '%s\tCMS%s -> %s\n' "${dir##*/}" "$cms" "$(jq -r .measureId "$tmp")"
    if [ "$cms" = 138 ]; then
        # The same CMS138 input plus fhir-examples' copies of its Measure (same
        # content, other layout) and of two of its reports (same content):
        # identical resources count once, so the result is the same.
        q=\$SHARED/fhir-examples/ecqm-content-qicore-2024
        dup=$here/ok-real-qicore2024-dedup-cms138
        mkdir -p "$dup"
        printf '%s\n' "-y 2025 --no-program-library -e apm --entity-id A1234 --cehrt-id 0015CABCDEF1234 \"$q/measures/PreventiveCareAndTobaccoUseScreeningAndCessationInterventionFHIR.json\" \"\$SHARED/fhir-testcases/$name.measure.json\" \"$q/test-cases/measure__MeasureReport-4968a733-ac7a-4dda-9d6b-745e1a1ae8cb.json\" \"\$SHARED/fhir-testcases/$name.testcases.ndjson\" \"$q/test-cases/measure__MeasureReport-ffcc1af7-8f00-49a1-a834-0cc4e058efab.json\"" >"$dup/args"
        cp "$dir/expected.json" "$dir/expected.codes" "$dup/"
        n=$((n + 1))
        printf '%s\tCMS%s -> %s\n' "${dup##*/}" "$cms" "$(jq -r .measureId "$tmp")"
    fi
done
echo "$n cases written"
