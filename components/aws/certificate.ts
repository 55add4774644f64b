// An ACM certificate for the front's names, validated through DNS records in the region's public
// zone. ACM renews it on its own as long as the validation records stay.
import * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { AwsRegionSpec } from "../spec/schema";

export interface CertificateArgs {
  spec: AwsRegionSpec;
  /** The provider of the region the certificate is used in (the load balancer's). */
  provider: aws.Provider;
  /** The provider for records in the public zone. */
  dnsProvider: aws.Provider;
  /** The public zone the names live in. */
  zoneId: pulumi.Input<string>;
  /** Fully qualified names; the first is the certificate's subject. */
  names: readonly string[];
}

export class Certificate extends pulumi.ComponentResource {
  /** The ARN once validation has succeeded: listeners that use it wait for that. */
  public readonly certificateArn: pulumi.Output<string>;

  constructor(name: string, args: CertificateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:aws:Certificate", name, {}, opts);
    const [subject, ...alternatives] = args.names;
    if (!subject) throw new Error(`certificate ${name}: no names`);

    const certificate = new aws.acm.Certificate(
      `${name}-cert`,
      {
        domainName: subject,
        subjectAlternativeNames: alternatives,
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags: { Name: subject },
      },
      // A new certificate (new names) must be issued before the old one is released.
      { parent: this, provider: args.provider, deleteBeforeReplace: false },
    );

    const records = args.names.map((fqdn) => {
      // ACM reports one option per name once the certificate exists (offline runs have none).
      const option = certificate.domainValidationOptions.apply((options) =>
        (options ?? []).find((o) => o.domainName === fqdn),
      );
      return new aws.route53.Record(
        `${name}-validation-${fqdn.replace(/\./g, "-")}`,
        {
          zoneId: args.zoneId,
          name: option.apply((o) => o?.resourceRecordName ?? `_validation.${fqdn}`),
          type: option.apply((o) => o?.resourceRecordType ?? "CNAME"),
          records: [option.apply((o) => o?.resourceRecordValue ?? "")],
          ttl: 300,
          // ACM asks every certificate of the account for the same record per name, in every
          // region: a region and its rebuild both write it (allowOverwrite), and neither's
          // deletion may take it from the other, whose renewals need it (retainOnDelete).
          allowOverwrite: true,
        },
        { parent: this, provider: args.dnsProvider, retainOnDelete: true },
      );
    });

    const validation = new aws.acm.CertificateValidation(
      `${name}-validation`,
      {
        certificateArn: certificate.arn,
        validationRecordFqdns: records.map((record) => record.fqdn),
      },
      { parent: this, provider: args.provider },
    );
    this.certificateArn = validation.certificateArn;
    this.registerOutputs({ certificateArn: this.certificateArn });
  }
}
