// Rules that span several keys of a region spec; each names the key a user has to change.
import type { z } from "zod";
import { acmeChallengePolicy, policySize, USER_INLINE_POLICY_LIMIT } from "../dns/acme-policy";
import { ACME_CA_IDENTITY, frontOrdersCertificates } from "./acme";
import { checkAlerts } from "./alerts";
import {
  type Cidr,
  contains,
  containsAddress,
  formatCidr,
  isPrivate,
  overlaps,
  parseCidr,
  parseIpv4,
  subnet,
} from "./cidr";
import { awsRegionName, gcpRegionName, sakuraZones } from "./clouds";
import type { MysqlDumpsSpec } from "./dr";
import { frontNames } from "./front-names";
import { roles } from "./hosts";
import { fixedRoles } from "./layout";
import { checkLinks } from "./link-rules";
import type { regionSchema } from "./schema";

type Parsed = z.output<typeof regionSchema>;
type Path = (string | number)[];

type Reporter = (path: Path, message: string) => void;

export function checkRegion(spec: Parsed, ctx: z.RefinementCtx): void {
  const report: Reporter = (path, message) => ctx.addIssue({ code: "custom", path, message });
  checkCloudBlock(spec, report);
  checkPlacement(spec, report);
  checkLocations(spec, report);
  checkRanges(spec, report);
  checkCounts(spec, report);
  checkGke(spec, report);
  checkOperations(spec, report);
  checkInternalDomain(spec, report);
  checkCaaIssuers(spec, report);
  checkAcmeKeyPolicy(spec, report);
  checkDisasterRecovery(spec, report);
  checkLinks(spec, report);
  checkAlerts(spec, report);
  checkUnique(spec.front.names, ["front", "names"], report);
  if (!("owner" in spec.tags)) {
    report(
      ["tags"],
      "expected an owner tag (tags: { owner: team-name }): every resource names who runs it",
    );
  }
}

function checkCloudBlock(spec: Parsed, report: Reporter): void {
  for (const cloud of ["aws", "gcp", "sakura"] as const) {
    if (cloud === spec.cloud && spec[cloud] === undefined) {
      report([cloud], `expected the ${cloud} block: the region's cloud is ${cloud}`);
    }
    if (cloud !== spec.cloud && spec[cloud] !== undefined) {
      report([cloud], `expected no ${cloud} block: the region's cloud is ${spec.cloud}`);
    }
  }
  if (spec.cloud === "sakura" && spec.front.mode === "loadBalancer") {
    report(
      ["front", "mode"],
      "expected dnsRoundRobin: this program runs no load balancer on Sakura",
    );
  }
  if (spec.cloud === "gcp" && spec.front.mode === "dnsRoundRobin") {
    report(
      ["front", "mode"],
      "expected loadBalancer: GCP hosts have no public addresses to rotate",
    );
  }
}

function checkPlacement(spec: Parsed, report: Reporter): void {
  const dedicated = spec.sakura?.dedicated ?? [];
  for (const role of roles) {
    const host = spec.hosts[role];
    if (host.placement !== "dedicated") continue;
    if (spec.cloud !== "sakura") {
      report(
        ["hosts", role, "placement"],
        `expected cloud: dedicated servers exist only on sakura`,
      );
      continue;
    }
    const listed = dedicated.filter((server) => server.role === role).length;
    const wanted = role === "util" ? spec.consul.servers : "count" in host ? host.count : 0;
    if (listed !== wanted) {
      report(
        ["hosts", role, role === "util" ? "placement" : "count"],
        `expected ${listed}: sakura.dedicated lists ${listed} ${role} server(s) but the role needs ${wanted}` +
          (role === "util" ? " (one per Consul server)" : ""),
      );
    }
  }
  const network = parseCidr(spec.network.cidr);
  const names = new Set<string>();
  const addresses = new Set<string>();
  dedicated.forEach((server, index) => {
    const at: Path = ["sakura", "dedicated", index];
    if (spec.hosts[server.role].placement !== "dedicated") {
      report(
        [...at, "role"],
        `expected a role whose placement is dedicated (hosts.${server.role}.placement is cloud)`,
      );
    }
    if (names.has(server.name))
      report([...at, "name"], `expected a unique name (${server.name} is listed twice)`);
    else if (GENERATED_HOST_NAME.test(server.name)) {
      // Cloud hosts are named <role>-<n>: the same name would make two hosts, resources and
      // internal records of one name, whatever the counts are now.
      report(
        [...at, "name"],
        "expected a name apart from <role>-<number> (such as nginx-1), which the program gives cloud hosts",
      );
    }
    if (addresses.has(server.address)) {
      report([...at, "address"], `expected a unique address (${server.address} is listed twice)`);
    }
    names.add(server.name);
    addresses.add(server.address);
    const address = parseIpv4(server.address);
    if (network?.prefix === 16 && address !== undefined) {
      // The last quarter of the network is kept for metal; the rest is allocated by layout.ts.
      const kept = subnet(network, 18, 3);
      if (!containsAddress(kept, address)) {
        report(
          [...at, "address"],
          `expected an address in ${formatCidr(kept)}, the part of network.cidr kept for dedicated servers`,
        );
      }
    }
  });
}

/** The names the address plan gives cloud hosts (layout.ts): nginx-1, mysql-2... */
const GENERATED_HOST_NAME = new RegExp(`^(?:${roles.join("|")})-\\d+$`);

function checkLocations(spec: Parsed, report: Reporter): void {
  const backup = spec.dr.backupLocation;
  if (spec.aws) {
    const region = spec.aws.region;
    spec.aws.zones?.forEach((zone, index) => {
      if (awsRegionName.safeParse(region).success && !zone.startsWith(region)) {
        report(["aws", "zones", index], `expected a zone of ${region}`);
      }
    });
    checkUnique(spec.aws.zones ?? [], ["aws", "zones"], report);
    if (!awsRegionName.safeParse(backup).success || backup === region) {
      report(
        ["dr", "backupLocation"],
        `expected an AWS region other than ${region}, such as ${region === "us-east-1" ? "us-west-2" : "us-east-1"}`,
      );
    }
    const names = new Set<string>();
    spec.aws.rds.forEach((db, index) => {
      if (names.has(db.name))
        report(["aws", "rds", index, "name"], `expected a unique name (${db.name})`);
      names.add(db.name);
      // RDS refuses a ceiling less than 10% above the storage ("Invalid max storage size"; the
      // RDS User Guide, storage autoscaling), on create as on modify.
      if (db.maxStorageGb * 10 < db.storageGb * 11) {
        report(
          ["aws", "rds", index, "maxStorageGb"],
          `expected at least 10% above storageGb (${db.storageGb}): ${Math.ceil((db.storageGb * 11) / 10)} or more`,
        );
      }
    });
  }
  if (spec.gcp) {
    const region = spec.gcp.region;
    spec.gcp.zones.forEach((zone, index) => {
      // A malformed region is reported on its own key; zones are judged against a valid one.
      if (gcpRegionName.safeParse(region).success && !zone.startsWith(`${region}-`)) {
        report(["gcp", "zones", index], `expected a zone of ${region}`);
      }
    });
    checkUnique(spec.gcp.zones, ["gcp", "zones"], report);
    if (!gcpRegionName.safeParse(backup).success || backup === region) {
      report(
        ["dr", "backupLocation"],
        `expected a GCP region other than ${region}, such as ${region === "europe-west1" ? "europe-west2" : "europe-west1"}`,
      );
    }
  }
  if (spec.sakura) {
    const zone = spec.sakura.zone;
    if (!(sakuraZones as readonly string[]).includes(backup) || backup === zone) {
      report(
        ["dr", "backupLocation"],
        `expected a Sakura zone other than ${zone}: one of ${sakuraZones.filter((z) => z !== zone).join(", ")}`,
      );
    }
  }
}

/** Every range of one region: used here for overlaps inside a region and across regions. */
export function namedRanges(spec: {
  network?: { cidr?: unknown };
  gke?: { network?: Record<string, unknown> };
}): { path: Path; cidr: Cidr }[] {
  const found: { path: Path; cidr: Cidr }[] = [];
  const add = (path: Path, value: unknown) => {
    const parsed = typeof value === "string" ? parseCidr(value) : undefined;
    if (parsed) found.push({ path, cidr: parsed });
  };
  add(["network", "cidr"], spec.network?.cidr);
  for (const key of ["nodes", "pods", "services", "controlPlane"]) {
    add(["gke", "network", key], spec.gke?.network?.[key]);
  }
  return found;
}

function checkRanges(spec: Parsed, report: Reporter): void {
  const ranges = namedRanges(spec);
  for (const range of ranges) {
    if (!isPrivate(range.cidr)) {
      report(
        range.path,
        "expected a private range (inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)",
      );
    }
  }
  ranges.forEach((a, i) => {
    for (const b of ranges.slice(i + 1)) {
      if (overlaps(a.cidr, b.cidr)) {
        report(
          b.path,
          `expected a range apart from ${a.path.join(".")} (${formatCidr(a.cidr)}): they overlap`,
        );
      }
    }
  });
  const network = parseCidr(spec.network.cidr);
  if (network && network.prefix !== 16) {
    report(
      ["network", "cidr"],
      "expected a /16 block: every site cuts the same /20 per zone and tier from it",
    );
  }
  const controlPlane = spec.gke ? parseCidr(spec.gke.network.controlPlane) : undefined;
  if (controlPlane && controlPlane.prefix !== 28) {
    report(
      ["gke", "network", "controlPlane"],
      "expected a /28 block (GKE requires it for the control plane)",
    );
  }
}

function checkCounts(spec: Parsed, report: Reporter): void {
  if (spec.hosts.mysql.count === 1) {
    report(
      ["hosts", "mysql", "count"],
      "expected 0, or 2 or more: a primary and at least one replica",
    );
  }
}

function checkGke(spec: Parsed, report: Reporter): void {
  const gke = spec.gke;
  if (!gke) return;
  for (const part of ["gateway", "chocon"] as const) {
    const { min, max } = gke[part].replicas;
    if (min > max)
      report(["gke", part, "replicas", "max"], `expected at least replicas.min (${min})`);
  }
  gke.nodePools.forEach((pool, index) => {
    if (pool.minPerZone > pool.maxPerZone) {
      report(
        ["gke", "nodePools", index, "maxPerZone"],
        `expected at least minPerZone (${pool.minPerZone})`,
      );
    }
  });
  checkUnique(
    gke.nodePools.map((pool) => pool.name),
    ["gke", "nodePools"],
    report,
  );
  const prefixes = new Map<string, number>();
  gke.gateway.routes.forEach((route, index) => {
    const first = prefixes.get(route.prefix);
    if (first !== undefined) {
      report(
        ["gke", "gateway", "routes", index, "prefix"],
        `expected a prefix of its own (routes[${first}] has ${route.prefix}): a path goes to one service`,
      );
    } else prefixes.set(route.prefix, index);
  });
  const fallback = gke.gateway.default;
  if (fallback) {
    const everything = prefixes.get("/");
    if (everything !== undefined)
      report(
        ["gke", "gateway", "default"],
        `expected no route with the prefix / beside a default route (routes[${everything}] takes every path, so the default would get none)`,
      );
    if (fallback.timeoutSeconds < fallback.retries + 1)
      report(
        ["gke", "gateway", "default", "timeoutSeconds"],
        `expected at least ${fallback.retries + 1} (a second for each of the ${fallback.retries + 1} attempts)`,
      );
  }
  const weeklyHours = gke.maintenance.hours * new Set(gke.maintenance.days).size;
  if (weeklyHours < 12) {
    report(
      ["gke", "maintenance"],
      `expected at least 12 hours a week (now ${weeklyHours}): GKE needs 48 hours of maintenance in any 32 days`,
    );
  }
  gke.authorizedNetworks.forEach((network, index) => {
    const parsed = parseCidr(network.cidr);
    if (parsed && parsed.prefix < 8) {
      report(
        ["gke", "authorizedNetworks", index, "cidr"],
        "expected a narrow range (/8 or longer): the control plane must not be open to the internet",
      );
    }
  });
}

/**
 * operations.cidrs is where `pulumi` runs, and the one source of every allow-list: SSH on Sakura
 * hosts and the GKE control plane admit it. gke.authorizedNetworks only adds networks to it.
 */
function checkOperations(spec: Parsed, report: Reporter): void {
  const needs = [
    ...(spec.sakura ? ["SSH on the Sakura hosts"] : []),
    ...(spec.gke ? ["the GKE control plane"] : []),
  ];
  if (!spec.operations) {
    if (needs.length > 0) {
      report(
        ["operations"],
        `expected { cidrs: [...] }, the networks pulumi runs from: ${needs.join(" and ")} admit them and nothing else`,
      );
    }
    return;
  }
  // A range too wide is reported once, on its own key, and not again as admitting the others.
  const operations = spec.operations.cidrs.map((text) => {
    const parsed = parseCidr(text);
    return parsed && parsed.prefix >= 8 ? parsed : undefined;
  });
  spec.operations.cidrs.forEach((text, index) => {
    const parsed = parseCidr(text);
    if (parsed && parsed.prefix < 8) {
      report(
        ["operations", "cidrs", index],
        "expected a narrow range (/8 or longer): SSH and the GKE control plane must not be open to the internet",
      );
    }
  });
  checkUnique(spec.operations.cidrs, ["operations", "cidrs"], report);
  spec.gke?.authorizedNetworks.forEach((network, index) => {
    const parsed = parseCidr(network.cidr);
    const within = parsed
      ? operations.findIndex((outer) => outer !== undefined && contains(outer, parsed))
      : -1;
    if (within >= 0) {
      report(
        ["gke", "authorizedNetworks", index, "cidr"],
        `expected a network beyond operations.cidrs: operations.cidrs[${within}] (${spec.operations?.cidrs[within]}) admits it already`,
      );
    }
  });
}

/** Zones that unbound on every host answers itself: the internal zone must not take their place. */
export const SERVED_ZONES: Readonly<Record<string, string>> = {
  consul: "unbound forwards consul. to the Consul agent",
  ccnproxy: "every *.ccnproxy name is sent to chocon",
  "ccnproxy-https": "every *.ccnproxy-https name is sent to chocon",
  "ccnproxy-secure": "every *.ccnproxy-secure name is sent to chocon",
  "ccnproxy-ssl": "every *.ccnproxy-ssl name is sent to chocon",
};

function checkInternalDomain(spec: Parsed, report: Reporter): void {
  const zone = spec.dns.internalDomain;
  const served = Object.hasOwn(SERVED_ZONES, zone) ? SERVED_ZONES[zone] : undefined;
  if (served !== undefined) {
    report(
      ["dns", "internalDomain"],
      `expected a zone apart from ${zone}: ${served}, and the internal zone would shadow it`,
    );
  }
  if (spec.domain.split(".").at(-1) === zone) {
    report(
      ["dns", "internalDomain"],
      `expected a zone apart from ${zone}: the region's domain ${spec.domain} would resolve inside the internal zone`,
    );
  }
}

/** A front that orders its own certificates needs its CA among those the zone's CAA allows. */
function checkCaaIssuers(spec: Parsed, report: Reporter): void {
  const issuers = spec.dns.caaIssuers;
  if (issuers === undefined || !frontOrdersCertificates(spec.cloud)) return;
  if (!issuers.includes(ACME_CA_IDENTITY)) {
    report(
      ["dns", "caaIssuers"],
      `expected ${ACME_CA_IDENTITY} among the issuers: the front's nginx hosts order their certificates from Let's Encrypt, which CAA would refuse`,
    );
  }
}

/**
 * The key that answers a self-ordering front's ACME challenges may change the challenge record of
 * each name the certificates hold (the public names and each nginx host's own), listed in an IAM
 * user's inline policy, which IAM caps: too many front hosts is a bad stack file, not a failed
 * deploy. The zone id is taken at its longest.
 */
function checkAcmeKeyPolicy(spec: Parsed, report: Reporter): void {
  if (!frontOrdersCertificates(spec.cloud)) return;
  const names = [
    ...frontNames(spec),
    ...hostNames(spec, "nginx").map((host) => `${host}.${spec.domain}`),
  ];
  const size = policySize(acmeChallengePolicy("Z".padEnd(32, "0"), names));
  if (size > USER_INLINE_POLICY_LIMIT) {
    report(
      ["hosts", "nginx", "count"],
      `expected fewer nginx hosts or front.names: the key that writes the front certificates' ACME challenges may change ${names.length} records, a policy of ${size} characters, over IAM's ${USER_INLINE_POLICY_LIMIT} for a user's inline policy`,
    );
  }
}

function checkDisasterRecovery(spec: Parsed, report: Reporter): void {
  const mode = spec.front.mode ?? (spec.cloud === "sakura" ? "dnsRoundRobin" : "loadBalancer");
  if (spec.front.failover && mode !== "loadBalancer") {
    report(
      ["front", "failover"],
      "expected no failover: a DNS round-robin front answers with multivalue records, which cannot also be failover records (see docs/disaster-recovery.md)",
    );
  }
  if (spec.dr.offsiteRegion !== undefined && spec.cloud !== "sakura") {
    report(
      ["dr", "offsiteRegion"],
      `expected no offsiteRegion: ${spec.cloud} ships host backups to its own object store in dr.backupLocation`,
    );
  }
  checkFormerHosts(spec, report);
  const restore = spec.dr.restore;
  if (!restore) return;
  if (restore.mysqlDumps) checkMysqlDumps(spec, restore.mysqlDumps, report);
  const databases = new Set((spec.aws?.rds ?? []).map((db) => db.name));
  for (const [name, entry] of Object.entries(restore.rds)) {
    const at: Path = ["dr", "restore", "rds", name];
    if (!databases.has(name)) {
      report(
        at,
        databases.size > 0
          ? `expected the name of a database in aws.rds (${[...databases].join(", ")})`
          : "expected no rds restores: the region has no RDS databases",
      );
      continue;
    }
    const ways = [entry.pointInTime, entry.snapshotIdentifier].filter((v) => v !== undefined);
    if (ways.length !== 1) {
      report(at, "expected exactly one of pointInTime or snapshotIdentifier");
      continue;
    }
    const pit = entry.pointInTime;
    if (!pit) continue;
    const sources = [pit.sourceDbInstanceAutomatedBackupsArn, pit.sourceDbiResourceId].filter(
      (v) => v !== undefined,
    );
    if (pit.fromStack !== undefined && sources.length > 0) {
      report(
        [...at, "pointInTime"],
        "expected fromStack or sourceDbInstanceAutomatedBackupsArn/sourceDbiResourceId, not both",
      );
    } else if (pit.fromStack === undefined && sources.length === 0) {
      report(
        [...at, "pointInTime"],
        "expected exactly one of fromStack, sourceDbInstanceAutomatedBackupsArn or sourceDbiResourceId",
      );
    } else if (sources.length > 1) {
      report(
        [...at, "pointInTime"],
        "expected exactly one of sourceDbInstanceAutomatedBackupsArn or sourceDbiResourceId",
      );
    }
    if ((pit.restoreTime === undefined) === (pit.useLatestRestorableTime === undefined)) {
      report(
        [...at, "pointInTime"],
        "expected exactly one of restoreTime or useLatestRestorableTime: true",
      );
    }
  }
  const mysqlHosts =
    spec.cloud === "sakura"
      ? new Set<string>()
      : new Set(Array.from({ length: spec.hosts.mysql.count }, (_, index) => `mysql-${index + 1}`));
  let entryErrors = 0;
  const reportEntry: Reporter = (path, message) => {
    entryErrors++;
    report(path, message);
  };
  for (const [host, disk] of Object.entries(restore.mysqlDisks)) {
    const at: Path = ["dr", "restore", "mysqlDisks", host];
    if (spec.cloud === "sakura") {
      reportEntry(
        at,
        "expected no disk restores on sakura: MySQL there is restored from its dumps (see docs/disaster-recovery.md)",
      );
      continue;
    }
    if (!mysqlHosts.has(host)) {
      reportEntry(
        at,
        mysqlHosts.size > 0
          ? `expected a MySQL host name (${[...mysqlHosts].join(", ")})`
          : "expected no disk restores: the region runs no MySQL hosts",
      );
      continue;
    }
    if ((disk.snapshot === undefined) === (disk.latestSnapshotOf === undefined)) {
      reportEntry(at, "expected exactly one of snapshot or latestSnapshotOf");
      continue;
    }
    if (spec.cloud === "aws" && disk.latestSnapshotOf !== undefined) {
      reportEntry(
        [...at, "latestSnapshotOf"],
        "expected snapshot instead: on aws a data volume is restored from a named EBS snapshot",
      );
    }
    if (
      spec.cloud === "aws" &&
      disk.snapshot !== undefined &&
      !/^snap-[0-9a-f]{8,17}$/.test(disk.snapshot)
    ) {
      reportEntry(
        [...at, "snapshot"],
        "expected an EBS snapshot id such as snap-0123456789abcdef0",
      );
    }
    // The program looks a GCE snapshot up by name for its time (the recovery point), so a link or
    // path is refused here rather than by the lookup.
    if (
      spec.cloud === "gcp" &&
      disk.snapshot !== undefined &&
      !/^[a-z](?:[-a-z0-9]{0,61}[a-z0-9])?$/.test(disk.snapshot)
    ) {
      reportEntry(
        [...at, "snapshot"],
        "expected a GCE snapshot name such as uk-mysql-1-data-europe-west2-b-20261201040031-efgh5678, not a link",
      );
    }
  }
  // MySQL hosts replicate by GTID from the primary: beside a primary restored from a snapshot, a
  // host that starts empty would need the whole history, whose binary logs are long purged. Said
  // only of restores that are otherwise right, so that each wrong entry gets its own line.
  const restored = Object.keys(restore.mysqlDisks);
  const unrestored = [...mysqlHosts].filter((host) => !restored.includes(host));
  if (entryErrors === 0 && restored.length > 0 && unrestored.length > 0) {
    report(
      ["dr", "restore", "mysqlDisks"],
      `expected a disk restore for every MySQL host or for none: ${unrestored.join(", ")} would start empty and could not replicate from a restored primary`,
    );
  }
}

/** Each former name goes to a host of this region, and shadows no host or role name of it. */
function checkFormerHosts(spec: Parsed, report: Reporter): void {
  const former = spec.dr.formerHosts;
  if (!former) return;
  const hosts = fixedHostNames(spec);
  for (const [name, host] of Object.entries(former)) {
    const at: Path = ["dr", "formerHosts", name];
    if (!hosts.has(host)) {
      report(at, `expected a host of this region with a fixed address (${[...hosts].join(", ")})`);
    } else if (hosts.has(name) || (roles as readonly string[]).includes(name)) {
      report(at, `expected a name apart from this region's own hosts and roles (${name} is one)`);
    }
  }
}

/** The names of the hosts with a fixed address, as layout.ts gives them (it takes the typed spec). */
function fixedHostNames(spec: Parsed): Set<string> {
  const wanted = spec.cloud === "sakura" ? roles : fixedRoles;
  return new Set(wanted.flatMap((role) => hostNames(spec, role)));
}

/** One role's host names, as layout.ts gives them: a dedicated server's own, else `<role>-<n>`. */
function hostNames(spec: Parsed, role: (typeof roles)[number]): string[] {
  const count = role === "util" ? spec.consul.servers : spec.hosts[role].count;
  const dedicated =
    spec.hosts[role].placement === "dedicated"
      ? (spec.sakura?.dedicated ?? []).filter((server) => server.role === role)
      : [];
  return Array.from({ length: count }, (_, i) => dedicated[i]?.name ?? `${role}-${i + 1}`);
}

/** The dumps come from the store the lost region shipped them to, into a rebuild with MySQL hosts. */
function checkMysqlDumps(spec: Parsed, dumps: MysqlDumpsSpec, report: Reporter): void {
  const at: Path = ["dr", "restore", "mysqlDumps"];
  if (spec.dr.replaces === undefined) {
    report(at, "expected dr.replaces too: the dumps of a lost region are loaded by its rebuild");
  } else if (spec.hosts.mysql.count === 0) {
    report(at, "expected no mysqlDumps: the region runs no MySQL hosts to load them");
  } else if ((dumps.fromStack === undefined) === (dumps.bucket === undefined)) {
    report(at, "expected exactly one of fromStack or bucket");
  } else if (dumps.store !== (spec.cloud === "gcp" ? "gcs" : "s3")) {
    report(
      [...at, "store"],
      `expected ${spec.cloud === "gcp" ? "gcs" : "s3"}: a ${spec.cloud} region ships its dumps there`,
    );
  } else if (
    dumps.keyArn !== undefined &&
    (dumps.store === "gcs" || dumps.fromStack !== undefined)
  ) {
    report(
      [...at, "keyArn"],
      dumps.store === "gcs"
        ? "expected none: Cloud Storage decrypts for the reader itself"
        : "expected none with fromStack: the key is read from the stack's drBackups output",
    );
  } else if (dumps.store === "s3" && dumps.bucket !== undefined && dumps.keyArn === undefined) {
    report(
      at,
      "expected keyArn with bucket (drBackups' offsite.keyArn): the dumps are encrypted with that key",
    );
  }
}

function checkUnique(values: readonly string[], path: Path, report: Reporter): void {
  const seen = new Set<string>();
  values.forEach((value, index) => {
    if (seen.has(value)) report([...path, index], `expected no repeats (${value} is listed twice)`);
    seen.add(value);
  });
}
