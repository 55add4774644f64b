// What the fake Sakura Cloud API accepts, written down from Sakura's own code on its own (not
// imported from the provider's limits table, so that the two can disagree and a test notice).

/** Server plans, "cores/GiB/commitment", as in Sakura's own code and acceptance tests:
 * iaas-api-go fake/init.go initServerPlan; sacloud/autoscaler core/resource_server.go
 * DefaultServerPlans; terraform-provider-sakuracloud sakuracloud/resource_sakuracloud_server_test.go
 * and resource_sakuracloud_disk_test.go. */
export const fakeServerPlans: ReadonlySet<string> = new Set([
  "1/1/standard",
  "1/2/standard",
  "2/2/standard",
  "2/4/standard",
  "4/8/standard",
  "4/16/standard",
  "8/16/standard",
  "10/24/standard",
  "10/32/standard",
  "10/48/standard",
  "2/4/dedicatedcpu",
  "32/120/dedicatedcpu",
]);

/** Disk sizes in GiB for both plans: usacloud pkg/define/disk.go @00ed9bed allowDiskSizes. */
export const fakeDiskSizesGb: readonly number[] = [
  20, 40, 60, 80, 100, 250, 500, 750, 1024, 2048, 4096,
];

/** Rules per packet filter: terraform-provider-sakuracloud resource_sakuracloud_packet_filter.go MaxItems 30. */
export const fakeMaxRules = 30;

/** Protocols of a rule: iaas-api-go types/protocol.go. */
export const fakeProtocols: readonly string[] = [
  "http",
  "https",
  "tcp",
  "udp",
  "icmp",
  "fragment",
  "ip",
];
