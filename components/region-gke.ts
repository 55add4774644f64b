// The region's GKE part, loaded only when the spec has a `gke` block: the microservices, then
// (after a turn of the event loop, so the cluster's resources go to the engine first) the private
// links between the site and the cluster.
import type * as random from "@pulumi/random";
import type { ChoconRelease } from "./artifacts/publish";
import { Microservices } from "./gke";
import { RegionLinks, type RegionLinksArgs } from "./links";
import type { Region, RegionFirst } from "./region";
import type { GkeParts } from "./region-build";
import { nextTurn } from "./region-phases";
import type { GkeSpec } from "./spec/gke";
import { fixedHosts } from "./spec/layout";
import type { RegionSpec } from "./spec/schema";

export interface GkeContext {
  readonly first: RegionFirst;
  readonly chocon: ChoconRelease;
  /** The provider the links' pre-shared keys are drawn with. */
  readonly keyProvider: random.Provider;
  /** Where the private links end on the site's side. */
  readonly linkEnds: Pick<RegionLinksArgs, "aws" | "sakura">;
}

export async function buildGke(
  region: Region,
  name: string,
  spec: RegionSpec,
  gke: GkeSpec,
  context: GkeContext,
): Promise<GkeParts> {
  const consulServers = fixedHosts(spec)
    .filter((host) => host.consulServer)
    .map((host) => `${host.address}:8600`);
  const microservices = new Microservices(
    `${name}-gke`,
    {
      spec,
      gke,
      publicZoneId: context.first.zone.zoneId,
      dnsProvider: context.first.dnsProvider,
      consulDnsServers: consulServers,
      chocon: context.chocon,
    },
    { parent: region },
  );
  if (spec.links.some((link) => link.kind === "haVpn" || link.kind === "ipsecVpn")) {
    await nextTurn();
    new RegionLinks(
      `${name}-links`,
      {
        spec,
        keyProvider: context.keyProvider,
        ...context.linkEnds,
        gke: {
          gcpProvider: microservices.gcpProvider,
          k8sProvider: microservices.k8sProvider,
          networkId: microservices.networkId,
        },
      },
      { parent: region },
    );
  }
  return {
    gatewayHostname: microservices.gatewayHostname,
    // Alerts wait for the project's APIs (Monitoring's among them), not for the cluster.
    watch: { provider: microservices.gcpProvider, project: gke.project, apis: microservices.apis },
  };
}
