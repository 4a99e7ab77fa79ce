#!/bin/sh
# SPDX-License-Identifier: MIT
# Command-line behaviour the golden runner cannot see: -o files, output
# faults, determinism, JSON diagnostics, --help/--version, unreadable input.
set -u
LC_ALL=C
export LC_ALL
top=$(pwd)
QPPBUILD=${QPPBUILD:-build/qppbuild}
case $QPPBUILD in /*) ;; *) QPPBUILD=$top/$QPPBUILD ;; esac
SHARED=${SHARED:-../shared}
case $SHARED in /*) ;; *) SHARED=$top/$SHARED ;; esac
q() { ${VALGRIND:-} "$QPPBUILD" "$@"; }
ex=$top/examples/group-2023/input
tmp=$(mktemp -d) || exit 2
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0

t() { # name, then a shell condition
    if eval "$2"; then pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi
}

q "$ex"/* >"$tmp/stdout" 2>/dev/null
t "example converts" '[ $? = 0 ] && [ -s "$tmp/stdout" ]'

# -o writes the same bytes as stdout, and nothing else.
q -o "$tmp/out.json" "$ex"/* >"$tmp/o.stdout" 2>/dev/null
t "-o exit 0" '[ $? = 0 ]'
t "-o file equals stdout output" 'cmp -s "$tmp/out.json" "$tmp/stdout"'
t "-o leaves stdout empty" '[ ! -s "$tmp/o.stdout" ]'
t "-o leaves no temporary file" '[ "$(ls "$tmp" | grep -c "out.json.")" = 0 ]'

(umask 022 && q -o "$tmp/mode.json" "$ex"/* 2>/dev/null)
t "-o file gets the mode of a new file (umask 022: 644)" \
    '[ "$(stat -c %a "$tmp/mode.json")" = 644 ]'
chmod 640 "$tmp/mode.json"
q -o "$tmp/mode.json" "$ex"/* 2>/dev/null
t "-o keeps the mode of the file it replaces" '[ "$(stat -c %a "$tmp/mode.json")" = 640 ]'

# On invalid input an existing -o file stays as it was.
echo "previous" >"$tmp/keep.json"
echo '{"resourceType":"MeasureReport"' >"$tmp/bad.json"
q -o "$tmp/keep.json" "$tmp/bad.json" 2>/dev/null
t "-o on invalid input: exit 1" '[ $? = 1 ]'
t "-o on invalid input: file untouched" '[ "$(cat "$tmp/keep.json")" = previous ]'
t "-o on invalid input: no temporary file" '[ "$(ls "$tmp" | grep -c "keep.json.")" = 0 ]'

# A folder that cannot be written: exit 3, nothing left behind.
mkdir "$tmp/ro" && chmod a-w "$tmp/ro"
if [ "$(id -u)" != 0 ]; then
    q -o "$tmp/ro/out.json" "$ex"/* 2>/dev/null
    t "-o in a read-only folder: exit 3" '[ $? = 3 ]'
fi
q -o "$tmp/missing/out.json" "$ex"/* 2>"$tmp/err"
t "-o into a missing folder: exit 3" '[ $? = 3 ] && grep -q "error\[io-error\]" "$tmp/err"'
q --diagnostics json -o "$tmp/missing/out.json" "$ex"/* 2>"$tmp/err"
t "-o into a missing folder, JSON diagnostics: the write error is a JSON line" \
    '[ $? = 3 ] && grep -q "^{\"severity\":\"error\",\"code\":\"io-error\",\"file\":\"[^\"]*missing/out.json\"" "$tmp/err" && ! grep -v "^{" "$tmp/err"'

# -o through a symbolic link replaces the file it names and keeps the link.
echo "previous" >"$tmp/target.json"
ln -s target.json "$tmp/link.json"
q -o "$tmp/link.json" "$ex"/* 2>/dev/null
t "-o through a link: the link stays a link" '[ -L "$tmp/link.json" ]'
t "-o through a link: the file it names is replaced" 'cmp -s "$tmp/target.json" "$tmp/stdout"'
ln -s made.json "$tmp/dangling.json"
q -o "$tmp/dangling.json" "$ex"/* 2>/dev/null
t "-o through a dangling link: creates the file it names" \
    '[ -L "$tmp/dangling.json" ] && cmp -s "$tmp/made.json" "$tmp/stdout"'

# -o into a FIFO or a device writes into it and never replaces it.
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/fifo.out" &
reader=$!
q -o "$tmp/fifo" "$ex"/* 2>/dev/null
t "-o into a FIFO: exit 0" '[ $? = 0 ]'
wait $reader
t "-o into a FIFO: it stays a FIFO" '[ -p "$tmp/fifo" ]'
t "-o into a FIFO: the reader gets the output" 'cmp -s "$tmp/fifo.out" "$tmp/stdout"'
if mknod "$tmp/full" c 1 7 2>/dev/null; then
    q -o "$tmp/full" "$ex"/* 2>"$tmp/err"
    t "-o into a full device: exit 3 with io-error, the device kept" \
        '[ $? = 3 ] && grep -q "io-error" "$tmp/err" && [ -c "$tmp/full" ]'
fi

# A full disk.
if [ -w /dev/full ]; then
    q "$ex"/* >/dev/full 2>"$tmp/err"
    t "stdout on a full disk: exit 3 with io-error" '[ $? = 3 ] && grep -q "io-error" "$tmp/err"'
fi

# A closed standard output: exit 3 with io-error.
(exec >&-; q "$ex"/* 2>"$tmp/err"; echo $? >"$tmp/status")
t "closed stdout: exit 3 with io-error" '[ "$(cat "$tmp/status")" = 3 ] && grep -q io-error "$tmp/err"'

# A reader that stops early (| head -c 1): the conventional quiet end of a
# broken pipe (SIGPIPE, 128+13), exit 3 with io-error, or 0 when all was
# written before the reader left; never a crash.
(q --list-measures -y 2025 2>"$tmp/err"; echo $? >"$tmp/status") | head -c 1 >/dev/null
t "closed pipe: SIGPIPE, exit 3 or written" \
    'st=$(cat "$tmp/status"); [ "$st" = 141 ] || [ "$st" = 0 ] || { [ "$st" = 3 ] && grep -q io-error "$tmp/err"; }'

# The same input gives the same bytes.
q "$ex"/* >"$tmp/again" 2>/dev/null
t "deterministic output" 'cmp -s "$tmp/again" "$tmp/stdout"'
q -c "$ex"/* >"$tmp/compact" 2>/dev/null
t "compact output is one line" '[ "$(wc -l <"$tmp/compact")" = 1 ]'

# Unreadable inputs.
q "$tmp" 2>"$tmp/err" >"$tmp/o"
t "a folder as input: exit 3, io-error, empty stdout" \
    '[ $? = 3 ] && grep -q "io-error" "$tmp/err" && [ ! -s "$tmp/o" ]'
q "$tmp/no-such-file" 2>"$tmp/err" >"$tmp/o"
t "a missing file: exit 3, io-error, empty stdout" \
    '[ $? = 3 ] && grep -q "io-error" "$tmp/err" && [ ! -s "$tmp/o" ]'

# JSON diagnostics: one object per line with the documented keys in order.
q --diagnostics json "$ex"/* 2>"$tmp/err" >/dev/null
t "--diagnostics json: exit 0" '[ $? = 0 ]'
t "--diagnostics json: every line an object with the keys in order" \
    '[ -s "$tmp/err" ] && ! grep -v "^{\"severity\":\"[a-z]*\",\"code\":\"[a-z-]*\",\"file\":.*,\"line\":.*,\"column\":.*,\"resource\":.*,\"pointer\":.*,\"message\":\".*\"}$" "$tmp/err"'
q --diagnostics json "$tmp/bad.json" 2>"$tmp/err" >/dev/null
t "--diagnostics json: a file cut short has file, line, column" \
    'grep -q "\"code\":\"input-truncated\",\"file\":\"[^\"]*bad.json\",\"line\":2,\"column\":" "$tmp/err"'

# -v: each input's figures on stderr (never on stdout).
q -v "$ex"/* >"$tmp/o" 2>"$tmp/err"
t "-v prints the reading figures on stderr only" \
    '[ "$(grep -c "^qppbuild: [0-9]* resources, [0-9.]* MB, " "$tmp/err")" = 4 ] && cmp -s "$tmp/o" "$tmp/stdout"'

# --help and --version go to stdout and exit 0; usage errors exit 2.
q --help >"$tmp/o" 2>&1
t "--help exit 0" '[ $? = 0 ] && grep -q "^usage: qppbuild" "$tmp/o"'
q --version >"$tmp/o" 2>&1
t "--version exit 0" '[ $? = 0 ] && grep -q "^qppbuild [0-9]" "$tmp/o"'
q --no-such-option >"$tmp/o" 2>&1
t "unknown option exit 2, named by qppbuild" \
    '[ $? = 2 ] && grep -q "^qppbuild: error\[usage\]: unknown option .--no-such-option.$" "$tmp/o"'
q "$ex"/* -L >"$tmp/o" 2>&1
t "an option without its value: exit 2" \
    '[ $? = 2 ] && grep -q "^qppbuild: error\[usage\]: option .-L. needs a value" "$tmp/o"'
for o in -p -L -O --cehrt-id --entity-id -o; do
    q "$o" "" "$ex"/* >"$tmp/o" 2>&1
    t "$o with an empty value: exit 2" '[ $? = 2 ] && grep -q "needs a value, not an empty one" "$tmp/o"'
done
q --measure-map 'https://x.org/M|1=001' --measure-map https://x.org/M=002 "$ex"/* >"$tmp/o" 2>&1
t "--measure-map of one url to two ids: exit 2" '[ $? = 2 ] && grep -q "two ids" "$tmp/o"'
q --measure-map https://x.org/M=001 --measure-map https://x.org/M=001 "$ex"/* >"$tmp/o" 2>/dev/null
t "--measure-map given twice alike: fine" '[ $? = 0 ]'
q --measurement-set-id set1 "$ex"/* >"$tmp/o" 2>&1
t "--measurement-set-id without --structure measurement: exit 2" '[ $? = 2 ] && [ "$(grep -c "^{" "$tmp/o")" = 0 ]'
q --check -o "$tmp/check.json" "$ex"/* >"$tmp/o" 2>&1
t "--check with -o: exit 2, no file" '[ $? = 2 ] && [ ! -e "$tmp/check.json" ]'
q -y 20x5 "$ex"/* >"$tmp/o" 2>&1
t "bad year exit 2" '[ $? = 2 ]'
q -r , "$ex"/* >"$tmp/o" 2>&1
t "-r with no id: exit 2" '[ $? = 2 ] && grep -q "takes ids" "$tmp/o"'
for y in 2023 2024 2025 2026; do
    q --list-measures -y $y >"$tmp/o" 2>&1
    t "--list-measures -y $y: one line of 7 tab-separated fields a measure" \
        '[ $? = 0 ] && [ "$(wc -l <"$tmp/o")" -gt 100 ] && awk -F "\t" "NF != 7 { bad = 1 } END { exit bad }" "$tmp/o"'
done
q --list-measures -y 2025 "$ex"/* >"$tmp/o" 2>"$tmp/err"
t "--list-measures with file names: no such measures, exit 1, nothing listed" \
    '[ $? = 1 ] && [ ! -s "$tmp/o" ] && grep -q "error\[measure-not-in-year\]" "$tmp/err"'
q --list-measures -y 2025 >"$tmp/o" 2>&1
t "--list-measures: a header line first, CMS's field names" \
    '[ "$(head -1 "$tmp/o")" = "$(printf "measureId\teMeasureId\tmetricType\toverallAlgorithm\tstrata\tsubmissionMethods\ttitle")" ]'
q --list-measures -y 2025 CMS130 >"$tmp/o" 2>&1
t "--list-measures CMS130: the header and QPP 113 only" \
    '[ $? = 0 ] && [ "$(wc -l <"$tmp/o")" = 2 ] && [ "$(tail -1 "$tmp/o" | cut -f 1,2)" = "$(printf "113\tCMS130v13")" ]'
q --list-measures -y 2025 113 >"$tmp/o2" 2>&1
t "--list-measures 113: the same line as CMS130" 'cmp -s "$tmp/o" "$tmp/o2"'
q --list-measures -y 2025 CMS9999 >"$tmp/o" 2>"$tmp/err"
t "--list-measures CMS9999: exit 1, measure-not-in-year, nothing listed" \
    '[ $? = 1 ] && [ ! -s "$tmp/o" ] && grep -q "measure-not-in-year" "$tmp/err"'
q --list-measures -y 2025 --check >"$tmp/o" 2>&1
t "--list-measures with --check: exit 2" '[ $? = 2 ]'

# Options that cannot surprise (issue 11).  A mistyped long option is a usage
# error whatever else is on the command line: never help, never exit 0.
# (Run in $tmp: the old parser read -compact as -c -o mpact.)
cd "$tmp" || exit 2
for typo in -check -pre-score -compact -cq -hV -y2025 --pre-scor --chec --he; do
    q $typo "$ex"/* >"$tmp/o" 2>"$tmp/err"
    t "$typo: exit 2, nothing on stdout, error[usage]" \
        '[ $? = 2 ] && [ ! -s "$tmp/o" ] && grep -q "^qppbuild: error\[usage\]: unknown option .$typo." "$tmp/err"'
done
q -check "$ex"/* >"$tmp/o" 2>"$tmp/err"
t "-check names --check" 'grep -q "two dashes (--check)" "$tmp/err"'
q -pre-score "$ex"/* >"$tmp/o" 2>"$tmp/err"
t "-pre-score names --pre-score, not a program" \
    'grep -q "(--pre-score)" "$tmp/err" && ! grep -q "program" "$tmp/err"'
q --pre-scor "$ex"/* >"$tmp/o" 2>"$tmp/err"
t "--pre-scor is refused and names --pre-score" 'grep -q "written in full (--pre-score)" "$tmp/err"'
for a in "--check -h" "-h --check" "-V -h" "--help $ex/group.json" "--version -q" "-check --help"; do
    q $a >"$tmp/o" 2>"$tmp/err"
    t "'$a': -h and -V stand alone: exit 2, nothing on stdout" '[ $? = 2 ] && [ ! -s "$tmp/o" ]'
done
q --help >"$tmp/o" 2>&1
t "--help: -O takes an Organization resource, --tin a TIN" \
    'grep -q "^  -O, --organization-id ID  *Organization resource" "$tmp/o" && ! grep "organization-id" "$tmp/o" | grep -q TIN && grep -q "^      --tin TIN " "$tmp/o"'
q --help=yes >"$tmp/o" 2>&1
t "--help=yes: exit 2" '[ $? = 2 ]'
q --output=- --check "$ex"/* >"$tmp/o" 2>&1
t "--output=VALUE is read as -o VALUE (here: with --check, exit 2)" '[ $? = 2 ] && grep -q -- "--check writes nothing" "$tmp/o"'
q --compact=yes "$ex"/* >"$tmp/o" 2>&1
t "--compact=yes: a flag takes no value, exit 2" '[ $? = 2 ] && grep -q "takes no value" "$tmp/o"'
q -o --check "$ex"/* >"$tmp/o" 2>&1
t "-o --check: an option is not a value, exit 2, no file named --check" \
    '[ $? = 2 ] && [ ! -e "$tmp/--check" ] && grep -q "needs a value" "$tmp/o"'
q -O org-a -O org-b "$ex"/* >"$tmp/o" 2>&1
t "-O given twice with two values: exit 2" '[ $? = 2 ] && grep -q "given twice" "$tmp/o"'
q -q -v "$ex"/* >"$tmp/o" 2>&1
t "-q with -v: exit 2" '[ $? = 2 ]'
q -- "$ex"/* >"$tmp/o" 2>/dev/null
t "-- ends the options" '[ $? = 0 ] && cmp -s "$tmp/o" "$tmp/stdout"'
# Usage errors in JSON when --diagnostics json is anywhere on the line.
for a in "--diagnostics json -check" "-check --diagnostics json" "--diagnostics=json --pre-scor" \
    "-y 20x5 --diagnostics json" "--diagnostics json --check -o x.json" "--diagnostics json -h -q"; do
    q $a "$ex"/* >"$tmp/o" 2>"$tmp/err"
    t "'$a': exit 2, one JSON line with code usage, nothing else" \
        '[ $? = 2 ] && [ ! -s "$tmp/o" ] && [ "$(wc -l <"$tmp/err")" = 1 ] && grep -q "^{\"severity\":\"error\",\"code\":\"usage\",.*}$" "$tmp/err"'
done

# Diagnostics about a choice name what they saw; "missing" ones say how to
# supply what is missing (issue 11).
fqm=$SHARED/fhir-examples/fqm-execution-2026/CMS124FHIRCervicalCancerScreening
tpl=$top/examples/templates
if [ -f "$fqm.summary.json" ]; then
    q --no-program-library --cehrt-id 0015CABCDEF1234 "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "organization-missing says how: --tin, or an Organization (the template)" \
        'grep -q "error\[organization-missing\]: .*give --tin, or an Organization .*templates/organization.json" "$tmp/err"'
    q -e individual --no-program-library --cehrt-id 0015CABCDEF1234 "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "organization-missing for an individual: --tin and --npi" 'grep -q "give --tin and --npi" "$tmp/err"'
    q --no-program-library --cehrt-id 0015CABCDEF1234 "$tpl/organization.json" "$ex/organization.json" \
        "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "organization-ambiguous names the Organizations" \
        'grep -q "organization-ambiguous.*(Organization/practice and Organization/example-practice)" "$tmp/err"'
    q --tin 000000001 --no-program-library --cehrt-id 0015CABCDEF1234 "$tpl/organization.json" \
        "$ex/organization.json" "$fqm.summary.json" "$fqm.measure.json" >/dev/null 2>&1
    t "two Organizations, the entity named by --tin: exit 0" '[ $? = 0 ]'
    q -O nope --cehrt-id 0015CABCDEF1234 "$tpl/organization.json" "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "organization-not-found names the Organizations there are" 'grep -q "no Organization/nope (it holds Organization/practice)" "$tmp/err"'
    q --cehrt-id 0015CABCDEF1234 "$tpl/organization.json" "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "library-missing says how: the template, -L or --no-program-library" \
        'grep -q "library-missing.*templates/library.json.*--no-program-library" "$tmp/err"'
    q --cehrt-id 0015CABCDEF1234 "$tpl/organization.json" "$tpl/library.json" "$ex/library.json" "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "library-ambiguous names the Libraries" \
        'grep -q "library-ambiguous.*(Library/qpp-program and Library/qpp-2023-example)" "$tmp/err"'
    q -L nope --cehrt-id 0015CABCDEF1234 "$tpl/organization.json" "$tpl/library.json" "$fqm.summary.json" "$fqm.measure.json" 2>"$tmp/err" >/dev/null
    t "library-not-found names the Libraries there are" 'grep -q "library-not-found.*(it holds Library/qpp-program)" "$tmp/err"'
else
    echo "cli: $SHARED not found: the Organization and Library messages not checked"
fi
q -y 2024 "$ex"/* 2>"$tmp/err" >/dev/null
t "period-outside-year shows the period read" \
    'grep -q "MeasureReport/summary-cms130-2023 /period: error\[period-outside-year\]: the report.s period, 2023-01-01 to 2023-12-31, is not inside performance year 2024" "$tmp/err"'
sed '1s/"period":{"start":"2023-01-01","end":"2023-12-31"}/"period":{"start":"2024-01-01","end":"2024-12-31"}/' \
    "$ex/reports.ndjson" >"$tmp/two-years.ndjson"
q "$ex/organization.json" "$ex/library.json" "$ex/measures.json" "$tmp/two-years.ndjson" 2>"$tmp/err" >/dev/null
t "year-ambiguous names the years and a report of each, with its file and line" \
    'grep -q "year-ambiguous.*: 2024 (MeasureReport/summary-cms130-2023 at [^ ]*two-years.ndjson:1); 2023 (MeasureReport/summary-cms124-2023 at [^ ]*two-years.ndjson:2 and 2 more); choose one with -y" "$tmp/err"'
# Diagnostics carry no patient data: a subject that is not a plain Type/id
# (a conditional reference with an SSN, a name, a birth date) is a digest.
subj='Patient?identifier=http://hl7.org/fhir/sid/us-ssn|123456789&name=Doe&birthdate=1970-01-01'
for id in a b; do
    printf '{"resourceType":"MeasureReport","id":"%s","status":"complete","type":"individual","measure":"https://example.org/fhir/Measure/m236","subject":{"reference":"%s"},"period":{"start":"2023-01-01","end":"2023-12-31"},"group":[{"population":[]}]}\n' "$id" "$subj"
done >"$tmp/subjects.ndjson"
q "$tmp/subjects.ndjson" >"$tmp/o" 2>"$tmp/err"
t "a conditional subject reference: duplicate-subject, no SSN, name or birth date" \
    '[ $? = 1 ] && grep -q "duplicate-subject" "$tmp/err" && ! grep -q "123456789\|Doe\|1970" "$tmp/err"'
# C1 controls and bidirectional overrides are escaped in the text form.
printf '{"resourceType":"MeasureReport","id":"x\342\200\256gpj.exe","status":"complete","type":"summary","period":{"start":"2023-01-01","end":"2023-12-31"},"group":[{"population":[]}]}\n' >"$tmp/bidi.ndjson"
printf '{"resourceType":"MeasureReport","id":"y\302\233","status":"complete","type":"summary","period":{"start":"2023-01-01","end":"2023-12-31"},"group":[{"population":[]}]}\n' >"$tmp/c1.ndjson"
q "$tmp/bidi.ndjson" "$tmp/c1.ndjson" >"$tmp/o" 2>"$tmp/err"
t "a bidi override and a C1 control in ids are shown escaped" \
    '[ $? = 1 ] && grep -q "x\\\\u202Egpj" "$tmp/err" && grep -q "y\\\\u009B" "$tmp/err" && ! grep -q "$(printf "\342\200\256")" "$tmp/err" && ! grep -q "$(printf "\302\233")" "$tmp/err"'

# One file named twice, however it is named, would count its reports twice:
# a usage error naming the first two names of it; so is -o or --provenance
# naming an input.  Told by device and inode, for any number of files.
mkdir "$tmp/many"
for f in "$ex"/*; do cp "$f" "$tmp/many/"; done
ln "$tmp/many/reports.ndjson" "$tmp/many/hard.ndjson"
ln -s reports.ndjson "$tmp/many/soft.ndjson"
for k in $(seq 1 300); do echo '{"resourceType":"Basic","id":"b'$k'"}' >"$tmp/many/basic$k.json"; done
q "$tmp/many/reports.ndjson" "$ex"/organization.json "$ex"/library.json "$ex"/measures.json \
    "$tmp/many/./reports.ndjson" >"$tmp/o" 2>"$tmp/err"
t "a file named twice: exit 2, both names said" \
    '[ $? = 2 ] && [ ! -s "$tmp/o" ] && grep -q "same file is named twice (.*many/reports.ndjson. and .*many/./reports.ndjson.)" "$tmp/err"'
q "$tmp"/many/basic*.json "$tmp/many/reports.ndjson" "$ex"/organization.json "$ex"/library.json \
    "$ex"/measures.json "$tmp/many/hard.ndjson" "$tmp/many/soft.ndjson" >"$tmp/o" 2>"$tmp/err"
t "a hard link and a symbolic link to a file named before, among 300 others: the first pair said" \
    '[ $? = 2 ] && [ ! -s "$tmp/o" ] && grep -q "(.*many/reports.ndjson. and .*many/hard.ndjson.)" "$tmp/err"'
q "$tmp"/many/basic*.json "$tmp/many/soft.ndjson" "$ex"/organization.json "$ex"/library.json \
    "$ex"/measures.json "$tmp/many/hard.ndjson" "$tmp/many/reports.ndjson" >"$tmp/o" 2>"$tmp/err"
t "three names of one file: the first two said" \
    '[ $? = 2 ] && grep -q "(.*many/soft.ndjson. and .*many/hard.ndjson.)" "$tmp/err"'
q -o "$tmp/many/basic7.json" "$tmp"/many/basic*.json "$tmp/many/reports.ndjson" "$tmp/many/reports.ndjson" \
    >"$tmp/o" 2>"$tmp/err"
t "-o naming an input before the file named twice: that is said" \
    '[ $? = 2 ] && grep -q "\-o names an input file" "$tmp/err" && [ "$(cat "$tmp/many/basic7.json")" = "{\"resourceType\":\"Basic\",\"id\":\"b7\"}" ]'
q "$tmp"/many/basic*.json "$tmp/many/reports.ndjson" "$ex"/organization.json "$ex"/library.json \
    "$ex"/measures.json >"$tmp/o" 2>"$tmp/err"
t "300 files more, each once: no usage error" '[ $? != 2 ] && ! grep -q "named twice" "$tmp/err"'

# Out of memory anywhere in the command line's work before reading (options,
# the files named): exit 3 with out-of-memory, nothing on stdout; or, when
# the failed allocation is one qppbuild does without, the same output.
if [ -n "${QPPBUILD_OOM:-}" ]; then
    case $QPPBUILD_OOM in /*) ;; *) QPPBUILD_OOM=$top/$QPPBUILD_OOM ;; esac
    q "$ex"/* >"$tmp/want" 2>/dev/null
    oom_bad=""
    for n in $(seq 1 40); do
        QPP_FAIL_ONCE=$n ${VALGRIND:-} "$QPPBUILD_OOM" "$ex"/* >"$tmp/o" 2>"$tmp/err"
        st=$?
        if [ $st = 3 ]; then
            grep -q "out-of-memory" "$tmp/err" && [ ! -s "$tmp/o" ] || oom_bad="$oom_bad $n"
        elif [ $st != 0 ] || ! cmp -s "$tmp/o" "$tmp/want"; then
            oom_bad="$oom_bad $n(exit $st)"
        fi
    done
    t "allocation 1 to 40 failing: exit 3 and out-of-memory, or the same output${oom_bad:+ (not:$oom_bad)}" \
        '[ -z "$oom_bad" ]'
    # Every allocation of a run whose input has an error (exit 1): out of
    # memory where the error would be written is exit 3, not 1.
    printf '{"resourceType":"Basic","id":"cut"' >"$tmp/cut.json"
    q "$ex"/* "$tmp/cut.json" >"$tmp/want" 2>"$tmp/want.err"
    want_st=$?
    oom_bad="" n=0 same=0
    while [ $n -lt 3000 ] && [ $same -lt 50 ]; do
        n=$((n + 1))
        QPP_FAIL_ONCE=$n "$QPPBUILD_OOM" -j 1 "$ex"/* "$tmp/cut.json" >"$tmp/o" 2>"$tmp/err"
        st=$?
        if [ $st = 3 ]; then
            same=0
            grep -q "out-of-memory" "$tmp/err" && [ ! -s "$tmp/o" ] || oom_bad="$oom_bad $n"
        elif [ $st = "$want_st" ] && cmp -s "$tmp/o" "$tmp/want" && cmp -s "$tmp/err" "$tmp/want.err"; then
            same=$((same + 1)) # past the run's last allocation: 50 in a row
        else
            oom_bad="$oom_bad $n(exit $st)"
        fi
    done
    t "input with an error, each allocation failing in turn (to $n): exit 3 or the same${oom_bad:+ (not:$oom_bad)}" \
        '[ $want_st = 1 ] && [ $same = 50 ] && [ -z "$oom_bad" ]'
    # Every allocation of a run that succeeds with warnings: a warning that
    # cannot be written for want of memory is out of memory, exit 3 and
    # nothing on stdout, not exit 0 with the warning lost.
    wargs="-c --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234 -j 1"
    # shellcheck disable=SC2086 # wargs is split on purpose
    q $wargs "$ex"/reports.ndjson >"$tmp/want" 2>"$tmp/want.err"
    want_st=$?
    oom_bad="" n=0 same=0
    while [ $n -lt 3000 ] && [ $same -lt 50 ]; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        QPP_FAIL_ONCE=$n "$QPPBUILD_OOM" $wargs "$ex"/reports.ndjson >"$tmp/o" 2>"$tmp/err"
        st=$?
        if [ $st = 3 ]; then
            same=0
            grep -q "out-of-memory" "$tmp/err" && [ ! -s "$tmp/o" ] || oom_bad="$oom_bad $n"
        elif [ $st = "$want_st" ] && cmp -s "$tmp/o" "$tmp/want" && cmp -s "$tmp/err" "$tmp/want.err"; then
            same=$((same + 1))
        else
            oom_bad="$oom_bad $n(exit $st)"
        fi
    done
    t "warnings, each allocation failing in turn (to $n): exit 3 or the same, stderr too${oom_bad:+ (not:$oom_bad)}" \
        '[ $want_st = 0 ] && grep -q "warning\[" "$tmp/want.err" && [ $same = 50 ] && [ -z "$oom_bad" ]'
    # -v: when memory runs out while a file is read, the files before it
    # and that file have their progress line (on a terminal, the error would
    # otherwise follow a line left open); none when nothing was read yet.
    oom_bad="" seen=0
    for n in $(seq 1 400); do
        QPP_FAIL_ONCE=$n "$QPPBUILD_OOM" -v -j 1 "$ex"/* >/dev/null 2>"$tmp/err"
        f=$(sed -n 's/.*out of memory reading \(.*\)$/\1/p' "$tmp/err" | head -1)
        [ -n "$f" ] || continue
        seen=$((seen + 1))
        k=0 at=0
        for g in "$ex"/*; do
            k=$((k + 1))
            [ "$g" = "$f" ] && at=$k
        done
        lines=$(grep -c "^qppbuild: [0-9]* resources, " "$tmp/err")
        [ "$lines" = "$at" ] || { [ "$lines" = 0 ] && [ "$at" = 1 ]; } || oom_bad="$oom_bad $n"
    done
    t "-v, out of memory while reading ($seen runs): each file begun has its progress line${oom_bad:+ (not:$oom_bad)}" \
        '[ $seen -gt 50 ] && [ -z "$oom_bad" ]'
fi

echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
