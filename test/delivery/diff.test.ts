// The plan diff over small hand-made plans: matching, changed paths, and what counts as danger.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { countChanges, diffPlans, type ResourceChange } from "../../tools/plan/diff";
import { changedPaths, covers, formatPath, parsePath } from "../../tools/plan/diff-paths";
import type { PlannedResource } from "../../tools/plan/plan";
import { plan, resource, urn } from "./plans";

function only(changes: readonly ResourceChange[]): ResourceChange {
  assert.equal(changes.length, 1, JSON.stringify(changes.map((c) => [c.kind, c.resource.name])));
  return changes[0] as ResourceChange;
}

function change(before: PlannedResource, after: PlannedResource): ResourceChange {
  return only(diffPlans(plan(before), plan(after)).changes);
}

const disk = resource("gcp:compute/disk:Disk", "uk-mysql-1-data", {
  protect: true,
  inputs: { name: "uk-mysql-1-data", size: 300, type: "pd-ssd", zone: "europe-west2-a" },
});
const rds = resource("aws:rds/instance:Instance", "us-db-accounts", {
  protect: true,
  inputs: {
    engine: "mysql",
    engineVersion: "8.4",
    dbSubnetGroupName: "accounts",
    storageEncrypted: true,
    instanceClass: "db.m7g.large",
  },
});
const firewall = resource("gcp:compute/firewall:Firewall", "uk-fw-ssh", {
  inputs: { name: "ssh", sourceRanges: ["35.235.240.0/20"] },
});

describe("property paths", () => {
  it("formats and parses the ignoreChanges syntax", () => {
    const path = ["metadata", "user-data"];
    assert.equal(formatPath(path), 'metadata["user-data"]');
    assert.deepEqual(parsePath('metadata["user-data"]'), path);
    assert.equal(formatPath(["ingress", 0, "cidrBlocks"]), "ingress[0].cidrBlocks");
    assert.deepEqual(parsePath("ingress[0].cidrBlocks"), ["ingress", 0, "cidrBlocks"]);
    assert.deepEqual(parsePath("items[*].name"), ["items", "*", "name"]);
  });

  it("a pattern covers its descendants, with * for any key", () => {
    assert.ok(covers(["tags"], ["tags", "Name"]));
    assert.ok(covers(["items", "*", "name"], ["items", 3, "name"]));
    assert.ok(!covers(["tags", "Name"], ["tags"]));
    assert.ok(!covers(["ami"], ["amiId"]));
  });

  it("finds changed leaves, and a resized array as one change", () => {
    const before = { tags: { Name: "a", Role: "x" }, rules: [{ port: 80 }], list: [1, 2] };
    const after = { tags: { Name: "b", Role: "x" }, rules: [{ port: 443 }], list: [1, 2, 3] };
    assert.deepEqual(changedPaths(before, after).map(formatPath), [
      "list",
      "rules[0].port",
      "tags.Name",
    ]);
    assert.deepEqual(changedPaths({ a: 1 }, { a: 1 }), []);
  });
});

describe("diffPlans", () => {
  it("identical plans have no changes", () => {
    const diff = diffPlans(plan(disk, firewall), plan(disk, firewall));
    assert.equal(diff.changes.length, 0);
    assert.equal(diff.unchanged, 3);
  });

  it("adds and removes plain resources without danger", () => {
    const diff = diffPlans(plan(firewall), plan(resource("aws:s3/bucket:Bucket", "logs")));
    assert.deepEqual(
      diff.changes.map((c) => [c.kind, c.resource.name, c.danger]),
      [
        ["add", "logs", undefined],
        ["remove", "uk-fw-ssh", undefined],
      ],
    );
    assert.deepEqual(countChanges(diff), {
      add: 1,
      remove: 1,
      replace: 0,
      update: 0,
      danger: 0,
      refused: 0,
    });
  });

  it("removing a bucket, a secret or a registry loses what they hold, protected or not", () => {
    const removed = diffPlans(
      plan(
        resource("aws:s3/bucket:Bucket", "alb-logs"),
        resource("gcp:storage/bucket:Bucket", "offsite"),
        resource("aws:secretsmanager/secret:Secret", "consul-gossip"),
        resource("gcp:artifactregistry/repository:Repository", "services"),
      ),
      plan(),
    ).changes;
    assert.deepEqual(removed.map((c) => c.danger).sort(), [
      "deletes a Cloud Storage bucket (its objects)",
      "deletes a Secrets Manager secret",
      "deletes an Amazon S3 bucket (its objects)",
      "deletes an Artifact Registry repository (its images)",
    ]);
  });

  it("removing a stateful or protected resource is a danger", () => {
    const removed = diffPlans(
      plan(
        rds,
        resource("aws:ebs/volume:Volume", "data"),
        resource("x:y:Z", "p", { protect: true }),
      ),
      plan(),
    ).changes;
    assert.deepEqual(
      removed.map((c) => c.danger),
      ["deletes a protected RDS instance", "deletes an EBS volume", "deletes a protected resource"],
    );
  });

  it("retainOnDelete turns a removal into a warning", () => {
    const kept = only(diffPlans(plan({ ...disk, retainOnDelete: true }), plan()).changes);
    assert.equal(kept.danger, undefined);
    assert.match(kept.warnings[0] ?? "", /retainOnDelete/);
  });

  it("same type and inputs under another name: replaced (a danger for state)", () => {
    const renamed = { ...disk, name: "uk-db-1-data", urn: urn(disk.type, "uk-db-1-data") };
    const c = change(disk, renamed);
    assert.equal(c.kind, "replace");
    assert.equal(c.previous?.urn, disk.urn);
    assert.match(
      c.danger ?? "",
      /^re-creates a protected GCE disk: its URN changes .* an alias keeps it$/,
    );
    const fw = change(firewall, { ...firewall, name: "fw2", urn: urn(firewall.type, "fw2") });
    assert.equal(fw.kind, "replace");
    assert.equal(fw.danger, undefined);
    assert.match(fw.warnings[0] ?? "", /re-created: its URN changes/);
  });

  it("same name under a new parent type: replaced", () => {
    const instance = resource("gcp:compute/instance:Instance", "uk-util-1", {
      urn: urn("multicloud:gcp:Hosts$gcp:compute/instance:Instance", "uk-util-1"),
      inputs: { name: "util-1", machineType: "e2-small" },
    });
    const moved = {
      ...instance,
      urn: urn("multicloud:gcp:FixedHosts$gcp:compute/instance:Instance", "uk-util-1"),
      inputs: { name: "util-1", machineType: "e2-medium" },
    };
    const c = change(instance, moved);
    assert.equal(c.kind, "replace");
    assert.deepEqual(c.changedInputs, ["machineType"]);
    assert.match(c.danger ?? "", /re-creates a fixed GCE instance/);
  });

  it("an alias of the old URN keeps the resource: an update, no danger", () => {
    const renamed = {
      ...disk,
      name: "uk-db-1-data",
      urn: urn(disk.type, "uk-db-1-data"),
      aliases: [disk.urn],
    };
    const c = change(disk, renamed);
    assert.equal(c.kind, "update");
    assert.equal(c.danger, undefined);
    assert.match(c.changedOptions[0] ?? "", /^urn: aliased from /);
  });

  it("different inputs and names are an add and a remove, not a replace", () => {
    const other = resource("gcp:compute/disk:Disk", "other", { inputs: { size: 10 } });
    const kinds = diffPlans(plan(disk), plan(other)).changes.map((c) => c.kind);
    assert.deepEqual(kinds, ["add", "remove"]);
  });

  it("RDS: a new engine re-creates it; the subnet group and engine version update in place", () => {
    const engine = change(rds, { ...rds, inputs: { ...rds.inputs, engine: "postgres" } });
    assert.equal(engine.kind, "replace");
    assert.equal(engine.replaceReason, "inputs");
    assert.deepEqual(engine.replacingInputs, ["engine"]);
    assert.match(
      engine.danger ?? "",
      /re-creates a protected RDS instance: engine forces replacement \(aws_db_instance\.engine: ForceNew\)/,
    );
    // terraform-provider-aws's db_subnet_group_name has no ForceNew: RDS moves the instance.
    const subnets = change(rds, { ...rds, inputs: { ...rds.inputs, dbSubnetGroupName: "b" } });
    assert.equal(subnets.kind, "update");
    assert.deepEqual(subnets.replacingInputs, []);
    const version = change(rds, { ...rds, inputs: { ...rds.inputs, engineVersion: "8.4.3" } });
    assert.deepEqual(version.changedInputs, ["engineVersion"]);
    assert.equal(version.danger, undefined);
    assert.deepEqual(version.replacingInputs, []);
  });

  it("GCE disk: shrinking or a new type re-creates it, growing does not", () => {
    const grow = change(disk, { ...disk, inputs: { ...disk.inputs, size: 500 } });
    assert.equal(grow.kind, "update");
    assert.equal(grow.danger, undefined);
    const shrink = change(disk, { ...disk, inputs: { ...disk.inputs, size: 200 } });
    assert.equal(shrink.kind, "replace");
    assert.match(
      shrink.danger ?? "",
      /size forces replacement \(google_compute_disk\.size: ForceNewIfChange\(IsDiskShrinkage\), smaller\)/,
    );
    const type = change(disk, { ...disk, inputs: { ...disk.inputs, type: "pd-standard" } });
    assert.deepEqual(type.replacingInputs, ["type"]);
  });

  it("Route53 zone: a new name re-creates it", () => {
    const zone = resource("aws:route53/zone:Zone", "public", {
      protect: true,
      inputs: { name: "example.com", comment: "a" },
    });
    const renamed = change(zone, { ...zone, inputs: { name: "example.net", comment: "a" } });
    assert.match(renamed.danger ?? "", /re-creates a protected Route53 zone: name forces/);
    const comment = change(zone, { ...zone, inputs: { name: "example.com", comment: "b" } });
    assert.equal(comment.danger, undefined);
  });

  it("EC2 instance: ami and userData count only when not ignored", () => {
    const host = resource("aws:ec2/instance:Instance", "mysql-1", {
      protect: true,
      inputs: { ami: "ami-1", userData: "#cloud-config\n", instanceType: "m7g.large" },
      ignoreChanges: ["ami", "userData"],
    });
    const ignored = { ...host, inputs: { ...host.inputs, ami: "ami-2", userData: "x" } };
    assert.equal(diffPlans(plan(host), plan(ignored)).changes.length, 0);
    const watched = { ...ignored, ignoreChanges: [] };
    const c = change({ ...host, ignoreChanges: [] }, watched);
    assert.deepEqual(c.changedInputs, ["ami", "userData"]);
    // userData is stopped-and-started in place unless userDataReplaceOnChange is set.
    assert.deepEqual(c.replacingInputs, ["ami"]);
    assert.match(c.danger ?? "", /: ami forces replacement \(aws_instance\.ami: ForceNew\)$/);
  });

  it("ignoreChanges with a bracketed key hides that key only", () => {
    const vm = resource("gcp:compute/instance:Instance", "app-1", {
      inputs: { metadata: { "user-data": "a", "enable-oslogin": "TRUE" } },
      ignoreChanges: ['metadata["user-data"]'],
    });
    const c = change(vm, {
      ...vm,
      inputs: { metadata: { "user-data": "b", "enable-oslogin": "FALSE" } },
    });
    assert.deepEqual(c.changedInputs, ['metadata["enable-oslogin"]']);
  });

  it("any change to a random secret re-creates it", () => {
    const key = resource("random:index/randomBytes:RandomBytes", "gossip", {
      protect: true,
      inputs: { length: 32 },
    });
    const c = change(key, { ...key, inputs: { length: 16 } });
    assert.match(
      c.danger ?? "",
      /re-creates a protected random secret: length forces replacement \(random_bytes\.length: RequiresReplace\)/,
    );
  });

  it("a plain resource with a replace-forcing change is a warning, not a danger", () => {
    const zone = resource("gcp:dns/managedZone:ManagedZone", "ccnproxy", {
      inputs: { dnsName: "ccnproxy." },
    });
    const c = change(zone, { ...zone, inputs: { dnsName: "ccnproxy2." } });
    assert.equal(c.danger, undefined);
    assert.deepEqual(c.warnings, [
      "re-created: dnsName forces replacement (google_dns_managed_zone.dns_name: ForceNew)",
    ]);
  });

  it("dropping protect is a warning", () => {
    const c = change(disk, { ...disk, protect: false });
    assert.deepEqual(c.changedOptions, ["protect: true -> false"]);
    assert.match(c.warnings.join(), /protection removed/);
    assert.equal(c.danger, undefined);
  });

  it("a provider moved to another region re-creates its stateful resources", () => {
    const provider = resource("pulumi:providers:aws", "site", { inputs: { region: "us-west-2" } });
    const volume = resource("aws:ebs/volume:Volume", "data", {
      provider: provider.urn,
      inputs: { size: 100 },
    });
    const moved = { ...provider, inputs: { region: "us-east-1" } };
    const changes = diffPlans(plan(provider, volume), plan(moved, volume)).changes;
    const onVolume = changes.find((c) => c.resource.name === "data");
    assert.match(onVolume?.danger ?? "", /provider region \("us-west-2" -> "us-east-1"\)/);
  });

  it("a renamed provider with the same settings leaves its resources alone", () => {
    const provider = resource("pulumi:providers:aws", "site", { inputs: { region: "us-west-2" } });
    const renamed = { ...provider, name: "site2", urn: urn(provider.type, "site2") };
    const volume = resource("aws:ebs/volume:Volume", "data", {
      provider: provider.urn,
      inputs: { size: 100 },
    });
    const diff = diffPlans(
      plan(provider, volume),
      plan(renamed, { ...volume, provider: renamed.urn }),
    );
    assert.deepEqual(
      diff.changes.map((c) => [c.kind, c.resource.name, c.danger]),
      [["replace", "site2", undefined]],
    );
  });

  it("components are never a danger, even when their URN changes", () => {
    const site = resource("multicloud:gcp:Site", "uk-gcp", { custom: false });
    const moved = { ...site, urn: urn("multicloud:index:Region$multicloud:gcp:Site", "uk-gcp") };
    const c = change(site, moved);
    assert.equal(c.kind, "replace");
    assert.equal(c.danger, undefined);
    assert.match(c.warnings[0] ?? "", /children get new URNs/);
  });
});
