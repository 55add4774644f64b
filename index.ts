// The program: one region, built from the `multicloud:region` key of the selected stack's file.
// The module's export is a function, which Pulumi's Node.js runner calls and awaits
// (cmd/run/run.js): the region hands its first resources to the engine before it builds the rest
// (components/region.ts), and the object the function returns is the stack's outputs.
import * as pulumi from "@pulumi/pulumi";
import { readChoconRelease } from "./components/artifacts/publish";
import { Region } from "./components/region";
import { leavePromiseStacksOut } from "./components/sdk/promise-stacks";
import { loadRegionSpec } from "./components/spec/from-config";

leavePromiseStacksOut();

export = async () => {
  const spec = loadRegionSpec(__dirname);
  const config = new pulumi.Config("multicloud");
  const sshPrivateKey = spec.cloud === "sakura" ? config.getSecret("sshPrivateKey") : undefined;
  // The chocon build of the artifacts workflow, named by the digests the deploy job sets.
  const chocon = readChoconRelease(__dirname);
  const pagerDuty = spec.alerts.pagerDuty
    ? {
        cloudWatch: config.getSecret("pagerDutyCloudWatchKey"),
        cloudMonitoring: config.getSecret("pagerDutyCloudMonitoringKey"),
      }
    : undefined;
  const region = new Region(spec.name, {
    spec,
    chocon,
    ...(sshPrivateKey ? { sshPrivateKey } : {}),
    ...(pagerDuty ? { pagerDuty } : {}),
  });
  // The rest of the region is built after the first resources went out; its error fails the run.
  const built = await region.ready;
  return {
    /** Name servers to set at the registrar for the region's domain. */
    nameServers: region.nameServers,
    publicZoneId: region.publicZoneId,
    domain: spec.domain,
    cloud: spec.cloud,
    /** The front: the load balancer's name or address, or the round-robin hosts' addresses. */
    front: built.front,
    gatewayHostname: built.gatewayHostname ?? null,
    /**
     * Where the region's backups are (off-site bucket, replicated RDS backups, data disks): a
     * rebuild elsewhere reads this output through its stack reference (`fromStack`, written by
     * `npm run dr`), or from a saved copy (`npm run dr -- --backups`) when this stack's state
     * cannot be reached.
     */
    drBackups: built.backups,
  };
};
