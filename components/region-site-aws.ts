// The region's site on AWS (a spec with cloud: aws), loaded only for such a spec.
import * as pulumi from "@pulumi/pulumi";
import { AwsSite } from "./aws/site";
import type { SiteContext, SiteParts } from "./region-build";
import { databaseRestores } from "./restores";
import type { AwsRegionSpec } from "./spec/schema";

export function buildAwsSite(context: SiteContext, spec: AwsRegionSpec): SiteParts {
  const { region, name, args, restore, dataSnapshots, mysqlDumps } = context;
  const { chocon } = args;
  const site = new AwsSite(
    `${name}-aws`,
    {
      ...context.common,
      spec,
      chocon,
      ...(restore ? { databaseRestores: databaseRestores(restore, region) } : {}),
      ...(dataSnapshots ? { dataSnapshots } : {}),
      ...(mysqlDumps ? { mysqlDumps } : {}),
    },
    { parent: region },
  );
  return {
    front: site.albDnsName ?? pulumi.output(site.frontAddresses),
    backups: pulumi.output({ cloud: spec.cloud, ...site.backups }),
    linkEnds: {
      aws: { provider: site.provider, vpcId: site.vpcId, routeTableIds: site.privateRouteTableIds },
    },
    watch: site.watch,
  };
}
