// The right to publish the host signals: the instance roles of the publishing roles may put metric
// data in the hosts' namespace and nowhere else (PutMetricData has no resources to name).
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../../sdk/aws";
import { HOST_NAMESPACE } from "../signals";

export function publishSignalsPolicy(): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "PublishHostSignals",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": HOST_NAMESPACE } },
      },
    ],
  });
}

export function grantPublishing(
  name: string,
  roleName: pulumi.Input<string>,
  provider: aws.Provider,
  parent: pulumi.Resource,
): aws.iam.RolePolicy {
  return new aws.iam.RolePolicy(
    name,
    { role: roleName, name: "publish-host-signals", policy: publishSignalsPolicy() },
    { parent, provider },
  );
}
