// What every EC2 host gets, whether in an auto-scaling group or fixed. Pure.
import type { Role } from "../spec/hosts";
import type { AwsRegionSpec } from "../spec/schema";
import { awsTags } from "../tags";
import { consulTags } from "./consul";

/**
 * IMDSv2 only (session tokens defeat SSRF-style credential theft), a hop limit of 1 so containers
 * on the host cannot reach the metadata service, and tags readable from the metadata service so a
 * host can learn its name and role at boot.
 */
export const metadataOptions = {
  httpEndpoint: "enabled",
  httpTokens: "required",
  httpPutResponseHopLimit: 1,
  instanceMetadataTags: "enabled",
} as const;

/** The device name a fixed host's data volume is attached as (nvme1n1 on Nitro instances). */
export const dataVolumeDevice = "/dev/sdf";

/**
 * Tags of a host and its volumes: the region's tags, its name and role, and the Consul tags (the
 * servers' one is what cloud auto-join looks for). Provider default tags do not reach instances
 * that an auto-scaling group launches, so hosts carry the full set.
 */
export function hostTags(spec: AwsRegionSpec, role: Role, name: string): Record<string, string> {
  return awsTags(spec, { Name: name, role, ...consulTags(spec, role) });
}
