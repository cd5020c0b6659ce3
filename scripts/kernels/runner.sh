#!/usr/bin/env bash
# Runs soakrun on a host like a GitHub-hosted Linux runner: a Debian
# bookworm root file system with systemd as PID 1 and a pure cgroup v2
# tree, booted under qemu-system-x86_64 with Debian's 6.1 cloud kernel, a
# `runner` user (uid 1001) with passwordless sudo, and a runner@.service
# whose steps run as that user beside another process of the service. The
# scenarios (runner-guest.sh) run the action's script there, kill soakrun
# mid-run, run it as root, through the user's own manager, and with D-Bus
# stopped; exits non-zero when any fails. docs/kernels.md says more.
#
# Environment: SOAKRUN_KERNELS_CACHE (as run.sh's: the root file system's
# image is kept there, keyed by what it is built from),
# SOAKRUN_KERNELS_ACCEL (kvm, tcg; default: kvm when it boots),
# SOAKRUN_RUNNER_GUEST_TIMEOUT (seconds; default 420).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../.."
cache=${SOAKRUN_KERNELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/soakrun-kernels}
mkdir -p "$cache/runner" "$cache/logs"
exec 9>"$cache/runner/lock"
if ! flock -n 9; then
  echo "soakrun-runner: waiting for the other run using $cache/runner"
  flock 9
fi
guest_timeout=${SOAKRUN_RUNNER_GUEST_TIMEOUT:-420}
log=$cache/logs/runner.log
start=$(date +%s)
phase() { echo "-- $* ($(($(date +%s) - start))s)"; }

need() { # need COMMAND PACKAGE
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" != 0 ]; then echo "soakrun-runner: $1 is missing: apt-get install $2" >&2; exit 2; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}
phase "tools (qemu-system-x86, debootstrap, e2fsprogs)"
need qemu-system-x86_64 qemu-system-x86
need debootstrap debootstrap
need mkfs.ext4 e2fsprogs

# The root file system: what a hosted runner has that soakrun meets
# (systemd, D-Bus for the system and for users, logind for lingering
# users, sudo), built once per package list and setup below.
packages=systemd,systemd-sysv,dbus,dbus-user-session,libpam-systemd,sudo,procps,linux-image-cloud-amd64,initramfs-tools,kmod,udev
mirror=$(awk '/^URIs:/ { print $2; exit }' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
mirror=${mirror:-http://deb.debian.org/debian}
key=$( (echo "$packages $mirror"; sed -n '/^setup()/,/^}/p' "$0") | sha256sum | cut -c1-12)
img=$cache/runner/rootfs-$key.img

# setup ROOT: the runner's user and sudo, the unit that runs the payload's
# scenarios at boot and powers off, and nothing that slows the boot.
setup() {
  local r=$1
  chroot "$r" useradd -m -u 1001 -s /bin/bash runner
  echo 'runner ALL=(ALL) NOPASSWD:ALL' >"$r/etc/sudoers.d/runner"
  chmod 440 "$r/etc/sudoers.d/runner"
  echo runner-guest >"$r/etc/hostname"
  echo '/dev/vda / ext4 rw 0 1' >"$r/etc/fstab"
  mkdir -p "$r/payload"
  cat >"$r/etc/systemd/system/runner-scenarios.service" <<'UNIT'
[Unit]
Description=soakrun's runner scenarios
After=multi-user.target
[Service]
Type=oneshot
ExecStartPre=/bin/mount -o ro /dev/vdb /payload
ExecStart=/payload/runner-guest.sh
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
SuccessAction=poweroff-force
FailureAction=poweroff-force
[Install]
WantedBy=multi-user.target
UNIT
  ln -s /etc/systemd/system/runner-scenarios.service "$r/etc/systemd/system/multi-user.target.wants/runner-scenarios.service"
  for u in apt-daily.timer apt-daily-upgrade.timer e2scrub_reap.service serial-getty@ttyS0.service getty@tty1.service systemd-timesyncd.service; do
    ln -sf /dev/null "$r/etc/systemd/system/$u"
  done
}

if [ ! -f "$img" ]; then
  phase "the root file system (debootstrap bookworm from $mirror, once per package list)"
  rm -rf "$cache/runner/root.tmp"
  debootstrap --variant=minbase --include="$packages" bookworm "$cache/runner/root.tmp" "$mirror" >"$cache/logs/runner-debootstrap.log" 2>&1 ||
    { tail -n 20 "$cache/logs/runner-debootstrap.log"; exit 1; }
  setup "$cache/runner/root.tmp"
  cp "$cache/runner/root.tmp"/boot/vmlinuz-* "$cache/runner/vmlinuz-$key"
  cp "$cache/runner/root.tmp"/boot/initrd.img-* "$cache/runner/initrd-$key"
  rm -f "$cache/runner"/rootfs-*.img
  truncate -s 2G "$img.tmp"
  mkfs.ext4 -q -F -d "$cache/runner/root.tmp" "$img.tmp"
  mv "$img.tmp" "$img"
  rm -rf "$cache/runner/root.tmp"
fi

phase "the payload (soakrun and leaky, static; the action's script; the scenarios)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/payload"
CGO_ENABLED=0 go build -o "$work/payload/soakrun" ./cmd/soakrun
CGO_ENABLED=0 go build -o "$work/payload/leaky" ./examples/leaky
cp scripts/action.sh "$here/runner-guest.sh" "$here/runner-step.sh" "$work/payload/"
truncate -s 64M "$work/payload.img"
mkfs.ext4 -q -F -d "$work/payload" "$work/payload.img"

accel=${SOAKRUN_KERNELS_ACCEL:-}
if [ -z "$accel" ]; then
  if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=kvm; else accel=tcg; fi
fi
# boot ACCEL SECONDS: the guest to its end (or SECONDS), its console in $log.
boot() {
  local flags=(-accel "tcg,thread=multi")
  [ "$1" = tcg ] || flags=(-enable-kvm -cpu host)
  : >"$log"
  timeout -k 10 "$2" qemu-system-x86_64 "${flags[@]}" -smp 2 -m 2048 \
    -kernel "$cache/runner/vmlinuz-$key" -initrd "$cache/runner/initrd-$key" \
    -append "root=/dev/vda rw console=ttyS0 panic=-1 quiet systemd.show_status=0" \
    -drive "file=$img,format=raw,if=virtio,snapshot=on" \
    -drive "file=$work/payload.img,format=raw,if=virtio,readonly=on" \
    -display none -monitor none -serial "file:$log" -no-reboot -nodefaults
}
if [ "$accel" = kvm ]; then
  # Where nested KVM aborts or hangs, the guest never says it booted.
  phase "does KVM boot? (at most 20s)"
  boot kvm 25 >/dev/null 2>&1 9>&- &
  pid=$!
  for _ in $(seq 20); do
    grep -aq '^SOAKRUN-RUNNER booted' "$log" 2>/dev/null && break
    kill -0 "$pid" 2>/dev/null || break # KVM refused at once
    sleep 1
  done
  if grep -aq '^SOAKRUN-RUNNER booted' "$log"; then wait "$pid" || true; else accel=tcg; pkill -P "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
fi
if [ "$accel" = tcg ] || ! grep -aq '^SOAKRUN-RUNNER done' "$log"; then
  phase "the guest ($accel; serial log in $log)"
  # The progress, a line per scenario; it holds no lock and ends with us.
  { tail -n +1 -F --pid=$$ "$log" 2>/dev/null | grep -a --line-buffered -E '^SOAKRUN-RUNNER' | sed -u 's/^SOAKRUN-RUNNER /   /'; } 9>&- &
  rc=0
  boot "$accel" "$guest_timeout" || rc=$?
  sleep 1 # the last lines
  [ "$rc" = 0 ] || echo "   qemu exited $rc (124: killed after ${guest_timeout}s)"
fi

status=0
tr -d '\r' <"$log" | awk '
  /^SOAKRUN-RUNNER booted/ { booted = 1 }
  /^SOAKRUN-RUNNER done/ { done = 1 }
  /^SOAKRUN-RUNNER scenario=/ {
    split($2, n, "="); split($3, st, "="); split($4, s, "=")
    printf "%s\tscenario %-12s\t%ss\n", (st[2] == "ok" ? "ok  " : "FAIL"), n[2], s[2]
    if (st[2] != "ok") { failed = 1; for (i = 0; i < nlines; i++) print "    " lines[i] }
    nlines = 0; next
  }
  /^runner [a-z-]+: / { lines[nlines++] = $0 }
  END {
    if (!booted) { print "FAIL\tthe guest never booted"; exit 1 }
    if (!done) { print "FAIL\tthe guest ended before its last scenario (see the log)"; exit 1 }
    exit failed
  }' || status=$?
phase "done"
exit "$status"
