#!/usr/bin/env bash
# Pushes the chocon image of the artifacts bundle into the region's registry; `pulumi up` runs it
# (components/artifacts/image.ts) once the registry exists. Succeeds only when the registry then
# holds the expected digest under IMAGE's tag; a tag that already names that digest is left as it is
# (tags are immutable there), a tag that names another digest fails the push.
#
# Environment (all required):
#   LAYOUT  the OCI image layout (tools/ci/oci-image.sh)
#   CRANE   the crane binary
#   IMAGE   <registry>/<path>:<tag>
#   DIGEST  sha256:<hex>, the image the deploy pins pods to
# Artifact Registry hosts (*-docker.pkg.dev) are logged in with gcloud's access token, kept in a
# configuration of this run only; other registries are used as they are.
set -euo pipefail

layout=${LAYOUT:?LAYOUT names the OCI image layout}
crane=${CRANE:?CRANE names the crane binary}
image=${IMAGE:?IMAGE names <registry>/<path>:<tag>}
digest=${DIGEST:?DIGEST names the image digest, sha256:...}
registry=${image%%/*}

if ! jq -e --arg digest "$digest" 'any(.manifests[]; .digest == $digest)' "$layout/index.json" >/dev/null; then
  echo "publish-image: $layout does not hold $digest" >&2
  exit 1
fi

DOCKER_CONFIG="$(mktemp -d)"
export DOCKER_CONFIG
trap 'rm -rf "$DOCKER_CONFIG"' EXIT
if [[ $registry == *-docker.pkg.dev ]]; then
  gcloud auth print-access-token |
    "$crane" auth login "$registry" --username oauth2accesstoken --password-stdin >/dev/null
fi

if existing=$("$crane" digest "$image" 2>/dev/null); then
  if [[ $existing == "$digest" ]]; then
    echo "publish-image: $image is already $digest"
    exit 0
  fi
  echo "publish-image: $image already names $existing, not $digest (tags are immutable)" >&2
  exit 1
fi

"$crane" push "$layout" "$image"
pushed=$("$crane" digest "$image")
if [[ $pushed != "$digest" ]]; then
  echo "publish-image: the registry holds $pushed under $image, not $digest" >&2
  exit 1
fi
echo "publish-image: pushed $image ($digest)"
