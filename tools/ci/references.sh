#!/usr/bin/env bash
# Installs the vendors' references pinned in tools/ci/references.txt (exact versions and hashes)
# into a venv outside the repository, keyed by that file: rebuilt only when a pin changes.
#
#   tools/ci/references.sh           install if needed, print the venv's site-packages directory
#   tools/ci/references.sh --print   print that directory, or fail when it is not installed yet
set -euo pipefail

print_only=false
if [[ "${1:-}" == "--print" ]]; then print_only=true; fi
pins="$(cd "$(dirname "$0")" && pwd)/references.txt"
key=$(sha256sum "$pins" | cut -c1-16)
venv="${XDG_CACHE_HOME:-$HOME/.cache}/multicloud/references-$key"

site_packages() { find "$venv/lib" -mindepth 2 -maxdepth 2 -type d -name site-packages -print -quit; }

if [[ -f "$venv/.complete" ]]; then site_packages; exit 0; fi
if $print_only; then
  echo "references.sh: the references are not installed for their current pins; run: bash tools/ci/references.sh (bash .ci/run does)" >&2
  exit 1
fi

started=$SECONDS
rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-deps --only-binary=:all: \
  --require-hashes -r "$pins" >&2
touch "$venv/.complete"
echo "references.sh: installed in $((SECONDS - started)) s" >&2
site_packages
