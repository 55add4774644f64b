// chocon's supply: the artifacts workflow and its place before every Pulumi run that applies or
// compares, and its scripts run for real: the image layout pushed by the pinned crane into crane's
// own registry on loopback, and the pin of a stack refused when the bundle is not the build.
import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { peerBinary } from "../support/peers";
import { projectDir } from "../support/stacks";
import { type Job, readWorkflow } from "./workflow-files";

const expr = (inner: string) => `$\{{ ${inner} }}`;
const script = (name: string) => join(projectDir, "tools", "ci", name);
const runsOf = (job: Job | undefined) => (job?.steps ?? []).map((s) => s.run ?? "").join("\n");
const stepIndex = (job: Job | undefined, pattern: RegExp) =>
  (job?.steps ?? []).findIndex((s) => pattern.test(s.run ?? ""));

function sh(
  args: string[],
  env: Record<string, string> = {},
  cwd = projectDir,
): { status: number; stdout: string; stderr: string } {
  const result = spawnSync("bash", args, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe("artifacts.yml", () => {
  const workflow = readWorkflow("artifacts.yml").workflow;
  const build = workflow.jobs.build;

  it("builds chocon on a GitHub-hosted runner that can only read the repository", () => {
    assert.ok("workflow_call" in workflow.on);
    assert.equal(build?.["runs-on"], "ubuntu-24.04");
    assert.deepEqual(build?.permissions, { contents: "read" });
    assert.doesNotMatch(readWorkflow("artifacts.yml").text, /secrets\.|vars\.|id-token/);
    assert.match(
      runsOf(build),
      /bash tools\/ci\/build-artifacts\.sh \.artifacts >>"\$GITHUB_OUTPUT"/,
    );
  });

  it("hands its digests to the caller and the bundle as one tar", () => {
    const outputs = (workflow.on.workflow_call as { outputs: Record<string, { value: string }> })
      .outputs;
    assert.equal(outputs["chocon-sha256"]?.value, expr("jobs.build.outputs.sha256"));
    assert.equal(outputs["chocon-image-digest"]?.value, expr("jobs.build.outputs.image-digest"));
    assert.deepEqual(build?.outputs, {
      sha256: expr("steps.build.outputs.sha256"),
      "image-digest": expr("steps.build.outputs.image-digest"),
    });
    const upload = build?.steps?.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
    assert.equal(upload?.with?.name, "chocon-artifacts");
    assert.equal(upload?.with?.path, "chocon-artifacts.tar");
  });

  it("comes before every run that applies (deploy) or compares (drift), which pin the stack to it", () => {
    const deploy = readWorkflow("deploy.yml").workflow;
    assert.equal(deploy.jobs.artifacts?.uses, "./.github/workflows/artifacts.yml");
    const stack = readWorkflow("deploy-stack.yml").workflow;
    const drift = readWorkflow("drift.yml").workflow;
    assert.equal(drift.jobs.artifacts?.uses, "./.github/workflows/artifacts.yml");
    assert.equal(drift.jobs.check?.needs, "artifacts");
    for (const [where, job, pulumi] of [
      ["deploy-stack plan", stack.jobs.plan, /pulumi-run\.sh plan/],
      ["deploy-stack apply", stack.jobs.apply, /pulumi-run\.sh apply/],
      ["drift check", drift.jobs.check, /pulumi-run\.sh drift/],
    ] as const) {
      const pin = stepIndex(
        job,
        /bash tools\/ci\/pin-chocon\.sh "\$STACK" chocon-bundle\/chocon-artifacts\.tar/,
      );
      assert.ok(pin >= 0, `${where} pins the stack`);
      assert.ok(pin < stepIndex(job, pulumi), `${where} pins before Pulumi runs`);
      const fetch = (job?.steps ?? []).findIndex((s) =>
        s.uses?.startsWith("actions/download-artifact@"),
      );
      assert.ok(fetch >= 0 && fetch < pin, `${where} fetches the bundle first`);
      assert.equal(job?.steps?.[fetch]?.with?.name, "chocon-artifacts");
    }
  });
});

describe("the chocon image, pushed for real", () => {
  const crane = peerBinary("crane", "crane");
  const work = mkdtempSync(join(tmpdir(), "chocon-image-"));
  const binary = join(work, "chocon");
  writeFileSync(binary, "#!/bin/sh\necho a stand-in for the chocon binary\n");
  const binarySha = createHash("sha256").update(readFileSync(binary)).digest("hex");
  let registry: ChildProcess | undefined;
  let host = "";
  let digest = "";

  before(async () => {
    const layout = sh([script("oci-image.sh"), binary, join(work, "layout"), "0.12.6"]);
    assert.equal(layout.status, 0, layout.stderr);
    digest = layout.stdout.trim();
    registry = spawn(crane, ["registry", "serve", "--address", "localhost:0"], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    host = await new Promise<string>((resolve, reject) => {
      let seen = "";
      registry?.stderr?.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        const port = /serving on port (\d+)/.exec(seen)?.[1];
        if (port) resolve(`localhost:${port}`);
      });
      registry?.on("exit", (code) => reject(new Error(`crane registry exited ${code}: ${seen}`)));
    });
  });
  after(() => registry?.kill());

  const publish = (layout: string, image: string, expected: string) =>
    sh([script("publish-image.sh")], {
      LAYOUT: layout,
      CRANE: crane,
      IMAGE: image,
      DIGEST: expected,
    });

  it("is the same image, digest for digest, when built twice", () => {
    assert.match(digest, /^sha256:[0-9a-f]{64}$/);
    const again = sh([script("oci-image.sh"), binary, join(work, "again"), "0.12.6"]);
    assert.equal(again.stdout.trim(), digest);
  });

  it("lands in the registry under its digest, runs the binary as the pods' user", () => {
    const image = `${host}/services/chocon:0.12.6-${digest.slice(7, 19)}`;
    const pushed = publish(join(work, "layout"), image, digest);
    assert.equal(pushed.status, 0, pushed.stderr);
    const config = JSON.parse(
      spawnSync(crane, ["config", `${host}/services/chocon@${digest}`], { encoding: "utf8" })
        .stdout,
    ) as { config: { Entrypoint: string[]; User: string } };
    assert.deepEqual(config.config.Entrypoint, ["/usr/local/bin/chocon"]);
    assert.equal(config.config.User, "65532:65532");
    const exported = join(work, "exported.tar");
    const exportRun = spawnSync(crane, ["export", `${host}/services/chocon@${digest}`, exported]);
    assert.equal(exportRun.status, 0, String(exportRun.stderr));
    const unpacked = join(work, "unpacked");
    mkdirSync(unpacked);
    assert.equal(spawnSync("tar", ["-xf", exported, "-C", unpacked]).status, 0);
    const inImage = join(unpacked, "usr/local/bin/chocon");
    assert.equal(createHash("sha256").update(readFileSync(inImage)).digest("hex"), binarySha);
    assert.equal(statSync(inImage).mode & 0o777, 0o755);
    assert.ok(statSync(join(unpacked, "etc/ssl/certs/ca-certificates.crt")).size > 0);
    // Again: the tag already names this digest, so nothing changes and the push succeeds.
    assert.equal(publish(join(work, "layout"), image, digest).status, 0);
  });

  it("refuses a layout without the pinned digest, and a tag that names another image", () => {
    const other = `sha256:${"0".repeat(64)}`;
    const wrong = publish(join(work, "layout"), `${host}/services/chocon:wrong`, other);
    assert.notEqual(wrong.status, 0);
    assert.match(wrong.stderr, /does not hold sha256:0{64}/);
    const notPushed = spawnSync(crane, ["digest", `${host}/services/chocon:wrong`]);
    assert.notEqual(notPushed.status, 0, "nothing was pushed under the tag");

    writeFileSync(binary, "#!/bin/sh\necho another build\n");
    const second = sh([script("oci-image.sh"), binary, join(work, "second"), "0.12.6"]);
    const taken = `${host}/services/chocon:taken`;
    assert.equal(publish(join(work, "layout"), taken, digest).status, 0);
    const clash = publish(join(work, "second"), taken, second.stdout.trim());
    assert.notEqual(clash.status, 0);
    assert.match(clash.stderr, /already names sha256:[0-9a-f]{64}, not sha256:/);
  });
});

describe("pin-chocon.sh", () => {
  /** A checkout with a bundle holding `content` as chocon, and a `pulumi` that logs its calls. */
  function checkout(content: string): { dir: string; log: string; bin: string; sha: string } {
    const dir = mkdtempSync(join(tmpdir(), "pin-chocon-"));
    const bundle = join(dir, "bundle");
    mkdirSync(bundle);
    writeFileSync(join(bundle, "chocon-linux-amd64"), content);
    assert.equal(
      spawnSync("tar", ["-cf", join(dir, "chocon-artifacts.tar"), "-C", bundle, "."]).status,
      0,
    );
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const log = join(dir, "pulumi.log");
    writeFileSync(join(bin, "pulumi"), `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >>"${log}"\n`);
    chmodSync(join(bin, "pulumi"), 0o755);
    writeFileSync(log, "");
    return { dir, log, bin, sha: createHash("sha256").update(content).digest("hex") };
  }
  const imageDigest = `sha256:${"ab".repeat(32)}`;
  const pin = (c: ReturnType<typeof checkout>, sha: string, digest = imageDigest) =>
    sh(
      [script("pin-chocon.sh"), "us", "chocon-artifacts.tar"],
      {
        PATH: `${c.bin}:${process.env.PATH}`,
        PULUMI_ORG: "acme",
        CHOCON_SHA256: sha,
        CHOCON_IMAGE_DIGEST: digest,
      },
      c.dir,
    );

  it("unpacks the bundle and sets both stack config keys from the build's outputs", () => {
    const c = checkout("the build\n");
    const result = pin(c, c.sha);
    assert.equal(result.status, 0, result.stderr);
    assert.equal(
      readFileSync(c.log, "utf8"),
      [
        `config set --stack acme/us multicloud:choconSha256 ${c.sha}`,
        `config set --stack acme/us multicloud:choconImageDigest ${imageDigest}`,
        "",
      ].join("\n"),
    );
    assert.equal(readFileSync(join(c.dir, ".artifacts/chocon-linux-amd64"), "utf8"), "the build\n");
  });

  it("sets nothing when the bundle's chocon is not the build, or a digest is malformed", () => {
    const c = checkout("other bytes\n");
    const other = createHash("sha256").update("the build\n").digest("hex");
    const mismatch = pin(c, other);
    assert.equal(mismatch.status, 1);
    assert.match(mismatch.stderr, /the bundle's chocon has the SHA-256 [0-9a-f]{64}, not /);
    assert.equal(pin(c, "").status, 2);
    assert.equal(pin(c, c.sha, "sha256:short").status, 2);
    assert.equal(readFileSync(c.log, "utf8"), "");
  });
});
