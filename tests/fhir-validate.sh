#!/bin/sh
# SPDX-License-Identifier: MIT
# qppbuild's FHIR output is valid FHIR R4 (make fhir-validate): the summaries
# of --summary (individual reports, the example's summary reports, and a
# summary of summaries) and the Bundle of --provenance, checked by an
# existing validator: the npm package fhir (FHIR.js), installed with npm
# into tests/validate/node_modules (not committed).  The validator must also
# refuse a broken copy of each, so that a validator that says yes to
# everything fails the test.  Needs node and npm (and the npm registry the
# first time).
set -u
LC_ALL=C
export LC_ALL
top=$(pwd)
QPPBUILD=${QPPBUILD:-build/qppbuild}
GEN=${GENREPORTS:-build/genreports}
case $QPPBUILD in /*) ;; *) QPPBUILD=$top/$QPPBUILD ;; esac
for c in node npm jq; do
    command -v $c >/dev/null 2>&1 ||
        { echo "fhir-validate: $c not found (apt-get install nodejs npm jq)" >&2; exit 2; }
done
if [ ! -f tests/validate/node_modules/fhir/package.json ]; then
    (cd tests/validate && npm install --no-audit --no-fund --silent) ||
        { echo "fhir-validate: npm install failed" >&2; exit 2; }
fi
validate() { node tests/validate/validate.js "$@"; }
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0
t() { if eval "$2"; then pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }
args="-q -y 2025 --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234"
ex=examples/group-2023/input

"$GEN" -n 200 >"$tmp/r.ndjson" || exit 2
$QPPBUILD --summary $args "$tmp/r.ndjson" >"$tmp/individual.ndjson" &&
    $QPPBUILD --summary $args "$tmp/r.ndjson" "$tmp/individual.ndjson" >/dev/null 2>&1
$QPPBUILD --summary $ex/* >"$tmp/example.ndjson"
head -n 10 "$tmp/r.ndjson" >"$tmp/measures.ndjson"
$QPPBUILD --summary $args "$tmp/measures.ndjson" "$tmp/individual.ndjson" >"$tmp/twice.ndjson"
SOURCE_DATE_EPOCH=0 $QPPBUILD -q --provenance "$tmp/provenance.json" -o "$tmp/sub.json" $ex/*
$QPPBUILD $args --provenance "$tmp/provenance-tin.json" "$tmp/r.ndjson" >/dev/null
for f in individual.ndjson example.ndjson twice.ndjson provenance.json provenance-tin.json; do
    validate "$tmp/$f" >"$tmp/out" 2>&1
    t "$f is valid FHIR R4" '[ $? = 0 ] && [ -s "$tmp/$f" ]' || cat "$tmp/out"
done
t "the provenance Bundle has its 7 entries" \
    '[ "$(jq ".entry | length" "$tmp/provenance.json")" = 7 ]'

# The validator is not a yes-man: the same files, broken.
head -n 1 "$tmp/example.ndjson" | jq -c '.status = "done" | .group[0].population[0].count = "3"' \
    >"$tmp/bad.ndjson"
jq '.entry[-1].resource.entity[0].role = "origin" | del(.entry[-1].resource.target)' \
    "$tmp/provenance.json" >"$tmp/bad.json"
for f in bad.ndjson bad.json; do
    validate "$tmp/$f" >"$tmp/out" 2>&1
    t "a broken $f is refused" '[ $? = 1 ]'
done
echo "fhir-validate: $pass passed, $fail failed"
[ $fail = 0 ]
