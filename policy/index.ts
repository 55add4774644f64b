// The policy pack: `pulumi preview --policy-pack policy` (run from the project directory).
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, packArgs } from "./pack";

new PolicyPack(PACK_NAME, packArgs);
