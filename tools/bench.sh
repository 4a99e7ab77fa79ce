#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: qppbuild on generated patient-level reports (NDJSON and one
# Bundle), against a jq one-liner summing the same counts and a bare jansson
# parse of the same lines.  Prints seconds, MB/s, peak RSS and the ratios of
# one run.  BENCH_SIZES (MB, default "10 100 1000"), BENCH_DIR (default
# build-bench), JOBS (default: the cores).
set -eu
B=${B:-build}
dir=${BENCH_DIR:-build-bench}
sizes=${BENCH_SIZES:-"10 100 1000"}
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN)}
mkdir -p "$dir"
args="-q -c -y 2025 --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234"
# The jq one-liner: the counts of every population code, per measure and group.
jqprog='reduce (inputs | select(.resourceType == "MeasureReport")) as $r ({};
  reduce ($r.group | to_entries[]) as $g (.;
    reduce $g.value.population[] as $p (.;
      .[$r.measure][$g.key | tostring][$p.code.coding[0].code] += $p.count)))'

repeat=${BENCH_REPEAT:-3}

# the best seconds and the largest peak RSS (KB) of a command over $repeat
# runs, its output discarded
measure() {
    best="" rss=0 i=0
    while [ $i -lt "$repeat" ]; do
        /usr/bin/time -f "%e %M" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" ||
            { echo "bench: failed: $*" >&2; cat "$dir/err" >&2; exit 1; }
        read -r s m <"$dir/time"
        best=$(awk -v a="$best" -v b="$s" 'BEGIN { print (a == "" || b < a) ? b : a }')
        rss=$((m > rss ? m : rss))
        i=$((i + 1))
    done
    echo "$best $rss"
}

rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

printf "%-6s %-26s %8s %9s %10s\n" "MB" "run" "seconds" "MB/s" "peak RSS"
for mb in $sizes; do
    nd=$dir/reports-$mb.ndjson
    bu=$dir/reports-$mb.json
    [ -s "$nd" ] || "$B/genreports" "$mb" >"$nd"
    [ -s "$bu" ] || "$B/genreports" -b "$mb" >"$bu"
    ndb=$(wc -c <"$nd")
    bub=$(wc -c <"$bu")
    set -- $(measure "$B/jparse" "$nd"); js=$1; jm=$2
    set -- $(measure jq -n "$jqprog" "$nd"); qs=$1; qm=$2
    set -- $(measure "$B/qppbuild" -j 1 $args "$nd"); q1s=$1; q1m=$2
    set -- $(measure "$B/qppbuild" -j "$jobs" $args "$nd"); qns=$1; qnm=$2
    set -- $(measure "$B/qppbuild" -j "$jobs" $args "$bu"); qbs=$1; qbm=$2
    jr=$(rate "$ndb" "$js"); qr=$(rate "$ndb" "$qs")
    q1r=$(rate "$ndb" "$q1s"); qnr=$(rate "$ndb" "$qns"); qbr=$(rate "$bub" "$qbs")
    printf "%-6s %-26s %8s %9s %8s KB\n" "$mb" "jansson parse (1 core)" "$js" "$jr" "$jm"
    printf "%-6s %-26s %8s %9s %8s KB\n" "$mb" "jq one-liner" "$qs" "$qr" "$qm"
    printf "%-6s %-26s %8s %9s %8s KB\n" "$mb" "qppbuild -j 1, NDJSON" "$q1s" "$q1r" "$q1m"
    printf "%-6s %-26s %8s %9s %8s KB\n" "$mb" "qppbuild -j $jobs, NDJSON" "$qns" "$qnr" "$qnm"
    printf "%-6s %-26s %8s %9s %8s KB\n" "$mb" "qppbuild -j $jobs, Bundle" "$qbs" "$qbr" "$qbm"
    echo "       ratios: qppbuild/jq $(ratio "$qnr" "$qr") (goal >= 3);" \
        "qppbuild/(jansson x $jobs) $(ratio "$qnr" "$(awk -v r="$jr" -v n="$jobs" 'BEGIN{print r*n}')")" \
        "(goal >= 0.8); -j 1/jansson $(ratio "$q1r" "$jr")"
done
