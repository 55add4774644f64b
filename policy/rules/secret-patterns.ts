// Recognising secret values in text that hosts receive in clear (user data, boot scripts). Only
// real-looking values count: templates that hosts fill at boot hold placeholders such as
// "@@CONSUL_GOSSIP_KEY@@", and those are what the program is meant to ship.
import { gunzipSync } from "node:zlib";

export interface SecretFinding {
  /** What kind of secret, e.g. "a private key". */
  readonly kind: string;
  /** A few characters to find it by, never the whole value. */
  readonly hint: string;
}

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";

/** Consul's built-in ids (the anonymous token and friends) are public knowledge. */
function isWellKnownId(uuid: string): boolean {
  return /^0{8}-0{4}-0{4}-0{4}-0{10}[0-9a-f]{2}$/i.test(uuid);
}

/** Base64 of 16, 24 or 32 bytes: the shapes of a Consul gossip key. */
export function isGossipKeyShape(value: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value) || value.length % 4 !== 0) return false;
  const bytes = (value.length / 4) * 3 - (value.match(/=+$/)?.[0].length ?? 0);
  return bytes === 16 || bytes === 24 || bytes === 32;
}

function hint(value: string): string {
  return `${value.slice(0, 4)}...`;
}

interface Detector {
  readonly kind: string;
  readonly pattern: RegExp;
  /** The secret part of a match (group 1 when there is one). */
  readonly accept?: (value: string) => boolean;
}

const DETECTORS: readonly Detector[] = [
  { kind: "a private key", pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/g },
  {
    kind: "an AWS access key id",
    pattern: /\b((?:AKIA|ASIA)[0-9A-Z]{16})\b/g,
    accept: (value) => !value.endsWith("EXAMPLE"),
  },
  {
    kind: "an AWS secret access key",
    pattern: /aws_secret_access_key["']?\s*[=:]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi,
  },
  {
    kind: "a Consul gossip encryption key",
    pattern:
      /(?:["']?encrypt["']?\s*[=:]\s*|-encrypt[= ]|CONSUL_ENCRYPT\w*=)["']?([A-Za-z0-9+/=]+)/g,
    accept: isGossipKeyShape,
  },
  {
    kind: "a Consul ACL token",
    pattern: new RegExp(
      `(?:token|\\b(?:initial_management|agent_recovery|agent|default|master|replication)\\b)["']?\\s*[=:]?\\s*["']?(${UUID})`,
      "gi",
    ),
    accept: (value) => !isWellKnownId(value),
  },
];

export function findSecrets(text: string): SecretFinding[] {
  const findings: SecretFinding[] = [];
  for (const detector of DETECTORS) {
    for (const match of text.matchAll(detector.pattern)) {
      const value = match[1] ?? match[0];
      if (detector.accept && !detector.accept(value)) continue;
      findings.push({ kind: detector.kind, hint: hint(value) });
    }
  }
  return findings;
}

/** A gzip stream starts with the bytes 1f 8b (RFC 1952); EC2 user data is sent gzip-compressed. */
function gunzipped(bytes: Buffer): Buffer {
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes);
  } catch {
    return bytes;
  }
}

/**
 * User data is often base64, and EC2's is gzip inside; a decoded form is scanned too when it
 * reads as text.
 */
export function decodedForms(value: string): string[] {
  const compact = value.replace(/\s+/g, "");
  if (compact.length < 8 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact))
    return [value];
  const decoded = gunzipped(Buffer.from(compact, "base64")).toString("utf8");
  // Mostly printable text: tabs, newlines and characters from the space up.
  const printable = decoded.replace(/[^\t\n\r\x20-\x7e\u00a0-\uffff]/g, "").length;
  return printable >= decoded.length * 0.95 ? [value, decoded] : [value];
}
