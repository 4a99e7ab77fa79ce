#!/bin/sh
# SPDX-License-Identifier: MIT
# Patient-level reports at scale, in small: the same generated reports as
# NDJSON, as one Bundle, on a pipe and with any number of threads give the
# same bytes; a copy of the input counts once; the generator's counts, added
# up by jq, are what qppbuild writes.
set -u
LC_ALL=C
export LC_ALL
QPPBUILD=${QPPBUILD:-build/qppbuild}
GEN=${GENREPORTS:-build/genreports}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
t() { if eval "$2"; then pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
args="-q -y 2025 --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234"

"$GEN" -n 400 >"$tmp/r.ndjson" && "$GEN" -b -n 400 >"$tmp/r.json" || exit 2
$QPPBUILD -j 1 $args "$tmp/r.ndjson" >"$tmp/ref" 2>"$tmp/err"
t "NDJSON converts" '[ $? = 0 ] && [ -s "$tmp/ref" ] && [ ! -s "$tmp/err" ]'
for j in 2 3 8; do
    $QPPBUILD -j $j $args "$tmp/r.ndjson" >"$tmp/out" 2>/dev/null
    t "NDJSON -j $j equals -j 1" 'cmp -s "$tmp/ref" "$tmp/out"'
    $QPPBUILD -j $j $args "$tmp/r.json" >"$tmp/out" 2>/dev/null
    t "Bundle -j $j equals NDJSON" 'cmp -s "$tmp/ref" "$tmp/out"'
done
cat "$tmp/r.ndjson" | $QPPBUILD $args >"$tmp/out" 2>/dev/null
t "NDJSON on a pipe equals the file" 'cmp -s "$tmp/ref" "$tmp/out"'
$QPPBUILD $args "$tmp/r.json" "$tmp/r.ndjson" >"$tmp/out" 2>/dev/null
t "the same reports twice (Bundle and NDJSON) count once" 'cmp -s "$tmp/ref" "$tmp/out"'

# Two sums of one measure sharing patients: the duplicate-subject error names
# the first pair in input order, the same in every run (the subject table's
# order is drawn anew each run and must not choose).
"$GEN" -m 1 >"$tmp/a.ndjson" && "$GEN" -b 1 >"$tmp/b.json" || exit 2
$QPPBUILD -j 1 $args "$tmp/a.ndjson" "$tmp/b.json" >/dev/null 2>"$tmp/dup1"
t "shared patients: duplicate-subject" '[ $? = 1 ] && grep -q "duplicate-subject" "$tmp/dup1"'
same=1
for k in 1 2 3 4 5; do
    $QPPBUILD -j 2 $args "$tmp/a.ndjson" "$tmp/b.json" >/dev/null 2>"$tmp/dup2"
    cmp -s "$tmp/dup1" "$tmp/dup2" || same=0
done
t "shared patients: the same diagnostics in every run" '[ $same = 1 ]'

# A syntax error halfway through a multi-batch input: the same diagnostics,
# in the same order, whatever the threads; nothing on stdout.
sed '2000s/.*/{"resourceType":"MeasureReport",/' "$tmp/r.ndjson" >"$tmp/bad.ndjson"
sed '2001s/"resource":/"resource"/' "$tmp/r.json" >"$tmp/bad.json"
for f in bad.ndjson bad.json; do
    $QPPBUILD -j 1 $args "$tmp/$f" >"$tmp/out" 2>"$tmp/err1"
    t "$f: exit 1, no output" '[ $? = 1 ] && [ ! -s "$tmp/out" ]'
    t "$f: the error names line 2000/2001" 'grep -q ":200[01]:[0-9]*: error\[json-syntax\]" "$tmp/err1"'
    for j in 2 4; do
        $QPPBUILD -j $j $args "$tmp/$f" >"$tmp/out" 2>"$tmp/errj"
        t "$f: -j $j gives -j 1's diagnostics" '[ $? = 1 ] && cmp -s "$tmp/err1" "$tmp/errj"'
    done
done

# Independent sums: jq adds up each population per measure (groups summed:
# 438 is single rate; 226, 238 and 009 are multi rate and checked per group).
jq -r 'select(.resourceType == "MeasureReport") | .measure as $m |
  .group | to_entries[] | .key as $g | .value.population[] |
  "\($m) \($g) \(.code.coding[0].code) \(.count)"' "$tmp/r.ndjson" |
    awk '{ s[$1 " " $2 " " $3] += $4 } END { for (k in s) print k, s[k] }' |
    sort >"$tmp/sums"
ccs=$(grep -c "DiabetesEyeExamFHIR 0 denominator " "$tmp/sums")
den=$(awk '/DiabetesEyeExamFHIR 0 denominator / { print $4 }' "$tmp/sums")
num=$(awk '/DiabetesEyeExamFHIR 0 numerator / { print $4 }' "$tmp/sums")
jq -e --argjson den "$den" --argjson num "$num" '.measurementSets[0].measurements[] |
  select(.measureId == "117") | .value.eligiblePopulation == $den and
  .value.performanceMet == $num' "$tmp/ref" >/dev/null
t "measure 117 equals the jq sums (denominator $den, numerator $num)" '[ $? = 0 ] && [ "$ccs" = 1 ]'

echo "stream: $pass passed, $fail failed"
[ $fail = 0 ]
