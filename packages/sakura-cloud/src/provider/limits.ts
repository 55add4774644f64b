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

// ---- VPC router -------------------------------------------------------------------------------

/** Plan names and their IDs (iaas-api-go types/vpc_router_plan.go VPCRouterPlanIDMap). */
export const vpcRouterPlanIds = {
  standard: 1,
  premium: 2,
  highspec: 3,
  highspec4000: 4,
} as const;

/** The router version Sakura's libraries create (iaas-api-go fields.go ApplianceVPCRouterVersion DefaultValue 2). */
export const vpcRouterDefaultVersion = 2;

/** NIC positions: eth0 is the public NIC, eth1-eth7 private (terraform-provider-sakuracloud resource_sakuracloud_vpc_router.go `index` IntBetween(1, 7), MaxItems 7). */
export const vpcRouterPrivateNicIndexes = { min: 1, max: 7 } as const;

/** Mask lengths of a private NIC (resource_sakuracloud_vpc_router.go `netmask` IntBetween(16, 29)). */
export const vpcRouterNetmask = { min: 16, max: 29 } as const;

/** IP aliases on the public NIC (resource_sakuracloud_vpc_router.go `aliases` MaxItems 19). */
export const vpcRouterMaxIpAliases = 19;

/** Name length (terraform-provider-sakuracloud website/docs/r/vpc_router.md: `name` 1-64). */
export const vpcRouterMaxNameLength = 64;

/** Firewall protocols (iaas-api-go types/vpc_router_firewall_protocol.go). */
export const vpcRouterFirewallProtocols = ["tcp", "udp", "icmp", "ip"] as const;

/** A firewall rule's description (resource_sakuracloud_vpc_router.go isValidLengthBetween(0, 512)). */
export const vpcRouterMaxRuleDescription = 512;

/** Site-to-site VPN algorithms (iaas-api-go types/vpc_router_site_to_site.go). */
export const vpcRouterVpnEncryptionAlgos = ["aes128", "aes256"] as const;
export const vpcRouterVpnHashAlgos = ["sha1", "sha256"] as const;
export const vpcRouterVpnDhGroups = ["modp1024", "modp2048", "modp3072", "modp4096"] as const;

/**
 * What the router runs when nothing else is asked: Sakura's manual
 * (manual.sakura.ad.jp cloud/network/vpc-router/vpc-site-to-site-vpn.html: AES128, SHA1,
 * MODP1024 (group 2), ISAKMP SA 28800 s, IPsec SA 1800 s, DPD every 15 s, timeout 30 s), the
 * same figures as terraform-provider-sakuracloud's `site_to_site_vpn_parameter` defaults.
 */
export const vpcRouterVpnDefaults = {
  encryptionAlgo: "aes128",
  hashAlgo: "sha1",
  dhGroup: "modp1024",
  ikeLifetime: 28800,
  dpdInterval: 15,
  dpdTimeout: 30,
  espLifetime: 1800,
} as const;

/**
 * The pre-shared key: 1 to 40 letters, digits or underscores (Sakura's manual, the same page,
 * note *1; Terraform checks the length, isValidLengthBetween(0, 40)).
 */
export const vpcRouterPreSharedKeyPattern = /^[A-Za-z0-9_]{1,40}$/;

/** Peer and local prefixes: mask lengths /8 to /32 (Sakura's manual, the same page). */
export const vpcRouterVpnPrefixMinLength = 8;
