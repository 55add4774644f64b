// How Consul agents on EC2 find the servers: the host layer renders a cloud auto-join that lists
// instances by a tag only the util hosts (the Consul servers) carry; this is why the instance
// roles may call ec2:DescribeInstances. Every host also names its datacenter in a tag, for people
// and for cost reports. Pure.
import { CONSUL_SERVER_TAG_KEY, consulServerTagValue } from "../host/site-facts";
import type { Role } from "../spec/hosts";
import type { AwsRegionSpec } from "../spec/schema";

export const consulDatacenterTagKey = "consul-datacenter";

/** The tag the host layer's `retry_join` looks for on the Consul servers. */
export function consulServerTag(spec: AwsRegionSpec): { key: string; value: string } {
  return { key: CONSUL_SERVER_TAG_KEY, value: consulServerTagValue(spec) };
}

/** The Consul tags of a host of a role. */
export function consulTags(spec: AwsRegionSpec, role: Role): Record<string, string> {
  const server = consulServerTag(spec);
  return {
    [consulDatacenterTagKey]: spec.consul.datacenter,
    ...(role === "util" ? { [server.key]: server.value } : {}),
  };
}
