// The estate's test CA and one server certificate for the outside world's HTTPS names, made with
// openssl for each run (nothing is kept).
import { mkdirSync, writeFileSync } from "node:fs";
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
