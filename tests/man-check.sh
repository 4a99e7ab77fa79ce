#!/bin/sh
# SPDX-License-Identifier: MIT
# The man page against the program: mandoc lint, every diagnostic code and
# every long option documented (and nothing else), and every command of
# EXAMPLES run and exiting 0.
set -u
man=$1
top=$(pwd)
QPPBUILD=${QPPBUILD:-build/qppbuild}
case $QPPBUILD in /*) ;; *) QPPBUILD=$top/$QPPBUILD ;; esac
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0 pass=0

check() { # name, command...
    name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        echo "FAIL man page: $name"
        fail=$((fail + 1))
        return 1
    fi
}

if command -v mandoc >/dev/null 2>&1; then
    check "mandoc -Tlint" mandoc -Tlint -W warning "$man"
else
    echo "man page: mandoc not installed, lint not run (apt-get install mandoc)"
fi

# Codes: src/diag.h against the DIAGNOSTICS list.
sed -n 's/^ *X([A-Z_]*, "\([a-z0-9-]*\)".*/\1/p' src/diag.h | sort >"$tmp/codes.h"
sed -n '/^\.Sh DIAGNOSTICS/,/^\.Sh /s/^\.It Sy \([a-z0-9-]*\)$/\1/p' "$man" | sort >"$tmp/codes.man"
check "every diagnostic code listed (diff: src/diag.h vs man)" diff "$tmp/codes.h" "$tmp/codes.man"

# Long options: --help against the man page.
"$QPPBUILD" --help | grep -o -- '--[a-z][a-z-]*' | sort -u >"$tmp/opts.help"
sed -n 's/.*Fl -\([a-z][a-z-]*\).*/--\1/p' "$man" | sort -u >"$tmp/opts.man"
check "every option in --help and the man page (diff: help vs man)" diff "$tmp/opts.help" "$tmp/opts.man"

# EXAMPLES: each "$ qppbuild ..." line runs in a scratch folder beside examples/.
ln -s "$top/examples" "$tmp/examples"
mkdir "$tmp/bin" && ln -s "$QPPBUILD" "$tmp/bin/qppbuild"
sed -n '/^\.Sh EXAMPLES/,/^\.Sh /s/^\$ \(qppbuild.*\)/\1/p' "$man" >"$tmp/examples.txt"
[ -s "$tmp/examples.txt" ] || { echo "FAIL man page: no EXAMPLES found"; fail=$((fail + 1)); }
while IFS= read -r cmd; do
    check "example: $cmd" sh -c "cd '$tmp' && PATH='$tmp/bin':\$PATH && $cmd >/dev/null 2>'$tmp/err'" ||
        sed 's/^/    | /' "$tmp/err"
done <"$tmp/examples.txt"
echo "man page: $pass passed, $fail failed"
[ $fail = 0 ]
