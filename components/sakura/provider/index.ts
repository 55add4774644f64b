export {
  configKeys,
  envKeys,
  SakuraDiskProvider,
  SakuraPacketFilterProvider,
  type SakuraProviderOptions,
  SakuraServerProvider,
  SakuraSwitchProvider,
} from "@multicloud/sakura-cloud";
export { SakuraDisk, type SakuraDiskArgs } from "./disk";
export {
  SakuraPacketFilter,
  type SakuraPacketFilterArgs,
  type SakuraPacketFilterExpressionArgs,
} from "./packet-filter";
export { type SakuraDiskEditArgs, SakuraServer, type SakuraServerArgs } from "./server";
export { SakuraSwitch, type SakuraSwitchArgs } from "./switch";
