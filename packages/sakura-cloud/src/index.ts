// The Sakura Cloud IaaS API client and the dynamic providers' implementations. The program's
// resource classes (components/sakura/provider) hand Pulumi a provider that loads this package
// by name in the provider process, so none of this is serialized into the state.
import type * as pulumi from "@pulumi/pulumi";
import { SakuraDiskProvider } from "./provider/disk-provider";
import type { SakuraProviderOptions } from "./provider/options";
import { SakuraPacketFilterProvider } from "./provider/packet-filter-provider";
import { SakuraServerProvider } from "./provider/server-provider";
import { SakuraSwitchProvider } from "./provider/switch-provider";
import { SakuraVpcRouterProvider } from "./provider/vpc-router-provider";

export * from "./api";
export { isUnknown } from "./provider/check";
export { canonical } from "./provider/diff";
export type { DiskEditInputs } from "./provider/disk-edit";
export { type DiskInputs, type DiskOutputs, SakuraDiskProvider } from "./provider/disk-provider";
export {
  diskSizesGb,
  packetFilterMaxRules,
  type ServerPlanRow,
  serverPlans,
  vpcRouterPlanIds,
  vpcRouterVpnDefaults,
} from "./provider/limits";
export { defaultTimings, type SakuraProviderOptions } from "./provider/options";
export {
  checkPacketFilterInputs,
  packetFilterActions,
  packetFilterProtocols,
  type RawExpression,
} from "./provider/packet-filter-check";
export {
  type PacketFilterExpressionInputs,
  type PacketFilterInputs,
  type PacketFilterOutputs,
  SakuraPacketFilterProvider,
} from "./provider/packet-filter-provider";
export {
  SakuraServerProvider,
  type ServerInputs,
  type ServerOutputs,
} from "./provider/server-provider";
export { configKeys, envKeys } from "./provider/settings";
export {
  SakuraSwitchProvider,
  type SwitchInputs,
  type SwitchOutputs,
} from "./provider/switch-provider";

export { checkVpcRouterInputs } from "./provider/vpc-router-check";
export type {
  VpcRouterFirewallInputs,
  VpcRouterFirewallRuleInputs,
  VpcRouterInputs,
  VpcRouterOutputs,
  VpcRouterPlan,
  VpcRouterPrivateInterfaceInputs,
  VpcRouterPublicInterfaceInputs,
  VpcRouterSiteToSiteInputs,
  VpcRouterStaticRouteInputs,
  VpcRouterVpnParameterInputs,
} from "./provider/vpc-router-inputs";
export { SakuraVpcRouterProvider } from "./provider/vpc-router-provider";

/** The resource kinds, by the type name each registers as (`sakuracloud:<kind>`). */
const providerClasses = {
  Switch: SakuraSwitchProvider,
  Disk: SakuraDiskProvider,
  Server: SakuraServerProvider,
  PacketFilter: SakuraPacketFilterProvider,
  VpcRouter: SakuraVpcRouterProvider,
} as const;

export type SakuraResourceKind = keyof typeof providerClasses;

export const sakuraResourceKinds = Object.keys(providerClasses) as SakuraResourceKind[];

/** A new provider for one kind of resource. */
export function createProvider(
  kind: SakuraResourceKind,
  options: SakuraProviderOptions = {},
): Required<pulumi.dynamic.ResourceProvider> {
  const Provider = providerClasses[kind];
  if (Provider === undefined) throw new Error(`no Sakura Cloud provider for kind "${kind}"`);
  return new Provider(options) as Required<pulumi.dynamic.ResourceProvider>;
}

// One implementation per provider object that the dynamic provider host deserialized.
const implementations = new WeakMap<object, Required<pulumi.dynamic.ResourceProvider>>();

/**
 * The implementation behind a serialized provider object (`{ kind }` and methods that call
 * this): made on its first call, then the same one for every call on that object, so that what
 * configure() stored is there for check, create and the rest.
 */
export function providerFor(serialized: {
  kind: SakuraResourceKind;
}): Required<pulumi.dynamic.ResourceProvider> {
  let implementation = implementations.get(serialized);
  if (implementation === undefined) {
    implementation = createProvider(serialized.kind);
    implementations.set(serialized, implementation);
  }
  return implementation;
}
