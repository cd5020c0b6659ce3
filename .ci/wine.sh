#!/usr/bin/env bash
# Runs soakrun's Windows tests for real, under Wine, on Linux.
#
#   .ci/wine.sh ci     install what is missing, then everything below
#   .ci/wine.sh test   the winjob, supervisor, proc, sampler, samples, report, limit and CLI
#                      tests, cross-compiled and run with `go test -exec wine`
#   .ci/wine.sh e2e    soakrun.exe --timeout over a C target and its
#                      grandchild that clean up on CTRL_C: both record
#                      CTRL_C, exit 124, nothing killed, an empty job
#
# The C target (testdata/windows/ctrltarget.c) is built with mingw into a
# temporary directory and named to the tests in SOAKRUN_CTRL_TARGET.
#
# Wine 8.0 lacks bcryptprimitives.dll, whose ProcessPrng Go's runtime needs;
# a ten-line DLL (.ci/wine/processprng.c) forwarding to RtlGenRandom goes
# into a throwaway prefix.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"

install() {
  if command -v wine >/dev/null && command -v x86_64-w64-mingw32-gcc >/dev/null; then return; fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wine wine64 gcc-mingw-w64-x86-64 >/dev/null
}

prefix() {
  export WINEDEBUG=-all WINEARCH=win64
  export WINEPREFIX="${WINEPREFIX:-$(mktemp -d /tmp/soakrun-wine.XXXXXX)}"
  if [ ! -f "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" ]; then
    wineboot -i >/dev/null 2>&1 || true
    wineserver -w || true
    x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
      .ci/wine/processprng.c .ci/wine/processprng.def -ladvapi32
  fi
}

ctrltarget() {
  if [ -z "${SOAKRUN_CTRL_TARGET:-}" ]; then
    export SOAKRUN_CTRL_TARGET="$(mktemp -d)/ctrltarget.exe"
    x86_64-w64-mingw32-gcc -O2 -Wall -o "$SOAKRUN_CTRL_TARGET" testdata/windows/ctrltarget.c
  fi
}

tests() {
  ctrltarget
  GOOS=windows GOARCH=amd64 go test -count=1 -exec wine \
    ./winjob ./supervisor ./proc ./sampler ./samples ./report/... ./limit ./evidence ./soak ./cmd/soakrun
}

e2e() {
  local dir code start took
  ctrltarget
  dir=$(mktemp -d)
  GOOS=windows GOARCH=amd64 go build -o "$dir/soakrun.exe" ./cmd/soakrun
  cp "$SOAKRUN_CTRL_TARGET" "$dir/ctrltarget.exe"
  start=$(date +%s%N)
  set +e
  (cd "$dir" && wine ./soakrun.exe --timeout 2s --kill-after 60s --interval 250ms \
    -- ./ctrltarget.exe -child -lines 3 . target >stdout.txt 2>stderr.txt)
  code=$?
  set -e
  took=$(( ($(date +%s%N) - start) / 1000000 ))
  cat "$dir/stdout.txt" "$dir/stderr.txt"
  if [ "$code" != 124 ]; then echo "e2e: soakrun.exe exited $code, want 124"; exit 1; fi
  # Both asked to stop by CTRL_C, both cleaned up, long before the grace.
  for name in target target-child; do
    if [ "$(tr -d '\r' < "$dir/$name.txt")" != "$(printf 'CTRL_C\ncleanup done')" ]; then
      echo "e2e: $name recorded: $(cat "$dir/$name.txt" 2>&1)"; exit 1
    fi
  done
  if grep -q killing "$dir/stderr.txt"; then echo "e2e: the tree had to be killed"; exit 1; fi
  if [ "$(grep -c '^target line' "$dir/stdout.txt")" != 3 ]; then echo "e2e: the target's lines are missing"; exit 1; fi
  # The job is empty: neither the target nor its grandchild is left.
  pids=$(awk '$1 == "ready" {print $3}' "$dir/stdout.txt")
  if [ "$(echo "$pids" | wc -w)" != 2 ]; then echo "e2e: want two ready targets, got: $pids"; exit 1; fi
  for pid in $pids; do
    if (cd "$dir" && wine ./soakrun.exe ps "$pid" >/dev/null 2>&1); then echo "e2e: pid $pid survived"; exit 1; fi
  done
  lines=$(wc -l < "$dir/resources.jsonl")
  echo "e2e: exit 124 after ${took} ms (timeout 2 s, grace 60 s), both stopped by CTRL_C, pids $(echo $pids) gone, $lines samples"
}

case "${1:-ci}" in
  ci) install; prefix; tests; e2e ;;
  test) prefix; tests ;;
  e2e) prefix; e2e ;;
  *) echo "usage: $0 [ci|test|e2e]"; exit 2 ;;
esac
