#!/usr/bin/env bash
# Runs soakrun's Windows tests for real, under Wine, on Linux.
#
#   .ci/wine.sh ci     install what is missing, then everything below
#   .ci/wine.sh test   the winjob, supervisor, proc, sampler, report and CLI
#                      tests, cross-compiled and run with `go test -exec wine`
#   .ci/wine.sh e2e    soakrun.exe --timeout over a tree whose grandchild
#                      ignores CTRL_BREAK: exit 124 and an empty job
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

tests() {
  GOOS=windows GOARCH=amd64 go test -count=1 -exec wine \
    ./winjob ./supervisor ./proc ./sampler ./report/... ./cmd/soakrun
}

e2e() {
  local dir
  dir=$(mktemp -d)
  GOOS=windows GOARCH=amd64 go build -o "$dir/soakrun.exe" ./cmd/soakrun
  GOOS=windows GOARCH=amd64 go build -o "$dir/helper.exe" ./internal/testproc/helper
  set +e
  (cd "$dir" && SOAKRUN_TESTPROC="spawn -- ignore-break 1h" \
    wine ./soakrun.exe --timeout 3s --kill-after 1s --interval 250ms -- ./helper.exe >stdout.txt 2>stderr.txt)
  code=$?
  set -e
  cat "$dir/stdout.txt" "$dir/stderr.txt"
  if [ "$code" != 124 ]; then echo "e2e: soakrun.exe exited $code, want 124"; exit 1; fi
  # The job is empty: neither the helper nor its grandchild is left.
  pids=$(awk '$1 == "ready" {print $3}' "$dir/stdout.txt")
  if [ "$(echo "$pids" | wc -w)" != 2 ]; then echo "e2e: want two ready helpers, got: $pids"; exit 1; fi
  for pid in $pids; do
    if (cd "$dir" && wine ./soakrun.exe ps "$pid" >/dev/null 2>&1); then echo "e2e: pid $pid survived"; exit 1; fi
  done
  lines=$(wc -l < "$dir/resources.jsonl")
  echo "e2e: exit 124, pids $(echo $pids) gone, $lines samples"
}

case "${1:-ci}" in
  ci) install; prefix; tests; e2e ;;
  test) prefix; tests ;;
  e2e) prefix; e2e ;;
  *) echo "usage: $0 [ci|test|e2e]"; exit 2 ;;
esac
