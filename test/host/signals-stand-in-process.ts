// What a host's signal publisher talks to, in a test's network namespace: the EC2 instance metadata
// service (IMDSv2) and the GCE metadata server on 169.254.169.254:80, the local Consul agent's
// /v1/status/leader on 127.0.0.1:8501 (HTTPS, the agent's TLS), and CloudWatch's Query API and
// Cloud Monitoring's timeSeries.create on one HTTPS address that /etc/hosts leads both names to.
// CloudWatch requests must carry a SigV4 signature made with the instance role's key. One JSON
// line per request on stdout. The leader answered is read from a file at each request.
// Sources (the pinned references, tools/ci/references.txt): IMDSv2's token PUT to latest/api/token
// with x-aws-ec2-metadata-token-ttl-seconds, then x-aws-ec2-metadata-token on every read, and the
// role's credentials under latest/meta-data/iam/security-credentials/ (botocore utils.py,
// IMDSFetcher and InstanceMetadataFetcher); PutMetricData over the Query protocol at version
// 2010-08-01 (botocore data/cloudwatch/2010-08-01/service-2.json); projects.timeSeries.create
// (Google's monitoring.v3 discovery document); the GCE metadata server's refusal of a request
// without `Metadata-Flavor: Google` (Compute Engine's documentation on querying VM metadata);
// SigV4 as test/support/sigv4.ts cites it.
import { readFileSync } from "node:fs";
import { createServer as createHttp, type IncomingMessage, type ServerResponse } from "node:http";
import { createServer as createHttps } from "node:https";
import { parseSigV4, sha256Hex, sigV4SignatureMatches } from "../support/sigv4";

interface Config {
  metadataAddress: string;
  apiAddress: string;
  api: { cert: string; key: string };
  consul: { cert: string; key: string; token: string; leaderFile: string };
  aws: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  /** An IAM user's long-lived key: signs without a session token. */
  staticKey: { accessKeyId: string; secretAccessKey: string };
  gce: { token: string; instanceId: string; zone: string };
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
const IMDS_TOKEN = "imds-session-token";
const ROLE = "multicloud-host-role";

function log(entry: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(entry)}\n`);
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let text = "";
    request.on("data", (chunk) => {
      text += String(chunk);
    });
    request.on("end", () => resolve(text));
  });
}

function answer(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status);
  response.end(text);
}

/** SigV4 as AWS checks it, recomputed with the key's secret; returns what was wrong, or "". */
function sigv4Problem(request: IncomingMessage, payload: string): string {
  const auth = parseSigV4(request.headers.authorization);
  if (!auth) return `no SigV4 Authorization header: ${request.headers.authorization ?? ""}`;
  const token = request.headers["x-amz-security-token"];
  let secret: string;
  if (auth.keyId === config.aws.accessKeyId) {
    if (token !== config.aws.sessionToken) return "no session token";
    secret = config.aws.secretAccessKey;
  } else if (auth.keyId === config.staticKey.accessKeyId) {
    // A user's key has no session; a token would not belong to it.
    if (token !== undefined) return `a session token with a user's key: ${token}`;
    secret = config.staticKey.secretAccessKey;
  } else return `signed with key ${auth.keyId}`;
  if (auth.service !== "monitoring") return `signed for service ${auth.service}`;
  return sigV4SignatureMatches(request, auth, sha256Hex(payload), secret)
    ? ""
    : "signature does not match";
}

const metadata = createHttp((request, response) => {
  const url = request.url ?? "";
  if (url.startsWith("/computeMetadata/v1/")) {
    if (request.headers["metadata-flavor"] !== "Google") return answer(response, 403, "flavor");
    const path = url.slice("/computeMetadata/v1/".length);
    const values: Record<string, string> = {
      "instance/service-accounts/default/token": JSON.stringify({
        access_token: config.gce.token,
        expires_in: 3599,
        token_type: "Bearer",
      }),
      "instance/id": config.gce.instanceId,
      "instance/zone": `projects/123456789012/zones/${config.gce.zone}`,
    };
    const value = values[path];
    return value === undefined ? answer(response, 404, "") : answer(response, 200, value);
  }
  if (url === "/latest/api/token" && request.method === "PUT")
    return answer(response, 200, IMDS_TOKEN);
  if (request.headers["x-aws-ec2-metadata-token"] !== IMDS_TOKEN) return answer(response, 401, "");
  if (url === "/latest/meta-data/iam/security-credentials/") return answer(response, 200, ROLE);
  if (url === `/latest/meta-data/iam/security-credentials/${ROLE}`) {
    return answer(
      response,
      200,
      JSON.stringify({
        Code: "Success",
        Type: "AWS-HMAC",
        AccessKeyId: config.aws.accessKeyId,
        SecretAccessKey: config.aws.secretAccessKey,
        Token: config.aws.sessionToken,
      }),
    );
  }
  answer(response, 404, "");
});

const consul = createHttps(
  { cert: readFileSync(config.consul.cert), key: readFileSync(config.consul.key) },
  (request, response) => {
    const token = request.headers["x-consul-token"];
    log({ op: "consul", url: request.url, token });
    if (request.url !== "/v1/status/leader") return answer(response, 404, "");
    answer(response, 200, readFileSync(config.consul.leaderFile, "utf8"));
  },
);

const api = createHttps(
  { cert: readFileSync(config.api.cert), key: readFileSync(config.api.key) },
  async (request, response) => {
    const payload = await body(request);
    const host = String(request.headers.host ?? "");
    if (host.startsWith("monitoring.googleapis.com")) {
      log({
        op: "gcp",
        method: request.method,
        path: request.url,
        authorization: request.headers.authorization,
        contentType: request.headers["content-type"],
        body: JSON.parse(payload),
      });
      return answer(response, 200, "{}");
    }
    const problem = sigv4Problem(request, payload);
    log({
      op: "aws",
      host,
      method: request.method,
      path: request.url,
      signed: problem === "" ? "yes" : problem,
      service: parseSigV4(request.headers.authorization)?.service,
      region: parseSigV4(request.headers.authorization)?.region,
      form: Object.fromEntries(new URLSearchParams(payload)),
    });
    if (problem) return answer(response, 403, problem);
    answer(response, 200, "<PutMetricDataResponse/>");
  },
);

metadata.listen(80, config.metadataAddress, () => {
  consul.listen(8501, "127.0.0.1", () => {
    api.listen(443, config.apiAddress, () => log({ op: "ready" }));
  });
});
