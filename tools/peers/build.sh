#!/usr/bin/env bash
# Builds a pinned peer program (a real program the tests run beside ours) from its Go modules and
# caches it outside the repository, keyed by everything that pins it: rebuilt only when a pin changes.
#
#   tools/peers/build.sh <peer>           build if needed, print the directory holding its binaries
#   tools/peers/build.sh --print <peer>   print that directory, or fail when it is not built yet
#
# A peer is a folder tools/peers/<peer>/ holding a wrapper Go module (go.mod and go.sum pin every
# module; a wrapper is needed where the upstream go.mod carries replace directives) and build.conf:
#   binaries=("<name>=<package>" ...)   what to build
#   ldflags="..."                       optional, e.g. the version stamp upstream's release sets
#   tags="..."                          optional build tags
set -euo pipefail

print_only=false
if [[ "${1:-}" == "--print" ]]; then print_only=true; shift; fi
peer="${1:?usage: tools/peers/build.sh [--print] <peer>}"
peer_dir="$(cd "$(dirname "$0")" && pwd)/$peer"
[[ -f "$peer_dir/build.conf" ]] || { echo "build.sh: no peer named $peer (no $peer_dir/build.conf)" >&2; exit 2; }

# The key covers the wrapper module and the Go toolchain it is built with.
key=$(
  cd "$peer_dir"
  { find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum; go env GOVERSION; } | sha256sum | cut -c1-16
)
out="${XDG_CACHE_HOME:-$HOME/.cache}/multicloud/peers/$peer-$key"

if [[ -f "$out/.complete" ]]; then echo "$out/bin"; exit 0; fi
if $print_only; then
  echo "build.sh: $peer is not built for its current pins; run: bash tools/peers/build.sh $peer (bash .ci/run does)" >&2
  exit 1
fi

binaries=()
ldflags=""
tags=""
# shellcheck source=/dev/null
source "$peer_dir/build.conf"

rm -rf "$out.partial"
mkdir -p "$out.partial/bin"
started=$SECONDS
for entry in "${binaries[@]}"; do
  name="${entry%%=*}"
  package="${entry#*=}"
  echo "build.sh: building $peer/$name from $package" >&2
  (
    cd "$peer_dir"
    CGO_ENABLED="${CGO_ENABLED:-0}" GOFLAGS=-mod=readonly nice -n 5 \
      go build -trimpath -tags "$tags" -ldflags "$ldflags" -o "$out.partial/bin/$name" "$package"
  )
done
touch "$out.partial/.complete"
rm -rf "$out"
mv "$out.partial" "$out"
echo "build.sh: $peer built in $((SECONDS - started)) s" >&2
echo "$out/bin"
