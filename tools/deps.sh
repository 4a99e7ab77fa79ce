#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs what qppbuild needs to build, test and read its manual (Debian
# and Ubuntu package names), or, run by another user than root, prints the
# exact apt-get command that does.  Runs with sh alone: on a fresh Debian
# there is no make yet.  Exit status 0 when everything is there.
set -u
need=""
command -v cc >/dev/null 2>&1 || need="$need gcc libc6-dev"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
pkg-config --exists jansson 2>/dev/null || need="$need libjansson-dev"
pkg-config --exists cmocka 2>/dev/null || need="$need libcmocka-dev"
command -v mandoc >/dev/null 2>&1 || need="$need mandoc"
command -v man >/dev/null 2>&1 || need="$need man-db"
command -v jq >/dev/null 2>&1 || need="$need jq"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$need (apt-get)" >&2
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq >/dev/null && apt-get install -y -qq --no-install-recommends $need >/dev/null; then
        exit 0
    fi
    echo "deps: apt-get failed; run: apt-get update && apt-get install -y$need" >&2
    exit 1
fi
echo "qppbuild needs:$need" >&2
if command -v apt-get >/dev/null 2>&1; then
    echo "install them as root, then run this command again:" >&2
    echo "    sudo apt-get update && sudo apt-get install -y --no-install-recommends$need" >&2
else
    echo "install them with your system's package manager (names above are Debian's)" >&2
fi
exit 1
