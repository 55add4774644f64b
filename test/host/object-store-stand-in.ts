// A local HTTP server that plays what the off-site upload and the chocon installer talk to: the
// EC2 instance metadata service (IMDSv2), the GCE metadata server, an S3 bucket that checks every
// request's SigV4 signature and payload hash the way S3 does, and Cloud Storage's media upload and
// download. Objects live in memory, so a test can read back exactly what a host shipped, or put
// there what a host downloads.
// Sources (the pinned references, tools/ci/references.txt): IMDSv2 as botocore utils.py's
// IMDSFetcher asks it; the GCE metadata server's `Metadata-Flavor: Google` (Compute Engine's
// documentation on querying VM metadata); S3's SigV4 with X-Amz-Content-SHA256 as botocore auth.py's S3SigV4Auth signs
// (test/support/sigv4.ts); Cloud Storage's media upload and download as Google's storage.v1
// discovery document gives them (objects.insert with uploadType=media, objects.get with alt=media).
import { createServer, type IncomingMessage, type Server } from "node:http";
import { parseSigV4, sha256Hex, sigV4SignatureMatches } from "../support/sigv4";

export interface StoredObject {
  readonly body: Buffer;
  readonly via: "s3" | "gcs";
  /** S3: the request carried the instance role's session token. */
  readonly sessionToken?: boolean;
}

export interface ObjectStoreStandIn {
  readonly baseUrl: string;
  /** bucket/key -> object. */
  readonly objects: Map<string, StoredObject>;
  /** Requests refused, with the reason (a bad signature, an overwrite, a missing token). */
  readonly refusals: string[];
  close(): Promise<void>;
}

export interface StandInSettings {
  readonly bucket: string;
  readonly region: string;
  /** The key S3 requests must be signed with. */
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Session token the instance role hands out; an S3 request that carries one must carry this. */
  readonly sessionToken: string;
  readonly gcsToken: string;
}

/** Checks a request's AWS Signature Version 4 as S3 does; returns the problem, or undefined. */
export function sigV4Problem(
  request: IncomingMessage,
  body: Buffer,
  settings: StandInSettings,
): string | undefined {
  const auth = parseSigV4(request.headers.authorization);
  if (auth?.service !== "s3")
    return `not a SigV4 authorization: ${request.headers.authorization ?? ""}`;
  if (auth.keyId !== settings.accessKeyId) return `unknown access key ${auth.keyId}`;
  if (auth.region !== settings.region) return `signed for region ${auth.region}`;
  const payloadHash = String(request.headers["x-amz-content-sha256"] ?? "");
  if (payloadHash !== sha256Hex(body)) return "x-amz-content-sha256 is not the body's hash";
  const token = request.headers["x-amz-security-token"];
  if (token !== undefined && token !== settings.sessionToken) return "wrong session token";
  for (const required of ["host", "x-amz-date", "x-amz-content-sha256"]) {
    if (!auth.signedHeaders.includes(required)) return `${required} is not signed`;
  }
  return sigV4SignatureMatches(request, auth, payloadHash, settings.secretAccessKey)
    ? undefined
    : "signature does not match";
}

export function startObjectStore(settings: StandInSettings): Promise<ObjectStoreStandIn> {
  const objects = new Map<string, StoredObject>();
  const refusals: string[] = [];
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks);
      const url = new URL(request.url ?? "/", "http://stand-in");
      const reply = (status: number, text = "") => {
        response.writeHead(status, { "Content-Type": "text/plain" });
        response.end(text);
      };
      const refuse = (status: number, reason: string) => {
        refusals.push(`${request.method} ${url.pathname}: ${reason}`);
        reply(status, reason);
      };
      // EC2 instance metadata (IMDSv2).
      if (url.pathname === "/latest/api/token" && request.method === "PUT")
        return reply(200, "imds-token");
      if (url.pathname.startsWith("/latest/meta-data/")) {
        if (request.headers["x-aws-ec2-metadata-token"] !== "imds-token")
          return refuse(401, "no IMDSv2 token");
        const path = url.pathname.slice("/latest/meta-data/".length);
        if (path === "iam/security-credentials/") return reply(200, "util-role\n");
        if (path === "iam/security-credentials/util-role")
          return reply(
            200,
            JSON.stringify({
              AccessKeyId: settings.accessKeyId,
              SecretAccessKey: settings.secretAccessKey,
              Token: settings.sessionToken,
            }),
          );
        if (path === "tags/instance/multicloud-backup-bucket") return reply(200, settings.bucket);
        if (path === "tags/instance/multicloud-artifact-bucket") return reply(200, settings.bucket);
        if (path === "tags/instance/multicloud-restore-bucket") return reply(200, settings.bucket);
        return reply(404);
      }
      // GCE metadata server.
      if (url.pathname.startsWith("/computeMetadata/v1/")) {
        if (request.headers["metadata-flavor"] !== "Google")
          return refuse(403, "no Metadata-Flavor header");
        const path = url.pathname.slice("/computeMetadata/v1/".length);
        if (path === "instance/service-accounts/default/token")
          return reply(200, JSON.stringify({ access_token: settings.gcsToken, expires_in: 3599 }));
        if (path === "instance/attributes/multicloud-backup-bucket")
          return reply(200, settings.bucket);
        if (path === "instance/attributes/multicloud-artifact-bucket")
          return reply(200, settings.bucket);
        if (path === "instance/attributes/multicloud-restore-bucket")
          return reply(200, settings.bucket);
        return reply(404);
      }
      // Cloud Storage media upload.
      const gcs = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
      if (gcs && request.method === "POST") {
        if (request.headers.authorization !== `Bearer ${settings.gcsToken}`)
          return refuse(401, "no bearer token");
        if (url.searchParams.get("uploadType") !== "media")
          return refuse(400, "not a media upload");
        const name = url.searchParams.get("name") ?? "";
        const where = `${gcs[1]}/${name}`;
        if (url.searchParams.get("ifGenerationMatch") !== "0") return refuse(400, "may overwrite");
        if (objects.has(where)) return refuse(412, "exists");
        objects.set(where, { body, via: "gcs" });
        return reply(200, JSON.stringify({ bucket: gcs[1], name }));
      }
      // Cloud Storage listing: the "folders" under a prefix (delimiter=/), as objects.list does.
      const gcsList = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(url.pathname);
      if (gcsList && request.method === "GET") {
        if (request.headers.authorization !== `Bearer ${settings.gcsToken}`)
          return refuse(401, "no bearer token");
        if (url.searchParams.get("delimiter") !== "/") return refuse(400, "lists folders only");
        const prefix = url.searchParams.get("prefix") ?? "";
        const folders = new Set<string>();
        for (const where of objects.keys()) {
          const name = where.slice((gcsList[1] ?? "").length + 1);
          if (!where.startsWith(`${gcsList[1]}/`) || !name.startsWith(prefix)) continue;
          const rest = name.slice(prefix.length);
          if (rest.includes("/")) folders.add(`${prefix}${rest.split("/")[0]}/`);
        }
        return reply(
          200,
          JSON.stringify({ kind: "storage#objects", prefixes: [...folders].sort() }),
        );
      }
      // Cloud Storage download of one object's bytes.
      const gcsGet = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(url.pathname);
      if (gcsGet && request.method === "GET") {
        if (request.headers.authorization !== `Bearer ${settings.gcsToken}`)
          return refuse(401, "no bearer token");
        if (url.searchParams.get("alt") !== "media") return refuse(400, "not a media download");
        const stored = objects.get(`${gcsGet[1]}/${decodeURIComponent(gcsGet[2] ?? "")}`);
        if (!stored) return refuse(404, "no such object");
        response.writeHead(200, { "Content-Type": "application/octet-stream" });
        return response.end(stored.body);
      }
      // S3 ListObjectsV2 with a delimiter, path-style: the "folders" under a prefix.
      const s3List = /^\/([^/]+)\/?$/.exec(url.pathname);
      if (s3List && request.method === "GET" && url.searchParams.get("list-type") === "2") {
        const problem = sigV4Problem(request, body, settings);
        if (problem) return refuse(403, problem);
        if (url.searchParams.get("delimiter") !== "/") return refuse(400, "lists folders only");
        const prefix = url.searchParams.get("prefix") ?? "";
        const folders = new Set<string>();
        for (const where of objects.keys()) {
          if (!where.startsWith(`${s3List[1]}/${prefix}`)) continue;
          const rest = where.slice(`${s3List[1]}/${prefix}`.length);
          if (rest.includes("/")) folders.add(`${prefix}${rest.split("/")[0]}/`);
        }
        const xml = [...folders]
          .sort()
          .map((folder) => `<CommonPrefixes><Prefix>${folder}</Prefix></CommonPrefixes>`)
          .join("");
        response.writeHead(200, { "Content-Type": "application/xml" });
        return response.end(
          `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>${s3List[1]}</Name><Prefix>${prefix}</Prefix><IsTruncated>false</IsTruncated>${xml}</ListBucketResult>`,
        );
      }
      // S3, path-style: /<bucket>/<key>.
      const s3 = /^\/([^/]+)\/(.+)$/.exec(url.pathname);
      if (s3 && request.method === "GET") {
        const problem = sigV4Problem(request, body, settings);
        if (problem) return refuse(403, problem);
        const stored = objects.get(`${s3[1]}/${decodeURIComponent(s3[2] ?? "")}`);
        if (!stored) return refuse(404, "no such key");
        response.writeHead(200, { "Content-Type": "application/octet-stream" });
        return response.end(stored.body);
      }
      if (s3 && request.method === "PUT") {
        const problem = sigV4Problem(request, body, settings);
        if (problem) return refuse(403, problem);
        objects.set(`${s3[1]}/${decodeURIComponent(s3[2] ?? "")}`, {
          body,
          via: "s3",
          sessionToken: request.headers["x-amz-security-token"] !== undefined,
        });
        return reply(200);
      }
      return refuse(404, "nothing here");
    });
  });
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      resolve({
        baseUrl: `http://127.0.0.1:${port}`,
        objects,
        refusals,
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
