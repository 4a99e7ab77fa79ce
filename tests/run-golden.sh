#!/bin/sh
# SPDX-License-Identifier: MIT
# Golden tests: each folder under the given roots that holds an `args` file is
# one case, run from inside that folder:
#   args           the arguments (shell words; $SHARED is ../shared)
#   stdin          optional: fed to standard input (else /dev/null)
#   expected.json  the exact standard output; without it stdout must be empty
#   expected.codes the diagnostics, one "severity[code]" a line, in order;
#                  without it standard error must be empty
#   status         the exit status (default 0)
# Environment: QPPBUILD (binary), SHARED (../shared), VALGRIND (a command
# prefix), VERBOSE=1, UPDATE=1 (rewrite the expected files: review the diff).
set -u
LC_ALL=C
export LC_ALL
top=$(pwd)
QPPBUILD=${QPPBUILD:-build/qppbuild}
case $QPPBUILD in /*) ;; *) QPPBUILD=$top/$QPPBUILD ;; esac
SHARED=${SHARED:-../shared}
case $SHARED in /*) ;; *) SHARED=$top/$SHARED ;; esac
export SHARED
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM

pass=0 fail=0 skip=0

codes() {
    awk '{ if (match($0, /(error|warning|note)\[[a-z0-9-]+\]: /))
               print substr($0, RSTART, RLENGTH - 2) }' "$1"
}

run_case() {
    dir=$1
    name=${dir#"$top"/}
    if grep -q 'SHARED' "$dir/args" && [ ! -d "$SHARED" ]; then
        skip=$((skip + 1))
        return
    fi
    want_status=0
    [ -f "$dir/status" ] && want_status=$(cat "$dir/status")
    input=/dev/null
    [ -f "$dir/stdin" ] && input=$dir/stdin
    (
        cd "$dir" || exit 2
        eval "set -- $(cat args)"
        exec ${VALGRIND:-} "$QPPBUILD" "$@" <"$input" >"$tmp/out" 2>"$tmp/err"
    )
    got_status=$?
    codes "$tmp/err" >"$tmp/codes"
    ok=1
    if [ "${UPDATE:-}" = 1 ]; then
        echo "$got_status" >"$dir/status"
        [ "$got_status" = 0 ] && rm -f "$dir/status"
        if [ -s "$tmp/out" ]; then cp "$tmp/out" "$dir/expected.json"; else rm -f "$dir/expected.json"; fi
        # An empty expected.codes allows messages without a code (usage errors).
        if [ -s "$tmp/err" ]; then cp "$tmp/codes" "$dir/expected.codes"; else rm -f "$dir/expected.codes"; fi
    fi
    if [ "$got_status" != "$want_status" ]; then
        echo "FAIL $name: exit status $got_status, expected $want_status"
        ok=0
    fi
    if [ -f "$dir/expected.json" ]; then
        if ! cmp -s "$dir/expected.json" "$tmp/out"; then
            echo "FAIL $name: standard output differs"
            diff -u "$dir/expected.json" "$tmp/out" | head -40
            ok=0
        fi
    elif [ -s "$tmp/out" ]; then
        echo "FAIL $name: standard output should be empty"
        head -5 "$tmp/out"
        ok=0
    fi
    if [ -f "$dir/expected.codes" ]; then
        if ! cmp -s "$dir/expected.codes" "$tmp/codes"; then
            echo "FAIL $name: diagnostics differ"
            diff -u "$dir/expected.codes" "$tmp/codes"
            ok=0
        fi
    elif [ -s "$tmp/err" ]; then
        echo "FAIL $name: standard error should be empty"
        ok=0
    fi
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
        [ "${VERBOSE:-}" = 1 ] && echo "ok   $name"
    else
        fail=$((fail + 1))
        sed 's/^/    | /' "$tmp/err" | head -20
    fi
}

for root in "$@"; do
    for args in $(find "$root" -name args -type f | sort); do
        run_case "$top/$(dirname "$args")"
    done
done
[ $skip -gt 0 ] && echo "$skip skipped ($SHARED not found)"
echo "$pass passed, $fail failed"
[ $fail = 0 ]
