// The keys a rebuild adds to the spec, as the program and the host layer read them: the names of
// the lost region's hosts answered by their successors, where the lost primary's dumps are, and
// the prefix a rebuild's names carry.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { rebuildPrefix } from "../../components/spec/dr";
import { ConfigError } from "../../components/spec/errors";
import { internalRecords } from "../../components/spec/internal-zone";
import { fixedHosts } from "../../components/spec/layout";
import { parseRegionSpec } from "../../components/spec/load";
import { loadSpec, rawRegion } from "../support/stacks";

// biome-ignore lint/suspicious/noExplicitAny: edits parsed YAML
type Raw = Record<string, any>;

/** jp as a rebuild on Sakura Cloud: no dedicated servers, replacing jp. */
function jpRebuild(dr: Raw = {}): Raw {
  const raw = rawRegion("jp") as Raw;
  raw.name = "jpdr";
  delete raw.sakura.dedicated;
  delete raw.hosts.app.placement;
  delete raw.hosts.mysql.placement;
  raw.dr = { ...raw.dr, replaces: "jp", ...dr };
  return raw;
}

function problems(raw: Raw): string[] {
  try {
    parseRegionSpec(raw, "Pulumi.jp-dr.yaml");
    return [];
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message.split("\n");
  }
}

describe("dr.formerHosts", () => {
  it("the internal zone answers each former name with its successor's address", () => {
    const spec = parseRegionSpec(
      jpRebuild({ formerHosts: { db01: "mysql-1", app01: "app-1" } }),
      "x",
    );
    const records = internalRecords(fixedHosts(spec));
    const a = (name: string) => records.find((r) => r.name === name)?.values;
    // Addresses of the address plan: mysql's first host in zone 0, app's.
    assert.deepEqual(a("db01"), ["10.10.66.16"]);
    assert.deepEqual(a("mysql-1"), ["10.10.66.16"]);
    assert.deepEqual(a("app01"), a("app-1"));
    assert.deepEqual(a("db02"), undefined);
  });

  it("refuses a successor that is not a host here, and a former name that is one of its own", () => {
    assert.deepEqual(problems(jpRebuild({ formerHosts: { db01: "mysql-3" } })), [
      'Pulumi.jp-dr.yaml: multicloud:region.dr.formerHosts.db01 = "mysql-3": expected a host of this region with a fixed address (nginx-1, nginx-2, nginx-3, app-1, app-2, app-3, app-4, mysql-1, mysql-2, memcached-1, memcached-2, util-1, util-2, util-3, chocon-1, chocon-2)',
    ]);
    assert.match(
      problems(jpRebuild({ formerHosts: { mysql: "mysql-1" } }))[0] ?? "",
      /expected a name apart from this region's own hosts and roles \(mysql is one\)/,
    );
    assert.match(
      problems(jpRebuild({ formerHosts: { "app-2": "app-1" } }))[0] ?? "",
      /app-2 is one/,
    );
  });
});

describe("dr.restore.mysqlDumps", () => {
  const KEY = "arn:aws:kms:ap-northeast-3:123456789012:key/11111111-2222-4333-8444-555555555555";
  const dumps = { store: "s3", location: "ap-northeast-3", fromStack: "jp", primary: "db01" };

  it("is taken as the tool writes it, with the stack or the bucket", () => {
    assert.deepEqual(problems(jpRebuild({ restore: { mysqlDumps: dumps } })), []);
    const { fromStack: _, ...named } = dumps;
    assert.deepEqual(
      problems(
        jpRebuild({ restore: { mysqlDumps: { ...named, bucket: "jp-offsite-x1", keyArn: KEY } } }),
      ),
      [],
    );
  });

  it("wants the bucket's key with a named S3 bucket, and refuses one where it is read or unused", () => {
    const { fromStack: _, ...named } = dumps;
    assert.match(
      problems(jpRebuild({ restore: { mysqlDumps: { ...named, bucket: "jp-offsite-x1" } } }))[0] ??
        "",
      /mysqlDumps = .*expected keyArn with bucket \(drBackups' offsite\.keyArn\)/,
    );
    assert.match(
      problems(jpRebuild({ restore: { mysqlDumps: { ...dumps, keyArn: KEY } } }))[0] ?? "",
      /mysqlDumps\.keyArn = .*expected none with fromStack/,
    );
  });

  it("refuses both sources or none, another cloud's store, and a region that is no rebuild", () => {
    assert.match(
      problems(jpRebuild({ restore: { mysqlDumps: { ...dumps, bucket: "b-1x" } } }))[0] ?? "",
      /mysqlDumps = .*expected exactly one of fromStack or bucket/,
    );
    assert.match(
      problems(jpRebuild({ restore: { mysqlDumps: { ...dumps, store: "gcs" } } }))[0] ?? "",
      /mysqlDumps\.store = "gcs": expected s3/,
    );
    const notRebuild = jpRebuild({ restore: { mysqlDumps: dumps } });
    delete notRebuild.dr.replaces;
    assert.match(problems(notRebuild)[0] ?? "", /expected dr\.replaces too/);
  });
});

describe("rebuildPrefix", () => {
  it("a rebuild's own name before shared names; nothing for a region that replaces none", () => {
    assert.equal(rebuildPrefix(loadSpec("uk")), "");
    assert.equal(rebuildPrefix(parseRegionSpec(jpRebuild(), "x")), "jpdr-");
  });
});
