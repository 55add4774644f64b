// The jp Sakura site built from the real Pulumi.jp.yaml under Pulumi's mocks (installMocks must
// have run in the test file), with stand-in host-layer documents and secrets.
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { sakuraRoleSecrets } from "../../components/sakura/site/role-secrets";
import { SakuraSite } from "../../components/sakura/site/site";
import type { Role } from "../../components/spec/hosts";
import type { SakuraRegionSpec } from "../../components/spec/schema";
import {
  type AcmeSecretId,
  type HostSecretId,
  hostSecretIds,
  type SignalsSecretId,
} from "../../components/spec/secrets";
import { runInStack, type SeenResource } from "../support/mocks";
import { loadSpec } from "../support/stacks";

export const jpSite = "jp-sakura";

export const SWITCH = "pulumi-nodejs:dynamic/sakuracloud:Switch";
export const SERVER = "pulumi-nodejs:dynamic/sakuracloud:Server";
export const DISK = "pulumi-nodejs:dynamic/sakuracloud:Disk";
export const FILTER = "pulumi-nodejs:dynamic/sakuracloud:PacketFilter";

export const roleUserData = (role: Role) => `#cloud-config\nruncmd:\n  - [echo, ${role}-ready]\n`;
export const roleBootstrap = (role: Role) =>
  `#!/bin/bash\nset -euo pipefail\necho bootstrap ${role}\n`;
export const secretValues: Record<HostSecretId, string> = {
  // Every role token, TLS identity and the MySQL password: one value each.
  ...(Object.fromEntries(hostSecretIds.map((id) => [id, `fake-${id}-value`])) as Record<
    HostSecretId,
    string
  >),
  "consul-gossip-key": "fake-gossip-key-value",
  "consul-management-token": "fake-management-token-value",
};

/** What only the front hosts receive: the key that writes ACME challenge records. */
export const frontSecretValues: Record<AcmeSecretId, string> = {
  "acme-access-key-id": "fake-acme-key-id-value",
  "acme-secret-access-key": "fake-acme-secret-value",
};

/** What only the publishing hosts (util, MySQL) receive: the key that puts their signals. */
export const publisherSecretValues: Record<SignalsSecretId, string> = {
  "signals-access-key-id": "fake-signals-key-id-value",
  "signals-secret-access-key": "fake-signals-secret-value",
};

export function jpSpec(): SakuraRegionSpec {
  const loaded = loadSpec("jp");
  if (loaded.cloud !== "sakura")
    throw new Error("Pulumi.jp.yaml is expected to be a Sakura region");
  return loaded;
}

/** Builds the site; resolves with every resource as the stack transformation saw it. */
export function buildJpSite(spec: SakuraRegionSpec): Promise<SeenResource[]> {
  return runInStack(() => {
    const dnsProvider = new aws.Provider("dns", { region: "us-east-1" });
    const roles = Object.keys(spec.hosts) as Role[];
    new SakuraSite(jpSite, {
      spec,
      publicZoneId: "Z0000000000JP",
      dnsProvider,
      userData: Object.fromEntries(roles.map((r) => [r, roleUserData(r)])),
      bootstrap: Object.fromEntries(roles.map((r) => [r, roleBootstrap(r)])),
      hostSecrets: Object.fromEntries(
        hostSecretIds.map((id) => [id, pulumi.secret(secretValues[id])]),
      ) as Record<HostSecretId, pulumi.Output<string>>,
      roleSecrets: sakuraRoleSecrets({
        signals: {
          "signals-access-key-id": pulumi.secret(publisherSecretValues["signals-access-key-id"]),
          "signals-secret-access-key": pulumi.secret(
            publisherSecretValues["signals-secret-access-key"],
          ),
        },
        acme: {
          "acme-access-key-id": pulumi.secret(frontSecretValues["acme-access-key-id"]),
          "acme-secret-access-key": pulumi.secret(frontSecretValues["acme-secret-access-key"]),
        },
      }),
      secretsDir: "/etc/multicloud/secrets",
      sshPrivateKey: pulumi.secret("-----BEGIN OPENSSH PRIVATE KEY-----\nfake\n"),
    });
  });
}
