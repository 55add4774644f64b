// The provider SDKs' own resource classes, by the type token each registers (`__pulumiType`), so
// the floor constructs every resource with the class the program used: the class sets the
// package version, secret outputs and aliases, and builds its own inputs, as in the real program.
import type * as pulumi from "@pulumi/pulumi";

/** A generated resource class: `new C(name, args, opts)`. */
export type ResourceClass = new (
  name: string,
  args: Record<string, unknown>,
  opts: pulumi.CustomResourceOptions,
) => pulumi.CustomResource;

export interface ResourceClasses {
  /** The class that registers a type, if a loaded module exports it. */
  classOf(type: string): ResourceClass | undefined;
}

const PROVIDER_PREFIX = "pulumi:providers:";
const KUBERNETES_PREFIX = "kubernetes:";
/**
 * Kubernetes objects of kinds the SDK has no class for (Gateway API routes, GKE's policies) are
 * registered by this module's `CustomResource` as `kubernetes:<apiVersion>:<kind>`.
 */
const KUBERNETES_CUSTOM = /[/\\]@pulumi[/\\]kubernetes[/\\]apiextensions[/\\]customResource\.js$/;

/**
 * Classes found among the exports of loaded modules (file path, exports). Only plain values are
 * read: the SDKs' index modules export their classes through getters that would load every class
 * module on access. A provider class's token is its package name (`aws`), indexed here as
 * `pulumi:providers:aws`.
 */
export function resourceClasses(
  modules: readonly (readonly [file: string, exports: unknown])[],
): ResourceClasses {
  const classes = new Map<string, ResourceClass>();
  let kubernetesCustom: ResourceClass | undefined;
  for (const [file, exports] of modules) {
    if (exports === null || typeof exports !== "object") continue;
    const values = Object.entries(Object.getOwnPropertyDescriptors(exports)).map(
      ([name, descriptor]) => [name, descriptor.value as unknown] as const,
    );
    for (const [name, value] of values) {
      if (typeof value !== "function") continue;
      if (name === "CustomResource" && KUBERNETES_CUSTOM.test(file))
        kubernetesCustom = value as ResourceClass;
      const token = (value as { __pulumiType?: unknown }).__pulumiType;
      if (typeof token !== "string") continue;
      classes.set(
        token.includes(":") ? token : `${PROVIDER_PREFIX}${token}`,
        value as ResourceClass,
      );
    }
  }
  return {
    classOf: (type) =>
      classes.get(type) ?? (type.startsWith(KUBERNETES_PREFIX) ? kubernetesCustom : undefined),
  };
}
