#!/usr/bin/env bash
# Runs soakrun's Linux tests, and the cgroup layouts its users have, inside
# Debian's own kernels under QEMU: each guest mounts a pure cgroup v2
# hierarchy with memory, pids, cpu and io passed down, and reports like
# `go test`. Exits non-zero when any package or layout fails in any guest.
#
#   bash scripts/kernels/run.sh [KERNEL...]   (KERNEL: 6.1, 6.12; default both)
#
# Environment: SOAKRUN_KERNELS_CACHE (downloads, extracted kernels, logs;
# default $XDG_CACHE_HOME/soakrun-kernels), SOAKRUN_KERNELS_RUN (a -test.run
# pattern), SOAKRUN_KERNELS_ACCEL (kvm, tcg; default: kvm when it boots).
# SOAKRUN_KERNELS_PARALLEL=1 boots the kernels side by side.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
here=$repo/scripts/kernels
export PATH="$PATH:/usr/local/go/bin"

cache=${SOAKRUN_KERNELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/soakrun-kernels}
mkdir -p "$cache/debs" "$cache/kernels" "$cache/logs"
# One run at a time per cache: the logs are shared, and two sets of guests
# on one machine would each miss the tests' timing margins.
exec 9>"$cache/lock"
if ! flock -n 9; then
  echo "soakrun-kernels: waiting for the other run using $cache"
  flock 9
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/soakrun-kernels.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Packages whose tests touch the kernel: processes, cgroups, /proc.
# (internal/testproc is in their binaries; its own test reads the sources.)
packages=(cgroup supervisor sampler proc samples limit soak cmd/soakrun)
# Per package, inside the guest (software emulation is 10-30x slower than
# the host, and -test.short leaves the long soaks out).
test_timeout=${SOAKRUN_KERNELS_TEST_TIMEOUT:-5m}
# The whole guest, from the host's side: a hung guest is killed.
guest_timeout=${SOAKRUN_KERNELS_GUEST_TIMEOUT:-540}
# How long a KVM boot may take to print the init's first line.
kvm_boot_timeout=20

start=$(date +%s)
phase() { echo "-- $* ($(( $(date +%s) - start ))s)"; }

need() { # need COMMAND PACKAGE: install PACKAGE with apt if COMMAND is missing
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" != 0 ]; then echo "soakrun-kernels: $1 is missing: apt-get install $2" >&2; exit 2; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$2" >/dev/null
}

# kernel_package VERSION: the exact Debian package of VERSION's cloud kernel.
kernel_package() {
  case $1 in
    6.1) apt-cache depends linux-image-cloud-amd64 2>/dev/null | awk '/Depends: linux-image-6\.1\./ { print $2; exit }' ;;
    6.12) apt-cache search --names-only '^linux-image-6\.12\..*\+deb12-cloud-amd64-unsigned$' 2>/dev/null | awk '{ print $1 }' | sort -V | tail -n 1 ;;
    *) echo "soakrun-kernels: unknown kernel $1 (6.1 or 6.12)" >&2; return 1 ;;
  esac
}

# fetch VERSION: download and extract the kernel package once; prints its directory.
fetch() {
  local pkg deb
  pkg=$(kernel_package "$1")
  if [ -z "$pkg" ] && [ "$(id -u)" = 0 ]; then
    apt-get update -qq >&2
    pkg=$(kernel_package "$1")
  fi
  if [ -z "$pkg" ]; then echo "soakrun-kernels: no Debian package found for kernel $1 (apt-get update?)" >&2; return 1; fi
  if [ ! -d "$cache/kernels/$pkg" ]; then
    (cd "$cache/debs" && apt-get download -qq -o APT::Sandbox::User=root "$pkg" >&2)
    deb=$(ls "$cache/debs/${pkg}"_*.deb)
    rm -rf "$cache/kernels/$pkg.tmp"
    dpkg-deb -x "$deb" "$cache/kernels/$pkg.tmp"
    mv "$cache/kernels/$pkg.tmp" "$cache/kernels/$pkg"
  fi
  echo "$cache/kernels/$pkg"
}

# module_file KDIR NAME: the .ko of NAME in the kernel's tree, if it is a module.
module_file() {
  find "$1/lib/modules" -name "$2.ko" -o -name "$2.ko.xz" -o -name "$2.ko.zst" | head -n 1
}

# add_modules KDIR DEST NAME...: copy NAME and what it depends on into DEST,
# uncompressed (busybox insmod reads plain .ko files), and append each to
# DEST/order after its dependencies. Built-in names are skipped.
add_modules() {
  local kdir=$1 dest=$2 name file base deps
  shift 2
  for name in "$@"; do
    name=${name//-/_}
    grep -qx "$name" "$dest/seen" 2>/dev/null && continue
    echo "$name" >>"$dest/seen"
    file=$(module_file "$kdir" "$name")
    [ -n "$file" ] || continue
    base=$name.ko
    case $file in
      *.xz) xz -dc "$file" >"$dest/$base" ;;
      *.zst) zstd -qdc "$file" >"$dest/$base" ;;
      *) cp "$file" "$dest/$base" ;;
    esac
    deps=$(tr '\0' '\n' <"$dest/$base" | sed -n 's/^depends=//p' | tr ',' ' ')
    # shellcheck disable=SC2086 # a list of names
    [ -z "$deps" ] || add_modules "$kdir" "$dest" $deps
    echo "$base" >>"$dest/order"
  done
}

# add_host_tool ROOT PATH DEST: copy the host's PATH to DEST in ROOT with
# the shared libraries it loads, at the paths ldd names.
add_host_tool() {
  local root=$1 tool=$2 dest=$3 lib
  mkdir -p "$root$(dirname "$dest")"
  rm -f "$root$dest"
  cp -L "$tool" "$root$dest"
  for lib in $(ldd "$tool" | grep -o '/[^ ]*'); do
    [ -e "$root$lib" ] && continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done
}

phase "tools (qemu-system-x86, busybox-static, cpio, e2fsprogs)"
need qemu-system-x86_64 qemu-system-x86
need busybox busybox-static
need cpio cpio
need mkfs.ext4 e2fsprogs
need xz xz-utils
need ps procps
need findmnt util-linux
need ldd libc-bin

versions=("$@")
[ ${#versions[@]} -gt 0 ] || versions=(6.1 6.12)

phase "kernels ${versions[*]} (apt-get download, dpkg-deb -x)"
kdirs=()
for v in "${versions[@]}"; do kdirs+=("$(fetch "$v")"); done

phase "static test binaries (CGO_ENABLED=0 go test -c) and the layouts' programs"
root=$work/root
mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,tmp,run,root,pkgs,usr/bin,lib/modules}
targets=()
for p in "${packages[@]}"; do targets+=("./$p"); done
CGO_ENABLED=0 go test -c -o "$work/tests/" "${targets[@]}"
CGO_ENABLED=0 go build -o "$root/bin/soakrun" ./cmd/soakrun
CGO_ENABLED=0 go build -o "$root/bin/leaky" ./examples/leaky
for p in "${packages[@]}"; do
  name=${p##*/}
  dir=$root/pkgs/${p//\//-}
  mkdir -p "$dir"
  mv "$work/tests/$name.test" "$dir/"
  if [ -d "$p/testdata" ]; then cp -r "$p/testdata" "$dir/"; fi
done

phase "initramfs (busybox, tests, modules) and the ext4 disk for /tmp"
cp "$(command -v busybox)" "$root/bin/busybox"
# Applets in /bin only: /usr/bin/timeout and /usr/bin/env are the GNU
# oracles of the differential tests, which skip where those are missing.
for applet in $("$root/bin/busybox" --list); do
  [ -e "$root/bin/$applet" ] || ln -s busybox "$root/bin/$applet"
done
# What busybox lacks or does otherwise, from the host: procps' ps (-p),
# findmnt for the read-only cgroupfs test, and GNU timeout and env, the
# oracles of the differential tests.
add_host_tool "$root" "$(command -v ps)" /bin/ps
add_host_tool "$root" "$(command -v findmnt)" /bin/findmnt
for tool in /usr/bin/timeout /usr/bin/env; do
  [ ! -x "$tool" ] || add_host_tool "$root" "$tool" "$tool"
done
printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/sh\n' >"$root/etc/passwd"
printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
cp "$here/init" "$root/init"
cp "$here/layouts.sh" "$root/bin/layouts.sh"
chmod +x "$root/init" "$root/bin/layouts.sh"
{
  echo "test_timeout=$test_timeout"
  echo "test_run='${SOAKRUN_KERNELS_RUN:-}'"
  echo "packages='${packages[*]//\//-}'"
} >"$root/etc/soakrun-kernels.conf"
(cd "$root" && find . | cpio -o -H newc --quiet) >"$work/common.cpio"

accel=${SOAKRUN_KERNELS_ACCEL:-}
if [ -z "$accel" ]; then
  if [ -r /dev/kvm ] && [ -w /dev/kvm ]; then accel=try-kvm; else accel=tcg; fi
fi

# boot VERSION KDIR ACCEL: run one guest to its end, its serial console in
# $cache/logs/VERSION.log; qemu's exit status (124: killed by the host's
# timeout).
boot() {
  local v=$1 kdir=$2 acc=$3 vmlinuz flags
  vmlinuz=$(ls "$kdir"/boot/vmlinuz-*)
  rm -f "$work/tmp-$v.img"
  truncate -s 2G "$work/tmp-$v.img"
  mkfs.ext4 -q -F -E lazy_itable_init=1,lazy_journal_init=1 "$work/tmp-$v.img"
  flags=(-accel "tcg,thread=multi")
  [ "$acc" = tcg ] || flags=(-enable-kvm -cpu host)
  timeout -k 10 "$guest_timeout" qemu-system-x86_64 "${flags[@]}" -smp 2 -m 2048 \
    -kernel "$vmlinuz" -initrd "$work/initrd-$v" \
    -append "console=ttyS0 panic=-1 cgroup_no_v1=all quiet" \
    -drive "file=$work/tmp-$v.img,format=raw,if=virtio" \
    -display none -monitor none -serial "file:$cache/logs/$v.log" -no-reboot -nodefaults
}

# kvm_boots VERSION KDIR: whether KVM brings the guest to its init within
# kvm_boot_timeout seconds (where nested KVM hangs or aborts, it does not).
kvm_boots() {
  local pid waited=0
  : >"$cache/logs/$1.log"
  guest_timeout=$((kvm_boot_timeout + 5)) boot "$1" "$2" kvm >/dev/null 2>&1 &
  pid=$!
  while [ $waited -lt "$kvm_boot_timeout" ] && kill -0 "$pid" 2>/dev/null; do
    if grep -aq '^SOAKRUN-KERNELS booted' "$cache/logs/$1.log"; then
      pkill -P "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
      return 0
    fi
    sleep 1
    waited=$((waited + 1))
  done
  pkill -P "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  return 1
}

# report KERNEL LOG: `go test`'s summary of one guest's log, each failed
# test with the first lines it logged; 1 on any failure.
report() {
  awk -v kernel="$1" '
    function flush_fails(   i) { for (i = 0; i < nfail; i++) print fail[i]; nfail = 0 }
    { sub(/\r$/, "") } # the serial console ends lines with CR LF
    /^SOAKRUN-KERNELS booted/ { booted = 1; uname = $3; next }
    /^SOAKRUN-KERNELS done/ { done = 1; next }
    /^SOAKRUN-KERNELS (pkg|layout)=/ {
      split($2, kv, "="); split($3, st, "="); split($4, el, "=")
      if (kv[1] == "pkg") { name = kv[2]; gsub("-", "/", name); name = "github.com/soakrun/soakrun/" name }
      else name = "layout " kv[2]
      status = (st[2] == "ok") ? "ok  " : "FAIL"
      printf "%s\t%-44s [%s]\t%ss\n", status, name, uname, el[2]
      if (st[2] != "ok") failed = 1
      flush_fails()
      delete logged; delete nlogged; cur = ""
      next
    }
    # go test -v: a test'"'"'s log lines follow its === RUN/CONT/NAME line.
    /^=== (RUN|CONT|NAME|PAUSE) / { cur = $3; next }
    /^ *--- FAIL: / {
      t = $3; fail[nfail++] = $0
      for (i = 0; i < nlogged[t] && i < 6; i++) fail[nfail++] = "    " logged[t, i]
      next
    }
    /^ *--- (PASS|SKIP): / { next }
    /^(panic: |fatal error: |FAIL: |leftover |layout [a-z-]+: )/ || /^    stderr: / { fail[nfail++] = $0; next }
    cur != "" && /^ +[^ ]/ { logged[cur, nlogged[cur]++] = $0 }
    END {
      if (!booted) { print "FAIL\tkernel " kernel ": the guest never reached its init"; exit 1 }
      if (!done) { flush_fails(); print "FAIL\tkernel " kernel " (" uname "): the guest ended before its last package (hung or crashed: see the log)"; exit 1 }
      exit failed
    }' "$2"
}


for i in "${!versions[@]}"; do
  v=${versions[$i]}
  mods=$work/m-$v/lib/modules
  mkdir -p "$mods"
  : >"$mods/order"
  # The disk for /tmp. The 6.12 cloud kernel has virtio PCI built in, 6.1 does not.
  add_modules "${kdirs[$i]}" "$mods" virtio_pci virtio_blk
  (cd "$work/m-$v" && find lib | cpio -o -H newc --quiet) >"$work/modules-$v.cpio"
  cat "$work/common.cpio" "$work/modules-$v.cpio" >"$work/initrd-$v"
done

if [ "$accel" = try-kvm ]; then
  phase "does KVM boot? (at most ${kvm_boot_timeout}s)"
  if kvm_boots "${versions[0]}" "${kdirs[0]}"; then accel=kvm; else accel=tcg; fi
fi

# One guest after the other by default: side by side they took 7.4 min
# instead of 9 here, but on a loaded host the tests' timing margins gave
# way (docs/kernels.md).
parallel=${SOAKRUN_KERNELS_PARALLEL:-0}
phase "guests: kernels ${versions[*]}$([ "$parallel" = 1 ] && echo " side by side") (${accel}; serial logs in $cache/logs)"
pids=()
for i in "${!versions[@]}"; do
  v=${versions[$i]}
  : >"$cache/logs/$v.log"
  (
    t0=$(date +%s)
    rc=0
    boot "$v" "${kdirs[$i]}" "$accel" || rc=$?
    echo "$rc $(( $(date +%s) - t0 ))" >"$work/rc-$v"
  ) &
  pids+=($!)
  # Progress: one line per package and layout as each ends.
  tail -n +1 -F --pid=$! "$cache/logs/$v.log" 2>/dev/null | grep -a --line-buffered -E '^SOAKRUN-KERNELS (booted|pkg|layout)' | sed -u "s/^SOAKRUN-KERNELS /   [$v] /" &
  if [ "$parallel" != 1 ]; then wait || true; fi
done
wait "${pids[@]}" 2>/dev/null || true
wait || true

status=0
for i in "${!versions[@]}"; do
  v=${versions[$i]}
  read -r rc seconds <"$work/rc-$v"
  echo
  echo "== kernel $v ($(basename "${kdirs[$i]}")): ${seconds}s"
  [ "$rc" = 0 ] || echo "   qemu exited $rc (124: killed after ${guest_timeout}s)"
  report "$v" "$cache/logs/$v.log" || status=1
done
phase "done"
exit "$status"
