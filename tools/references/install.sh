#!/usr/bin/env bash
# Installs what the replace-on-change table's check reads: the schema-facts reader (built once
# per pin by tools/peers/build.sh) and the pinned Go modules of replace-sources.json, fetched
# into the normal Go module cache. Quick when both are already there.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash tools/peers/build.sh schema-facts >/dev/null
jq -r '.sources[] | select(.obtain == "go-module") | "\(.module)@\(.version)"' \
  tools/references/replace-sources.json |
  while read -r module; do
    (cd "$HOME" && go mod download "$module")
  done
