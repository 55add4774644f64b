#!/usr/bin/env bash
# Builds what a deploy publishes for chocon, from source, into OUT_DIR (the deploy reads `.artifacts`):
#   chocon-linux-amd64  chocon at the estate's version (components/spec/chocon.ts), built from its Go
#                       module; `go install` checks the module against the Go checksum database
#   chocon-image/       an OCI image layout holding that binary (tools/ci/oci-image.sh)
#   bin/crane           the crane of tools/peers/crane, which pushes the image (publish-image.sh)
#   manifest.json       the version, the binary's SHA-256, the image digest and the Go toolchain
# and prints `sha256=...` and `image-digest=...`, the values the deploy pins hosts and pods to.
# Reproducible for a given Go toolchain: -trimpath, no VCS stamp, fixed flags.
#
# usage: tools/ci/build-artifacts.sh OUT_DIR
set -euo pipefail

out=${1:?usage: tools/ci/build-artifacts.sh OUT_DIR}
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

version=$(sed -n 's/^export const CHOCON_VERSION = "\([0-9][0-9.]*\)";$/\1/p' "$root/components/spec/chocon.ts")
module=$(sed -n 's/^export const CHOCON_MODULE = "\([^"]*\)";$/\1/p' "$root/components/spec/chocon.ts")
if [[ -z $version || -z $module ]]; then
  echo "build-artifacts: no CHOCON_VERSION or CHOCON_MODULE in components/spec/chocon.ts" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out/bin"
gobin="$(mktemp -d)"
trap 'rm -rf "$gobin"' EXIT

# Whatever the caller's environment says, the checksum database checks the module's source.
export GOFLAGS=-trimpath GOSUMDB=sum.golang.org GONOSUMDB='' GOPRIVATE='' GOINSECURE=''
CGO_ENABLED=0 GOOS=linux GOARCH=amd64 GOBIN="$gobin" \
  go install -buildvcs=false -ldflags "-s -w -buildid= -X main.version=$version" "$module@v$version"
install -m 0755 "$gobin/chocon" "$out/chocon-linux-amd64"

crane_dir=$(bash "$root/tools/peers/build.sh" crane)
install -m 0755 "$crane_dir/crane" "$out/bin/crane"

sha256=$(sha256sum "$out/chocon-linux-amd64" | cut -d' ' -f1)
image_digest=$(bash "$here/oci-image.sh" "$out/chocon-linux-amd64" "$out/chocon-image" "$version")

jq -n --arg version "$version" --arg module "$module" --arg sha256 "$sha256" \
  --arg imageDigest "$image_digest" --arg go "$(go env GOVERSION)" \
  '{chocon: {version: $version, module: $module, sha256: $sha256, imageDigest: $imageDigest}, go: $go}' \
  >"$out/manifest.json"

echo "sha256=$sha256"
echo "image-digest=$image_digest"
