export {
  configKeys,
  envKeys,
  SakuraDiskProvider,
  SakuraPacketFilterProvider,
  type SakuraProviderOptions,
  SakuraServerProvider,
  SakuraSwitchProvider,
  SakuraVpcRouterProvider,
} from "@multicloud/sakura-cloud";
export { SakuraDisk, type SakuraDiskArgs } from "./disk";
export {
  SakuraPacketFilter,
  type SakuraPacketFilterArgs,
  type SakuraPacketFilterExpressionArgs,
} from "./packet-filter";
export { type SakuraDiskEditArgs, SakuraServer, type SakuraServerArgs } from "./server";
export { SakuraSwitch, type SakuraSwitchArgs } from "./switch";
export {
  SakuraVpcRouter,
  type SakuraVpcRouterArgs,
  type SakuraVpcRouterFirewallArgs,
  type SakuraVpcRouterFirewallRuleArgs,
  type SakuraVpcRouterPrivateInterfaceArgs,
  type SakuraVpcRouterPublicInterfaceArgs,
  type SakuraVpcRouterSiteToSiteArgs,
  type SakuraVpcRouterStaticRouteArgs,
  type SakuraVpcRouterVpnParametersArgs,
} from "./vpc-router";
