#!/bin/sh
# SPDX-License-Identifier: MIT
# Proves the README's two set-up commands on a fresh minimal Debian 12:
# debootstrap --variant=minbase bookworm into a temporary root, copy this
# source tree and ../shared in (as /work/qppbuild and /work/shared), then in
# a chroot:
#   1. the first command as a user other than root: it must fail and print
#      the exact apt-get line;
#   2. the first command as root, word for word: it must install what is
#      missing (make included) and convert examples/;
#   3. `man ./man/qppbuild.1`, then the second command, word for word;
#   4. `make install` and `man qppbuild`.
# Run by hand, as root, with the network to a Debian mirror (not part of
# make check; it takes some minutes):
#   sh tools/fresh-machine.sh [-k]        -k keeps the root for a look
# MIRROR overrides the mirror (default: the first of this machine's apt
# sources, else deb.debian.org); SHARED the path of ../shared.
# The last line is "fresh-machine: PASS" or "fresh-machine: FAIL (...)".
set -u
keep=0
[ "${1:-}" = -k ] && keep=1
top=$(cd "$(dirname "$0")/.." && pwd)
shared=${SHARED:-$top/../shared}
[ "$(id -u)" = 0 ] || { echo "fresh-machine: run as root (debootstrap, chroot)" >&2; exit 2; }
[ -d "$shared" ] || { echo "fresh-machine: $shared not found" >&2; exit 2; }
if [ -z "${MIRROR:-}" ]; then
    MIRROR=$(cat /etc/apt/sources.list.d/*.sources 2>/dev/null |
        sed -n 's|^URIs: *\(https\{0,1\}://[^ ]*/debian\)/*$|\1|p' | head -1)
    [ -n "$MIRROR" ] || MIRROR=$(sed -n 's|^deb \(https\{0,1\}://[^ ]*/debian\)/* .*|\1|p' \
        /etc/apt/sources.list 2>/dev/null | head -1)
    [ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian
fi
if ! command -v debootstrap >/dev/null 2>&1; then
    apt-get install -y -qq debootstrap >/dev/null || { echo "fresh-machine: no debootstrap" >&2; exit 2; }
fi

# The two commands: the first two "    $ " lines after the README's
# "Getting started" heading.
cmds=$(sed -n '/^Getting started$/,$s/^    \$ //p' "$top/README" | head -2)
first=$(printf '%s\n' "$cmds" | sed -n 1p)
second=$(printf '%s\n' "$cmds" | sed -n 2p)
[ -n "$first" ] && [ -n "$second" ] || { echo "fresh-machine: README commands not found" >&2; exit 2; }

root=$(mktemp -d /tmp/qppbuild-fresh.XXXXXX) || exit 2
chmod 755 "$root" # the other user of step 1 must reach it
log=$root.log
cleanup() {
    for m in dev/pts dev proc; do umount "$root/$m" 2>/dev/null; done
    [ $keep = 1 ] || rm -rf "$root"
}
trap cleanup EXIT
trap 'exit 2' INT TERM
failed=""
step() { # name, status, want (0, or "fail" for non-zero)
    if { [ "$3" = 0 ] && [ "$2" = 0 ]; } || { [ "$3" = fail ] && [ "$2" != 0 ]; }; then
        echo "fresh-machine: ok   $1"
    else
        echo "fresh-machine: FAIL $1 (exit status $2)"
        failed="$failed, $1"
    fi
}
in_root() { # command as root in the source tree
    chroot "$root" /usr/bin/env -i HOME=/root LC_ALL=C.UTF-8 TERM=dumb \
        PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
        sh -c "cd /work/qppbuild && $1"
}

echo "fresh-machine: debootstrap --variant=minbase bookworm from $MIRROR (log: $log)"
t0=$(date +%s)
debootstrap --variant=minbase bookworm "$root" "$MIRROR" >"$log" 2>&1
step "debootstrap" $? 0
[ -z "$failed" ] || { echo "fresh-machine: FAIL (debootstrap; see $log)"; exit 1; }
mkdir -p "$root/work/qppbuild" "$root/work/shared"
(cd "$top" && tar cf - --exclude=./.git --exclude='./build*' .) | (cd "$root/work/qppbuild" && tar xf -)
(cd "$shared" && tar cf - .) | (cd "$root/work/shared" && tar xf -)
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc" && mount --bind /dev "$root/dev" && mount --bind /dev/pts "$root/dev/pts"
echo "fresh-machine: in the new root, make is $(in_root 'command -v make || echo missing'), cc is $(in_root 'command -v cc || echo missing')"

echo "fresh-machine: 1. as a user other than root: $first"
chroot --userspec=65534:65534 "$root" /usr/bin/env -i HOME=/tmp PATH=/usr/bin:/bin \
    sh -c "cd /work/qppbuild && $first" >"$root/out1" 2>&1
st=$?
sed 's/^/    | /' "$root/out1"
step "first command as non-root fails" $st fail
grep -q "apt-get install -y" "$root/out1"
step "first command as non-root prints the apt-get line" $? 0
line=$(sed -n 's/^ *\(sudo apt-get update && .*\)/\1/p' "$root/out1")

echo "fresh-machine: 2. as root: $first"
in_root "$first" >"$root/out2" 2>"$root/err2"
st=$?
sed 's/^/    | /' "$root/err2" | tail -20
step "first command as root" $st 0
grep -q '"measurementSets"' "$root/out2"
step "first command converts examples/ (QPP JSON on stdout)" $? 0
# What the printed line installs is what root needed: nothing more to install.
if [ -n "$line" ]; then
    in_root "sh tools/deps.sh" >/dev/null 2>&1
    step "after it, tools/deps.sh finds nothing missing" $? 0
fi

echo "fresh-machine: 3. man ./man/qppbuild.1, then: $second"
in_root "MANPAGER=cat MANWIDTH=80 man ./man/qppbuild.1 | grep -q 'convert FHIR MeasureReports'"
step "man ./man/qppbuild.1" $? 0
in_root "mandoc -a man/qppbuild.1 | grep -q 'convert FHIR MeasureReports'"
step "mandoc -a man/qppbuild.1" $? 0
in_root "$second" >"$root/out3" 2>&1
st=$?
grep -E 'passed|FAIL|Error|error:' "$root/out3" | sed 's/^/    | /' | tail -25
step "second command" $st 0

echo "fresh-machine: 4. make install; man qppbuild"
in_root "make install >/dev/null && command -v qppbuild && MANPAGER=cat man qppbuild | grep -q 'convert FHIR MeasureReports'"
step "make install, then man qppbuild" $? 0

echo "fresh-machine: $(($(date +%s) - t0)) s in all"
if [ -z "$failed" ]; then
    echo "fresh-machine: PASS"
else
    echo "fresh-machine: FAIL (${failed#, })"
    exit 1
fi
