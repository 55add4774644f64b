// AWS Signature Version 4 as a service checks it, for the stand-ins that play AWS APIs: the
// Authorization header taken apart, and the signature recomputed from the request and the key's
// secret (canonical request, string to sign, the day/region/service key chain).
// Sources, in botocore's auth.py as pinned in tools/ci/references.txt: SigV4Auth.canonical_request
// (method, path, sorted query, headers, signed header names, payload hash), _header_value (the
// "Trimall" of each header's value), canonical_query_string (names and values escaped but for
// -_.~), string_to_sign, and signature (the AWS4<secret>, day, region, service, aws4_request key
// chain); S3SigV4Auth signs the path as sent and the X-Amz-Content-SHA256 header as the payload
// hash. The other services' paths here ("/", "/2013-04-01/...") are the same normalized or not.
import { createHash, createHmac } from "node:crypto";
import type { IncomingMessage } from "node:http";

export interface SigV4Authorization {
  readonly keyId: string;
  /** The credential scope's day, YYYYMMDD. */
  readonly day: string;
  readonly region: string;
  readonly service: string;
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

/** The Authorization header's parts, or undefined when it is not a SigV4 header. */
export function parseSigV4(header: string | undefined): SigV4Authorization | undefined {
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      header ?? "",
    );
  if (!match) return undefined;
  const [, keyId, day, region, service, signedHeaders, signature] = match as unknown as string[];
  return {
    keyId: keyId as string,
    day: day as string,
    region: region as string,
    service: service as string,
    signedHeaders: (signedHeaders as string).split(";"),
    signature: signature as string,
  };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer | string, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}

/** SigV4's URI encoding of a query name or value: everything but A-Z a-z 0-9 - _ . ~ escaped. */
function awsUriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * Whether the request carries the signature the secret makes for it. `payloadHash` is the hex
 * SHA-256 of the body (or the x-amz-content-sha256 header's value where the service takes it).
 */
export function sigV4SignatureMatches(
  request: IncomingMessage,
  auth: SigV4Authorization,
  payloadHash: string,
  secret: string,
): boolean {
  const url = new URL(request.url ?? "/", "https://stand-in");
  const query = [...url.searchParams]
    .map(([k, v]) => `${awsUriEncode(k)}=${awsUriEncode(v)}`)
    .sort()
    .join("&");
  const headers = auth.signedHeaders.map(
    (name) =>
      `${name}:${String(request.headers[name] ?? "")
        .trim()
        .replace(/\s+/g, " ")}`,
  );
  const canonical = [
    request.method ?? "",
    url.pathname,
    query,
    ...headers,
    "",
    auth.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${auth.day}/${auth.region}/${auth.service}/aws4_request`;
  const toSign = [
    "AWS4-HMAC-SHA256",
    String(request.headers["x-amz-date"] ?? ""),
    scope,
    sha256Hex(canonical),
  ].join("\n");
  let key: Buffer = hmac(`AWS4${secret}`, auth.day);
  for (const part of [auth.region, auth.service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(toSign).digest("hex") === auth.signature;
}
