// The program: one region, built from the `multicloud:region` key of the selected stack's file.
import * as pulumi from "@pulumi/pulumi";
import { readChoconRelease } from "./components/artifacts/publish";
import { Region } from "./components/region";
import { leavePromiseStacksOut } from "./components/sdk/promise-stacks";
import { loadRegionSpec } from "./components/spec/from-config";

leavePromiseStacksOut();
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

/** Name servers to set at the registrar for the region's domain. */
export const nameServers = region.nameServers;
export const publicZoneId = region.publicZoneId;
export const domain = spec.domain;
export const cloud = spec.cloud;
/** The front: the load balancer's name or address, or the round-robin hosts' addresses. */
export const front = region.front;
export const gatewayHostname = region.gatewayHostname ?? null;
/**
 * Where the region's backups are (off-site bucket, replicated RDS backups, data disks): a rebuild
 * elsewhere reads this output through its stack reference (`fromStack`, written by `npm run dr`),
 * or from a saved copy (`npm run dr -- --backups`) when this stack's state cannot be reached.
 */
export const drBackups = region.backups;
