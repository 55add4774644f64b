// The region's site on GCP (a spec with cloud: gcp), loaded only for such a spec.
import * as pulumi from "@pulumi/pulumi";
import { GcpDumpReadGrant } from "./gcp/offsite-bucket";
import { GcpSite } from "./gcp/site";
import type { SiteContext, SiteParts } from "./region-build";
import { latestSnapshotSources } from "./restores";
import type { GcpRegionSpec } from "./spec/schema";

export function buildGcpSite(context: SiteContext, spec: GcpRegionSpec): SiteParts {
  const { region, name, args, restore, dataSnapshots, mysqlDumps } = context;
  const { chocon } = args;
  const site = new GcpSite(
    `${name}-gcp`,
    {
      ...context.common,
      spec,
      chocon,
      ...(dataSnapshots ? { dataSnapshots } : {}),
      ...(restore ? { latestDataSnapshotsOf: latestSnapshotSources(restore) } : {}),
      ...(mysqlDumps ? { mysqlDumpBucket: mysqlDumps.bucket } : {}),
    },
    { parent: region },
  );
  const mysqlAccount = site.serviceAccounts.mysql;
  if (mysqlDumps && mysqlAccount) {
    new GcpDumpReadGrant(
      `${name}-dump-reader`,
      { provider: site.provider, bucket: mysqlDumps.bucket, serviceAccountEmail: mysqlAccount },
      { parent: region },
    );
  }
  return {
    front: site.loadBalancerAddress,
    backups: pulumi.output({ cloud: spec.cloud, ...site.backups }),
    linkEnds: {},
    watch: site.watch,
  };
}
