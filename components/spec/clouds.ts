// The cloud-specific part of a region: where it runs and what only that cloud offers.
import { z } from "zod";
import { roles } from "./hosts";
import { MAX_ZONES } from "./layout";
import { hostLabel, intIn, ipv4, oneOf, size, strict, text } from "./primitives";

export const clouds = ["aws", "gcp", "sakura"] as const;
export type Cloud = (typeof clouds)[number];

export const awsRegionName = text(
  /^[a-z]{2}(?:-gov)?-[a-z]+-\d$/,
  "an AWS region such as us-west-2",
);
export const gcpRegionName = text(/^[a-z]+-[a-z]+\d+$/, "a GCP region such as europe-west2");
export const sakuraZones = ["tk1a", "tk1b", "is1a", "is1b", "is1c", "tk1v"] as const;
export const sakuraZone = oneOf(sakuraZones);

/** A database that RDS runs for the region (small databases the monolith does not host). */
export const rdsDatabaseSchema = strict({
  name: hostLabel,
  engineVersion: oneOf(["8.0", "8.4"]).default("8.4"),
  size: size.default("medium"),
  /** Escape hatch: an RDS instance class that replaces the size's mapping. */
  instanceClass: text(
    /^db\.[a-z0-9]+\.[a-z0-9]+$/,
    "an RDS instance class such as db.m7g.large",
  ).optional(),
  storageGb: intIn(20, 65536).default(100),
  /** Storage autoscaling ceiling; at least 10% above storageGb, as RDS requires. */
  maxStorageGb: intIn(20, 65536).default(500),
  multiAz: z.boolean({ error: "expected true or false" }).default(true),
  backupRetentionDays: intIn(7, 35).default(14),
  deletionProtection: z.boolean({ error: "expected true or false" }).default(true),
});
export type RdsDatabaseSpec = z.output<typeof rdsDatabaseSchema>;

export const awsSchema = strict({
  region: awsRegionName,
  /**
   * Availability zones, 2 to 4 (the address plan cuts 4 blocks per tier from network.cidr, see
   * layout.ts); when absent, the first three the region offers.
   */
  zones: z
    .array(text(/^[a-z]{2}(?:-gov)?-[a-z]+-\d[a-z]$/, "an AWS zone such as us-west-2a"), {
      error: "expected a list of availability zones",
    })
    .min(2, { error: "expected at least 2 availability zones" })
    .max(MAX_ZONES, {
      error: `expected at most ${MAX_ZONES} availability zones: the address plan has room for ${MAX_ZONES} zones per tier`,
    })
    .optional(),
  /** One NAT gateway per zone (survives a zone outage) or a single one (cheaper). */
  natGateways: oneOf(["perZone", "single"]).default("perZone"),
  /** When set, the AWS provider refuses to act on any other account. */
  accountId: text(/^\d{12}$/, "a 12-digit AWS account id").optional(),
  rds: z.array(rdsDatabaseSchema, { error: "expected a list of databases" }).default([]),
});
export type AwsSpec = z.output<typeof awsSchema>;

export const gcpSchema = strict({
  project: text(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a GCP project id such as example-uk-prod"),
  region: gcpRegionName,
  /** Zones that hosts spread over, 2 to 4. */
  zones: z
    .array(text(/^[a-z]+-[a-z]+\d+-[a-z]$/, "a GCP zone such as europe-west2-a"), {
      error: "expected a list of zones",
    })
    .min(2, { error: "expected at least 2 zones" })
    .max(4, { error: "expected at most 4 zones" }),
});
export type GcpSpec = z.output<typeof gcpSchema>;

/** A dedicated server ordered by hand; the program configures it over SSH. */
export const dedicatedServerSchema = strict({
  name: hostLabel,
  role: oneOf(roles),
  /** Its address on the region's private network. */
  address: ipv4,
  /** Where SSH reaches it from the machine that runs `pulumi up` (defaults to address). */
  sshHost: text(/^[a-z0-9.-]+$/, "a host name or IPv4 address").optional(),
  sshUser: text(/^[a-z_][a-z0-9_-]{0,31}$/, "a Unix user name").default("deploy"),
  sshPort: intIn(1, 65535).default(22),
});
export type DedicatedServerSpec = z.output<typeof dedicatedServerSchema>;

export const sakuraSchema = strict({
  zone: sakuraZone,
  /**
   * Tags that pick the newest public archive (OS image) for cloud servers' disks; a trailing `*`
   * matches by prefix. Hosts are set up by cloud-init, which Sakura runs only on its cloud-init
   * images: those are tagged by release (`distro-ver-24.04.2`), so the default takes any 24.04.
   */
  archiveTags: z
    .array(
      text(
        /^[A-Za-z0-9@._-]+\*?$/,
        "an archive tag such as distro-ubuntu, or a prefix ending in * such as distro-ver-24.04*",
      ),
      { error: "expected a list of archive tags" },
    )
    .min(1, { error: "expected at least one archive tag", abort: true })
    .refine((tags) => tags.includes("cloud-init"), {
      error:
        "expected the tag cloud-init among them: hosts are set up by cloud-init user data, which Sakura runs only on its cloud-init archives",
    })
    .default(["cloud-init", "distro-ubuntu", "distro-ver-24.04*"]),
  diskPlan: oneOf(["ssd", "hdd"]).default("ssd"),
  /** Public keys allowed to log in; password login is always off. */
  sshPublicKeys: z
    .array(
      text(
        /^(ssh-ed25519|ecdsa-sha2-nistp256|ecdsa-sha2-nistp384|ssh-rsa) [A-Za-z0-9+/=]+( .*)?$/,
        "an OpenSSH public key line such as ssh-ed25519 AAAA... user@host",
      ),
      { error: "expected a list of SSH public keys" },
    )
    .min(1, { error: "expected at least one SSH public key" }),
  dedicated: z.array(dedicatedServerSchema, { error: "expected a list of servers" }).default([]),
  // SSH on the hosts' public addresses admits operations.cidrs (schema.ts), the one key for where
  // `pulumi` runs; sakura.adminCidrs was its earlier name (load.ts says so when a file has it).
});
export type SakuraSpec = z.output<typeof sakuraSchema>;
