// Shared pieces of the AWS site tests: the real us spec, variants of it, and a mocked program run
// that also records resource options (only a stack transformation can see them).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { parse } from "yaml";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../../components/spec/load";
import type { AwsRegionSpec } from "../../components/spec/schema";
import {
  type RecordedResource,
  type Recorder,
  runInStack,
  type SeenResource,
} from "../support/mocks";

const root = join(__dirname, "..", "..");

/** The raw `multicloud:region` value of a stack file. */
export function rawSpec(stack: string): Record<string, unknown> {
  const file = parse(readFileSync(join(root, `Pulumi.${stack}.yaml`), "utf8")) as {
    config: Record<string, Record<string, unknown>>;
  };
  const raw = file.config[REGION_CONFIG_KEY];
  assert.ok(raw, `Pulumi.${stack}.yaml has no ${REGION_CONFIG_KEY}`);
  return raw;
}

/** The us region as validated from Pulumi.us.yaml, optionally changed before validation. */
export function usSpec(change?: (raw: Record<string, unknown>) => void): AwsRegionSpec {
  const raw = structuredClone(rawSpec("us"));
  change?.(raw);
  const spec = parseRegionSpec(raw, "Pulumi.us.yaml");
  assert.equal(spec.cloud, "aws");
  if (spec.cloud !== "aws") throw new Error("not an aws spec");
  return spec;
}

export type SeenOptions = SeenResource;

/**
 * Runs a program under the mocks (installMocks must have run) inside a stack, and waits until
 * every resource has been registered. Returns each resource's options.
 */
export const runProgram = runInStack;

/** A provider for tests that build components directly. */
export function testProvider(name = "test-aws", region = "us-west-2"): aws.Provider {
  return new aws.Provider(name, { region });
}

/** The recorded resources of a type whose name starts with a prefix. */
export function named(rec: Recorder, type: string, prefix: string): RecordedResource[] {
  return rec.ofType(type).filter((r) => r.name.startsWith(prefix));
}

/** The options a resource was registered with. */
export function optionsOf(
  seen: readonly SeenOptions[],
  type: string,
  name: string,
): pulumi.ResourceOptions {
  const found = seen.find((s) => s.type === type && s.name === name);
  assert.ok(found, `no options recorded for ${type} ${name}`);
  return found.opts;
}

/** A recorded policy input: JSON text, or a policy document object (as the SDK passes it on). */
export function policyOf(value: unknown): { Statement: Record<string, unknown>[] } {
  const parsed: unknown = typeof value === "string" ? JSON.parse(value) : value;
  assert.ok(
    typeof parsed === "object" &&
      parsed !== null &&
      Array.isArray((parsed as { Statement?: unknown }).Statement),
    "not a policy document",
  );
  return parsed as { Statement: Record<string, unknown>[] };
}

/**
 * The document a host reads from user data sent as base64 text: the bytes must be a gzip stream
 * (RFC 1952's magic 1f 8b), which cloud-init decompresses before it reads the document.
 */
export function gzipUserDataText(base64: unknown): string {
  assert.equal(typeof base64, "string", "user data is base64 text");
  const bytes = Buffer.from(String(base64), "base64");
  assert.deepEqual([...bytes.subarray(0, 2)], [0x1f, 0x8b], "user data is not gzip");
  return gunzipSync(bytes).toString("utf8");
}

/** Pulumi's marker for secret values in recorded inputs. */
export const secretSignature = "4dabf18193072939515e22adb298388d";

export function isSecret(value: unknown): boolean {
  return typeof value === "object" && value !== null && secretSignature in value;
}

export const T = {
  vpc: "aws:ec2/vpc:Vpc",
  subnet: "aws:ec2/subnet:Subnet",
  nat: "aws:ec2/natGateway:NatGateway",
  eip: "aws:ec2/eip:Eip",
  route: "aws:ec2/route:Route",
  routeTable: "aws:ec2/routeTable:RouteTable",
  rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
  reservation: "aws:ec2/subnetCidrReservation:SubnetCidrReservation",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  egress: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  asg: "aws:autoscaling/group:Group",
  instance: "aws:ec2/instance:Instance",
  volume: "aws:ebs/volume:Volume",
  attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attach: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  key: "aws:kms/key:Key",
  alias: "aws:kms/alias:Alias",
  secret: "aws:secretsmanager/secret:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
  lb: "aws:lb/loadBalancer:LoadBalancer",
  targetGroup: "aws:lb/targetGroup:TargetGroup",
  listener: "aws:lb/listener:Listener",
  bucket: "aws:s3/bucket:Bucket",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  publicAccess: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  encryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  certificate: "aws:acm/certificate:Certificate",
  validation: "aws:acm/certificateValidation:CertificateValidation",
  record: "aws:route53/record:Record",
  zone: "aws:route53/zone:Zone",
  healthCheck: "aws:route53/healthCheck:HealthCheck",
  rds: "aws:rds/instance:Instance",
  subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  provider: "pulumi:providers:aws",
} as const;
