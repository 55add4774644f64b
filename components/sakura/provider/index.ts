export { SakuraDisk, type SakuraDiskArgs } from "./disk";
export { SakuraDiskProvider } from "./disk-provider";
export type { SakuraProviderOptions } from "./options";
export {
  SakuraPacketFilter,
  type SakuraPacketFilterArgs,
  type SakuraPacketFilterExpressionArgs,
} from "./packet-filter";
export { SakuraPacketFilterProvider } from "./packet-filter-provider";
export { type SakuraDiskEditArgs, SakuraServer, type SakuraServerArgs } from "./server";
export { SakuraServerProvider } from "./server-provider";
export { configKeys, envKeys } from "./settings";
export { SakuraSwitch, type SakuraSwitchArgs } from "./switch";
export { SakuraSwitchProvider } from "./switch-provider";
