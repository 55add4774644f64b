// EC2 user data as sent to AWS: the cloud-init document gzip-compressed, then base64-encoded.
// EC2 takes at most 16 KB of user data before base64 (tools/plan/limits/aws.ts) and the documents
// run to 18-28 KB; cloud-init recognises gzip by its magic bytes and decompresses it before it
// reads the document. The bytes come from pako, a deflate written in JavaScript and pinned in the
// lockfile, without a timestamp in the header: the same document gives the same user data on every
// machine and Node.js release, so a launch template changes only when its document does. Pure.

import { gunzipSync } from "node:zlib";
import { gzip } from "pako";

/** The first two bytes of every gzip stream (RFC 1952, section 2.3.1). */
const GZIP_MAGIC = [0x1f, 0x8b] as const;

/** Base64 of the gzip-compressed document: EC2's `UserData` on the wire. */
export function ec2UserData(document: string): string {
  return Buffer.from(gzip(Buffer.from(document, "utf8"), { level: 9 })).toString("base64");
}

/** The bytes EC2 stores and serves to the host, from the base64 text sent. */
export function ec2UserDataBytes(base64: string): Buffer {
  return Buffer.from(base64, "base64");
}

/** The document a host reads, from the base64 text sent: gunzipped when it is gzip. */
export function ec2UserDataDocument(base64: string): string {
  const bytes = ec2UserDataBytes(base64);
  const gzipped = bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1];
  return (gzipped ? gunzipSync(bytes) : bytes).toString("utf8");
}
