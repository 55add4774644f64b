#!/usr/bin/env bash
# Gives a Pulumi run of STACK the chocon build of the artifacts workflow: unpacks the bundle into
# `.artifacts/` and sets the two stack config keys the program pins hosts and pods to, from the
# build job's outputs (not from the bundle, which the program checks against them).
#
# usage: tools/ci/pin-chocon.sh STACK BUNDLE_TAR
# Environment: PULUMI_ORG, CHOCON_SHA256 (64 hex digits), CHOCON_IMAGE_DIGEST (sha256:<64 hex>).
set -euo pipefail

if [[ $# -ne 2 ]]; then
  echo "usage: $0 STACK BUNDLE_TAR" >&2
  exit 2
fi
stack=$1
bundle=$2
sha256=${CHOCON_SHA256:-}
image_digest=${CHOCON_IMAGE_DIGEST:-}
if [[ ! $sha256 =~ ^[0-9a-f]{64}$ ]]; then
  echo "pin-chocon: CHOCON_SHA256 is '$sha256', not 64 lowercase hex digits" >&2
  exit 2
fi
if [[ ! $image_digest =~ ^sha256:[0-9a-f]{64}$ ]]; then
  echo "pin-chocon: CHOCON_IMAGE_DIGEST is '$image_digest', not sha256: and 64 lowercase hex digits" >&2
  exit 2
fi
stack_ref="${PULUMI_ORG:?PULUMI_ORG names the Pulumi organization of the stacks}/$stack"

rm -rf .artifacts
mkdir .artifacts
tar -xf "$bundle" -C .artifacts
actual=$(sha256sum .artifacts/chocon-linux-amd64 | cut -d' ' -f1)
if [[ $actual != "$sha256" ]]; then
  echo "pin-chocon: the bundle's chocon has the SHA-256 $actual, not $sha256" >&2
  exit 1
fi

pulumi config set --stack "$stack_ref" multicloud:choconSha256 "$sha256"
pulumi config set --stack "$stack_ref" multicloud:choconImageDigest "$image_digest"
