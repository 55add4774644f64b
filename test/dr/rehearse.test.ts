// `npm run dr -- --stack <s> --rehearse`: the rebuild planned offline beside the live stack, with
// nothing written; its report names the hosts, the GKE move, what the two share, the critical path
// (the benchmark's model) and each data store's recovery point. A rehearsal that finds a problem
// ends with exit 1.
import assert from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderConsulSnapshotUnits } from "../../components/host/consul-boot";
import { renderMysqlDumpUnits } from "../../components/host/offsite";
import { makeDrStackFile } from "../../tools/dr/make-dr-spec";
import { readLostConfig } from "../../tools/dr/project";
import { CONSUL_SNAPSHOT, MYSQL_DUMP, recoveryPoints } from "../../tools/dr/recovery-points";
import { projectDir } from "../support/stacks";
import { drScratch, run } from "./run-tool";

describe("npm run dr -- --rehearse", { concurrency: true }, () => {
  it("us: plans the rebuild beside us and reports, writing nothing", async () => {
    const dir = drScratch();
    const before = readdirSync(dir).sort();
    const result = await run("dr", ["--stack", "us", "--rehearse"], dir);
    assert.equal(result.code, 0, result.stderr + result.stdout);
    assert.deepEqual(readdirSync(dir).sort(), before, "nothing written");
    const out = result.stdout;
    assert.match(
      out,
      /^Rehearsal: us rebuilt in us-east-1 as us-dr \(region usdr\), planned offline beside us; nothing written, no cloud asked\.$/m,
    );
    assert.match(
      out,
      /^Hosts: app 6, chocon 2, memcached 2, mysql 2, nginx 3, util 3 \(us: app 6, chocon 2, memcached 2, mysql 2, nginx 3, util 3\)\.$/m,
    );
    assert.match(out, /^GKE: cluster in us-east4 \(us: us-west1\), 6 workload objects\.$/m);
    assert.match(out, /^Destroying us leaves us-dr's records and names: all\.$/m);
    assert.match(out, /^Destroying us-dr leaves us's records and names: all\.$/m);
    assert.doesNotMatch(out, /PROBLEM/);
    // The slowest chain goes through a database restore (marked: it lasts as long as its data).
    const path = /^Critical path of `pulumi up -s us-dr`: (\d+\.\d) minutes/m.exec(out);
    assert.ok(path && Number(path[1]) >= 17.5, "at least a Multi-AZ RDS instance's creation");
    assert.match(out, /aws:rds\/instance:Instance usdr-aws-db-\w+-instance \*$/m);
    assert.match(out, /^ {2}RDS accounts: about 5 to 30 minutes/m);
    assert.match(out, /^ {2}MySQL \(primary, replicas follow\): up to 24\.5 hours/m);
    assert.match(out, /^ {2}Consul \(KV, ACLs, intentions\): up to about 1 hour/m);
  });

  it("ends with exit 1 and the plan's own words when the rebuild does not plan", async () => {
    const dir = drScratch();
    // Another region on uk's ranges: uk's rebuild (and uk) collide with it.
    const uk = readFileSync(join(dir, "Pulumi.uk.yaml"), "utf8");
    writeFileSync(join(dir, "Pulumi.uk2.yaml"), uk.replace("name: uk", "name: ukb"));
    const result = await run("dr", ["--stack", "uk", "--rehearse", "--to", "europe-west3"], dir);
    assert.equal(result.code, 1, result.stdout);
    assert.match(
      result.stdout,
      /npm run plan -- --stack uk-dr failed:\n.*Pulumi\.uk-dr\.yaml: .*Pulumi\.uk2\.yaml/,
    );
    assert.ok(!existsSync(join(dir, "Pulumi.uk-dr.yaml")));
  });
});

const line = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m");

describe("the recovery points said", () => {
  it("follow the schedules the hosts are given", () => {
    const consul = renderConsulSnapshotUnits().timer;
    assert.match(consul, line(`OnCalendar=${CONSUL_SNAPSHOT.onCalendar}`));
    assert.match(consul, line(`RandomizedDelaySec=${CONSUL_SNAPSHOT.randomizedDelay}`));
    const dump = renderMysqlDumpUnits().timer;
    assert.match(dump, line(`OnCalendar=${MYSQL_DUMP.onCalendar}`));
    assert.match(dump, line(`RandomizedDelaySec=${MYSQL_DUMP.randomizedDelay}`));
  });

  it("name what the rebuild builds new, as it has it: a GKE cluster only where there is one", () => {
    const builtNew = (stack: string, to: string) => {
      const file = makeDrStackFile({
        stack,
        config: readLostConfig(projectDir, stack),
        to,
        snapshots: [],
        now: new Date("2026-12-01T00:00:00Z"),
      });
      return recoveryPoints(file.spec, file.lost).find((p) => p.store === "everything else")
        ?.recoveryPoint;
    };
    assert.equal(
      builtNew("uk", "europe-west1"),
      "nothing to lose: hosts, networks, the load balancer, certificates and records are built new",
    );
    assert.equal(
      builtNew("jp", "is1a"),
      "nothing to lose: hosts, networks, the DNS round-robin front, certificates, records and the GKE cluster and its workloads are built new",
    );
    assert.equal(
      builtNew("us", "us-east-1"),
      "nothing to lose: hosts, networks, the load balancer, certificates, records and the GKE cluster and its workloads are built new",
    );
  });
});
