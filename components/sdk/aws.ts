// The parts of @pulumi/aws the program uses, under the names the package gives them (`aws.ec2`),
// loaded one service at a time: the package's own index loads all of its ~250 services, which
// costs a plan about 150 ms of CPU before it builds anything. Each service's resource classes
// still load only when first used. A service not listed here is added here.
export * as acm from "@pulumi/aws/acm";
export * as autoscaling from "@pulumi/aws/autoscaling";
export * as cloudwatch from "@pulumi/aws/cloudwatch";
export * as ebs from "@pulumi/aws/ebs";
export * as ec2 from "@pulumi/aws/ec2";
export * as elb from "@pulumi/aws/elb";
export { getAvailabilityZonesOutput } from "@pulumi/aws/getAvailabilityZones";
export { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
export { getPartitionOutput } from "@pulumi/aws/getPartition";
export * as iam from "@pulumi/aws/iam";
export * as kms from "@pulumi/aws/kms";
export * as lb from "@pulumi/aws/lb";
export { Provider, type ProviderArgs } from "@pulumi/aws/provider";
export * as rds from "@pulumi/aws/rds";
export * as route53 from "@pulumi/aws/route53";
export * as s3 from "@pulumi/aws/s3";
export * as secretsmanager from "@pulumi/aws/secretsmanager";
export * as sns from "@pulumi/aws/sns";
// Input and output shapes: types only, nothing to load.
export type * as types from "@pulumi/aws/types";
export * as vpc from "@pulumi/aws/vpc";
