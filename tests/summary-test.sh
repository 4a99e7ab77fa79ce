#!/bin/sh
# SPDX-License-Identifier: MIT
# --summary and --provenance on one machine (make check; tests/shard-test.sh
# does it across two workers): shards of patient-level reports reduced to
# summaries add up to the single run's bytes, in any order and through a
# second level; a partial sum given twice is an error; the provenance Bundle
# holds the exact bytes written and the inputs' SHA-256, is the same for the
# same run, and is written whole or not at all.
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

"$GEN" -n 400 >"$tmp/all.ndjson" || exit 2
head -n 10 "$tmp/all.ndjson" >"$tmp/measures.ndjson"
tail -n +11 "$tmp/all.ndjson" | split -d -l 1000 - "$tmp/s"
$QPPBUILD $args "$tmp/all.ndjson" >"$tmp/single.json"
t "the single run converts" '[ $? = 0 ] && [ -s "$tmp/single.json" ]'
for s in "$tmp"/s0?; do
    $QPPBUILD --summary $args "$tmp/measures.ndjson" "$s" >"$s.sum" || echo "FAIL --summary $s"
done
t "4 shards, 10 summaries each" '[ "$(cat "$tmp"/s0?.sum | wc -l)" = 40 ]'
$QPPBUILD $args "$tmp/measures.ndjson" "$tmp"/s0?.sum >"$tmp/final.json"
t "the summaries add up to the same bytes" '[ $? = 0 ] && cmp -s "$tmp/single.json" "$tmp/final.json"'
$QPPBUILD $args "$tmp/s03.sum" "$tmp/s01.sum" "$tmp/measures.ndjson" "$tmp/s02.sum" "$tmp/s00.sum" \
    >"$tmp/final.json"
t "in any order" '[ $? = 0 ] && cmp -s "$tmp/single.json" "$tmp/final.json"'
$QPPBUILD --summary $args "$tmp/measures.ndjson" "$tmp/s00.sum" "$tmp/s01.sum" >"$tmp/half.sum"
$QPPBUILD $args "$tmp/measures.ndjson" "$tmp/half.sum" "$tmp/s02.sum" "$tmp/s03.sum" >"$tmp/final.json"
t "through a summary of summaries" '[ $? = 0 ] && cmp -s "$tmp/single.json" "$tmp/final.json"'
t "which names both shards' digests" '[ "$(grep -o "sha256:" "$tmp/half.sum" | wc -l)" = 20 ]'
$QPPBUILD --summary $args "$tmp/all.ndjson" >"$tmp/whole.sum"
$QPPBUILD $args "$tmp/measures.ndjson" "$tmp/whole.sum" >"$tmp/final.json"
t "a summary of everything gives the same bytes" 'cmp -s "$tmp/single.json" "$tmp/final.json"'
# 438 (groups summed) and 226 (strata) from the summaries, as jq adds them.
den=$(jq -s '[.[] | select(.id | startswith("qppbuild-226-")) | .group[1].population[] |
    select(.code.coding[0].code == "denominator") | .count] | add' "$tmp"/s0?.sum)
t "226's second stratum is the sum of the shards' ($den)" \
    '[ "$(jq ".measurementSets[0].measurements[] | select(.measureId == \"226\") |
        .value.strata[1].eligiblePopulation" "$tmp/single.json")" = "$den" ]'

cat "$tmp/s01.sum" >>"$tmp/s02.sum"
$QPPBUILD $args "$tmp/measures.ndjson" "$tmp"/s0?.sum >"$tmp/out" 2>"$tmp/err"
t "a partial sum twice: exit 1, nothing written" '[ $? = 1 ] && [ ! -s "$tmp/out" ]'
t "... partial-sum-twice, once per measure" '[ "$(grep -c "error\[partial-sum-twice\]" "$tmp/err")" = 10 ]'
$QPPBUILD $args "$tmp/measures.ndjson" "$tmp/half.sum" "$tmp/s00.sum" "$tmp/s03.sum" >"$tmp/out" 2>"$tmp/err"
t "a shard inside a summary of summaries and on its own: partial-sum-twice" \
    '[ $? = 1 ] && [ ! -s "$tmp/out" ] && grep -q "error\[partial-sum-twice\]" "$tmp/err"'

# ---- --provenance ----
ex=examples/group-2023/input
SOURCE_DATE_EPOCH=1700000000 $QPPBUILD -q --provenance "$tmp/p1.json" -o "$tmp/sub.json" $ex/* 2>"$tmp/err"
t "--provenance: exit 0, both files written" '[ $? = 0 ] && [ -s "$tmp/p1.json" ] && [ -s "$tmp/sub.json" ]'
SOURCE_DATE_EPOCH=1700000000 $QPPBUILD -q --provenance "$tmp/p2.json" $ex/* >"$tmp/stdout.json"
t "the same run gives the same Bundle" 'cmp -s "$tmp/p1.json" "$tmp/p2.json"'
t "the Binary holds the exact bytes written" \
    'jq -r ".entry[0].resource.data" "$tmp/p1.json" | base64 -d | cmp -s - "$tmp/sub.json"'
t "recorded is SOURCE_DATE_EPOCH" \
    '[ "$(jq -r ".entry[-1].resource.recorded" "$tmp/p1.json")" = 2023-11-14T22:13:20Z ]'
for f in $ex/*; do
    h=$(sha256sum "$f" | cut -c1-64)
    t "an entity gives $f's SHA-256" \
        'jq -r ".entry[-1].resource.entity[].what.display" "$tmp/p1.json" | grep -q "^$f, SHA-256 $h\$"'
done
t "targets: the Binary and the 4 summaries" \
    '[ "$(jq "[.entry[-1].resource.target[].reference] == [.entry[0,1,2,3,4].fullUrl]" "$tmp/p1.json")" = true ]'
t "the Organization is the author, by reference" \
    '[ "$(jq -r ".entry[-1].resource.agent[0].who.reference" "$tmp/p1.json")" = Organization/example-practice ]'
$QPPBUILD -q --provenance "$tmp/p3.json" -O nowhere $ex/* >"$tmp/out" 2>/dev/null
t "a run that fails writes no provenance" '[ $? != 0 ] && [ ! -e "$tmp/p3.json" ] && [ ! -s "$tmp/out" ]'
$QPPBUILD -q --provenance "$tmp/no/such/dir/p.json" $ex/* >"$tmp/out" 2>"$tmp/err"
t "an unwritable --provenance: exit 3, io-error" '[ $? = 3 ] && grep -q "error\[io-error\]" "$tmp/err"'
SOURCE_DATE_EPOCH=yesterday $QPPBUILD -q --provenance "$tmp/p4.json" $ex/* >"$tmp/out" 2>/dev/null
t "SOURCE_DATE_EPOCH not a number: exit 2, nothing written" \
    '[ $? = 2 ] && [ ! -e "$tmp/p4.json" ] && [ ! -s "$tmp/out" ]'
$QPPBUILD -q --provenance $ex/reports.ndjson $ex/* >"$tmp/out" 2>/dev/null
t "--provenance naming an input: exit 2" '[ $? = 2 ] && [ ! -s "$tmp/out" ]'

echo "summary: $pass passed, $fail failed"
[ $fail = 0 ]
