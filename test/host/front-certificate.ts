// A self-signed certificate in a scratch directory, for the tests that run the rendered front
// config of a region whose nginx terminates TLS (jp) outside a host: the one change to the file
// is where the certificate and key live.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { FRONT_CERTIFICATE_PATH, FRONT_KEY_PATH } from "../../components/host/acme";

/** `site` with its certificate moved to a fresh self-signed one under `dir` (when it has one). */
export function withScratchCertificate(site: string, dir: string): string {
  if (!site.includes(FRONT_CERTIFICATE_PATH)) return site;
  const cert = join(dir, "front.crt");
  const key = join(dir, "front.key");
  const made = spawnSync(
    "openssl",
    [
      ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"],
      ...["-days", "1", "-subj", "/CN=example.jp", "-keyout", key, "-out", cert],
    ],
    { encoding: "utf8" },
  );
  assert.equal(made.status, 0, made.stderr);
  return site.replace(FRONT_CERTIFICATE_PATH, cert).replace(FRONT_KEY_PATH, key);
}
