#!/bin/bash
# The scenarios of the runner-like guest (runner.sh), run as root by the
# guest's systemd once it is up, with the payload (soakrun, leaky, the
# action's script, the step) at /payload. Each scenario prints
# "SOAKRUN-RUNNER scenario=NAME status=ok|FAIL seconds=N" and lines
# "runner NAME: ..." saying what it saw; the host reads them off the
# serial console.
set -u
say() { echo "runner $name: $*"; }
fail() { say "$*"; ok=0; }
begin() { name=$1 ok=1 t0=$(date +%s); }
result() {
  local st=ok
  [ "$ok" = 1 ] || st=FAIL
  echo "SOAKRUN-RUNNER scenario=$name status=$st seconds=$(($(date +%s) - t0))"
}

# scopes: the soakrun scopes the system manager, or with "--user" the
# runner's manager, still has.
scopes() {
  if [ "${1:-}" = --user ]; then
    runuser -u runner -- env XDG_RUNTIME_DIR=/run/user/1001 systemctl --user list-units --all --no-legend --plain 'soakrun-*' 2>&1
  else
    systemctl list-units --all --no-legend --plain 'soakrun-*'
  fi
}

# leftovers [--user]: wait up to 10 s for the run to be gone: no leaky, no
# soakrun scope, no soakrun cgroup directory; fail naming what is left.
leftovers() {
  local left
  for _ in $(seq 20); do
    left="$(pgrep -x leaky | tr '\n' ' ')$(scopes "$@")$(find /sys/fs/cgroup \( -name 'soakrun-[0-9]*' -o -name soakrun \) -type d)"
    [ -z "$left" ] && return
    sleep 0.5
  done
  fail "left after the run: $left"
}

# charged FILE: the samples have the kernel's charge.
charged() {
  if grep -q '"cgroup_memory_nocache_mb"' "$1"; then
    say "samples with the kernel's charge: $(grep -c '"cgroup_memory_nocache_mb"' "$1") of $(wc -l <"$1")"
  else
    fail "no sample in $1 has the kernel's charge"
  fi
}

# contained LOG PATTERN: soakrun's containment line in LOG matches PATTERN.
contained() {
  local line
  line=$(grep -m 1 'soakrun: containment:' "$1")
  say "$line"
  echo "$line" | grep -Eq "$2" || fail "the containment line does not match /$2/"
}

owned() { # owned USER FILE...: each FILE belongs to USER
  local f
  for f in "${@:2}"; do
    [ "$(stat -c %U "$f" 2>&1)" = "$1" ] || fail "$f belongs to $(stat -c %U:%G "$f" 2>&1), not $1"
  done
}

echo "SOAKRUN-RUNNER booted $(uname -r) $(cut -d' ' -f1 /proc/uptime)s systemd $(systemctl --version | head -n 1 | cut -d' ' -f2)"
mkdir -p /opt/soakrun
cp /payload/* /opt/soakrun/
chmod 755 /opt/soakrun/*
cat >/run/systemd/system/runner@.service <<'UNIT'
[Unit]
Description=a runner's step (%i)
[Service]
Type=oneshot
User=runner
WorkingDirectory=~
ExecStart=/opt/soakrun/runner-step.sh %i
TimeoutStartSec=180
UNIT
systemctl daemon-reload

begin action
systemctl start runner@action.service
d=/home/runner/work/action
sed "s/^/    /" $d/log
say "exit $(cat $d/status); outputs: $(tr '\n' ' ' <$d/output)"
contained $d/log "cgroup v2 via systemd scope soakrun-[0-9]+\\.scope at .*\\(cpu\\+io\\+memory\\+pids\\)"
charged $d/out/resources.jsonl
[ "$(cat $d/uid)" = 1001 ] || fail "the command ran as uid $(cat $d/uid), not the runner's 1001"
[ "$(cat $d/home)" = /home/runner ] || fail "the command's HOME is $(cat $d/home)"
say "the command's uid $(cat $d/uid), groups $(cat $d/groups), HOME $(cat $d/home)"
owned runner $d/out/resources.jsonl $d/out/resources.analysis.json $d/out/resources.report.html $d/uid
grep -q '^verdict=leak$' $d/output || fail "the action's verdict output is not leak"
leftovers
result

begin kill
systemctl start --no-block runner@kill.service
unit=
for _ in $(seq 60); do
  unit=$(scopes | awk '{ print $1 }' | head -n 1)
  [ -n "$unit" ] && pgrep -x leaky >/dev/null && break
  sleep 0.5
done
sleep 3
pid=${unit#soakrun-}
pid=${pid%.scope}
say "scope $unit; leaky $(pgrep -x leaky | tr '\n' ' '); SIGKILL to soakrun $pid"
if [ -z "$unit" ] || ! kill -9 "$pid"; then fail "no soakrun scope to kill"; fi
leftovers
systemctl stop runner@kill.service
d=/home/runner/work/kill
contained $d/log "via systemd scope"
result

begin root
mkdir -p /root/work/root
(cd /root/work/root && /opt/soakrun/soakrun --timeout 6s --kill-after 1s --interval 250ms --min-span 0 -- /opt/soakrun/leaky -rate 4 -churn 1 -children 2 >log 2>&1)
say "exit $?"
contained /root/work/root/log "cgroup v2 via systemd scope soakrun-[0-9]+\\.scope at .*\\(cpu\\+io\\+memory\\+pids\\)"
charged /root/work/root/resources.jsonl
leftovers
result

begin user
loginctl enable-linger runner
for _ in $(seq 60); do [ -S /run/user/1001/bus ] && break; sleep 0.5; done
say "user manager: $(systemctl is-active user@1001.service); bus: $(ls /run/user/1001/bus 2>&1)"
say "user@1001.service delegates: $(cat /sys/fs/cgroup/user.slice/user-1001.slice/user@1001.service/cgroup.subtree_control 2>&1)"
systemctl start runner@user.service
d=/home/runner/work/user
sed 's/^/    /' $d/log
contained $d/log "cgroup v2 via systemd scope soakrun-[0-9]+\\.scope at /sys/fs/cgroup/user.slice/.*memory"
charged $d/resources.jsonl
leftovers --user
result

begin nobus
runuser -u runner -- env XDG_RUNTIME_DIR=/run/user/1001 systemctl --user stop dbus.socket dbus.service
systemctl start runner@nobus.service
d=/home/runner/work/nobus
contained $d/log "systemd: not reachable: user bus unix:path=/run/user/1001/bus"
[ "$(cat $d/status)" = 124 ] || fail "exit $(cat $d/status), not the timeout's 124: the command did not run to its timeout"
leftovers
result

begin root-nobus
systemctl stop dbus.socket dbus.service
say "system bus: $(systemctl is-active dbus.service)"
mkdir -p /root/work/nobus
(cd /root/work/nobus && /opt/soakrun/soakrun --timeout 6s --kill-after 1s --interval 250ms --min-span 0 -- /opt/soakrun/leaky -rate 4 -churn 1 -children 2 >log 2>&1)
contained /root/work/nobus/log "cgroup v2 via systemd scope soakrun-[0-9]+\\.scope at .*memory"
charged /root/work/nobus/resources.jsonl
leftovers
result

echo "SOAKRUN-RUNNER done"
# Off at once: the host waits for qemu to end, and a manager whose bus
# was stopped can be slow to.
sync
echo o >/proc/sysrq-trigger
