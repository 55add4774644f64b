// Secrets in a stack file are encrypted (`pulumi config set --secret`): a stack file is committed,
// and anything in clear there is in every clone and every copy of the history.
import { findSecrets } from "./secret-patterns";
import type { StackFileRule } from "./types";

/** Keys that hold a secret whatever their value looks like (this program's and its providers'). */
export const SECRET_KEYS: Readonly<Record<string, string>> = {
  "multicloud:sshPrivateKey": "the SSH key that logs in to the hosts",
  "multicloud:pagerDutyCloudWatchKey": "a PagerDuty integration key",
  "multicloud:pagerDutyCloudMonitoringKey": "a PagerDuty integration key",
  "sakuracloud:token": "the Sakura Cloud API token",
  "sakuracloud:secret": "the Sakura Cloud API secret",
  "aws:accessKey": "an AWS access key",
  "aws:secretKey": "an AWS secret key",
  "aws:token": "an AWS session token",
  "gcp:credentials": "GCP credentials",
  "gcp:accessToken": "a GCP access token",
};

/** A key path for a message, with anything unprintable in the file's keys escaped. */
function keyText(path: readonly (string | number)[]): string {
  const [first = "", ...rest] = path;
  const plain = (key: string) => /^[A-Za-z0-9_:-]+$/.test(key);
  return rest.reduce<string>(
    (acc, part) =>
      typeof part === "number"
        ? `${acc}[${part}]`
        : plain(part)
          ? `${acc}.${part}`
          : `${acc}[${JSON.stringify(part)}]`,
    plain(String(first)) ? String(first) : JSON.stringify(String(first)),
  );
}

/** Every string in a value with its path; shared or repeated values are visited once per place. */
function strings(
  value: unknown,
  path: readonly (string | number)[],
  out: [readonly (string | number)[], string][],
  seen: Set<object>,
): void {
  if (typeof value === "string") {
    out.push([path, value]);
    return;
  }
  if (value === null || typeof value !== "object" || seen.has(value)) return;
  seen.add(value);
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index): [number, unknown] => [index, item])
    : Object.entries(value);
  for (const [key, inner] of entries) strings(inner, [...path, key], out, seen);
  seen.delete(value);
}

export const noSecretsInStackFile: StackFileRule = {
  kind: "stack-file",
  name: "no-secrets-in-stack-file",
  description:
    "No secret is written in clear in a stack file: the keys that hold secrets are encrypted, and no value anywhere holds a private key or a cloud access key.",
  remediation:
    "Remove the value from the file and set it encrypted: `pulumi config set --secret KEY < file` (rotate it: it has been in clear).",
  enforcementLevel: "mandatory",
  validate(file, entries) {
    const problems: string[] = [];
    for (const entry of entries) {
      if (entry.secret) continue;
      const known = Object.hasOwn(SECRET_KEYS, entry.key) ? SECRET_KEYS[entry.key] : undefined;
      if (known !== undefined && entry.value !== null && entry.value !== "") {
        problems.push(
          `${file}: ${keyText([entry.key])} holds ${known} in clear: expected it encrypted (pulumi config set --secret ${entry.key})`,
        );
        continue;
      }
      const found: [readonly (string | number)[], string][] = [];
      strings(entry.value, [entry.key], found, new Set());
      for (const [path, text] of found) {
        for (const finding of findSecrets(text)) {
          problems.push(
            `${file}: ${keyText(path)} holds ${finding.kind} (${finding.hint}) in clear: expected no secret in the stack file (pulumi config set --secret)`,
          );
        }
      }
    }
    return problems;
  },
};

export const stackFileRules: readonly StackFileRule[] = [noSecretsInStackFile];
