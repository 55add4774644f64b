// The host roles of a region, in cloud-neutral words: how many, how big, where.
import type { z } from "zod";
import { intIn, oneOf, size, strict, text } from "./primitives";

export const roles = ["nginx", "app", "mysql", "memcached", "util", "chocon"] as const;
export type Role = (typeof roles)[number];

const machineType = text(
  /^[a-z0-9][a-z0-9._-]{1,62}$/,
  "a machine type of the region's cloud, such as m7i.large or e2-standard-4",
);

/** Where a role's hosts live. "dedicated" exists only on Sakura Internet (metal ordered by hand). */
export const placement = oneOf(["cloud", "dedicated"]);

function roleFields(minCount: number, maxCount: number) {
  return {
    count: intIn(minCount, maxCount),
    size: size,
    /** Escape hatch: a cloud-specific machine type that replaces the size's mapping. */
    machineType: machineType.optional(),
    /** Root disk, GiB. */
    diskGb: intIn(20, 2000).default(40),
    placement: placement.default("cloud"),
  };
}

export const hostsSchema = strict({
  nginx: strict(roleFields(1, 100)),
  app: strict(roleFields(1, 200)),
  /** Self-run MySQL: a primary and its replicas (0 when every database is managed). */
  mysql: strict({ ...roleFields(0, 10), dataDiskGb: intIn(20, 16384).default(200) }),
  memcached: strict(roleFields(0, 50)),
  /** Util hosts run batch jobs, the internal zone and the Consul servers: one per Consul server. */
  util: strict((({ count: _count, ...rest }) => rest)(roleFields(0, 0))),
  /** chocon, the keep-alive proxy for calls to other clouds. */
  chocon: strict(roleFields(0, 20)).default({
    count: 2,
    size: "small",
    diskGb: 40,
    placement: "cloud",
  }),
});

export type HostsSpec = z.output<typeof hostsSchema>;
