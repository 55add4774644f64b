// Which host role a machine resource serves, read from the tags or labels every site puts on it,
// with its logical name as a fallback so that a lost tag cannot hide a stateful host.
import type { Props } from "./types";
import { at, keyValueTags, records, stringMap } from "./values";

export const HOST_ROLES = ["nginx", "app", "mysql", "memcached", "util", "chocon"] as const;
export type HostRole = (typeof HOST_ROLES)[number];

/** Roles whose hosts hold state: MySQL data, and the Consul servers (on util hosts). */
export const STATEFUL_ROLES: readonly HostRole[] = ["mysql", "util"];

/** The role that faces the internet (nginx); every other role is app or data tier. */
export const FRONT_ROLE: HostRole = "nginx";

function known(value: string | undefined): HostRole | undefined {
  return HOST_ROLES.find((role) => role === value);
}

export function hostRole(props: Props, name: string): HostRole | undefined {
  const tagged =
    known(stringMap(props.tags).role) ??
    known(stringMap(props.labels).role) ??
    known(keyValueTags(props.tags).role) ??
    records(props.tagSpecifications)
      .map((spec) => known(stringMap(at(spec, "tags")).role))
      .find((role) => role !== undefined);
  if (tagged) return tagged;
  const match = new RegExp(`(?:^|-)(${HOST_ROLES.join("|")})(?:-\\d+)?(?:-|$)`).exec(name);
  return known(match?.[1]);
}
