// The few facts about a region's cloud that the host renderers need, derived from the spec. Pure.
import { GOOGLE_FRONT_END_RANGES } from "../gcp/firewall-rules";
import { formatCidr } from "../spec/cidr";
import type { SakuraSpec } from "../spec/clouds";
import { offsiteAwsRegion } from "../spec/dr";
import { type InternalRecord, internalRecords } from "../spec/internal-zone";
import { fixedHosts, networkLayout } from "../spec/layout";
import type { RegionSpec } from "../spec/schema";
import { secretName } from "../spec/secrets";
import { type FrontCertificates, frontCertificates } from "./acme";
import type { ChoconBuild } from "./chocon-build";

/** How agents find the Consul servers of their datacenter. */
export type ConsulJoin =
  /** Cloud auto-join on EC2 tags (the util hosts carry the tag; needs ec2:DescribeInstances). */
  | { kind: "aws-tag"; tagKey: string; tagValue: string; region: string }
  /** Cloud auto-join on GCE network tags (needs compute.instances.list for the VM's account). */
  | { kind: "gce-tag"; project: string; tagValue: string }
  /** Fixed addresses of the util hosts, where the cloud has no auto-join. */
  | { kind: "static"; addresses: string[] };

/** How the region's internal zone (`local.` by default) is answered on every host. */
export type InternalZone =
  /** Forwarded to the cloud's resolver, which serves the private zone (Route53, Cloud DNS). */
  | { kind: "forward"; zone: string; resolvers: string[] }
  /**
   * Served from the zone data itself, which every host carries (the util hosts too). Used where all
   * hosts are fixed (Sakura): records change only with the spec, and a host needs no other host up.
   */
  | {
      kind: "local-data";
      zone: string;
      records: readonly InternalRecord[];
      /** Each host's address and name, for reverse lookups (PTR). */
      pointers: readonly { address: string; name: string }[];
    };

export interface SiteFacts {
  readonly cloud: "aws" | "gcp" | "sakura";
  /** Region id (`us`), used in secret names and headers. */
  readonly region: string;
  /** The hosts' private network; daemons bind to the host's address inside it. */
  readonly networkCidr: string;
  /** Where unbound forwards everything that is not consul., the internal zone or a chocon name. */
  readonly upstreamResolvers: string[];
  /** DNSSEC validation of public names (distribution default: on). Off only if upstreams strip RRSIGs. */
  readonly dnssecValidation: boolean;
  readonly consulJoin: ConsulJoin;
  /** Where the boot step reads the Consul gossip key and tokens. */
  readonly secretSource: SecretSource;
  readonly internalZone: InternalZone;
  /** Where Consul snapshots and MySQL dumps are shipped, out of the region. */
  readonly offsiteStore: OffsiteStore;
  /** What stands between clients and nginx. */
  readonly front: FrontProxy;
  /** Where hosts download the programs the estate builds (chocon), and how they sign for it. */
  readonly artifactStore: ArtifactStore;
  /**
   * The chocon build the hosts install (the artifacts workflow's, named by its SHA-256), set by the
   * program from its config. Without it the installer refuses to install anything.
   */
  readonly chocon?: ChoconBuild;
  /** Where nginx's certificate comes from when it terminates TLS itself (no load balancer). */
  readonly frontCertificates?: FrontCertificates;
}

/** The region's artifact store as a host reaches it; the tools may only read from it. */
export type ArtifactStore =
  /** An S3 bucket in the region; signed by the instance role, named by an instance tag. */
  | { kind: "s3-instance-role"; region: string }
  /** A Cloud Storage bucket in the region; the service account's token, named by metadata. */
  | { kind: "gcs-service-account" }
  /** An S3 bucket in AWS, for hosts outside AWS: bucket and read-only key come with the SSH push. */
  | {
      kind: "s3-pushed-key";
      region: string;
      directory: string;
      names: { bucket: string; accessKeyId: string; secretAccessKey: string };
    };

/** The AWS region of the artifact bucket that a Sakura region's hosts read (where its backups go). */
export function sakuraArtifactRegion(spec: RegionSpec): string {
  return offsiteAwsRegion(spec) ?? spec.dr.backupLocation;
}

/** The cloud's load balancer in front of nginx, whose headers nginx may believe. */
export type FrontProxy =
  /** Clients reach nginx directly (DNS round robin). */
  | { kind: "none" }
  /**
   * An AWS Application Load Balancer: its nodes live in the public subnets; it appends the client
   * to X-Forwarded-For and sets X-Forwarded-Proto.
   */
  | { kind: "aws-alb"; ranges: string[] }
  /**
   * The Google Cloud external Application Load Balancer: connections come from Google's front
   * ends; X-Forwarded-For ends with `<client>, <load balancer address>`, and it sets
   * X-Forwarded-Proto.
   */
  | { kind: "google-lb"; ranges: string[] };

/** The region's off-site object store, as a host reaches it. */
export type OffsiteStore =
  /** An S3 bucket in the backup region; signed by the instance role, named by an instance tag. */
  | { kind: "s3-instance-role"; region: string }
  /** A Cloud Storage bucket in the backup region; the service account's token, named by metadata. */
  | { kind: "gcs-service-account" }
  /** An S3 bucket in AWS, for hosts outside AWS: bucket and write-only key come with the SSH push. */
  | {
      kind: "s3-pushed-key";
      region: string;
      directory: string;
      names: { bucket: string; accessKeyId: string; secretAccessKey: string };
    };

export type SecretSource =
  | { kind: "aws-secrets-manager"; region: string }
  | { kind: "gcp-secret-manager"; project: string }
  /** A root-only directory that the SSH push fills (Sakura, dedicated servers). */
  | { kind: "ssh-push"; directory: string };

/** The Amazon-provided resolver at a fixed link-local address (Nitro instances). */
export const AWS_VPC_RESOLVER = "169.254.169.253";
/** The GCE metadata server, which also answers DNS for the VPC and its private zones. */
export const GCP_METADATA_RESOLVER = "169.254.169.254";
/** Where the SSH push leaves the host secrets on Sakura hosts. */
export const PUSHED_SECRETS_DIR = "/etc/multicloud/secrets";

/** Sakura Cloud's recursive resolvers per zone: Tokyo zones use Tokyo's pair, the rest Ishikari's. */
export function sakuraResolvers(zone: SakuraSpec["zone"]): string[] {
  return zone === "tk1a" || zone === "tk1b"
    ? ["210.188.224.10", "210.188.224.11"]
    : ["133.242.0.3", "133.242.0.4"];
}

/** The EC2 tag / GCE network tag that marks a region's Consul servers for cloud auto-join. */
export const CONSUL_SERVER_TAG_KEY = "consul-server";
export function consulServerTagValue(spec: RegionSpec): string {
  return `consul-server-${spec.name}`;
}

export function siteFacts(spec: RegionSpec): SiteFacts {
  const zone = spec.dns.internalDomain;
  const common = {
    region: spec.name,
    networkCidr: spec.network.cidr,
    dnssecValidation: true,
    front: frontProxy(spec),
  };
  switch (spec.cloud) {
    case "aws":
      return {
        ...common,
        cloud: "aws",
        upstreamResolvers: orDefault(spec.dns.upstreams, [AWS_VPC_RESOLVER]),
        consulJoin: {
          kind: "aws-tag",
          tagKey: CONSUL_SERVER_TAG_KEY,
          tagValue: consulServerTagValue(spec),
          region: spec.aws.region,
        },
        secretSource: { kind: "aws-secrets-manager", region: spec.aws.region },
        // The private hosted zone is visible only through the VPC resolver, whatever the upstreams.
        internalZone: { kind: "forward", zone, resolvers: [AWS_VPC_RESOLVER] },
        offsiteStore: { kind: "s3-instance-role", region: spec.dr.backupLocation },
        artifactStore: { kind: "s3-instance-role", region: spec.aws.region },
      };
    case "gcp":
      return {
        ...common,
        cloud: "gcp",
        upstreamResolvers: orDefault(spec.dns.upstreams, [GCP_METADATA_RESOLVER]),
        consulJoin: {
          kind: "gce-tag",
          project: spec.gcp.project,
          tagValue: consulServerTagValue(spec),
        },
        secretSource: { kind: "gcp-secret-manager", project: spec.gcp.project },
        internalZone: { kind: "forward", zone, resolvers: [GCP_METADATA_RESOLVER] },
        offsiteStore: { kind: "gcs-service-account" },
        artifactStore: { kind: "gcs-service-account" },
      };
    case "sakura": {
      const hosts = fixedHosts(spec);
      return {
        ...common,
        cloud: "sakura",
        upstreamResolvers: orDefault(spec.dns.upstreams, sakuraResolvers(spec.sakura.zone)),
        consulJoin: {
          kind: "static",
          addresses: hosts.filter((host) => host.consulServer).map((host) => host.address),
        },
        secretSource: { kind: "ssh-push", directory: PUSHED_SECRETS_DIR },
        internalZone: {
          kind: "local-data",
          zone,
          records: internalRecords(hosts),
          pointers: hosts.map((host) => ({ address: host.address, name: host.name })),
        },
        offsiteStore: {
          kind: "s3-pushed-key",
          region: offsiteAwsRegion(spec) ?? spec.dr.backupLocation,
          directory: PUSHED_SECRETS_DIR,
          names: {
            bucket: secretName(spec, "backup-bucket"),
            accessKeyId: secretName(spec, "backup-access-key-id"),
            secretAccessKey: secretName(spec, "backup-secret-access-key"),
          },
        },
        artifactStore: {
          kind: "s3-pushed-key",
          region: sakuraArtifactRegion(spec),
          directory: PUSHED_SECRETS_DIR,
          names: {
            bucket: secretName(spec, "artifact-bucket"),
            accessKeyId: secretName(spec, "artifact-access-key-id"),
            secretAccessKey: secretName(spec, "artifact-secret-access-key"),
          },
        },
        frontCertificates: frontCertificates(spec, PUSHED_SECRETS_DIR),
      };
    }
  }
}

function frontProxy(spec: RegionSpec): FrontProxy {
  if (spec.front.mode !== "loadBalancer") return { kind: "none" };
  switch (spec.cloud) {
    case "aws":
      return { kind: "aws-alb", ranges: networkLayout(spec).public.map(formatCidr) };
    case "gcp":
      return { kind: "google-lb", ranges: [...GOOGLE_FRONT_END_RANGES] };
    case "sakura":
      return { kind: "none" };
  }
}

function orDefault(values: readonly string[], fallback: string[]): string[] {
  return values.length > 0 ? [...values] : fallback;
}
