#!/bin/sh
# SPDX-License-Identifier: MIT
# same-output.sh OLD NEW: the two qppbuild binaries give the same bytes on
# stdout and stderr and the same exit status, with -j 1 and -j 2, on every
# golden case, on every real test case in SHARED/fhir-testcases, on the
# fqm-execution sample, on generated reports of each benchmark shape, and on
# input cut at and around the reader's window sizes.
# For speed work: build the old binary once (git worktree or stash) and run
# `make same-output OLD=/path/to/old/qppbuild`.
set -u
LC_ALL=C
export LC_ALL
old=$1 new=$2
top=$(pwd)
case $old in /*) ;; *) old=$top/$old ;; esac
case $new in /*) ;; *) new=$top/$new ;; esac
SHARED=${SHARED:-../shared}
case $SHARED in /*) ;; *) SHARED=$top/$SHARED ;; esac
export SHARED
# Without the real test cases the comparison would pass on less than it says.
if [ ! -d "$SHARED/fhir-testcases" ] || [ ! -d "$SHARED/fhir-examples" ]; then
    echo "same-output: $SHARED/fhir-testcases or fhir-examples not found (set SHARED)" >&2
    exit 2
fi
B=${B:-build}
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
n=0 bad=0

# same DIR STDIN ARGS...: run both binaries in DIR, compare
same() {
    d=$1 in=$2
    shift 2
    for j in 1 2; do
        for b in old new; do
            eval "bin=\$$b"
            (cd "$d" && exec "$bin" -j $j "$@" <"$in" >"$tmp/$b.out" 2>"$tmp/$b.err")
            echo $? >"$tmp/$b.st"
            # -v's progress says how fast: the one line that may differ
            sed '/ MB\/s$/d' "$tmp/$b.err" >"$tmp/$b.e2" && mv "$tmp/$b.e2" "$tmp/$b.err"
        done
        n=$((n + 1))
        if ! cmp -s "$tmp/old.out" "$tmp/new.out" || ! cmp -s "$tmp/old.err" "$tmp/new.err" ||
            ! cmp -s "$tmp/old.st" "$tmp/new.st"; then
            bad=$((bad + 1))
            echo "DIFFERS (-j $j) in $d: $*"
        fi
    done
}

for a in tests/golden/*/args; do
    d=$top/${a%/args}
    in=/dev/null
    [ -f "$d/stdin" ] && in=$d/stdin
    eval "set -- $(cat "$a")"
    same "$d" "$in" "$@"
done
common="-c --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234"
for t in "$SHARED"/fhir-testcases/*.testcases.ndjson; do
    same "$top" /dev/null $common "${t%.testcases.ndjson}.measure.json" "$t"
    same "$top" /dev/null --check "$t"
done
f=$SHARED/fhir-examples/fqm-execution-2026/CMS124FHIRCervicalCancerScreening
if [ -f "$f.individual.json" ]; then
    same "$top" /dev/null $common "$f.measure.json" "$f.individual.json"
    same "$top" /dev/null $common "$f.summary.json"
    jq -c '.[]' "$f.individual.json" >"$tmp/real.ndjson"
    same "$top" /dev/null $common "$f.measure.json" "$tmp/real.ndjson"
fi
for g in "" "-b" "-S" "-f" "-f -b" "-m" "-m -P" "-m -U" "-m -O"; do
    "$B/genreports" $g 3 >"$tmp/gen.json"
    same "$top" /dev/null $common "$tmp/gen.json"
done
"$B/genreports" -g 3000 >"$tmp/gen.json"
same "$top" /dev/null $common "$tmp/gen.json"
# Input cut where the reader's reads and windows end (256 KB, 2 MB) and
# just around there, from a file and from a pipe: values cut by a window,
# a value cut by the end of input as a window is taken, one value longer
# than a window.
"$B/genreports" -f 6 >"$tmp/big.json"
"$B/genreports" -g 20000 >"$tmp/groups.json"
for src in big groups; do
    for cut in 262143 262144 1048576 2097151 2097152 2097153 4194304 6291457; do
        head -c $cut "$tmp/$src.json" >"$tmp/cut.json"
        same "$top" /dev/null $common "$tmp/cut.json"
        same "$top" "$tmp/cut.json" $common -
    done
done
echo "same-output: $n runs, $bad differ"
[ $bad -eq 0 ]
