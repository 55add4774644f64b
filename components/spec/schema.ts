// The whole region spec: the one structured value under `multicloud:region` in a stack file.
import { z } from "zod";
import { defaultCaaIssuers } from "./acme";
import { alertsSchema } from "./alerts";
import { awsSchema, clouds, gcpSchema, sakuraSchema } from "./clouds";
import { drSchema } from "./dr";
import { gkeSchema } from "./gke";
import { hostsSchema } from "./hosts";
import { linkSchema } from "./links";
import { operationsNetworks, operationsSchema } from "./operations";
import {
  cidr,
  domainName,
  hostLabel,
  intIn,
  ipv4,
  oneOf,
  relativeName,
  strict,
  tagKey,
  tagValue,
  text,
} from "./primitives";
import { checkRegion } from "./rules";

const healthPath = text(/^\/[A-Za-z0-9/._-]*$/, "a path such as /healthz");

export const regionSchema = strict({
  /** Short region id used in resource names and tags: jp, us, uk. */
  name: text(/^[a-z][a-z0-9]{1,9}$/, "a short region id such as us (letters and digits, 2-10)"),
  description: z
    .string({ error: "expected text" })
    .max(200, { error: "expected text of at most 200 characters" })
    .optional(),
  /** The region's public domain; its Route53 zone is created here. */
  domain: domainName,
  /** Tags (AWS) and labels (GCP) on every resource; `owner` is required. */
  tags: z.record(tagKey, tagValue, { error: "expected a mapping of tag keys to values" }),
  cloud: oneOf(clouds),
  /**
   * Where operations run (the networks that run `pulumi`): SSH on Sakura hosts and every GKE
   * control plane admit them. Required when the region has such an allow-list (rules.ts).
   */
  operations: operationsSchema.optional(),
  aws: awsSchema.optional(),
  gcp: gcpSchema.optional(),
  sakura: sakuraSchema.optional(),
  network: strict({
    /** The hosts' private network; sites cut their subnets from it. */
    cidr,
  }),
  front: strict({
    /** loadBalancer: the cloud's load balancer; dnsRoundRobin: one public A record per nginx host. */
    mode: oneOf(["loadBalancer", "dnsRoundRobin"]).optional(),
    /** Public names served by the front, relative to the domain. */
    names: z
      .array(relativeName, { error: "expected a list of names" })
      .min(1, { error: "expected at least one name" })
      .default(["@", "www"]),
    healthCheckPath: healthPath.default("/healthz"),
    /**
     * Route53 failover between this region's front and another stack's (a disaster-recovery
     * rebuild): the public names become failover records. Only with a load balancer front.
     */
    failover: strict({
      /** primary: answers while its health check passes; secondary: answers when it fails. */
      role: oneOf(["primary", "secondary"]),
      /** What the primary's health check asks for over HTTPS; front.healthCheckPath when absent. */
      healthCheckPath: healthPath.optional(),
    }).optional(),
  }).default({ names: ["@", "www"], healthCheckPath: "/healthz" }),
  hosts: hostsSchema,
  consul: strict({
    datacenter: hostLabel,
    /** Consul servers (on the util hosts): an odd count keeps a quorum through one (3) or two (5) failures. */
    servers: z.union([z.literal(3), z.literal(5)], {
      error: "expected 3 or 5 (an odd number of servers keeps a quorum)",
    }),
    /** WAN federation: addresses of other regions' Consul servers to join. */
    wanJoin: z
      .array(text(/^[a-z0-9.-]+$/, "a host name or IPv4 address"), {
        error: "expected a list of addresses",
      })
      .default([]),
  }),
  dns: strict({
    /** The internal zone answered on every host by unbound. */
    internalDomain: text(/^[a-z][a-z0-9-]{0,30}$/, "a single label such as local").default("local"),
    /** Recursive resolvers that unbound forwards to; the cloud's own resolver when empty. */
    upstreams: z.array(ipv4, { error: "expected a list of IPv4 addresses" }).default([]),
    /** Certificate authorities allowed to issue for the domain (CAA); by cloud when absent. */
    caaIssuers: z
      .array(domainName, { error: "expected a list of domain names" })
      .min(1, { error: "expected at least one certificate authority" })
      .optional(),
    /**
     * Serve the domain from the public zone that already exists for it (looked up by name) rather
     * than creating one: a rebuild of another stack's region shares that stack's zone, whose name
     * servers are the ones the registrar delegates to.
     */
    existingZone: z.boolean({ error: "expected true or false" }).default(false),
  }).default({
    internalDomain: "local",
    upstreams: [],
    existingZone: false,
  }),
  chocon: strict({
    maxIdleConnsPerHost: intIn(1, 10000).default(100),
    idleTimeoutSeconds: intIn(1, 3600).default(90),
    upstreamTimeoutSeconds: intIn(1, 600).default(30),
  }).default({ maxIdleConnsPerHost: 100, idleTimeoutSeconds: 90, upstreamTimeoutSeconds: 30 }),
  gke: gkeSchema.optional(),
  /**
   * Seconds that what is created through a Google Cloud API waits after the program enables the
   * API: an enabled API can refuse calls for a while (its error says to wait a few minutes for the
   * change to propagate) and the Google provider does not retry that refusal. Only on creation.
   */
  googleApiWaitSeconds: intIn(0, 600).default(60),
  /** Private links: to the region's GKE network (VPN), to dedicated servers, to other networks. */
  links: z
    .array(linkSchema, { error: "expected a list of links" })
    .max(8, { error: "expected at most 8 links" })
    .default([]),
  dr: drSchema,
  /** Who is told when something would page an operator, and the thresholds (alerts.ts). */
  alerts: alertsSchema,
});

/** Validated spec, with cross-field rules applied and the cloud's block made non-optional. */
export const regionSpecSchema = regionSchema
  // Rules across keys judge a spec whose every value is valid (unknown keys beside them do not
  // change a value): a value already refused on its own key is not reported again through the
  // rules that read it. The transform runs after them: an unknown key does not stop it.
  .superRefine(checkRegion, {
    when: (payload) => payload.issues.every((issue) => issue.code === "unrecognized_keys"),
  })
  .transform(resolve);

type Parsed = z.output<typeof regionSchema>;
type Common = Omit<Parsed, "cloud" | "aws" | "gcp" | "sakura" | "front" | "dns"> & {
  front: Omit<Parsed["front"], "mode"> & { mode: "loadBalancer" | "dnsRoundRobin" };
  dns: Omit<Parsed["dns"], "caaIssuers"> & { caaIssuers: string[] };
};
export type AwsRegionSpec = Common & { cloud: "aws"; aws: NonNullable<Parsed["aws"]> };
export type GcpRegionSpec = Common & { cloud: "gcp"; gcp: NonNullable<Parsed["gcp"]> };
export type SakuraRegionSpec = Common & {
  cloud: "sakura";
  sakura: NonNullable<Parsed["sakura"]>;
  /** Required on Sakura: SSH on the hosts' public addresses admits these networks only. */
  operations: NonNullable<Parsed["operations"]>;
};
/** A region, validated: what every component takes. */
export type RegionSpec = AwsRegionSpec | GcpRegionSpec | SakuraRegionSpec;

function resolve(parsed: Parsed): RegionSpec {
  const { aws, gcp, sakura, front, gke, dns, ...rest } = parsed;
  const mode = front.mode ?? (parsed.cloud === "sakura" ? "dnsRoundRobin" : "loadBalancer");
  const common = {
    ...rest,
    front: { ...front, mode },
    dns: { ...dns, caaIssuers: dns.caaIssuers ?? defaultCaaIssuers(parsed.cloud) },
    // Every control plane admits where operations run first, then the networks the key adds.
    ...(gke
      ? {
          gke: {
            ...gke,
            authorizedNetworks: [
              ...operationsNetworks(parsed.operations),
              ...gke.authorizedNetworks,
            ],
          },
        }
      : {}),
  };
  // checkRegion has ensured the block of the chosen cloud is present and no other is.
  if (parsed.cloud === "aws" && aws) return { ...common, cloud: "aws", aws };
  if (parsed.cloud === "gcp" && gcp) return { ...common, cloud: "gcp", gcp };
  if (parsed.cloud === "sakura" && sakura && parsed.operations) {
    return { ...common, cloud: "sakura", sakura, operations: parsed.operations };
  }
  throw new Error(
    `region ${parsed.name}: no ${parsed.cloud} block (checked earlier; this is a bug)`,
  );
}
