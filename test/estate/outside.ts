// What lies outside the region, run inside the estate's own namespaces (never on the machine's
// network): the cloud's metadata server and secret store, which hosts read their Consul secrets
// from at boot, and a partner's HTTPS service that chocon calls, counting its TLS handshakes.
//
//   node --import tsx outside.ts CONFIG.json
import { readFileSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";

export interface OutsideConfig {
  readonly cloud: "aws" | "gcp" | "sakura";
  /** Secret name -> value, as the secret store keeps them. */
  readonly secrets: Record<string, string>;
  readonly metadata?: { readonly address: string };
  readonly secretStore?: { readonly address: string; readonly key: string; readonly cert: string };
  readonly partner?: {
    readonly address: string;
    readonly key: string;
    readonly cert: string;
    /** Plain-HTTP port on the same address that reports the handshake count. */
    readonly statsPort: number;
  };
}

/** A fake instance identity: what the metadata server hands out and the secret store accepts. */
const ROLE = "multicloud-estate-host";
const ACCESS_KEY = "ASIAESTATEEXAMPLE000";
const BEARER = "ya29.estate-token";

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => {
      text += String(chunk);
    });
    request.on("end", () => resolve(text));
  });
}

function reply(response: ServerResponse, status: number, payload: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(typeof payload === "string" ? payload : JSON.stringify(payload));
}

/** IMDSv2 (a token first, then the role's credentials) or the GCE metadata server's token. */
function metadata(config: OutsideConfig, request: IncomingMessage, response: ServerResponse) {
  const url = request.url ?? "";
  if (config.cloud === "aws") {
    if (request.method === "PUT" && url === "/latest/api/token")
      return reply(response, 200, "imds-token");
    if (request.headers["x-aws-ec2-metadata-token"] !== "imds-token")
      return reply(response, 401, "");
    if (url === "/latest/meta-data/iam/security-credentials/") return reply(response, 200, ROLE);
    if (url === `/latest/meta-data/iam/security-credentials/${ROLE}`)
      return reply(response, 200, {
        Code: "Success",
        AccessKeyId: ACCESS_KEY,
        SecretAccessKey: "estate-secret-access-key",
        Token: "estate-session-token",
      });
  }
  if (config.cloud === "gcp" && request.headers["metadata-flavor"] === "Google") {
    if (url === "/computeMetadata/v1/instance/service-accounts/default/token")
      return reply(response, 200, { access_token: BEARER, expires_in: 3599, token_type: "Bearer" });
  }
  reply(response, 404, "");
}

/** AWS Secrets Manager's GetSecretValue (SigV4-signed) or GCP Secret Manager's access call. */
async function secretStore(
  config: OutsideConfig,
  request: IncomingMessage,
  response: ServerResponse,
) {
  const text = await body(request);
  if (config.cloud === "aws") {
    const signed = String(request.headers.authorization ?? "").startsWith(
      `AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/`,
    );
    if (!signed || request.headers["x-amz-security-token"] !== "estate-session-token")
      return reply(response, 403, { __type: "AccessDeniedException" });
    if (request.headers["x-amz-target"] !== "secretsmanager.GetSecretValue")
      return reply(response, 400, { __type: "InvalidAction" });
    const id = (JSON.parse(text) as { SecretId?: string }).SecretId ?? "";
    const value = config.secrets[id];
    if (value === undefined) return reply(response, 400, { __type: "ResourceNotFoundException" });
    return reply(response, 200, { Name: id, SecretString: value });
  }
  if (request.headers.authorization !== `Bearer ${BEARER}`) return reply(response, 403, {});
  const match = /^\/v1\/projects\/[^/]+\/secrets\/([^/]+)\/versions\/latest:access$/.exec(
    request.url ?? "",
  );
  const value = match ? config.secrets[match[1] ?? ""] : undefined;
  if (value === undefined) return reply(response, 404, { error: { code: 404 } });
  return reply(response, 200, { payload: { data: Buffer.from(value).toString("base64") } });
}

function main(): void {
  const config = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as OutsideConfig;
  if (config.metadata) {
    createHttp((request, response) => metadata(config, request, response)).listen(
      80,
      config.metadata.address,
    );
  }
  if (config.secretStore) {
    const store = config.secretStore;
    createHttps(
      { key: readFileSync(store.key), cert: readFileSync(store.cert) },
      (request, response) => {
        void secretStore(config, request, response);
      },
    ).listen(443, store.address);
  }
  if (config.partner) {
    const partner = config.partner;
    let handshakes = 0;
    const server = createHttps(
      { key: readFileSync(partner.key), cert: readFileSync(partner.cert) },
      (request, response) => reply(response, 200, { path: request.url, handshakes }),
    );
    server.on("secureConnection", () => {
      handshakes++;
    });
    server.keepAliveTimeout = 60_000;
    server.listen(443, partner.address);
    createHttp((_request, response) => reply(response, 200, { handshakes })).listen(
      partner.statsPort,
      partner.address,
    );
  }
  console.log("outside: listening");
}

if (process.argv[1]?.endsWith("outside.ts")) main();
