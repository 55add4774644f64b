// The rebuilds `npm run dr` writes carry the first-boot restore on their MySQL hosts, and only
// there: us-dr's signs with the instance role and finds the bucket by the instance tag, jp-dr's
// with the pushed read-only key; the original stacks' hosts have no restore tool. us-dr's EC2 user
// data stays within the project's budget with it.
import assert from "node:assert/strict";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { parse } from "yaml";
import { ec2UserData, ec2UserDataBytes } from "../../components/aws/user-data";
import { renderRegionHosts, siteFacts } from "../../components/host";
import { parseRegionSpec } from "../../components/spec/load";
import type { RegionSpec } from "../../components/spec/schema";
import { TEST_CHOCON_SHA256 } from "../support/chocon-release";
import { drScratch, run } from "./run-tool";

/** EC2's user data budget (test/aws/user-data.test.ts): three quarters of the 16 KB limit. */
const EC2_USER_DATA_BUDGET = 12_288;
const RESTORE_TOOL = "/usr/local/sbin/multicloud-mysql-restore";
const RESTORE_UNIT = "/etc/systemd/system/multicloud-mysql-restore.service";

const dir = drScratch("multicloud-dr-mysql-");
/** What `npm run dr` printed, by stack. */
const printed = new Map<string, string>();
function specOf(stack: string): RegionSpec {
  const file = join(dir, `Pulumi.${stack}.yaml`);
  const raw = parse(readFileSync(file, "utf8")) as { config: Record<string, unknown> };
  return parseRegionSpec(raw.config["multicloud:region"], file);
}
function hostsOf(stack: string) {
  const spec = specOf(stack);
  return renderRegionHosts(spec, {
    ...siteFacts(spec),
    chocon: { version: "0.12.6", sha256: TEST_CHOCON_SHA256 },
  });
}
const fileOf = (hosts: ReturnType<typeof hostsOf>, role: "mysql", path: string) =>
  hosts[role]?.files.find((f) => f.path === path)?.content;

describe("the MySQL role of the rebuilds npm run dr writes", () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  before(async () => {
    for (const [stack, to] of [
      ["us", "us-east-1"],
      ["jp", "is1a"],
    ] as const) {
      const written = await run("dr", ["--stack", stack, "--to", to], dir);
      assert.equal(written.code, 0, written.stderr);
      printed.set(stack, written.stdout + written.stderr);
    }
  });

  it("us-dr: the restore tool and unit on MySQL hosts alone, reading S3 with the instance role", () => {
    const hosts = hostsOf("us-dr");
    const tool = fileOf(hosts, "mysql", RESTORE_TOOL) ?? "";
    assert.match(tool, /^readonly REGION=us-east-1$/m);
    assert.match(tool, /^readonly PREFIX=mysql\/mysql-1\/$/m);
    assert.ok(tool.includes('bucket="$(imds tags/instance/multicloud-restore-bucket)"'), tool);
    assert.match(
      fileOf(hosts, "mysql", RESTORE_UNIT) ?? "",
      /^Before=multicloud-mysql-replication\.service$/m,
    );
    for (const [role, artifacts] of Object.entries(hosts)) {
      if (role === "mysql") continue;
      assert.ok(!artifacts?.files.some((f) => f.path.includes("mysql-restore")), role);
    }
  });

  it("jp-dr: the lost primary db01's dumps, read with the key pushed to the MySQL hosts", () => {
    const tool = fileOf(hostsOf("jp-dr"), "mysql", RESTORE_TOOL) ?? "";
    assert.match(tool, /^readonly PREFIX=mysql\/db01\/$/m);
    assert.match(tool, /^readonly REGION=ap-northeast-3$/m);
    assert.ok(tool.includes('bucket="$(pushed multicloud-jpdr-restore-bucket)"'), tool);
  });

  it("npm run dr and the file it writes say the dump loads at first boot, not by people", () => {
    for (const stack of ["us", "jp"]) {
      const text = printed.get(stack) ?? "";
      assert.match(text, /loaded by every MySQL host at its first boot, before replication/, stack);
      assert.doesNotMatch(text, /by people|by hand/, stack);
      // The note the file keeps next to dr.restore says so too.
      const file = readFileSync(join(dir, `Pulumi.${stack}-dr.yaml`), "utf8").replace(
        /\n\s*# /g,
        " ",
      );
      assert.match(file, /is loaded on every one of them at first boot, before replication/, stack);
    }
  });

  it("the original stacks' MySQL hosts get no restore tool", () => {
    for (const stack of ["us", "jp"]) {
      assert.equal(fileOf(hostsOf(stack), "mysql", RESTORE_TOOL), undefined, stack);
      assert.equal(fileOf(hostsOf(stack), "mysql", RESTORE_UNIT), undefined, stack);
    }
  });

  it("us-dr's EC2 user data stays within the budget, its MySQL role's restore included", () => {
    for (const [role, artifacts] of Object.entries(hostsOf("us-dr"))) {
      const bytes = ec2UserDataBytes(ec2UserData(artifacts?.cloudInit ?? "")).length;
      assert.ok(bytes <= EC2_USER_DATA_BUDGET, `${role}: ${bytes} bytes`);
      if (role === "mysql") console.log(`us-dr mysql user data: ${bytes} bytes before base64`);
    }
  });
});
