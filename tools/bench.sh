#!/bin/sh
# SPDX-License-Identifier: MIT
# make bench: qppbuild on reports of several shapes, against the jq one-liner
# summing the same counts, a bare jansson parse of the same lines and `wc -l`
# (the I/O floor); then memory and linearity cases.  Prints seconds, MB/s,
# reports/s, peak RSS and the ratios of one run.  Never part of make check.
#
# Shapes (BENCH_MB megabytes each, default 200):
#   lean    genreports' ~3 KB reports, NDJSON (and as one Bundle)
#   fqm     reports shaped like fqm-execution's (genreports -f): ~150 KB,
#           almost all of it a narrative full of escaped quotes
#   real    the real fqm-execution sample (SHARED/fhir-examples/
#           fqm-execution-2026), as NDJSON, copied with new report ids and
#           subjects until it is BENCH_MB
#   small   ~1 KB reports (genreports -m): per-report overhead
# Memory (one run each): a Bundle in sorted key order ("entry" before
# "resourceType") of BENCH_MEM_MB (default 1000) against 64 MB; one
# MeasureReport with BENCH_GROUPS groups (default 200000) against twice its
# size.  Linearity: distinct periods, distinct measure canonicals, an
# Organization per report, many groups, and the lean reports four a file,
# at BENCH_LIN_MB and twice that (default 40): the time ratio should be
# about 2.
#
# BENCH_DIR (default build-bench), JOBS (default: the cores), BENCH_PAIR
# (every speed figure best of, default 7; qppbuild -j 1, -j JOBS and two -j 1
# at once run in turn), BENCH_REPEAT (memory and linearity, best of, default
# 3), BENCH_SHAPES (default "lean fqm real small"), BENCH_PARTS (default
# "speed memory linear").  It needs jq, hyperfine and GNU time.
set -eu
for t in jq hyperfine /usr/bin/time; do
    command -v "$t" >/dev/null 2>&1 || {
        echo "bench: $t not found; it needs jq, hyperfine and GNU time:" \
            "apt-get install jq hyperfine time" >&2
        exit 2
    }
done
B=${B:-build}
SHARED=${SHARED:-../shared}
dir=${BENCH_DIR:-build-bench}
mb=${BENCH_MB:-200}
memmb=${BENCH_MEM_MB:-1000}
ngroups=${BENCH_GROUPS:-200000}
linmb=${BENCH_LIN_MB:-40}
shapes=${BENCH_SHAPES:-"lean fqm real small"}
parts=${BENCH_PARTS:-"speed memory linear"}
jobs=${JOBS:-$(getconf _NPROCESSORS_ONLN)}
repeat=${BENCH_REPEAT:-3}
pair=${BENCH_PAIR:-7}
mkdir -p "$dir"
args="-q -c --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234"
# The jq one-liner: the counts of every population code, per measure and group.
jqprog='reduce (inputs | select(.resourceType == "MeasureReport")) as $r ({};
  reduce ($r.group | to_entries[]) as $g (.;
    reduce $g.value.population[] as $p (.;
      .[$r.measure][$g.key | tostring][$p.code.coding[0].code] += $p.count)))'
real=$SHARED/fhir-examples/fqm-execution-2026/CMS124FHIRCervicalCancerScreening

# quote ARG...: the arguments as one line of POSIX shell words, for hyperfine.
quote() {
    for a in "$@"; do
        case $a in
            *\'*)
                q=$(printf '%sx' "$a" | sed "s/'/'\\\\''/g") # x: keeps a last newline
                printf "'%s' " "${q%x}"
                ;;
            *) printf "'%s' " "$a" ;;
        esac
    done
}

# fail WHAT CMD...: say that CMD (its first 200 characters) failed, with the
# head of its standard error, and end the bench (from a command
# substitution too).
fail() {
    echo "bench: $1: $(shift; printf '%.200s' "$*")" >&2
    head -5 "$dir/err" >&2
    kill "$bench_pid"
    exit 1
}
bench_pid=$$

# seconds [-n RUNS] [-x] CMD...: the best wall seconds of CMD over RUNS runs
# (default BENCH_REPEAT), its output discarded.  hyperfine times the runs,
# starting CMD itself (-N: no shell between), so that a figure holds the run
# and nothing else: timing each run from the shell with date and GNU time
# counted about 8 ms of starting those as well (/bin/true took 10 ms so
# here, 2 ms by hyperfine).  A command longer than an argument may be (many
# files) is started by sh from a file, whose start the figure holds (about
# 1 ms).  -x: exit status 1 (the input is not valid for a submission) is
# expected.
seconds() {
    n=$repeat ok=0
    [ "$1" = -n ] && { n=$2; shift 2; }
    [ "$1" = -x ] && { ok=1; shift; }
    cmd=$(quote "$@")
    if [ ${#cmd} -gt 100000 ]; then
        printf 'exec %s\n' "$cmd" >"$dir/cmd.sh"
        cmd="sh $(quote "$dir/cmd.sh")"
    fi
    hyperfine -N -i --style none --runs "$n" --output null \
        --export-json "$dir/runs.json" "$cmd" >/dev/null 2>"$dir/err" ||
        fail "hyperfine failed" "$@"
    jq -e --argjson ok "$ok" \
        '[.results[0].exit_codes[] | select(. != 0 and (. != 1 or $ok == 0))] | length == 0' \
        "$dir/runs.json" >/dev/null || {
        "$@" >/dev/null 2>"$dir/err" || :
        fail "failed" "$@"
    }
    jq -r '.results[0].min' "$dir/runs.json" | awk '{ printf "%.4f\n", $1 }'
}

# rss [-x] CMD...: the peak RSS (KB) of one run of CMD, by GNU time (a
# run's peak varies a little: 10 runs of -j 2 on small reports, 5.4 to
# 6.3 MB).
rss() {
    ok=0 st=0
    [ "$1" = -x ] && { ok=1; shift; }
    /usr/bin/time -f "%M" -o "$dir/time" "$@" >/dev/null 2>"$dir/err" || st=$?
    if [ $st -ne 0 ] && ! { [ $st -eq 1 ] && [ $ok -eq 1 ]; }; then
        fail "failed ($st)" "$@"
    fi
    tail -1 "$dir/time"
}

# measure [-n RUNS] [-x] CMD...: the best seconds over RUNS runs and the
# peak RSS (KB) of one more.
measure() {
    mn=$repeat mx=""
    [ "$1" = -n ] && { mn=$2; shift 2; }
    [ "$1" = -x ] && { mx=-x; shift; }
    ms=$(seconds -n "$mn" $mx "$@") || exit 1
    mr=$(rss $mx "$@") || exit 1
    echo "$ms $mr"
}

least() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

# jobs_pair FILE...: qppbuild -j 1, -j JOBS and two -j 1 at once on the
# files, run in turn BENCH_PAIR times, best of each, so that a change in the
# machine's load touches all three alike.  Two at once tell roughly how much
# the machine gave a second process (its vCPUs can be shared with other
# machines); they are started by one sh, which the figure holds (about 1 ms),
# and a failure of either fails the run.  Prints: -j 1 seconds, RSS, -j N
# seconds, RSS, two-at-once seconds.
both='"$0" "$@" >/dev/null & p=$!; "$0" "$@" >/dev/null; s=$?; wait $p && [ $s -eq 0 ]'
jobs_pair() {
    pf="$*" # the bench's own paths: no white space in them
    b1="" bn="" bt="" k=0
    while [ $k -lt "$pair" ]; do
        s=$(seconds -n 1 "$B/qppbuild" -j 1 $args $pf) || exit 1
        b1=$(least "$b1" "$s")
        s=$(seconds -n 1 "$B/qppbuild" -j "$jobs" $args $pf) || exit 1
        bn=$(least "$bn" "$s")
        s=$(seconds -n 1 sh -c "$both" "$B/qppbuild" -j 1 $args $pf) || exit 1
        bt=$(least "$bt" "$s")
        k=$((k + 1))
    done
    r1=$(rss "$B/qppbuild" -j 1 $args $pf) || exit 1
    rn=$(rss "$B/qppbuild" -j "$jobs" $args $pf) || exit 1
    echo "$b1 $r1 $bn $rn $bt"
}

# split_lines FILE DIR N: FILE's lines, N a file, in DIR (made once, and
# again when FILE was made since)
split_lines() {
    case $1 in /*) sf=$1 ;; *) sf=$(pwd)/$1 ;; esac
    [ -d "$2" ] && [ "$2" -nt "$sf" ] && return
    rm -rf "$2" "$2.tmp"
    mkdir "$2.tmp" && (cd "$2.tmp" && split -l "$3" -a 6 -d "$sf" r) && mv "$2.tmp" "$2"
}

rate() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.1f", (s > 0 ? b / 1e6 / s : 0) }'; }
per() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }

# make_real FILE MB: the real sample as NDJSON, copies renamed (report ids
# and every Patient reference get a suffix) until MB megabytes.
make_real() {
    jq -c . "$real.measure.json" >"$1.tmp"
    jq -c '.[]' "$real.individual.json" >"$dir/real-one.ndjson"
    k=0
    while [ "$(wc -c <"$1.tmp")" -lt $(($2 * 1000000)) ]; do
        k=$((k + 1))
        sed -e "s/^{\"id\":\"\\([^\"]*\\)\"/{\"id\":\"\\1-$k\"/" \
            -e "s/\"Patient\\/\\([^\"]*\\)\"/\"Patient\\/\\1-$k\"/g" \
            "$dir/real-one.ndjson" >>"$1.tmp"
    done
    mv "$1.tmp" "$1"
}

# gen FILE GENREPORTS-ARGS...: generate once, and again when genreports
# changed since (a file of an older generator would measure other input)
gen() {
    f=$1
    shift
    [ -s "$f" ] && [ "$f" -nt "$B/genreports" ] || "$B/genreports" "$@" >"$f"
}

row() { printf "%-7s %-24s %8s %9s %10s %8s KB\n" "$@"; }

if echo "$parts" | grep -q speed; then
    echo "== speed: $mb MB of each shape, $jobs cores, best of $pair"
    printf "%-7s %-24s %8s %9s %10s %11s\n" "shape" "run" "seconds" "MB/s" "reports/s" "peak RSS"
    for shape in $shapes; do
        f=$dir/$shape-$mb.ndjson
        case $shape in
            lean) gen "$f" "$mb" ;;
            fqm) gen "$f" -f "$mb" ;;
            small) gen "$f" -m "$mb" ;;
            real) [ -s "$f" ] || make_real "$f" "$mb" ;;
            *) echo "bench: unknown shape $shape" >&2; exit 2 ;;
        esac
        bytes=$(wc -c <"$f")
        nrep=$(grep -c '"resourceType":"MeasureReport"' "$f")
        # every figure of a shape best of the same number of runs (a best
        # of more runs is lower: it would favour the one run more often)
        set -- $(measure -n "$pair" wc -l "$f"); ws=$1; wm=$2
        set -- $(measure -n "$pair" "$B/jparse" "$f"); js=$1; jm=$2
        set -- $(measure -n "$pair" jq -n "$jqprog" "$f"); qs=$1; qm=$2
        set -- $(jobs_pair "$f"); q1s=$1; q1m=$2; qns=$3; qnm=$4; two=$5
        wr=$(rate "$bytes" "$ws"); jr=$(rate "$bytes" "$js"); qr=$(rate "$bytes" "$qs")
        q1r=$(rate "$bytes" "$q1s"); qnr=$(rate "$bytes" "$qns")
        row "$shape" "wc -l" "$ws" "$wr" "$(per "$nrep" "$ws")" "$wm"
        row "$shape" "jansson parse (1 core)" "$js" "$jr" "$(per "$nrep" "$js")" "$jm"
        row "$shape" "jq one-liner" "$qs" "$qr" "$(per "$nrep" "$qs")" "$qm"
        row "$shape" "qppbuild -j 1" "$q1s" "$q1r" "$(per "$nrep" "$q1s")" "$q1m"
        row "$shape" "qppbuild -j $jobs" "$qns" "$qnr" "$(per "$nrep" "$qns")" "$qnm"
        files=""
        if [ "$shape" = fqm ]; then
            # the same reports a file each, as a directory of them is
            split_lines "$f" "$dir/fqm-files-$mb" 1
            set -- $(jobs_pair "$dir/fqm-files-$mb"/r*); f1s=$1; f1m=$2; fns=$3; fnm=$4
            row "$shape" "qppbuild -j 1, files" "$f1s" "$(rate "$bytes" "$f1s")" \
                "$(per "$nrep" "$f1s")" "$f1m"
            row "$shape" "qppbuild -j $jobs, files" "$fns" "$(rate "$bytes" "$fns")" \
                "$(per "$nrep" "$fns")" "$fnm"
            files="; a file each: -j $jobs/-j 1 $(ratio "$f1s" "$fns")"
        fi
        if [ "$shape" = lean ]; then
            bu=$dir/lean-$mb.json
            gen "$bu" -b "$mb"
            set -- $(measure -n "$pair" "$B/qppbuild" -j "$jobs" $args "$bu"); qbs=$1; qbm=$2
            row "$shape" "qppbuild -j $jobs, Bundle" "$qbs" "$(rate "$(wc -c <"$bu")" "$qbs")" \
                "$(per "$nrep" "$qbs")" "$qbm"
        fi
        echo "        $shape ($nrep reports, $((bytes / nrep)) bytes each): qppbuild/jq" \
            "$(ratio "$qnr" "$qr"); qppbuild/jansson $(ratio "$qnr" "$jr");" \
            "-j $jobs/-j 1 $(ratio "$qnr" "$q1r"); wc -l/qppbuild $(ratio "$wr" "$qnr")$files"
        echo "        machine: two -j 1 runs at once took $two s, so it gave" \
            "$(awk -v a="$q1s" -v b="$two" 'BEGIN { printf "%.2f", (b > 0 ? 2 * a / b : 0) }')" \
            "times one run's work (what it gave a second process then)"
    done
    # What every run above pays before and after its input: 20 lean reports.
    tiny=$dir/tiny.ndjson
    [ -s "$tiny" ] && [ "$tiny" -nt "$B/genreports" ] || "$B/genreports" 1 | head -n 20 >"$tiny"
    ts=$(seconds -n 20 "$B/qppbuild" -j 1 $args "$tiny")
    tt=$(seconds -n 20 /bin/true)
    echo "a run's fixed cost (best of 20): qppbuild -j 1 on 20 lean reports $ts s," \
        "/bin/true $tt s"
fi

if echo "$parts" | grep -q memory; then
    echo "== memory: peak RSS, one run each, $jobs cores"
    f=$dir/sorted-$memmb.json
    gen "$f" -S "$memmb"
    set -- $(measure -n 1 "$B/qppbuild" -j "$jobs" $args "$f")
    echo "sorted-key Bundle ($memmb MB): $1 s, peak RSS $(($2 / 1024)) MB (must: <= 64 MB)"
    f=$dir/groups-$ngroups.json
    gen "$f" -g "$ngroups"
    bytes=$(wc -c <"$f")
    set -- $(measure -n 1 -x "$B/qppbuild" -j "$jobs" $args "$f")
    echo "one MeasureReport with $ngroups groups ($((bytes / 1000000)) MB): $1 s," \
        "peak RSS $(($2 / 1024)) MB, $(ratio "$(($2 * 1024))" "$bytes") times its size (must: about 2)"
fi

if echo "$parts" | grep -q linear; then
    two=$((linmb * 2))
    echo "== linearity: seconds at $linmb MB and $two MB (-j $jobs, best of $repeat); ratio about 2 is linear"
    for c in "lean:" "periods:-P" "urls:-U" "organizations:-O" "groups:-g"; do
        name=${c%%:*} opt=${c#*:}
        if [ "$opt" = -g ]; then
            f1=$dir/groups-$((ngroups / 4)).json f2=$dir/groups-$((ngroups / 2)).json
            gen "$f1" -g $((ngroups / 4))
            gen "$f2" -g $((ngroups / 2))
            x=-x
        else
            f1=$dir/lin$opt-$linmb.ndjson f2=$dir/lin$opt-$two.ndjson
            gen "$f1" $opt -m "$linmb"
            gen "$f2" $opt -m "$two"
            # a reporter per report is not a valid submission
            # (organization-ambiguous): read all the same
            x=""
            [ "$opt" = -O ] && x=-x
        fi
        set -- $(measure $x "$B/qppbuild" -j "$jobs" $args "$f1"); s1=$1
        set -- $(measure $x "$B/qppbuild" -j "$jobs" $args "$f2"); s2=$1
        printf "%-14s %6s MB %7s s   %6s MB %7s s   ratio %s\n" "$name" \
            "$(($(wc -c <"$f1") / 1000000))" "$s1" "$(($(wc -c <"$f2") / 1000000))" "$s2" \
            "$(ratio "$s2" "$s1")"
    done
    # Many small files, as a directory of individual reports is: the lean
    # reports above, four a file (so that the names fit one command line).
    split_lines "$dir/lin-$linmb.ndjson" "$dir/files-$linmb" 4
    split_lines "$dir/lin-$two.ndjson" "$dir/files-$two" 4
    set -- $(measure "$B/qppbuild" -j "$jobs" $args "$dir/files-$linmb"/r*); s1=$1
    set -- $(measure "$B/qppbuild" -j "$jobs" $args "$dir/files-$two"/r*); s2=$1
    printf "%-14s %6s files %4s s   %6s files %4s s   ratio %s\n" "files" \
        "$(ls "$dir/files-$linmb" | wc -l)" "$s1" "$(ls "$dir/files-$two" | wc -l)" "$s2" \
        "$(ratio "$s2" "$s1")"
fi
