// A GKE cluster for the region's microservices, beside (or inside) the region's cloud.
import { z } from "zod";
import { choconCallUrl } from "./chocon";
import { gcpRegionName } from "./clouds";
import { cidr, hostLabel, intIn, oneOf, relativeName, strict, text } from "./primitives";

const image = text(
  /^[a-z0-9.-]+(?::\d+)?(?:\/[a-z0-9._-]+)+(?::[A-Za-z0-9._-]+)?(?:@sha256:[a-f0-9]{64})?$/,
  "a container image reference such as asia-docker.pkg.dev/project/repo/gateway:1.2.3",
);

const replicas = strict({
  min: intIn(1, 100),
  max: intIn(1, 500),
});

export const gkeSchema = strict({
  project: text(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/, "a GCP project id such as example-jp-prod"),
  region: gcpRegionName,
  releaseChannel: oneOf(["RAPID", "REGULAR", "STABLE"]).default("REGULAR"),
  network: strict({
    /** Primary range of the cluster's subnet (nodes). */
    nodes: cidr,
    /** Secondary range for pods. */
    pods: cidr,
    /** Secondary range for services. */
    services: cidr,
    /** The control plane's private range: a /28. */
    controlPlane: cidr,
  }),
  /** Networks allowed to reach the control plane. No entry means no network is. */
  authorizedNetworks: z
    .array(strict({ name: hostLabel, cidr }), { error: "expected a list of { name, cidr }" })
    .default([]),
  nodePools: z
    .array(
      strict({
        name: hostLabel,
        machineType: text(/^[a-z0-9][a-z0-9-]{1,62}$/, "a GCE machine type such as e2-standard-4"),
        minPerZone: intIn(0, 100),
        maxPerZone: intIn(1, 1000),
        diskGb: intIn(20, 2000).default(100),
        spot: z.boolean({ error: "expected true or false" }).default(false),
      }),
      { error: "expected a list of node pools" },
    )
    .min(1, { error: "expected at least one node pool" }),
  /** Weekly maintenance: a start time in UTC and the length in hours. */
  maintenance: strict({
    startUtc: text(/^([01]\d|2[0-3]):[0-5]\d$/, "a time of day such as 17:00"),
    hours: intIn(4, 24),
    days: z
      .array(oneOf(["MO", "TU", "WE", "TH", "FR", "SA", "SU"]), {
        error: "expected a list of days such as [SA, SU]",
      })
      .min(1, { error: "expected at least one day" }),
  }).default({ startUtc: "17:00", hours: 6, days: ["SA", "SU"] }),
  gateway: strict({
    image,
    /** Public name of the gateway, relative to the region's domain. */
    hostname: relativeName,
    replicas: replicas.default({ min: 3, max: 20 }),
    routes: z
      .array(
        strict({
          prefix: text(/^\/[A-Za-z0-9/._-]*$/, "a path prefix such as /v1/items"),
          service: hostLabel,
          port: intIn(1, 65535),
        }),
        { error: "expected a list of routes { prefix, service, port }" },
      )
      .min(1, { error: "expected at least one route" }),
    /**
     * The default route: every path no route above claims goes here over HTTP, through chocon
     * (the upstream is named `http://<internal name>.ccnproxy[:port]`). In us it is the monolith.
     */
    default: strict({
      upstream: choconCallUrl,
      /** The whole request, every attempt included. */
      timeoutSeconds: intIn(2, 300).default(30),
      /**
       * Further attempts after a failed one: any request whose connection failed, and idempotent
       * requests (GET, HEAD, OPTIONS, PUT, DELETE) answered 502, 503 or 504.
       */
      retries: intIn(0, 5).default(2),
    }).optional(),
  }),
  chocon: strict({
    // The image is not configured: the program runs the chocon that the artifacts workflow built
    // (the same binary the hosts install), from the region's registry, by digest.
    replicas: replicas.default({ min: 2, max: 10 }),
  }).default({ replicas: { min: 2, max: 10 } }),
});
export type GkeSpec = z.output<typeof gkeSchema>;
