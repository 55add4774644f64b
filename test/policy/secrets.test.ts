// No secret leaves the plan in clear. The plans run with known values for every secret (the
// Consul gossip key and ACL tokens the program draws at random, and the Sakura deploy key; see
// known-secrets-cli.ts), and those values are looked for in everything the plan CLI writes: the
// plan JSON (inputs, user data also base64-decoded and gunzipped, outputs), plan.txt and the
// rendered host files.
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { SECRET } from "../../tools/plan/plan";
import { readStackConfig } from "../../tools/plan/stack-file";
import { type StackName, stacks } from "../support/stacks";
import { KNOWN_SSH_KEY_BODY, knownSecretOutputs, knownSecretValues } from "./known-secrets";
import { type StackRun, stackRuns } from "./plans";

let runs: Record<StackName, StackRun>;

before(async () => {
  runs = await stackRuns();
});

function secretsOf(run: StackRun): string[] {
  return knownSecretValues(run.plan.resources);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

/** Bytes decompressed when they are a gzip stream (magic 1f 8b, RFC 1952), as cloud-init does. */
function gunzipped(bytes: Buffer): Buffer {
  return bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
}

/**
 * Every string in a JSON value, with base64 text also decoded (user data often is), and gzip
 * inside it decompressed (EC2 user data is).
 */
function strings(value: unknown): string[] {
  if (typeof value === "string") {
    const compact = value.replace(/\s+/g, "");
    const base64 = compact.length >= 8 && /^[A-Za-z0-9+/]+={0,2}$/.test(compact);
    return base64 ? [value, gunzipped(Buffer.from(compact, "base64")).toString("utf8")] : [value];
  }
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(strings);
  return [];
}

function leaks(texts: readonly string[], secrets: readonly string[]): string[] {
  return secrets.filter((secret) => texts.some((text) => text.includes(secret)));
}

describe("secrets in the plan", () => {
  for (const stack of stacks) {
    describe(stack, () => {
      it("run with known values, which reach the resources that store them", () => {
        const run = runs[stack];
        const randoms = run.plan.resources.filter((r) => r.type.startsWith("random:"));
        // The gossip key, the management token, six role tokens and the MySQL replication
        // password (9), and the links' IKE keys: four in us, one in jp.
        const expected = { jp: 10, us: 13, uk: 9 }[stack as string];
        assert.equal(randoms.length, expected, "the Consul and MySQL secrets, the IKE keys");
        const sources = run.plan.resources.filter((r) => knownSecretOutputs(r.type, r.name));
        for (const source of sources) {
          const values = Object.values(knownSecretOutputs(source.type, source.name) ?? {});
          assert.ok(
            values.some((value) => (run.flow[value] ?? []).length > 0),
            `no value of ${source.name} reached a resource`,
          );
        }
        if (stack === "jp") {
          assert.ok(
            (run.flow[KNOWN_SSH_KEY_BODY] ?? []).some((r) =>
              r.startsWith("command:remote:Command"),
            ),
          );
        }
      });

      it("are masked where they were inputs", () => {
        const run = runs[stack];
        for (const holders of Object.values(run.flow)) {
          for (const holder of holders) {
            const [type, name] = holder.split("::");
            const resource = run.plan.resources.find((r) => r.type === type && r.name === name);
            assert.ok(resource, holder);
            assert.ok(strings(resource.inputs).includes(SECRET), `${holder} shows no ${SECRET}`);
          }
        }
      });

      it("appear nowhere in the plan JSON: inputs (decoded too), options or outputs", () => {
        const run = runs[stack];
        // The search reads every EC2 host's user data in clear, though it is sent as gzip.
        const ec2Hosts = run.plan.resources.filter(
          (r) =>
            r.type === "aws:ec2/instance:Instance" ||
            r.type === "aws:ec2/launchTemplate:LaunchTemplate",
        );
        const documents = ec2Hosts.flatMap((r) =>
          strings(r.inputs).filter((text) => text.startsWith("#cloud-config")),
        );
        assert.equal(documents.length, ec2Hosts.length, "an EC2 user data not read in clear");
        assert.deepEqual(leaks(strings(run.plan.resources), secretsOf(run)), []);
        assert.deepEqual(leaks(strings(run.plan.outputs), secretsOf(run)), []);
        const raw = readFileSync(join(run.outDir, "plan.json"), "utf8");
        assert.deepEqual(leaks([raw], secretsOf(run)), []);
      });

      it("appear in no file the CLI writes: plan.txt, host files, cloud-init, bootstraps", () => {
        const run = runs[stack];
        const files = filesUnder(run.outDir).filter((file) => !file.endsWith("secret-flow.json"));
        const hostFiles = files.filter((file) => relative(run.outDir, file).startsWith("hosts"));
        assert.ok(hostFiles.length > 20, `only ${hostFiles.length} host files`);
        assert.ok(hostFiles.some((file) => file.endsWith("cloud-init.yaml")));
        for (const file of files) {
          const text = readFileSync(file, "utf8");
          assert.deepEqual(leaks([text], secretsOf(run)), [], relative(run.outDir, file));
        }
      });
    });
  }

  it("a `secure:` value in a stack file reaches the program as a marked placeholder", () => {
    const dir = mkdtempSync(join(tmpdir(), "multicloud-secure-"));
    try {
      writeFileSync(
        join(dir, "Pulumi.x.yaml"),
        "config:\n  multicloud:sshPrivateKey:\n    secure: v1:AAAABBBBCCCC\n",
      );
      const config = readStackConfig(dir, "multicloud", "x");
      assert.equal(config.config["multicloud:sshPrivateKey"], "offline-placeholder");
      assert.deepEqual(config.secretKeys, ["multicloud:sshPrivateKey"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
