import { configKeys, envKeys } from "@multicloud/sakura-cloud";
import * as pulumi from "@pulumi/pulumi";

/**
 * The zone for a resource: the explicit argument, else the stack config `sakuracloud:zone`,
 * else `SAKURACLOUD_ZONE`. Resolved in the program so the zone is a visible, stored input.
 */
export function defaultZone(zone: pulumi.Input<string> | undefined): pulumi.Input<string> {
  if (zone !== undefined) return zone;
  const [namespace, key] = configKeys.zone.split(":") as [string, string];
  const fromConfig = new pulumi.Config(namespace).get(key);
  const fromEnv = process.env[envKeys.zone];
  const found = fromConfig ?? (fromEnv === "" ? undefined : fromEnv);
  if (found === undefined) {
    throw new Error(
      `no Sakura Cloud zone: pass "zone" or set ${configKeys.zone} or ${envKeys.zone}`,
    );
  }
  return found;
}
