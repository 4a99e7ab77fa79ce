#!/bin/sh
# SPDX-License-Identifier: MIT
# Installs what qppbuild needs to build and test, or says exactly what to
# install.  Debian and Ubuntu package names.
set -u
need=""
command -v cc >/dev/null 2>&1 || need="$need build-essential"
command -v make >/dev/null 2>&1 || need="$need make"
command -v pkg-config >/dev/null 2>&1 || need="$need pkg-config"
pkg-config --exists jansson 2>/dev/null || need="$need libjansson-dev"
pkg-config --exists cmocka 2>/dev/null || need="$need libcmocka-dev"
command -v mandoc >/dev/null 2>&1 || need="$need mandoc"
command -v jq >/dev/null 2>&1 || need="$need jq"
[ -z "$need" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps: installing$need"
    apt-get update -qq >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null && exit 0
    echo "deps: apt-get failed" >&2
    exit 1
fi
echo "qppbuild needs:$need" >&2
echo "install them with:  sudo apt-get install -y$need" >&2
exit 1
