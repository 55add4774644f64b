// The region's site on Sakura (a spec with cloud: sakura), loaded only for such a spec, with the
// AWS keys its hosts carry: Sakura hosts have no cloud identity of their own.
import * as pulumi from "@pulumi/pulumi";
import { SignalsKey } from "./alerts/aws/signals-key";
import { AwsArtifactReader } from "./artifacts/aws-reader";
import { OffsiteDumpReader } from "./aws/offsite-reader";
import { OffsiteWriter } from "./aws/offsite-writer";
import { deployKey } from "./deploy-key";
import { AcmeWriter } from "./dns/acme-writer";
import { PUSHED_SECRETS_DIR } from "./host";
import { certificateNames } from "./host/acme";
import { OFFSITE_PREFIXES } from "./host/offsite";
import { sakuraArtifactRegion, siteFacts } from "./host/site-facts";
import type { SiteContext, SiteParts } from "./region-build";
import { sakuraRoleSecrets } from "./sakura/site/role-secrets";
import { SakuraSite } from "./sakura/site/site";
import { offsiteAwsRegion } from "./spec/dr";
import { hostCount } from "./spec/layout";
import type { SakuraRegionSpec } from "./spec/schema";
import type { HostSecretId, PushedSecretId } from "./spec/secrets";

export function buildSakuraSite(context: SiteContext, spec: SakuraRegionSpec): SiteParts {
  const { region, name, args, first, mysqlDumps } = context;
  const { chocon } = args;
  const { dnsProvider, zone } = first;
  const sshPrivateKey = deployKey(args.sshPrivateKey);
  // Sakura hosts ship backups to S3 in AWS with a write-only key that travels with the other
  // pushed secrets.
  const offsite = new OffsiteWriter(
    `${name}-offsite`,
    {
      spec,
      awsRegion: offsiteAwsRegion(spec) ?? spec.dr.backupLocation,
      prefixes: Object.values(OFFSITE_PREFIXES),
    },
    { parent: region },
  );
  // chocon hosts download the deploy's chocon build from S3 with a read-only key, pushed too.
  const artifacts =
    hostCount(spec, "chocon") > 0
      ? new AwsArtifactReader(
          `${name}-artifacts`,
          { spec, awsRegion: sakuraArtifactRegion(spec), release: chocon },
          { parent: region },
        )
      : undefined;
  const pushed: Record<HostSecretId, pulumi.Output<string>> &
    Partial<Record<PushedSecretId, pulumi.Output<string>>> = {
    ...context.common.hostSecrets,
    "backup-bucket": offsite.bucketName,
    "backup-access-key-id": offsite.accessKeyId,
    "backup-secret-access-key": offsite.secretAccessKey,
    ...(artifacts
      ? {
          "artifact-bucket": artifacts.bucketName,
          "artifact-access-key-id": artifacts.accessKeyId,
          "artifact-secret-access-key": artifacts.secretAccessKey,
        }
      : {}),
  };
  // The front hosts order their certificates with a key that may write challenge records only.
  const certificates = siteFacts(spec).frontCertificates;
  const acme = certificates
    ? new AcmeWriter(
        `${name}-acme`,
        {
          region: spec.name,
          zoneId: zone.zoneId,
          names: certificateNames(certificates),
          provider: dnsProvider,
        },
        { parent: region },
      )
    : undefined;
  // The publishing roles sign their signals with a key that may put metric data only.
  const signals = new SignalsKey(
    `${name}-signals`,
    { region: spec.name, provider: dnsProvider },
    { parent: region },
  );
  // A rebuild's MySQL hosts read the lost region's dumps with a key that may read only those.
  const dumpReader = mysqlDumps
    ? new OffsiteDumpReader(
        `${name}-dump-reader`,
        { region: spec.name, dumps: mysqlDumps, provider: dnsProvider },
        { parent: region },
      )
    : undefined;
  const site = new SakuraSite(
    `${name}-sakura`,
    {
      ...context.common,
      hostSecrets: pushed,
      roleSecrets: sakuraRoleSecrets({
        signals: {
          "signals-access-key-id": signals.accessKeyId,
          "signals-secret-access-key": signals.secretAccessKey,
        },
        ...(dumpReader
          ? {
              restore: {
                "restore-bucket": dumpReader.bucketName,
                "restore-access-key-id": dumpReader.accessKeyId,
                "restore-secret-access-key": dumpReader.secretAccessKey,
              },
            }
          : {}),
        ...(acme
          ? {
              acme: {
                "acme-access-key-id": acme.accessKeyId,
                "acme-secret-access-key": acme.secretAccessKey,
              },
            }
          : {}),
      }),
      spec,
      bootstrap: context.bootstrap,
      secretsDir: PUSHED_SECRETS_DIR,
      sshPrivateKey,
    },
    { parent: region },
  );
  return {
    front: pulumi.output(site.publicAddresses),
    backups: pulumi.output({
      cloud: spec.cloud,
      offsite: { region: offsite.awsRegion, bucket: offsite.bucketName, keyArn: offsite.keyArn },
    }),
    linkEnds: { sakura: { switchId: site.switchId } },
    watch: site.watch,
  };
}
