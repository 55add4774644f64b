// EC2 user data of the us plan as sent to AWS: under EC2's limit, and read by Debian's cloud-init
// (its own user-data code, the path every datasource's get_userdata takes) as exactly the document
// that `--out` writes to hosts/<role>/cloud-init.yaml, which cloud-init's schema then accepts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { PlannedResource } from "../../tools/plan/plan";
import { runAsync } from "../host/support";
import { type StackRun, stackRuns } from "../policy/plans";

/** EC2: "User data is limited to 16 KB", i.e. 16,384 bytes before base64 (botocore's ec2 model). */
const EC2_USER_DATA_LIMIT = 16_384;
/** Room left for the documents to grow: three quarters of the limit. */
const EC2_USER_DATA_BUDGET = 12_288;

/** Feeds each blob to cloud-init's UserDataProcessor and prints the parts it makes of it. */
const CLOUD_INIT_READS = `
import base64, json, sys
from cloudinit import helpers, user_data, util
out = {}
for name, blob in json.load(sys.stdin).items():
    message = user_data.UserDataProcessor(helpers.Paths({})).process(base64.b64decode(blob))
    out[name] = [
        {"type": part.get_content_type(), "payload": util.fully_decoded_payload(part)}
        for part in message.walk() if not part.is_multipart()
    ]
print(json.dumps(out))
`;

interface Part {
  readonly type: string;
  readonly payload: string;
}

let us: StackRun;
let sent: { resource: PlannedResource; role: string; base64: string }[] = [];
let work = "";
/** What cloud-init's code made of each resource's user data. */
let read: Record<string, Part[]> = {};

/** The interpreter cloud-init itself runs on (its entry point's #! line). */
function cloudInitPython(): string {
  const entry = execFileSync("sh", ["-c", "command -v cloud-init"], { encoding: "utf8" }).trim();
  const shebang = readFileSync(entry, "utf8").split("\n")[0] ?? "";
  assert.match(shebang, /^#!\S*python3/, `${entry} is not a Python program`);
  return shebang.slice(2).trim();
}

function roleOf(resource: PlannedResource): string {
  const inputs = resource.inputs as {
    tags?: Record<string, string>;
    tagSpecifications?: { resourceType: string; tags: Record<string, string> }[];
  };
  const tags =
    inputs.tagSpecifications?.find((spec) => spec.resourceType === "instance")?.tags ?? inputs.tags;
  const role = tags?.role;
  assert.ok(role, `${resource.name} has no role tag`);
  return role;
}

before(async () => {
  us = (await stackRuns()).us;
  work = mkdtempSync(join(tmpdir(), "multicloud-user-data-"));
  sent = us.plan.resources.flatMap((resource) => {
    // Instances take binary user data as userDataBase64; launch templates as base64 userData.
    const base64 =
      resource.type === "aws:ec2/instance:Instance"
        ? resource.inputs.userDataBase64
        : resource.type === "aws:ec2/launchTemplate:LaunchTemplate"
          ? resource.inputs.userData
          : undefined;
    if (resource.type === "aws:ec2/instance:Instance")
      assert.equal(resource.inputs.userData, undefined, `${resource.name} sets userData too`);
    return base64 === undefined
      ? []
      : [{ resource, role: roleOf(resource), base64: String(base64) }];
  });
  const blobs = Object.fromEntries(sent.map((s) => [s.resource.name, s.base64]));
  const output = execFileSync(cloudInitPython(), ["-c", CLOUD_INIT_READS], {
    input: JSON.stringify(blobs),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  read = JSON.parse(output) as Record<string, Part[]>;
});

after(() => rmSync(work, { recursive: true, force: true }));

describe("EC2 user data of the us plan", () => {
  it("reaches every instance and launch template", () => {
    const hosts = us.plan.resources.filter(
      (r) =>
        r.type === "aws:ec2/instance:Instance" ||
        r.type === "aws:ec2/launchTemplate:LaunchTemplate",
    );
    assert.ok(hosts.length >= 11, `only ${hosts.length} EC2 hosts in the us plan`);
    assert.deepEqual(
      sent.map((s) => s.resource.name),
      hosts.map((h) => h.name),
    );
  });

  it("is at most 16,384 bytes before base64, with room to grow", () => {
    const sizes = sent.map((s) => ({
      name: s.resource.name,
      bytes: Buffer.from(s.base64, "base64").length,
    }));
    const largest = sizes.reduce((a, b) => (b.bytes > a.bytes ? b : a));
    for (const { name, bytes } of sizes) {
      assert.ok(bytes <= EC2_USER_DATA_LIMIT, `${name}: ${bytes} bytes, over EC2's limit`);
      assert.ok(bytes <= EC2_USER_DATA_BUDGET, `${name}: ${bytes} bytes, little room left`);
    }
    // The base64 text is the decoded size's 4/3: no line breaks or padding beyond the last group.
    for (const s of sent)
      assert.equal(s.base64.length, Math.ceil(Buffer.from(s.base64, "base64").length / 3) * 4);
    console.log(`largest EC2 user data: ${largest.name}, ${largest.bytes} bytes before base64`);
  });

  it("is read by cloud-init's own code as the cloud-config that --out writes for the role", () => {
    for (const s of sent) {
      const expected = readFileSync(join(us.outDir, "hosts", s.role, "cloud-init.yaml"), "utf8");
      const parts = read[s.resource.name] ?? [];
      assert.equal(parts.length, 1, `${s.resource.name}: ${parts.length} parts`);
      assert.equal(parts[0]?.type, "text/cloud-config", s.resource.name);
      assert.equal(parts[0]?.payload, expected, `${s.resource.name} reads another document`);
      // Compressed on the wire, not merely encoded: gzip's magic bytes (RFC 1952).
      assert.deepEqual([...Buffer.from(s.base64, "base64").subarray(0, 2)], [0x1f, 0x8b]);
    }
  });

  it("is a document cloud-init's schema accepts, once decompressed by cloud-init", async () => {
    const byRole = new Map(sent.map((s) => [s.role, read[s.resource.name]?.[0]?.payload ?? ""]));
    const results = await Promise.all(
      [...byRole].map(async ([role, document]) => {
        const path = join(work, `${role}.cloud-init.yaml`);
        writeFileSync(path, document);
        return { role, ...(await runAsync("cloud-init", ["schema", "--config-file", path])) };
      }),
    );
    assert.equal(results.length, 6, "one document per role");
    for (const { role, status, output } of results) {
      assert.equal(status, 0, `${role}: ${output}`);
      assert.match(output, /Valid cloud-config/, `${role}: ${output}`);
    }
  });
});
