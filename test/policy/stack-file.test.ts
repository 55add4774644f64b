// The stack-file rule: a secret in clear in a stack file is reported with the file and the key.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { noSecretsInStackFile } from "../../policy/rules/stack-file";
import { checkStackFile } from "../../tools/plan/stack-file-policy";

const KEY = [
  "-----BEGIN OPENSSH PRIVATE KEY-----",
  "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW",
  "-----END OPENSSH PRIVATE KEY-----",
].join("\n");

describe("no-secrets-in-stack-file", () => {
  it("reports a key that holds a secret, in clear", () => {
    assert.deepEqual(
      noSecretsInStackFile.validate("Pulumi.jp.yaml", [
        { key: "multicloud:sshPrivateKey", value: KEY, secret: false },
        { key: "sakuracloud:token", value: "abcd", secret: false },
      ]),
      [
        "Pulumi.jp.yaml: multicloud:sshPrivateKey holds the SSH key that logs in to the hosts in clear: expected it encrypted (pulumi config set --secret multicloud:sshPrivateKey)",
        "Pulumi.jp.yaml: sakuracloud:token holds the Sakura Cloud API token in clear: expected it encrypted (pulumi config set --secret sakuracloud:token)",
      ],
    );
  });

  it("reports a secret anywhere in a value, by its key path", () => {
    assert.deepEqual(
      noSecretsInStackFile.validate("Pulumi.us.yaml", [
        {
          key: "multicloud:region",
          value: { name: "us", tags: { note: "key AKIAZZZZZZZZZZZZZZZZ" }, dr: { x: [KEY] } },
          secret: false,
        },
      ]),
      [
        "Pulumi.us.yaml: multicloud:region.tags.note holds an AWS access key id (AKIA...) in clear: expected no secret in the stack file (pulumi config set --secret)",
        "Pulumi.us.yaml: multicloud:region.dr.x[0] holds a private key (----...) in clear: expected no secret in the stack file (pulumi config set --secret)",
      ],
    );
  });

  it("accepts secrets set encrypted, and keys that hold none", () => {
    assert.deepEqual(
      noSecretsInStackFile.validate("Pulumi.jp.yaml", [
        { key: "multicloud:sshPrivateKey", value: { secure: "v1:AAAA" }, secret: true },
        { key: "multicloud:region", value: { name: "jp", description: "Tokyo" }, secret: false },
        { key: "aws:region", value: "us-west-2", secret: false },
      ]),
      [],
    );
  });

  it("runs in the offline plan as a mandatory violation of the stack", () => {
    const violations = checkStackFile(
      {
        file: "Pulumi.jp.yaml",
        config: {},
        secretKeys: [],
        values: { "multicloud:sshPrivateKey": KEY },
      },
      "urn:pulumi:jp::multicloud::pulumi:pulumi:Stack::multicloud-jp",
    );
    assert.deepEqual(
      violations.map((v) => [v.rule, v.level, v.urn]),
      [
        [
          "no-secrets-in-stack-file",
          "mandatory",
          "urn:pulumi:jp::multicloud::pulumi:pulumi:Stack::multicloud-jp",
        ],
      ],
    );
  });
});
