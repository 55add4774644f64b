// The program: one region, built from the `multicloud:region` key of the selected stack's file.
import { Region } from "./components/region";
import { loadRegionSpec } from "./components/spec/from-config";

const spec = loadRegionSpec(__dirname);
const region = new Region(spec.name, { spec });

/** Name servers to set at the registrar for the region's domain. */
export const nameServers = region.nameServers;
export const publicZoneId = region.publicZoneId;
export const domain = spec.domain;
export const cloud = spec.cloud;
