// What the Sakura Cloud API accepts, as `check` enforces it. Each value names where Sakura's own
// code or data shows it; a value not shown there is not listed (the API is the final word: a
// plan or size confirmed with `usacloud iaas server-plan list` / `disk-plan read` may be added
// here with that source).

/** Rules per packet filter. terraform-provider-sakuracloud sakuracloud/resource_sakuracloud_packet_filter.go: `expression` MaxItems 30. */
export const packetFilterMaxRules = 30;

/**
 * Disk sizes in GiB, for both plans (SSD and HDD). usacloud pkg/define/disk.go @00ed9bed
 * `allowDiskSizes`; the API lists them per plan in `GET product/disk/:id` (`Size[]`), which
 * iaas-service-go checks before every create (disk/builder/builder.go validateDiskPlan).
 */
export const diskSizesGb: readonly number[] = [
  20, 40, 60, 80, 100, 250, 500, 750, 1024, 2048, 4096,
];

export interface ServerPlanRow {
  readonly cpu: number;
  readonly memoryGb: number;
  readonly commitment: "standard" | "dedicatedcpu";
  readonly source: string;
}

/** Server plans (cores, memory) that Sakura's own code or acceptance tests use. */
export const serverPlans: readonly ServerPlanRow[] = [
  {
    cpu: 1,
    memoryGb: 1,
    commitment: "standard",
    source: "iaas-api-go fake/init.go initServerPlan (プラン/1Core-1GB)",
  },
  {
    cpu: 1,
    memoryGb: 2,
    commitment: "standard",
    source:
      "terraform-provider-sakuracloud sakuracloud/resource_sakuracloud_disk_test.go (core 1, memory 2)",
  },
  {
    cpu: 2,
    memoryGb: 2,
    commitment: "standard",
    source:
      "terraform-provider-sakuracloud sakuracloud/resource_sakuracloud_server_test.go (core 2, memory 2)",
  },
  {
    cpu: 2,
    memoryGb: 4,
    commitment: "standard",
    source:
      "iaas-api-go fake/init.go initServerPlan (プラン/2Core-4GB); sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 4,
    memoryGb: 8,
    commitment: "standard",
    source: "sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 4,
    memoryGb: 16,
    commitment: "standard",
    source: "sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 8,
    memoryGb: 16,
    commitment: "standard",
    source: "sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 10,
    memoryGb: 24,
    commitment: "standard",
    source: "sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 10,
    memoryGb: 32,
    commitment: "standard",
    source: "sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 10,
    memoryGb: 48,
    commitment: "standard",
    source: "sacloud/autoscaler core/resource_server.go DefaultServerPlans",
  },
  {
    cpu: 2,
    memoryGb: 4,
    commitment: "dedicatedcpu",
    source:
      "terraform-provider-sakuracloud sakuracloud/resource_sakuracloud_server_test.go (commitment dedicatedcpu, core 2, memory 4)",
  },
  {
    cpu: 32,
    memoryGb: 120,
    commitment: "dedicatedcpu",
    source: "iaas-api-go fake/init.go initServerPlan (コア専有プラン/32Core-120GB)",
  },
];
