#!/bin/sh
# SPDX-License-Identifier: MIT
# The README's qppbuild commands, run.  Every "    $ build/qppbuild ..." line
# (with its "\" continuation lines) runs from a scratch folder that has
# examples/ and build/qppbuild, with ../shared beside it, and must exit 0.
# The lines shown under it, up to the next "$ " line or the next line that
# is not indented, must come out of it (standard output, then standard
# error) in that order, where "..." stands for text left out of a line and
# a "..." line alone for lines left out.  Other "$ " lines (sh, make, curl: commands
# that install, build or talk to outside services) are not run.
#
# Stand-ins for the files the README's outside commands would fetch (the
# same shape, from ../shared):
#   CMS124-reports.json   fqm-execution reports --report-type individual (a JSON array)
#   cqf-reports.json      the cqf-fhir-cr command line: one report a line
#   evaluated.json        $evaluate-measure, reportType=population
#   searched.ndjson       the entries of a paged MeasureReport search
#   CMS124-measure.json   the Measure, fetched from the server
set -u
LC_ALL=C
export LC_ALL
readme=$1
top=$(pwd)
QPPBUILD=${QPPBUILD:-build/qppbuild}
case $QPPBUILD in /*) ;; *) QPPBUILD=$top/$QPPBUILD ;; esac
SHARED=${SHARED:-../shared}
case $SHARED in /*) ;; *) SHARED=$top/$SHARED ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0 fail=0 skip=0

# The cases: case.N.cmd (the command) and case.N.want (the lines shown).
awk -v dir="$tmp" '
    function start(line) {
        run = line ~ /^    \$ build\/qppbuild /
        cmd = substr(line, 7)
        while (cmd ~ /\\$/ && (getline line) > 0)
            cmd = substr(cmd, 1, length(cmd) - 1) " " line
        if (run) {
            n++
            printf "%s\n", cmd > (dir "/case." n ".cmd")
            printf "" > (dir "/case." n ".want")
        }
    }
    /^    \$ / { start($0); next }
    /^$/ { next }
    /^    / { if (run) print substr($0, 5) > (dir "/case." n ".want"); next }
    { run = 0 }
' "$readme"

mkdir -p "$tmp/top/build" && ln -s "$top/examples" "$tmp/top/examples" &&
    ln -s "$QPPBUILD" "$tmp/top/build/qppbuild" && ln -s "$SHARED" "$tmp/shared" || exit 2
fqm=$SHARED/fhir-examples/fqm-execution-2026
if [ -d "$fqm" ]; then
    cp "$fqm/CMS124FHIRCervicalCancerScreening.individual.json" "$tmp/top/CMS124-reports.json"
    cp "$fqm/CMS124FHIRCervicalCancerScreening.summary.json" "$tmp/top/evaluated.json"
    jq -c '.[]' "$fqm/CMS124FHIRCervicalCancerScreening.individual.json" >"$tmp/top/cqf-reports.json"
    jq -c . "$fqm/CMS124FHIRCervicalCancerScreening.summary.json" >"$tmp/top/searched.ndjson"
    cp "$fqm/CMS124FHIRCervicalCancerScreening.measure.json" "$tmp/top/CMS124-measure.json"
fi

n=0
[ -f "$tmp/case.1.cmd" ] || { echo "FAIL README: no \$ build/qppbuild command found"; exit 1; }
while [ -f "$tmp/case.$((n + 1)).cmd" ]; do
    n=$((n + 1))
    cmd=$(cat "$tmp/case.$n.cmd")
    if [ ! -d "$SHARED" ] && grep -q 'shared\|CMS124-\|evaluated\|cqf-reports\|searched' "$tmp/case.$n.cmd"; then
        skip=$((skip + 1))
        continue
    fi
    (cd "$tmp/top" && eval "${VALGRIND:-} $cmd") >"$tmp/out" 2>"$tmp/err"
    st=$?
    cat "$tmp/out" "$tmp/err" >"$tmp/all"
    if [ $st != 0 ]; then
        echo "FAIL README: exit status $st: $cmd"
        sed 's/^/    | /' "$tmp/err" | head -5
        fail=$((fail + 1))
        continue
    fi
    # Each shown line in the output, in order.
    if ! awk -v want="$tmp/case.$n.want" '
        # Whether line g is w, where each "..." in w stands for any text.
        function like(g, w,    parts, k, i, p, pos, at) {
            k = split(w, parts, /\.\.\./)
            if (k == 1) return g == w
            if (index(g, parts[1]) != 1) return 0
            pos = length(parts[1]) + 1
            for (i = 2; i <= k; i++) {
                p = parts[i]
                if (i == k && p != "")
                    return length(g) - length(p) + 1 >= pos && substr(g, length(g) - length(p) + 1) == p
                at = index(substr(g, pos), p)
                if (!at) return 0
                pos += at - 1 + length(p)
            }
            return 1
        }
        { got[++ng] = $0 }
        END {
            at = 1
            while ((getline w < want) > 0) {
                if (w ~ /^ *\.\.\. *$/) continue
                for (; at <= ng; at++)
                    if (like(got[at], w)) break
                if (at > ng) { print "    not in the output (in order): " w; exit 1 }
                at++
            }
        }' "$tmp/all"; then
        echo "FAIL README: the output shown differs: $cmd"
        fail=$((fail + 1))
        continue
    fi
    pass=$((pass + 1))
done
# Every warning code is explained under "What the warnings mean".
sed -n 's/^ *X([A-Z_0-9]*, "\([a-z0-9-]*\)", QPP_WARNING).*/\1/p' src/diag.h >"$tmp/warnings"
awk '/^What the warnings mean$/ { on = 1; getline; next } on && /^--*$/ { exit } on' "$readme" >"$tmp/section"
while read -r code; do
    if grep -q "^- \(.*, \)\{0,1\}$code[,:]" "$tmp/section"; then
        pass=$((pass + 1))
    else
        echo "FAIL README: warning $code is not explained under \"What the warnings mean\""
        fail=$((fail + 1))
    fi
done <"$tmp/warnings"
# "Options in brief" lists the long options of --help, no more, no less.
"$QPPBUILD" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts.help"
awk '/^Options in brief$/ { on = 1; getline; next } on && /^--*$/ { exit } on' "$readme" |
    grep '^    ' | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts.readme"
if diff "$tmp/opts.help" "$tmp/opts.readme" >"$tmp/opts.diff"; then
    pass=$((pass + 1))
else
    echo "FAIL README: \"Options in brief\" and --help differ (< help, > README):"
    sed 's/^/    /' "$tmp/opts.diff"
    fail=$((fail + 1))
fi
[ $skip -gt 0 ] && echo "README: $skip commands skipped ($SHARED not found)"
echo "README: $pass passed, $fail failed"
[ $fail = 0 ]
