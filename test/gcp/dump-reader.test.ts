// A GCP rebuild's MySQL hosts read the lost region's dumps, under the mocks: their service account
// gets roles/storage.objectViewer on the lost bucket alone (bucket-level IAM, no project grant),
// narrowed by a condition to reads and listings under mysql/, and the MySQL hosts, and no others,
// are told the bucket by the metadata key the tool reads. The rendered tool is run against a
// loopback Cloud Storage stand-in: every call it makes is checked against Google's discovery
// document of Cloud Storage and, evaluated by cel-go, against the grant's condition.
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { GcpDumpReadGrant } from "../../components/gcp/offsite-bucket";
import { GcpSite } from "../../components/gcp/site";
import { GCS_DOWNLOAD_ENDPOINT } from "../../components/host/chocon";
import { CONSUL_API, CONSUL_CA_FILE, CONSUL_PRIVATE_DIR } from "../../components/host/consul";
import { GCE_METADATA } from "../../components/host/instance-identity";
import {
  MYSQL_RESTORE_MARKER,
  MYSQL_RESTORE_STAGING,
  renderMysqlRestoreTool,
} from "../../components/host/mysql-restore";
import { roles } from "../../components/spec/hosts";
import { type HostSecretId, hostSecretIds } from "../../components/spec/secrets";
import { type ObjectStoreStandIn, startObjectStore } from "../host/object-store-stand-in";
import { runAsync } from "../host/support";
import { discoveryDocument, type Json } from "../limits/references";
import { type ConditionRequest, conditionAdmits } from "../support/cel";
import { UK_DUMP_BUCKET, ukRebuildLoadingDumps } from "../support/stacks";
import { dnsProvider, field, type Program, runProgram } from "./harness";

const MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember";
const INSTANCE = "gcp:compute/instance:Instance";
const MYSQL_ACCOUNT = "ukdr-mysql-host@example-uk-prod.iam.gserviceaccount.com";

/** uk rebuilt in europe-west1, loading uk's dumps. */
function ukRebuild() {
  const spec = ukRebuildLoadingDumps();
  if (spec.cloud !== "gcp") throw new Error("not a gcp spec");
  return spec;
}

const hostSecrets = Object.fromEntries(
  hostSecretIds.map((id) => [id, `fake-${id}-value`]),
) as Record<HostSecretId, string>;

describe("a GCP rebuild's MySQL hosts read the lost bucket", () => {
  let program: Program;
  before(async () => {
    program = await runProgram((context) => {
      new GcpSite("ukdr", {
        spec: ukRebuild(),
        publicZoneId: "ZUKPUBLIC",
        dnsProvider: dnsProvider(),
        userData: Object.fromEntries(roles.map((role) => [role, "#cloud-config\n"])),
        hostSecrets,
        mysqlDumpBucket: UK_DUMP_BUCKET,
      });
      new GcpDumpReadGrant("ukdr-dump-reader", {
        ...context,
        bucket: UK_DUMP_BUCKET,
        serviceAccountEmail: MYSQL_ACCOUNT,
      });
    });
  });

  it("objectViewer on the lost bucket, for the MySQL service account, under mysql/ only", () => {
    const grant = program.recorder.get(MEMBER, "ukdr-dump-reader-reads").inputs;
    assert.equal(grant.bucket, "example-uk-prod-uk-backups");
    assert.equal(grant.role, "roles/storage.objectViewer");
    assert.equal(
      grant.member,
      "serviceAccount:ukdr-mysql-host@example-uk-prod.iam.gserviceaccount.com",
    );
    assert.deepEqual(grant.condition, {
      title: "mysql/ objects only",
      description: "Reads and listings under mysql/ in example-uk-prod-uk-backups",
      expression:
        'resource.name.startsWith("projects/_/buckets/example-uk-prod-uk-backups/objects/mysql/") || api.getAttribute("storage.googleapis.com/objectListPrefix", "").startsWith("mysql/")',
    });
    const readers = program.recorder
      .ofType(MEMBER)
      .filter((m) => m.inputs.role === "roles/storage.objectViewer");
    assert.deepEqual(
      readers.map((m) => m.name),
      ["ukdr-dump-reader-reads"],
    );
    // Nothing of it at project level.
    const projectGrants = program.custom.filter(
      (r) =>
        r.type.startsWith("gcp:projects/") &&
        JSON.stringify(r.inputs).includes("roles/storage.objectViewer"),
    );
    assert.deepEqual(projectGrants, []);
  });

  it("the condition's fields are the pinned provider's and the IAM Expr's", () => {
    const grant = program.recorder.get(MEMBER, "ukdr-dump-reader-reads").inputs;
    // The provider's schema, read from its pinned source (tools/references/upstream-facts.json):
    // every field of the member's one condition block forces replacement, so all are listed.
    const facts: Json = JSON.parse(
      readFileSync(
        join(__dirname, "..", "..", "tools", "references", "upstream-facts.json"),
        "utf8",
      ),
    );
    const member: Json = facts["google-beta"].resources.find(
      (r: Json) => r.name === "google_storage_bucket_iam_member",
    );
    const conditionFields = (member.replace as Json[])
      .filter((f) => f.path[0] === "condition" && f.path.length === 2)
      .map((f) => f.path[1])
      .sort();
    assert.deepEqual(conditionFields, ["description", "expression", "title"]);
    assert.deepEqual(Object.keys(grant.condition as object).sort(), conditionFields);
    // Cloud Storage's bucket policy binding carries the condition as an IAM Expr.
    const storage = discoveryDocument("storage.v1");
    const binding = storage.schemas.Policy.properties.bindings.items.properties;
    assert.equal(binding.condition.$ref, "Expr");
    for (const name of conditionFields) assert.ok(storage.schemas.Expr.properties[name], name);
  });

  it("tells the MySQL hosts, and no other host, the lost bucket by metadata", () => {
    const instances = program.recorder.ofType(INSTANCE);
    assert.ok(instances.some((i) => /-mysql-\d+$/.test(i.name)));
    for (const instance of instances) {
      const bucket = field(instance.inputs, "metadata", "multicloud-restore-bucket");
      const mysql = /-mysql-\d+$/.test(instance.name);
      assert.equal(bucket, mysql ? "example-uk-prod-uk-backups" : undefined, instance.name);
    }
  });
});

describe("the tool's Cloud Storage calls, against Google's discovery document", () => {
  const storage = discoveryDocument("storage.v1");
  it("objects.list takes prefix and delimiter and answers with prefixes; objects.get serves media", () => {
    const list = storage.resources.objects.methods.list;
    assert.equal(list.path, "b/{bucket}/o");
    assert.ok(list.parameters.prefix);
    assert.ok(list.parameters.delimiter);
    assert.ok(storage.schemas.Objects.properties.prefixes);
    const get = storage.resources.objects.methods.get;
    assert.equal(get.path, "b/{bucket}/o/{object}");
    assert.equal(get.supportsMediaDownload, true);
  });

  it("bucket-level IAM is a bucket's own policy (buckets.setIamPolicy)", () => {
    assert.equal(storage.resources.buckets.methods.setIamPolicy.path, "b/{bucket}/iam");
  });
});

const BUCKET = UK_DUMP_BUCKET;
const TOKEN = "ya29.dump-reader-token";
const DUMP = "mysql/mysql-1/20261206T030000Z/";
const DUMP_SQL = "CREATE TABLE shop.orders (id INT);\n";

/** The IAM request a Cloud Storage JSON API call is authorized as; fails on any other call. */
function iamRequestOf(call: URL): ConditionRequest {
  const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(call.pathname);
  if (list) {
    const prefix = call.searchParams.get("prefix");
    return {
      resource: { name: `projects/_/buckets/${list[1]}`, type: "storage.googleapis.com/Bucket" },
      ...(prefix === null
        ? {}
        : { attributes: { "storage.googleapis.com/objectListPrefix": prefix } }),
    };
  }
  const get = /^\/storage\/v1\/b\/([^/]+)\/o\/([^/]+)$/.exec(call.pathname);
  if (get)
    return {
      resource: {
        name: `projects/_/buckets/${get[1]}/objects/${decodeURIComponent(get[2] ?? "")}`,
        type: "storage.googleapis.com/Object",
      },
    };
  throw new Error(`not a call the grant covers: ${call.pathname}`);
}

/** The discovery document's method a call is, checked: its path and every query parameter. */
function discoveryMethodOf(call: URL): string {
  const storage = discoveryDocument("storage.v1");
  const path = call.pathname.replace(/^\/storage\/v1\//, "");
  const name = /^b\/[^/]+\/o$/.test(path) ? "list" : /^b\/[^/]+\/o\/[^/]+$/.test(path) ? "get" : "";
  const method = storage.resources.objects.methods[name];
  assert.ok(method, `no objects method is at ${path}`);
  for (const parameter of call.searchParams.keys())
    assert.ok(
      method.parameters[parameter] ?? storage.parameters[parameter],
      `objects.${name} takes no ${parameter}`,
    );
  if (name === "get") assert.equal(call.searchParams.get("alt"), "media");
  return `objects.${name}`;
}

describe("the rendered restore tool's Cloud Storage calls stay within the grant", () => {
  let store: ObjectStoreStandIn;
  let front: Server;
  let condition = "";
  let frontUrl = "";
  const calls: URL[] = [];
  const work = mkdtempSync(join(tmpdir(), "dump-reader-"));

  before(async () => {
    // The grant as the program declares it: its condition is what the calls are held to.
    const grantProgram = await runProgram((context) => {
      new GcpDumpReadGrant("ukdr-dump-reader", {
        ...context,
        bucket: BUCKET,
        serviceAccountEmail: MYSQL_ACCOUNT,
      });
    });
    condition = String(
      field(
        grantProgram.recorder.get(MEMBER, "ukdr-dump-reader-reads").inputs,
        "condition",
        "expression",
      ),
    );
    store = await startObjectStore({
      bucket: BUCKET,
      region: "europe-west1",
      accessKeyId: "unused",
      secretAccessKey: "unused",
      sessionToken: "unused",
      gcsToken: TOKEN,
    });
    const part = gzipSync(DUMP_SQL);
    const sum = createHash("sha256").update(part).digest("hex");
    const put = (key: string, body: Buffer | string) =>
      store.objects.set(`${BUCKET}/${key}`, { body: Buffer.from(body), via: "gcs" });
    put(`${DUMP}dump.sql.gz.0000`, part);
    put(`${DUMP}SHA256SUMS`, `${sum}  dump.sql.gz.0000\n`);
    // A newer dump cut short (no SHA256SUMS), and what else the bucket holds.
    put("mysql/mysql-1/20261207T030000Z/dump.sql.gz.0000", part);
    put("consul/consul-1/20261207T030000Z.snap", "the lost cluster's ACL tokens");
    // Records each call, answers Consul's KV write, passes the rest to the stand-in.
    front = createServer((request, response) => {
      const url = new URL(request.url ?? "/", "http://front");
      if (url.pathname.startsWith("/v1/kv/")) {
        request.resume();
        response.writeHead(200);
        response.end("true");
        return;
      }
      calls.push(url);
      const headers: Record<string, string> = {};
      if (request.headers.authorization) headers.authorization = request.headers.authorization;
      fetch(`${store.baseUrl}${url.pathname}${url.search}`, { headers }).then(
        async (answer) => {
          response.writeHead(answer.status);
          response.end(Buffer.from(await answer.arrayBuffer()));
        },
        () => {
          response.writeHead(502);
          response.end();
        },
      );
    });
    await new Promise<void>((done) => front.listen(0, "127.0.0.1", done));
    const address = front.address();
    frontUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  });

  after(async () => {
    await store?.close();
    await new Promise((done) => front?.close(done));
    rmSync(work, { recursive: true, force: true });
  });

  it("lists with a prefix under mysql/ and reads only under mysql/, as the discovery document and the condition (cel-go) allow", async () => {
    const swap = (text: string, from: string, to: string) => {
      assert.ok(text.includes(from), `the rendered tool has no ${from}`);
      return text.replaceAll(from, to);
    };
    let tool = renderMysqlRestoreTool({
      store: { kind: "gcs-service-account" },
      prefix: "mysql/mysql-1/",
    });
    tool = swap(tool, `${GCE_METADATA}/`, `${store.baseUrl}/computeMetadata/v1/`);
    tool = swap(tool, GCS_DOWNLOAD_ENDPOINT, `${frontUrl}/storage/v1`);
    tool = swap(tool, MYSQL_RESTORE_MARKER, join(work, "restored"));
    tool = swap(tool, MYSQL_RESTORE_STAGING, join(work, "staging"));
    tool = swap(tool, "mysql --protocol=socket -u root", `cat >>${join(work, "loaded.sql")}`);
    tool = swap(tool, `--cacert ${CONSUL_CA_FILE} `, "");
    tool = swap(tool, CONSUL_API, frontUrl);
    tool = swap(tool, `${CONSUL_PRIVATE_DIR}/consul-role.token`, join(work, "role.token"));
    writeFileSync(join(work, "role.token"), "role-token");
    writeFileSync(join(work, "restore.sh"), tool, { mode: 0o755 });

    const result = await runAsync("bash", [join(work, "restore.sh")]);
    // Held to the grant first: a call outside it fails here, whatever the tool made of the answer.
    const admitted = conditionAdmits(condition, calls.map(iamRequestOf));
    assert.deepEqual(
      calls.filter((_, i) => !admitted[i]).map(String),
      [],
      "calls the grant's condition refuses",
    );
    // The list, the cut-short dump's missing SHA256SUMS, the complete one's, its one part.
    assert.deepEqual(
      calls.map(discoveryMethodOf),
      ["objects.list", "objects.get", "objects.get", "objects.get"],
      calls.join("\n"),
    );
    assert.equal(result.status, 0, `${result.output}\n${store.refusals.join("\n")}`);
    assert.ok(readFileSync(join(work, "loaded.sql"), "utf8").includes(DUMP_SQL));
  });
});
