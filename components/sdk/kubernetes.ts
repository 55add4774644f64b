// The API groups of @pulumi/kubernetes the program uses, under the names the package gives them
// (`k8s.core.v1`), loaded one group at a time: the package's own index loads every group, which
// costs a plan about 60 ms of CPU before it builds anything. Each kind's class still loads only
// when first used. A group not listed here is added here.
export * as apiextensions from "@pulumi/kubernetes/apiextensions";
export * as apps from "@pulumi/kubernetes/apps";
export * as autoscaling from "@pulumi/kubernetes/autoscaling";
export * as core from "@pulumi/kubernetes/core";
export * as networking from "@pulumi/kubernetes/networking";
export * as policy from "@pulumi/kubernetes/policy";
export { Provider, type ProviderArgs } from "@pulumi/kubernetes/provider";
// Input and output shapes: types only, nothing to load.
export type * as types from "@pulumi/kubernetes/types";
