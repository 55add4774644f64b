#!/usr/bin/env bash
# Packs chocon into a one-layer OCI image layout, with no base image and nothing else to patch:
# the binary at /usr/local/bin/chocon (its entrypoint), the CA bundle for HTTPS upstreams, user
# 65532 (the pods' user). The layer is built byte-for-byte the same from the same inputs (sorted
# entries, fixed times and owners, gzip without a name or time), so the digest names the content.
# Prints the image manifest's digest (`sha256:...`).
#
# usage: tools/ci/oci-image.sh BINARY OUT_LAYOUT VERSION
# Environment: CA_BUNDLE, the PEM bundle to include (default: the system's).
set -euo pipefail

binary=${1:?usage: tools/ci/oci-image.sh BINARY OUT_LAYOUT VERSION}
layout=${2:?usage: tools/ci/oci-image.sh BINARY OUT_LAYOUT VERSION}
version=${3:?usage: tools/ci/oci-image.sh BINARY OUT_LAYOUT VERSION}
ca_bundle=${CA_BUNDLE:-/etc/ssl/certs/ca-certificates.crt}
readonly USER_ID=65532

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
root="$work/root"
install -D -m 0755 "$binary" "$root/usr/local/bin/chocon"
install -D -m 0644 "$ca_bundle" "$root/etc/ssl/certs/ca-certificates.crt"
chmod 0755 "$root/usr" "$root/usr/local" "$root/usr/local/bin" "$root/etc" "$root/etc/ssl" "$root/etc/ssl/certs"

tar --create --file "$work/layer.tar" --directory "$root" --sort=name --format=gnu \
  --mtime=@0 --owner=0 --group=0 --numeric-owner --no-acls --no-xattrs --no-selinux \
  etc usr
gzip -9 -n -c "$work/layer.tar" >"$work/layer.tar.gz"

rm -rf "$layout"
mkdir -p "$layout/blobs/sha256"
# Stores a file as a blob; prints its digest and size.
blob() {
  local digest
  digest=$(sha256sum "$1" | cut -d' ' -f1)
  cp "$1" "$layout/blobs/sha256/$digest"
  echo "sha256:$digest $(stat -c %s "$1")"
}

read -r layer_digest layer_size < <(blob "$work/layer.tar.gz")
diff_id="sha256:$(sha256sum "$work/layer.tar" | cut -d' ' -f1)"

jq -cn --arg diffId "$diff_id" --arg user "$USER_ID:$USER_ID" --arg version "$version" '{
  architecture: "amd64",
  os: "linux",
  created: "1970-01-01T00:00:00Z",
  config: {
    User: $user,
    Entrypoint: ["/usr/local/bin/chocon"],
    Env: ["SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt"],
    ExposedPorts: {"8080/tcp": {}},
    Labels: {"org.opencontainers.image.version": $version}
  },
  rootfs: {type: "layers", diff_ids: [$diffId]},
  history: [{created: "1970-01-01T00:00:00Z", created_by: "tools/ci/oci-image.sh"}]
}' | tr -d '\n' >"$work/config.json"
read -r config_digest config_size < <(blob "$work/config.json")

jq -cn --arg config "$config_digest" --argjson configSize "$config_size" \
  --arg layer "$layer_digest" --argjson layerSize "$layer_size" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.manifest.v1+json",
  config: {mediaType: "application/vnd.oci.image.config.v1+json", digest: $config, size: $configSize},
  layers: [{mediaType: "application/vnd.oci.image.layer.v1.tar+gzip", digest: $layer, size: $layerSize}]
}' | tr -d '\n' >"$work/manifest.json"
read -r manifest_digest manifest_size < <(blob "$work/manifest.json")

jq -cn --arg digest "$manifest_digest" --argjson size "$manifest_size" --arg version "$version" '{
  schemaVersion: 2,
  mediaType: "application/vnd.oci.image.index.v1+json",
  manifests: [{
    mediaType: "application/vnd.oci.image.manifest.v1+json",
    digest: $digest,
    size: $size,
    annotations: {"org.opencontainers.image.ref.name": $version}
  }]
}' >"$layout/index.json"
printf '{"imageLayoutVersion":"1.0.0"}\n' >"$layout/oci-layout"

echo "$manifest_digest"
