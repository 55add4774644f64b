// The estate's test CA and one server certificate for the outside world's HTTPS names, made with
// openssl for each run (nothing is kept).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { sh } from "./netns";

export interface TestCa {
  readonly caCert: string;
  readonly serverKey: string;
  readonly serverCert: string;
}

export async function makeTestCa(dir: string, names: readonly string[]): Promise<TestCa> {
  mkdirSync(dir, { recursive: true });
  const path = (file: string) => join(dir, file);
  await sh("openssl", [
    "req",
    "-x509",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-days",
    "2",
    "-subj",
    "/CN=multicloud estate test CA",
    "-keyout",
    path("ca.key"),
    "-out",
    path("ca.pem"),
  ]);
  await sh("openssl", [
    "req",
    "-newkey",
    "ec",
    "-pkeyopt",
    "ec_paramgen_curve:prime256v1",
    "-nodes",
    "-subj",
    `/CN=${names[0]}`,
    "-keyout",
    path("server.key"),
    "-out",
    path("server.csr"),
  ]);
  writeFileSync(
    path("san.ext"),
    `subjectAltName=${names.map((name) => `DNS:${name}`).join(",")}\n`,
  );
  await sh("openssl", [
    "x509",
    "-req",
    "-in",
    path("server.csr"),
    "-CA",
    path("ca.pem"),
    "-CAkey",
    path("ca.key"),
    "-CAcreateserial",
    "-days",
    "2",
    "-extfile",
    path("san.ext"),
    "-out",
    path("server.pem"),
  ]);
  return { caCert: path("ca.pem"), serverKey: path("server.key"), serverCert: path("server.pem") };
}

/**
 * The region's Consul TLS as the program makes it (components/host/consul-tls.ts), with openssl:
 * one CA, one ECDSA key and certificate per role, servers named `server.<dc>.consul`, agents
 * `client.<dc>.consul`, each also localhost and 127.0.0.1. Returns each role's secret value.
 */
export async function makeConsulTls(
  dir: string,
  datacenter: string,
  roleNames: readonly string[],
): Promise<Record<string, string>> {
  mkdirSync(dir, { recursive: true });
  const path = (file: string) => join(dir, file);
  const ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  await sh("openssl", [
    "req",
    "-x509",
    ...ec,
    "-days",
    "2",
    "-subj",
    `/O=multicloud/CN=Consul CA ${datacenter}`,
    "-keyout",
    path("consul-ca.key"),
    "-out",
    path("consul-ca.pem"),
  ]);
  const identities: Record<string, string> = {};
  for (const role of roleNames) {
    const kind = role === "util" ? "server" : "client";
    await sh("openssl", [
      "req",
      ...ec,
      "-subj",
      `/O=multicloud/CN=${kind}.${datacenter}.consul`,
      "-keyout",
      path(`${role}.key`),
      "-out",
      path(`${role}.csr`),
    ]);
    writeFileSync(
      path(`${role}.ext`),
      [
        `subjectAltName=DNS:${kind}.${datacenter}.consul,DNS:localhost,IP:127.0.0.1`,
        "keyUsage=digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth,clientAuth",
        "",
      ].join("\n"),
    );
    await sh("openssl", [
      "x509",
      "-req",
      "-in",
      path(`${role}.csr`),
      "-CA",
      path("consul-ca.pem"),
      "-CAkey",
      path("consul-ca.key"),
      "-CAcreateserial",
      "-days",
      "2",
      "-extfile",
      path(`${role}.ext`),
      "-out",
      path(`${role}.pem`),
    ]);
    identities[role] = JSON.stringify({
      ca: readFileSync(path("consul-ca.pem"), "utf8"),
      cert: readFileSync(path(`${role}.pem`), "utf8"),
      key: readFileSync(path(`${role}.key`), "utf8"),
    });
  }
  return identities;
}
