#!/bin/sh
# SPDX-License-Identifier: MIT
# A real multi-worker run (make shard-test): GNU parallel with two workers,
# this machine (":") and one over ssh to a loopback-only sshd this test
# starts with a throwaway host key and user key.  Each shard of patient-level
# reports is shipped to its worker (--transferfile), reduced there with
# qppbuild --summary, and its summary returned (--return); the final run over
# the summaries must give the same bytes as one run over the whole input.
# Needs GNU parallel, rsync and openssh-server (tools/deps.sh names them);
# the network used is 127.0.0.1 only.  SHARD_PATIENTS sets the size (10
# reports a patient; default 10000 patients, 100,000 reports).
set -u
LC_ALL=C
export LC_ALL
QPPBUILD=${QPPBUILD:-build/qppbuild}
GEN=${GENREPORTS:-build/genreports}
PATIENTS=${SHARD_PATIENTS:-10000}
SSHD=$(command -v sshd || echo /usr/sbin/sshd)
for c in parallel rsync ssh ssh-keygen "$SSHD"; do
    command -v "$c" >/dev/null 2>&1 ||
        { echo "shard-test: $c not found (run tools/deps.sh as root)" >&2; exit 2; }
done
parallel --version 2>/dev/null | grep -q 'GNU parallel' ||
    { echo "shard-test: parallel is not GNU parallel" >&2; exit 2; }
case $QPPBUILD in /*) ;; *) QPPBUILD=$(pwd)/$QPPBUILD ;; esac
case $GEN in /*) ;; *) GEN=$(pwd)/$GEN ;; esac

tmp=$(mktemp -d) || exit 2
sshd_pid=
cleanup() {
    [ -f "$tmp/ssh/config" ] && ssh -F "$tmp/ssh/config" -O exit qppworker 2>/dev/null
    [ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null && wait "$sshd_pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 2' INT TERM HUP
pass=0 fail=0
t() { if eval "$2"; then pass=$((pass + 1)); else echo "FAIL $1"; fail=$((fail + 1)); fi; }

# ---- a throwaway sshd on 127.0.0.1 ----
# The worker logs in to its own directory ($tmp/remote, by ForceCommand) and
# HOME ($tmp/remote too), so shipped files really travel and nothing is
# written outside $tmp; parallel's own files go to HOME=$tmp/home here.
ssh=$tmp/ssh
mkdir -m 700 "$ssh" "$tmp/remote" "$tmp/home" || exit 2
ssh-keygen -q -t ed25519 -N '' -C qppbuild-test-host -f "$ssh/host_key" &&
    ssh-keygen -q -t ed25519 -N '' -C qppbuild-test-user -f "$ssh/user_key" &&
    cp "$ssh/user_key.pub" "$ssh/authorized_keys" || exit 2
chmod 600 "$ssh/authorized_keys"
# sshd run by root wants its privilege separation directory.
[ "$(id -u)" = 0 ] && [ ! -d /run/sshd ] && mkdir -p -m 755 /run/sshd
cat >"$ssh/sshd_config" <<CONF
ListenAddress 127.0.0.1
HostKey $ssh/host_key
AuthorizedKeysFile $ssh/authorized_keys
PidFile $ssh/sshd.pid
PasswordAuthentication no
KbdInteractiveAuthentication no
PubkeyAuthentication yes
PermitRootLogin prohibit-password
UsePAM no
StrictModes no
AllowUsers $(id -un)
SetEnv HOME=$tmp/remote
ForceCommand cd $tmp/remote && exec "\$SHELL" -c "\$SSH_ORIGINAL_COMMAND"
CONF
port=
for try in 1 2 3 4 5 6 7 8 9 10; do
    p=$((20000 + ($$ * 7 + try * 7919) % 40000))
    "$SSHD" -D -e -f "$ssh/sshd_config" -p "$p" 2>"$ssh/sshd.log" &
    sshd_pid=$!
    sleep 1
    if kill -0 "$sshd_pid" 2>/dev/null; then port=$p; break; fi
    wait "$sshd_pid" 2>/dev/null
    sshd_pid=
done
[ -n "$port" ] || { echo "shard-test: sshd did not start:" >&2; cat "$ssh/sshd.log" >&2; exit 2; }
printf '[127.0.0.1]:%s %s\n' "$port" "$(cut -d' ' -f1,2 "$ssh/host_key.pub")" >"$ssh/known_hosts"
cat >"$ssh/config" <<CONF
Host qppworker
    HostName 127.0.0.1
    Port $port
    User $(id -un)
    IdentityFile $ssh/user_key
    IdentitiesOnly yes
    UserKnownHostsFile $ssh/known_hosts
    StrictHostKeyChecking yes
    BatchMode yes
    LogLevel ERROR
    ControlMaster auto
    ControlPath $ssh/cm-%C
    ControlPersist 300
CONF
ok=0
for try in 1 2 3 4 5; do
    [ "$(ssh -F "$ssh/config" qppworker pwd 2>"$ssh/ssh.log")" = "$tmp/remote" ] &&
        { ok=1; break; }
    sleep 1
done
t "ssh logs in to the loopback sshd on port $port" '[ $ok = 1 ]'
[ $ok = 1 ] || { cat "$ssh/ssh.log" "$ssh/sshd.log" >&2; exit 1; }

# ---- the input: Measures, then 10 reports a patient, cut by patient ----
work=$tmp/work
mkdir -p "$work/shards" && cd "$work" || exit 2
cp "$QPPBUILD" qppbuild || exit 2
"$GEN" -n "$PATIENTS" >all.ndjson || exit 2
head -n 10 all.ndjson >measures.ndjson
nreports=$(($(wc -l <all.ndjson) - 10))
t "$nreports patient-level reports generated" '[ $nreports -ge $((PATIENTS * 10)) ]'
# Whole patients per shard: 10 lines each, 4 shards.
tail -n +11 all.ndjson | split -d -l $(((PATIENTS + 3) / 4 * 10)) - shards/s
args="-q -y 2025 --no-program-library -e apm --entity-id A1 --cehrt-id 0015CABCDEF1234"

./qppbuild $args all.ndjson >single.json
t "the single-machine run converts" '[ $? = 0 ] && [ -s single.json ]'

# ---- two workers: here, and over ssh; shards go out, summaries come back ----
# The worker is this machine, so it finds qppbuild where it was built; real
# workers have it installed (or get it with --basefile).
ls shards/s* | HOME=$tmp/home parallel --ssh "ssh -F $ssh/config" -S 1/:,1/qppworker \
    --transferfile measures.ndjson --transferfile {} --return {}.summary --cleanup \
    --joblog joblog "$work/qppbuild --summary $args measures.ndjson {} >{}.summary"
t "parallel ran every shard" '[ $? = 0 ] && [ $(ls shards/*.summary | wc -l) = $(ls shards/s?? | wc -l) ]'
t "both workers took shards" 'grep -q "qppworker" joblog && awk -F"\t" "NR > 1 && \$2 == \":\"" joblog | grep -q .'
t "the worker's files were cleaned up" '[ -z "$(find "$tmp/remote" -type f)" ]'

./qppbuild $args measures.ndjson shards/*.summary >final.json
t "the final run over the summaries converts" '[ $? = 0 ]'
t "sharded and single-machine runs agree byte for byte" 'cmp -s single.json final.json'

# One summary over the whole input is the same sums as the shards' together.
./qppbuild --summary $args all.ndjson >whole.summary
./qppbuild $args measures.ndjson whole.summary >from-whole.json
t "a summary of the whole input gives the same bytes" 'cmp -s single.json from-whole.json'
# A summary of summaries (a second reduce level) too.
./qppbuild --summary $args measures.ndjson shards/s00.summary shards/s01.summary >half.summary
./qppbuild $args measures.ndjson half.summary shards/s02.summary shards/s03.summary \
    $(ls shards/s0[4-9].summary 2>/dev/null) >two-level.json
t "summaries of summaries give the same bytes" 'cmp -s single.json two-level.json'

# The same partial summary twice is an error, never counted twice; so is a
# shard summed twice through a summary of summaries.
cp shards/s01.summary again.summary
./qppbuild $args measures.ndjson shards/*.summary again.summary >twice.json 2>twice.err
t "a partial summary given twice: exit 1, nothing written" '[ $? = 1 ] && [ ! -s twice.json ]'
t "... said as partial-sum-twice" 'grep -q "error\[partial-sum-twice\]" twice.err'
./qppbuild $args measures.ndjson half.summary shards/*.summary >twice.json 2>twice.err
t "a shard inside a summary of summaries and again on its own: exit 1" \
    '[ $? = 1 ] && [ ! -s twice.json ] && grep -q "error\[partial-sum-twice\]" twice.err'

echo "shard: $pass passed, $fail failed"
[ $fail = 0 ]
