#!/usr/bin/env bash
# Release binaries: soakrun for each platform it supports, with a SHA256SUMS
# file, into dist/ (or the directory given). Built from a git checkout, each
# binary carries the version the Go toolchain records: the tag on a clean
# tagged commit, else a pseudo-version naming the commit (+dirty when there
# are uncommitted changes), which `soakrun --version` prints.
#
#   scripts/release.sh [DIR]
#
# PLATFORMS="linux/amd64 windows/amd64" builds only those.
set -euo pipefail
cd "$(dirname "$0")/.."
dist=${1:-dist}
read -ra platforms <<<"${PLATFORMS:-linux/amd64 linux/arm64 darwin/amd64 darwin/arm64 windows/amd64}"

mkdir -p "$dist"
rm -f "$dist"/soakrun-* "$dist/SHA256SUMS"
for p in "${platforms[@]}"; do
  os=${p%/*} arch=${p#*/}
  exe=soakrun-$os-$arch
  [ "$os" = windows ] && exe+=.exe
  # -buildvcs=true: a release without its revision is not one (this also
  # overrides a -buildvcs=false in GOFLAGS).
  CGO_ENABLED=0 GOOS=$os GOARCH=$arch go build -trimpath -buildvcs=true -ldflags=-s -o "$dist/$exe" ./cmd/soakrun
done

if command -v sha256sum >/dev/null; then sum=(sha256sum); else sum=(shasum -a 256); fi
(cd "$dist" && "${sum[@]}" soakrun-* >SHA256SUMS)
first=("$dist"/soakrun-*)
version=$(go version -m "${first[0]}" | awk '$1 == "mod" { print $3 }')
echo "soakrun $version: ${#platforms[@]} binaries and SHA256SUMS in $dist"
case $version in
*dirty*) echo "warning: built from a checkout with uncommitted changes" >&2 ;;
esac
