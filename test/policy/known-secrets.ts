// Known values for every secret of a plan run, so that a test can look for them in what the plan
// writes. The program's secrets are random values (the Consul gossip key and ACL tokens), the
// secret of an AWS access key (the Sakura hosts' backup uploader) and the SSH deploy key; the
// mocks give those resources no such outputs, so the run gives them these.
import { createHash } from "node:crypto";

/** A fake OpenSSH private key: the deploy key of the Sakura stack in the test run. */
export const KNOWN_SSH_PRIVATE_KEY = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  "b3BlbnNzaC1rZXktdjEAAAAAbXVsdGljbG91ZC1wb2xpY3ktdGVzdC1rZXktOTI3MzQ2MTg1",
  "-----END OPENSSH PRIVATE KEY-----",
  "",
].join("\n");

/** The config key that holds it; the stack files of the run hold it encrypted. */
export const KNOWN_KEY_CONFIG = "multicloud:sshPrivateKey";

/** The line of the key that is secret (the armour lines are not). */
export const KNOWN_SSH_KEY_BODY = KNOWN_SSH_PRIVATE_KEY.split("\n")[1] ?? "";

function digest(name: string): Buffer {
  return createHash("sha256").update(`known-secret:${name}`).digest();
}

function uuid(name: string): string {
  const hex = digest(name).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The secret outputs a resource gets in the test run; undefined for other types. */
export function knownSecretOutputs(type: string, name: string): Record<string, string> | undefined {
  switch (type) {
    case "random:index/randomBytes:RandomBytes":
      return { base64: digest(name).toString("base64"), hex: digest(name).toString("hex") };
    case "random:index/randomUuid:RandomUuid":
      return { result: uuid(name) };
    case "random:index/randomPassword:RandomPassword":
      return { result: `pw-${digest(name).toString("base64url").slice(0, 24)}` };
    case "random:index/randomId:RandomId": {
      const bytes = digest(name).subarray(0, 16);
      return { b64Std: bytes.toString("base64"), hex: bytes.toString("hex") };
    }
    case "aws:iam/accessKey:AccessKey":
      return {
        secret: digest(name)
          .toString("base64")
          .replace(/[^A-Za-z0-9]/g, "")
          .slice(0, 40),
      };
    default:
      return undefined;
  }
}

/** Every secret value of a run, given the resources the plan holds. */
export function knownSecretValues(resources: readonly { type: string; name: string }[]): string[] {
  const values = resources.flatMap((resource) =>
    Object.values(knownSecretOutputs(resource.type, resource.name) ?? {}),
  );
  return [...values, KNOWN_SSH_KEY_BODY];
}
