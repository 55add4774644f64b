// How the dynamic providers find their credentials and API root.
//
// Pulumi serializes a dynamic provider, together with everything its methods reach, into the
// state of every resource it manages (the `__provider` property), and later runs that text in
// a separate provider process. What it serializes is the program's small stand-in
// (components/sakura/provider/packaged.ts), which loads this package by name in that process;
// a credential must never sit where it could be written into that text. So nothing here holds
// a credential at program time:
//
// 1. `configure()` (supported by @pulumi/pulumi 3.x dynamic providers) runs in the provider
//    process, once per provider, with the whole stack config, secrets decrypted. The values
//    are kept on the provider instance in that process only.
// 2. Without those config keys, the environment variables are read at call time.
//
// Secret resource inputs were the other option; they would be stored (encrypted) in the
// state of every resource and repeated per resource, which the config route avoids.
import type * as pulumi from "@pulumi/pulumi";
import { defaultApiRootUrl, SakuraClient } from "../api/client";
import type { SakuraProviderOptions } from "./options";
import { defaultTimings } from "./options";

/** Stack config keys (same names as Sakura's own Terraform and Pulumi providers). */
export const configKeys = {
  accessToken: "sakuracloud:token",
  accessTokenSecret: "sakuracloud:secret",
  apiRootUrl: "sakuracloud:apiRootUrl",
  zone: "sakuracloud:zone",
} as const;

export const envKeys = {
  accessToken: "SAKURACLOUD_ACCESS_TOKEN",
  accessTokenSecret: "SAKURACLOUD_ACCESS_TOKEN_SECRET",
  apiRootUrl: "SAKURACLOUD_API_ROOT_URL",
  zone: "SAKURACLOUD_ZONE",
} as const;

/** What `configure()` found in the stack config; lives in the provider process only. */
export interface ConfiguredSettings {
  accessToken?: string;
  accessTokenSecret?: string;
  apiRootUrl?: string;
}

export function settingsFromConfig(config: pulumi.dynamic.Config): ConfiguredSettings {
  const read = (key: string): string | undefined => {
    try {
      const value = config.get(key);
      return value === undefined || value === "" ? undefined : value;
    } catch {
      return undefined; // an engine that sent no config at all
    }
  };
  return {
    accessToken: read(configKeys.accessToken),
    accessTokenSecret: read(configKeys.accessTokenSecret),
    apiRootUrl: read(configKeys.apiRootUrl),
  };
}

function fromEnv(key: string): string | undefined {
  const value = process.env[key];
  return value === undefined || value === "" ? undefined : value;
}

/** Builds a client for `zone` from config values, else the environment, read now. */
export function openClient(
  zone: string,
  configured: ConfiguredSettings | undefined,
  options: SakuraProviderOptions,
): SakuraClient {
  const accessToken = configured?.accessToken ?? fromEnv(envKeys.accessToken);
  const accessTokenSecret = configured?.accessTokenSecret ?? fromEnv(envKeys.accessTokenSecret);
  if (accessToken === undefined || accessTokenSecret === undefined) {
    throw new Error(
      `Sakura Cloud credentials are missing: set the secret stack config ` +
        `${configKeys.accessToken} and ${configKeys.accessTokenSecret} ` +
        `(pulumi config set --secret ...) or the environment variables ` +
        `${envKeys.accessToken} and ${envKeys.accessTokenSecret}`,
    );
  }
  return new SakuraClient({
    zone,
    accessToken,
    accessTokenSecret,
    apiRootUrl: configured?.apiRootUrl ?? fromEnv(envKeys.apiRootUrl) ?? defaultApiRootUrl,
    retry: options.retry,
    sleep: options.sleep,
    timeoutMs: options.requestTimeoutMs ?? defaultTimings.requestTimeoutMs,
  });
}

/** The zone of a resource being read: from its state, else (for an import) the environment. */
export function zoneForRead(props: { zone?: string } | undefined): string {
  const zone = props?.zone ?? fromEnv(envKeys.zone);
  if (zone === undefined) {
    throw new Error(
      `the zone of the resource is unknown: set ${envKeys.zone} to read or import it`,
    );
  }
  return zone;
}
