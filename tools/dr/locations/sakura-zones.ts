// The Sakura Cloud zones, as Sakura's own client library lists them: sacloud/iaas-api-go
// types/zone.go at commit 1d8ace98c2f7c50ea7e48007c7d60c60d44f13f5 (ZoneNames and the comments on
// the zone ids). tk1v is the sandbox zone: it answers the API but runs nothing, so no region is
// rebuilt there.

export const SAKURA_ZONES_SOURCE = "sacloud/iaas-api-go types/zone.go at 1d8ace98";

export interface SakuraZone {
  readonly place: string;
  readonly sandbox: boolean;
}

export const SAKURA_ZONES: Readonly<Record<string, SakuraZone>> = {
  tk1a: { place: "Tokyo, first zone", sandbox: false },
  tk1b: { place: "Tokyo, second zone", sandbox: false },
  is1a: { place: "Ishikari, first zone", sandbox: false },
  is1b: { place: "Ishikari, second zone", sandbox: false },
  is1c: { place: "Ishikari, third zone", sandbox: false },
  tk1v: { place: "sandbox", sandbox: true },
};
