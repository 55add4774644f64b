// chocon on hosts: one version (0.12.6) for the whole estate, installed from the region's artifact
// store only when its bytes have the pinned SHA-256. The rendered installer of each cloud runs for
// real with bash, curl and sha256sum against the local stand-in of the metadata services and the
// object stores (S3 checks every request's SigV4 signature as S3 does).
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import {
  CHOCON_BIN,
  CHOCON_STAMP,
  GCS_DOWNLOAD_ENDPOINT,
  renderChoconInstallTool,
} from "../../components/host/chocon";
import { ARTIFACT_BUCKET_KEY, type ChoconBuild } from "../../components/host/chocon-build";
import { AWS_IMDS, GCE_METADATA } from "../../components/host/instance-identity";
import { S3_ENDPOINT } from "../../components/host/offsite";
import { SERVICE_TOOL } from "../../components/host/scripts";
import { PUSHED_SECRETS_DIR, siteFacts } from "../../components/host/site-facts";
import { CHOCON_VERSION } from "../../components/spec/chocon";
import { secretName } from "../../components/spec/secrets";
import { type ObjectStoreStandIn, startObjectStore } from "./object-store-stand-in";
import { loadStack, runAsync, type Stack, scratchDir, shellcheckScript } from "./support";

const BUCKET = "multicloud-test-artifacts-9f8e7d";
const KEY_ID = "AKIAEXAMPLEREADER001";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLERDR";
const BINARY = Buffer.from("#!/bin/sh\necho chocon build under test\n");
const SHA256 = createHash("sha256").update(BINARY).digest("hex");
const BUILD: ChoconBuild = { version: "0.12.6", sha256: SHA256 };
/** The key the build lies under, written out: chocon/<version>/<sha256>/chocon. */
const KEY = `chocon/0.12.6/${SHA256}/chocon`;

let store: ObjectStoreStandIn;
let storeRegion = "";

/** The rendered installer of a stack, pointed at the stand-in and at a scratch root. */
function installer(stack: Stack, dir: string, build: ChoconBuild | null = BUILD): string {
  const spec = loadStack(stack);
  const facts = siteFacts(spec);
  const pushed = join(dir, "pushed");
  mkdirSync(pushed, { recursive: true });
  mkdirSync(join(dir, "bin"), { recursive: true });
  writeFileSync(join(pushed, secretName(spec, "artifact-bucket")), `${BUCKET}\n`);
  writeFileSync(join(pushed, secretName(spec, "artifact-access-key-id")), KEY_ID);
  writeFileSync(join(pushed, secretName(spec, "artifact-secret-access-key")), SECRET);
  // The service tool only records what it is asked to mark.
  const marks = join(dir, "marks");
  writeFileSync(join(dir, "service"), `#!/bin/sh\necho "$*" >>${marks}\n`, { mode: 0o755 });
  const script = renderChoconInstallTool(
    build ?? undefined,
    facts.artifactStore,
    ARTIFACT_BUCKET_KEY,
  )
    .replaceAll(S3_ENDPOINT, `${store.baseUrl}/$bucket`)
    .replaceAll(`${GCE_METADATA}/`, `${store.baseUrl}/computeMetadata/v1/`)
    .replaceAll(GCS_DOWNLOAD_ENDPOINT, `${store.baseUrl}/storage/v1`)
    .replaceAll(AWS_IMDS, store.baseUrl)
    .replaceAll(PUSHED_SECRETS_DIR, pushed)
    .replaceAll(CHOCON_BIN, join(dir, "bin", "chocon"))
    .replaceAll(CHOCON_STAMP, join(dir, "stamp", "chocon.sha256"))
    .replaceAll(SERVICE_TOOL, join(dir, "service"))
    .replace(/^readonly RETRY_DELAY=\d+$/m, "readonly RETRY_DELAY=0");
  const path = join(dir, "install.sh");
  writeFileSync(path, script, { mode: 0o755 });
  return path;
}

const installed = (dir: string) => join(dir, "bin", "chocon");
const marked = (dir: string) =>
  existsSync(join(dir, "marks")) ? readFileSync(join(dir, "marks"), "utf8") : "";

test("one chocon version for the estate: 0.12.6, the newest release", () => {
  assert.equal(CHOCON_VERSION, "0.12.6");
});

describe("the rendered installer", () => {
  test("pins the build by its SHA-256 and fetches it by a content-addressed key", () => {
    const script = renderChoconInstallTool(BUILD, siteFacts(loadStack("us")).artifactStore, "k");
    assert.ok(script.includes(`readonly SHA256=${SHA256}\n`));
    assert.ok(script.includes(`readonly KEY=${KEY}\n`));
    assert.match(script, /sha256sum --check --quiet --strict/);
    assert.equal(shellcheckScript(script), "");
  });

  test("passes shellcheck for every cloud's store", () => {
    for (const stack of ["jp", "us", "uk"] as const) {
      const facts = siteFacts(loadStack(stack));
      const script = renderChoconInstallTool(BUILD, facts.artifactStore, ARTIFACT_BUCKET_KEY);
      assert.equal(shellcheckScript(script), "", stack);
    }
  });
});

describe("installing chocon from the artifact store", () => {
  before(async () => {
    store = await startObjectStore({
      bucket: BUCKET,
      get region() {
        return storeRegion;
      },
      accessKeyId: KEY_ID,
      secretAccessKey: SECRET,
      sessionToken: "session-token-from-the-instance-role",
      gcsToken: "ya29.test-token",
    });
  });
  after(() => store.close());

  const put = (body: Buffer) =>
    store.objects.set(`${BUCKET}/${KEY}`, { body, via: "s3", sessionToken: false });

  for (const [stack, region, how] of [
    ["us", "us-west-2", "S3 in the region, signed by the instance role"],
    ["jp", "ap-northeast-3", "S3 in AWS, signed with the pushed read-only key"],
    ["uk", "", "Cloud Storage, with the service account's token"],
  ] as const) {
    test(`${stack}: ${how}; installs the pinned bytes, marks chocon, and does nothing the second time`, async () => {
      storeRegion = region;
      put(BINARY);
      const dir = scratchDir(`chocon-${stack}`);
      const tool = installer(stack, dir);
      const first = await runAsync("bash", [tool]);
      assert.equal(first.status, 0, `${first.output}\n${store.refusals.join("\n")}`);
      assert.deepEqual(readFileSync(installed(dir)), BINARY);
      assert.equal(readFileSync(join(dir, "stamp", "chocon.sha256"), "utf8"), `${SHA256}\n`);
      assert.equal(marked(dir), "mark chocon\n");
      // The store is emptied: a second run must not need it.
      store.objects.clear();
      const second = await runAsync("bash", [tool]);
      assert.equal(second.status, 0, second.output);
      assert.equal(marked(dir), "mark chocon\n", "nothing changed, nothing marked");
    });
  }

  test("an object with other bytes is refused: nothing installed, the boot step fails", async () => {
    storeRegion = "us-west-2";
    put(Buffer.from("#!/bin/sh\necho something else\n"));
    const dir = scratchDir("chocon-tampered");
    const result = await runAsync("bash", [installer("us", dir)]);
    assert.equal(result.status, 1);
    assert.match(result.output, /does not have the pinned SHA-256; chocon is not installed/);
    assert.equal(existsSync(installed(dir)), false);
    assert.equal(marked(dir), "");
  });

  test("a missing object fails after its attempts, installing nothing", async () => {
    storeRegion = "us-west-2";
    store.objects.clear();
    const dir = scratchDir("chocon-missing");
    const result = await runAsync("bash", [installer("us", dir)]);
    assert.equal(result.status, 1);
    assert.match(result.output, /could not download .* \(6 attempts\); chocon is not installed/);
    assert.equal(existsSync(installed(dir)), false);
  });

  test("without a build it installs nothing and says so", async () => {
    const dir = scratchDir("chocon-unpinned");
    const result = await runAsync("bash", [installer("us", dir, null)]);
    assert.equal(result.status, 1);
    assert.match(result.output, /no chocon build is pinned; refusing to install/);
    assert.equal(existsSync(installed(dir)), false);
  });

  test("a replaced binary on the host is noticed and installed again", async () => {
    storeRegion = "";
    put(BINARY);
    const dir = scratchDir("chocon-reinstall");
    const tool = installer("uk", dir);
    assert.equal((await runAsync("bash", [tool])).status, 0);
    writeFileSync(installed(dir), "changed on the host\n");
    const again = await runAsync("bash", [tool]);
    assert.equal(again.status, 0, again.output);
    assert.deepEqual(readFileSync(installed(dir)), BINARY);
  });
});
