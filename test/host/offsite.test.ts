// The off-site backups, run for real with bash and curl against a local stand-in of the metadata
// services and the object stores: the upload signs S3 requests correctly (SigV4, checked as S3
// does) with the instance role or the pushed key, uses Cloud Storage with the service account's
// token and never overwrites; the Consul snapshot and the MySQL dump arrive whole.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { gunzipSync } from "node:zlib";
import { renderRegionHosts } from "../../components/host";
import { CONSUL_SNAPSHOT_DIR } from "../../components/host/consul";
import { renderConsulSnapshotTool } from "../../components/host/consul-boot";
import { AWS_IMDS, GCE_METADATA } from "../../components/host/instance-identity";
import {
  GCS_UPLOAD_ENDPOINT,
  MYSQL_DUMP_PART_SIZE,
  MYSQL_DUMP_STAGING,
  MYSQL_DUMP_TOOL,
  OFFSITE_UPLOAD_TOOL,
  renderMysqlDumpTool,
  renderMysqlDumpUnits,
  renderOffsiteUploadTool,
  S3_ENDPOINT,
} from "../../components/host/offsite";
import { PUSHED_SECRETS_DIR, siteFacts } from "../../components/host/site-facts";
import { offsiteAwsRegion } from "../../components/spec/dr";
import type { Role } from "../../components/spec/hosts";
import { secretName } from "../../components/spec/secrets";
import { type ObjectStoreStandIn, startObjectStore } from "./object-store-stand-in";
import { loadStack, run, runAsync, type Stack, scratchDir } from "./support";

const BUCKET = "multicloud-test-backups-0a1b2c";
const KEY_ID = "AKIAEXAMPLEOFFSITE01";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const host = run("hostname", ["-s"]).output.trim();

let store: ObjectStoreStandIn;
let storeRegion = "";

/** The rendered upload tool of a role, pointed at the stand-in, plus the pushed files it reads. */
function uploadTool(stack: Stack, role: Role, dir: string): string {
  const spec = loadStack(stack);
  const facts = siteFacts(spec);
  const pushed = join(dir, "pushed");
  mkdirSync(pushed, { recursive: true });
  writeFileSync(join(pushed, secretName(spec, "backup-bucket")), `${BUCKET}\n`);
  writeFileSync(join(pushed, secretName(spec, "backup-access-key-id")), KEY_ID);
  writeFileSync(join(pushed, secretName(spec, "backup-secret-access-key")), SECRET);
  const script = renderOffsiteUploadTool(facts.offsiteStore, role)
    .replaceAll(S3_ENDPOINT, `${store.baseUrl}/$bucket`)
    .replaceAll(`${GCE_METADATA}/`, `${store.baseUrl}/computeMetadata/v1/`)
    .replaceAll(GCS_UPLOAD_ENDPOINT, `${store.baseUrl}/upload/storage/v1`)
    .replaceAll(AWS_IMDS, store.baseUrl)
    .replaceAll(PUSHED_SECRETS_DIR, pushed);
  const path = join(dir, "upload.sh");
  writeFileSync(path, script, { mode: 0o755 });
  return path;
}

describe("off-site backups in the host plans", () => {
  test("each cloud's store: instance role on AWS, service account on GCP, pushed key on Sakura", () => {
    assert.deepEqual(siteFacts(loadStack("us")).offsiteStore, {
      kind: "s3-instance-role",
      region: "us-east-1",
    });
    assert.deepEqual(siteFacts(loadStack("uk")).offsiteStore, { kind: "gcs-service-account" });
    assert.deepEqual(siteFacts(loadStack("jp")).offsiteStore, {
      kind: "s3-pushed-key",
      region: "ap-northeast-3",
      directory: PUSHED_SECRETS_DIR,
      names: {
        bucket: "multicloud-jp-backup-bucket",
        accessKeyId: "multicloud-jp-backup-access-key-id",
        secretAccessKey: "multicloud-jp-backup-secret-access-key",
      },
    });
  });

  test("util hosts ship Consul snapshots, mysql hosts nightly dumps; no other role ships anything", () => {
    for (const stack of ["jp", "us", "uk"] as const) {
      const spec = loadStack(stack);
      for (const [role, artifacts] of Object.entries(renderRegionHosts(spec))) {
        const paths = (artifacts?.files ?? []).map((file) => file.path);
        const ships = role === "util" || role === "mysql";
        assert.equal(paths.includes(OFFSITE_UPLOAD_TOOL), ships, `${stack}/${role}`);
        assert.equal(paths.includes(MYSQL_DUMP_TOOL), role === "mysql", `${stack}/${role}`);
        if (role === "mysql") {
          assert.ok(paths.includes("/etc/systemd/system/multicloud-mysql-dump.timer"));
          assert.ok(
            artifacts?.plan.commands.includes(
              "/usr/local/sbin/multicloud-service apply multicloud-mysql-dump.timer",
            ),
          );
        }
      }
    }
    const snapshot = renderConsulSnapshotTool();
    assert.match(snapshot, new RegExp(`${OFFSITE_UPLOAD_TOOL} "\\$DIR/\\$file" "\\$file"\\n$`));
    assert.match(renderMysqlDumpUnits().timer, /OnCalendar=\*-\*-\* 03:00:00 UTC/);
  });
});

describe("off-site upload", () => {
  before(async () => {
    // One store plays every region: each test's region is set before its run.
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

  test("AWS: signs with the instance role into the backup region, under the role's prefix", async () => {
    storeRegion = loadStack("us").dr.backupLocation;
    const dir = scratchDir("offsite-aws");
    const tool = uploadTool("us", "util", dir);
    writeFileSync(join(dir, "a.snap"), "consul snapshot bytes\n");
    const result = await runAsync("bash", [tool, join(dir, "a.snap"), "a.snap"]);
    assert.equal(result.status, 0, `${result.output}\n${store.refusals.join("\n")}`);
    const shipped = store.objects.get(`${BUCKET}/consul/${host}/a.snap`);
    assert.equal(shipped?.body.toString(), "consul snapshot bytes\n");
    assert.equal(shipped?.sessionToken, true, "signed with the role's session credentials");
    assert.deepEqual(store.refusals, []);
  });

  test("S3 refuses a request signed for another region, and the tool fails", async () => {
    storeRegion = "eu-north-1";
    const dir = scratchDir("offsite-aws-wrong");
    const tool = uploadTool("us", "util", dir);
    writeFileSync(join(dir, "b.snap"), "x");
    const result = await runAsync("bash", [tool, join(dir, "b.snap"), "b.snap"]);
    assert.notEqual(result.status, 0);
    assert.match(store.refusals.at(-1) ?? "", /signed for region us-east-1/);
  });

  test("S3 refuses a request signed with another secret, and the tool fails", async () => {
    storeRegion = offsiteAwsRegion(loadStack("jp")) ?? "";
    const dir = scratchDir("offsite-wrong-key");
    const tool = uploadTool("jp", "util", dir);
    const spec = loadStack("jp");
    writeFileSync(join(dir, "pushed", secretName(spec, "backup-secret-access-key")), "not-it");
    writeFileSync(join(dir, "e.snap"), "x");
    const result = await runAsync("bash", [tool, join(dir, "e.snap"), "e.snap"]);
    assert.notEqual(result.status, 0);
    assert.match(store.refusals.at(-1) ?? "", /signature does not match/);
  });

  test("GCP: the service account's token, into Cloud Storage, never replacing an object", async () => {
    const dir = scratchDir("offsite-gcs");
    const tool = uploadTool("uk", "util", dir);
    writeFileSync(join(dir, "c.snap"), "gcs bytes");
    const first = await runAsync("bash", [tool, join(dir, "c.snap"), "c.snap"]);
    assert.equal(first.status, 0, first.output);
    assert.equal(store.objects.get(`${BUCKET}/consul/${host}/c.snap`)?.via, "gcs");
    const again = await runAsync("bash", [tool, join(dir, "c.snap"), "c.snap"]);
    assert.notEqual(again.status, 0, "an existing object is not replaced");
    assert.match(store.refusals.at(-1) ?? "", /exists/);
  });

  test("refuses names that are not plain object names", async () => {
    const dir = scratchDir("offsite-names");
    const tool = uploadTool("uk", "util", dir);
    writeFileSync(join(dir, "d"), "x");
    const result = await runAsync("bash", [tool, join(dir, "d"), "bad name;rm"]);
    assert.equal(result.status, 2);
  });

  test("Consul snapshots: saved locally, then shipped whole", async () => {
    storeRegion = loadStack("us").dr.backupLocation;
    const dir = scratchDir("offsite-consul");
    const bin = join(dir, "bin");
    mkdirSync(bin);
    // Stands in for `consul snapshot save FILE`.
    writeFileSync(join(bin, "consul"), '#!/bin/sh\nprintf "raft state\\n" >"$3"\n', {
      mode: 0o755,
    });
    const tool = uploadTool("us", "util", dir);
    const snapshots = join(dir, "snapshots");
    const script = renderConsulSnapshotTool()
      .replaceAll(CONSUL_SNAPSHOT_DIR, snapshots)
      .replaceAll(OFFSITE_UPLOAD_TOOL, tool);
    writeFileSync(join(dir, "snapshot.sh"), script);
    const result = await runAsync("bash", [join(dir, "snapshot.sh")], {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
    });
    assert.equal(result.status, 0, result.output);
    const shipped = [...store.objects.keys()].filter((key) =>
      key.startsWith(`${BUCKET}/consul/${host}/consul-${host}-`),
    );
    assert.equal(shipped.length, 1, shipped.join(", "));
    assert.match(shipped[0] ?? "", /-\d{8}T\d{6}Z\.snap$/);
    assert.equal(store.objects.get(shipped[0] ?? "")?.body.toString(), "raft state\n");
  });

  test("MySQL dumps (Sakura, pushed key): parts that reassemble into the dump, checksums last", async () => {
    storeRegion = offsiteAwsRegion(loadStack("jp")) ?? "";
    const dir = scratchDir("offsite-mysql");
    const bin = join(dir, "bin");
    mkdirSync(bin);
    // Stands in for mysqldump: about 300 KiB of text that gzip cannot shrink much.
    writeFileSync(join(bin, "mysqldump"), "#!/bin/sh\nhead -c 400000 /dev/urandom | base64\n", {
      mode: 0o755,
    });
    const tool = uploadTool("jp", "mysql", dir);
    // Consul's view: this host (mysql-2) is the first passing replica by node name.
    writeFileSync(join(dir, "node.json"), '{"node_name": "mysql-2"}\n');
    writeFileSync(
      join(dir, "replicas.json"),
      JSON.stringify([{ Node: { Node: "mysql-3" } }, { Node: { Node: "mysql-2" } }]),
    );
    const script = dumpGateFrom(renderMysqlDumpTool(), dir)
      .replaceAll(MYSQL_DUMP_STAGING, join(dir, "staging"))
      .replaceAll(OFFSITE_UPLOAD_TOOL, tool)
      .replace(`split -b ${MYSQL_DUMP_PART_SIZE} `, "split -b 100K ");
    writeFileSync(join(dir, "dump.sh"), script, { mode: 0o755 });
    const result = await runAsync("bash", [join(dir, "dump.sh")], {
      ...process.env,
      PATH: `${bin}:${process.env.PATH}`,
    });
    assert.equal(result.status, 0, `${result.output}\n${store.refusals.join("\n")}`);
    const prefix = `${BUCKET}/mysql/${host}/`;
    const keys = [...store.objects.keys()].filter((key) => key.startsWith(prefix)).sort();
    assert.ok(keys.every((key) => store.objects.get(key)?.sessionToken === false));
    const sums = keys.find((key) => key.endsWith("/SHA256SUMS"));
    assert.ok(sums, keys.join(", "));
    const parts = keys.filter((key) => /\/dump\.sql\.gz\.\d{4}$/.test(key));
    assert.ok(parts.length >= 3, `only ${parts.length} part(s)`);
    const listed = (store.objects.get(sums)?.body.toString() ?? "").trim().split("\n");
    assert.equal(listed.length, parts.length);
    for (const line of listed) {
      const [hash, name] = line.split(/\s+/);
      const part = parts.find((key) => key.endsWith(`/${name}`));
      assert.ok(part, `${name} was shipped`);
      const body = store.objects.get(part)?.body ?? Buffer.alloc(0);
      assert.equal(createHash("sha256").update(body).digest("hex"), hash, name);
    }
    const dump = gunzipSync(
      Buffer.concat(parts.map((key) => store.objects.get(key)?.body ?? Buffer.alloc(0))),
    ).toString();
    assert.ok(dump.length > 500000, `the dump reassembles (${dump.length} bytes)`);
    assert.match(dump, /^[A-Za-z0-9+/=\n]+$/);
    assert.equal(
      run("ls", ["-A", join(dir, "staging")]).output.trim(),
      "",
      "staging is left empty",
    );
  });

  test("MySQL dumps are taken from one replica: any other host ships nothing", async () => {
    const dir = scratchDir("offsite-mysql-other");
    const tool = uploadTool("jp", "mysql", dir);
    writeFileSync(join(dir, "node.json"), '{"node_name": "mysql-3"}\n');
    writeFileSync(
      join(dir, "replicas.json"),
      JSON.stringify([{ Node: { Node: "mysql-3" } }, { Node: { Node: "mysql-2" } }]),
    );
    const before = store.objects.size;
    const script = dumpGateFrom(renderMysqlDumpTool(), dir)
      .replaceAll(MYSQL_DUMP_STAGING, join(dir, "staging"))
      .replaceAll(OFFSITE_UPLOAD_TOOL, tool);
    writeFileSync(join(dir, "dump.sh"), script, { mode: 0o755 });
    const result = await runAsync("bash", [join(dir, "dump.sh")]);
    assert.equal(result.status, 0, result.output);
    assert.match(result.output, /mysql-2 dumps tonight/);
    assert.equal(store.objects.size, before);
  });
});

/** The dump tool reading Consul's passing replicas and its node name from files in `dir`. */
function dumpGateFrom(script: string, dir: string): string {
  return script
    .replace(
      "'https://127.0.0.1:8501/v1/health/service/mysql-replica?passing=1'",
      `file://${join(dir, "replicas.json")}`,
    )
    .replace("--cacert /etc/consul.d/tls/ca.pem", "")
    .replace("/etc/consul.d/node.json", join(dir, "node.json"));
}
