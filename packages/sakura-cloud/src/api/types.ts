// JSON shapes of the Sakura Cloud IaaS API v1.1, limited to the fields this project reads or
// writes. Field names follow the API (PascalCase); every request and response wraps the
// resource in an envelope keyed by its kind ({"Server": {...}}), lists use a plural key.

/** Resource IDs are 12-digit numbers that the API serializes as JSON strings. */
export type ApiId = string;

/**
 * Disk/archive life cycle as reported in `Availability`. "transfering" is the API's own spelling
 * (iaas-api-go types/availability.go keeps it on purpose).
 */
export type Availability =
  | "available"
  | "migrating"
  | "uploading"
  | "transfering"
  | "failed"
  | "discontinued";

/** Server power state as reported in `Instance.Status`. */
export type InstanceStatus = "up" | "down" | "cleaning";

export interface ApiZoneRef {
  ID?: ApiId;
  Name?: string;
}

export interface ApiSwitch {
  ID: ApiId;
  Name: string;
  Description?: string;
  Tags?: string[];
  Scope?: string;
  ServerCount?: number;
  Zone?: ApiZoneRef;
  CreatedAt?: string;
}

export interface ApiArchive {
  ID: ApiId;
  Name: string;
  Description?: string;
  Tags?: string[];
  Availability?: Availability;
  Scope?: "shared" | "user";
  SizeMB?: number;
  CreatedAt?: string;
  /** Where a private archive was copied from, to find the public archive it descends from. */
  SourceArchive?: { ID: ApiId } | null;
  SourceDisk?: { ID: ApiId } | null;
}

/**
 * The job of a disk being copied or edited in the background. An edit sent with `Background`
 * reports its failure here (iaas-api-go naked/disk.go MigrationJobStatus.ConfigError).
 */
export interface ApiDiskJobStatus {
  Status?: string;
  ConfigError?: { ErrorCode?: string; ErrorMsg?: string; Status?: string } | null;
}

export interface ApiDiskPlanRef {
  ID: ApiId | number;
  Name?: string;
}

export interface ApiDisk {
  ID: ApiId;
  Name: string;
  Description?: string;
  Tags?: string[];
  Availability?: Availability;
  SizeMB?: number;
  MigratedMB?: number;
  Connection?: "virtio" | "ide";
  Plan?: ApiDiskPlanRef;
  SourceArchive?: { ID: ApiId } | null;
  SourceDisk?: { ID: ApiId } | null;
  /** The server the disk is connected to, if any. */
  Server?: { ID: ApiId; Name?: string } | null;
  JobStatus?: ApiDiskJobStatus | null;
  Zone?: ApiZoneRef;
  CreatedAt?: string;
}

export interface ApiServerPlan {
  ID?: ApiId | number;
  CPU: number;
  MemoryMB: number;
  Commitment?: "standard" | "dedicatedcpu";
  Generation?: number;
}

export interface ApiInterface {
  ID: ApiId;
  MACAddress?: string;
  /** Address on the shared segment (assigned by Sakura). */
  IPAddress?: string;
  /** Address the user set for a switch-connected NIC (informational). */
  UserIPAddress?: string;
  Switch?: { ID: ApiId; Scope?: string } | null;
  /** The packet filter applied to packets arriving on this NIC, if any. */
  PacketFilter?: { ID: ApiId; Name?: string } | null;
}

export interface ApiServer {
  ID: ApiId;
  Name: string;
  Description?: string;
  Tags?: string[];
  HostName?: string;
  Availability?: Availability;
  InterfaceDriver?: "virtio" | "e1000";
  ServerPlan?: ApiServerPlan;
  Instance?: { Status?: InstanceStatus; BeforeStatus?: InstanceStatus };
  Interfaces?: ApiInterface[];
  Disks?: Array<{ ID: ApiId; Name?: string }>;
  Zone?: ApiZoneRef;
  CreatedAt?: string;
}

/** Protocols a packet filter expression can match (`ip` matches every IPv4 packet). */
export type PacketFilterProtocol = "tcp" | "udp" | "icmp" | "fragment" | "ip";

export type PacketFilterAction = "allow" | "deny";

/**
 * One rule of a packet filter. Requests carry every field with "" for "any" (any source network,
 * any port); reads answer `null` for "any" and leave the port keys out of icmp, fragment and ip
 * rules (real API answers kept in libsacloud before 1360f1dc, sacloud/packet_filter_test.go).
 * Ports are a number or a range "from-to".
 */
export interface ApiPacketFilterExpression {
  /** One of PacketFilterProtocol; the API also knows `http`/`https`, which this project never writes. */
  Protocol: string;
  SourceNetwork?: string | null;
  SourcePort?: string | null;
  DestinationPort?: string | null;
  Action: string;
  Description?: string | null;
}

/** An ordered list of rules for packets arriving on the NICs it is applied to (no tags). */
export interface ApiPacketFilter {
  ID: ApiId;
  Name: string;
  Description?: string;
  Expression?: ApiPacketFilterExpression[];
  /** Changes whenever the rules change. */
  ExpressionHash?: string;
  CreatedAt?: string;
}

// ---- VPC router (an "appliance": `appliance/:id`) -------------------------------------------
// Shapes from iaas-api-go naked/vpc_router.go and naked/appliance.go; real answers in
// naked/vpc_router_test.go. Flags are the strings "True"/"False" (types.StringFlag); "any" in a
// firewall rule is null in answers and left out of requests.

export type StringFlag = "True" | "False";

/** VPC router plan IDs (iaas-api-go types/vpc_router_plan.go). */
export type VpcRouterPlanId = 1 | 2 | 3 | 4;

/** The settings of one NIC, by position in `Interfaces` (null where no NIC is set). */
export interface ApiVpcRouterInterfaceSetting {
  /** One address (standard plan) or two, one per redundant router (premium and up). */
  IPAddress?: string[] | null;
  /** The VRRP address the redundant pair shares (premium and up). */
  VirtualIPAddress?: string | null;
  IPAliases?: string[] | null;
  NetworkMaskLen?: number | null;
}

export interface ApiVpcRouterFirewallRule {
  Protocol: string;
  SourceNetwork?: string | null;
  SourcePort?: string | null;
  DestinationNetwork?: string | null;
  DestinationPort?: string | null;
  Action: string;
  Logging?: StringFlag | null;
  Description?: string | null;
}

/** Rules per NIC: the list has one entry per NIC position 0-7 (naked VPCRouterFirewallConfigs). */
export interface ApiVpcRouterFirewallConfig {
  Receive: ApiVpcRouterFirewallRule[];
  Send: ApiVpcRouterFirewallRule[];
}

export interface ApiVpcRouterSiteToSitePeer {
  /** The peer gateway's public address. */
  Peer: string;
  /** Sent, never answered: reads leave it out (Terraform keeps its own copy). */
  PreSharedSecret?: string;
  RemoteID: string;
  /** Networks behind the peer. */
  Routes: string[];
  /** Networks behind this router. */
  LocalPrefix: string[];
}

export interface ApiVpcRouterSiteToSite {
  Config: ApiVpcRouterSiteToSitePeer[];
  IKE?: { Lifetime: number; DPD: { Interval: number; Timeout: number } } | null;
  ESP?: { Lifetime: number } | null;
  EncryptionAlgo?: string | null;
  HashAlgo?: string | null;
  DHGroup?: string | null;
  Enabled?: StringFlag;
}

export interface ApiVpcRouterStaticRoute {
  Prefix: string;
  NextHop: string;
}

/** `Settings.Router`: what `PUT appliance/:id` changes and `PUT appliance/:id/config` applies. */
export interface ApiVpcRouterSetting {
  InternetConnection?: { Enabled: StringFlag };
  Interfaces?: (ApiVpcRouterInterfaceSetting | null)[] | null;
  VRID?: number | null;
  Firewall?: { Config: ApiVpcRouterFirewallConfig[]; Enabled?: StringFlag } | null;
  SiteToSiteIPsecVPN?: ApiVpcRouterSiteToSite | null;
  StaticRoutes?: { Config: ApiVpcRouterStaticRoute[]; Enabled?: StringFlag } | null;
}

export interface ApiVpcRouterSettings {
  Router?: ApiVpcRouterSetting;
}

/** What an appliance is made with and cannot change (`Remark`). */
export interface ApiApplianceRemark {
  Router?: { VPCRouterVersion?: number };
  /** The public NIC's segment: the shared segment, or a switch+router's switch. */
  Switch?: { ID?: ApiId; Scope?: "shared" };
  /** The real routers' public addresses: `[{}]` on the shared segment. */
  Servers?: Array<{ IPAddress?: string }>;
  Plan?: { ID: ApiId | number };
  Zone?: { ID?: ApiId };
}

export interface ApiVpcRouterInterface {
  ID: ApiId;
  MACAddress?: string;
  /** The shared segment's address Sakura gave the public NIC (standard plan). */
  IPAddress?: string | null;
  Switch?: {
    ID: ApiId;
    Scope?: string;
    Subnet?: { NetworkAddress?: string; NetworkMaskLen?: number; DefaultRoute?: string } | null;
  } | null;
}

export interface ApiVpcRouter {
  ID: ApiId;
  Class?: "vpcrouter";
  Name: string;
  Description?: string;
  Tags?: string[];
  Availability?: Availability;
  Plan?: { ID: ApiId | number };
  Remark?: ApiApplianceRemark;
  Settings?: ApiVpcRouterSettings;
  /** Changes with every change of the settings; sent back with the next change. */
  SettingsHash?: string;
  Instance?: { Status?: InstanceStatus; BeforeStatus?: InstanceStatus };
  /** NICs by position, null where none is connected. */
  Interfaces?: (ApiVpcRouterInterface | null)[];
  CreatedAt?: string;
}

export interface VpcRouterCreateRequest {
  Appliance: NamedFields & {
    Class: "vpcrouter";
    Plan: { ID: VpcRouterPlanId };
    Remark: ApiApplianceRemark;
    Settings: ApiVpcRouterSettings;
  };
}

/** Name, description and tags with the whole settings (iaas-api-go VPCRouterUpdateRequest). */
export interface VpcRouterUpdateRequest {
  Appliance: NamedFields & { Settings: ApiVpcRouterSettings; SettingsHash?: string };
}

export interface VpcRouterResponse {
  Appliance: ApiVpcRouter;
}

// ---- request bodies -------------------------------------------------------------------------

/** Common fields that create and update accept for switches, disks and servers. */
export interface NamedFields {
  Name: string;
  Description?: string;
  Tags?: string[];
}

export interface SwitchCreateRequest {
  Switch: NamedFields;
}

export interface SwitchUpdateRequest {
  Switch: NamedFields;
}

export interface DiskCreateRequest {
  Disk: NamedFields & {
    Plan: { ID: number };
    SizeMB: number;
    Connection?: "virtio" | "ide";
    SourceArchive?: { ID: ApiId };
  };
}

export interface DiskUpdateRequest {
  Disk: NamedFields;
}

/** Body of PUT disk/:id/config, the "disk edit" that writes settings into the OS image. */
export interface DiskEditRequest {
  /**
   * Answer at once and run the edit as a job, whose end shows as the disk turning `available`
   * again (iaas-service-go disk/builder/edit_request.go always sets it).
   */
  Background?: boolean;
  HostName?: string;
  SSHKeys?: Array<{ PublicKey: string }>;
  DisablePWAuth?: boolean;
  EnableDHCP?: boolean;
  ChangePartitionUUID?: boolean;
  /** IPv4 address of the first NIC, for servers whose first NIC sits on a switch. */
  UserIPAddress?: string;
  UserSubnet?: { DefaultRoute?: string; NetworkMaskLen: number };
  /** Startup scripts (notes) to run at first boot, with optional variables. */
  Notes?: Array<{ ID: ApiId; Variables?: Record<string, string> }>;
}

/** One NIC at server creation: the shared segment or a switch. */
export type ConnectedSwitch = { Scope: "shared" } | { ID: ApiId };

export interface ServerCreateRequest {
  Server: NamedFields & {
    ServerPlan: ApiServerPlan;
    ConnectedSwitches: ConnectedSwitch[];
    InterfaceDriver?: "virtio" | "e1000";
    WaitDiskMigration?: boolean;
  };
}

export interface ServerUpdateRequest {
  Server: NamedFields;
}

/** Body of PUT server/:id/power; cloud-init user data travels with the boot request. */
export interface ServerBootRequest {
  UserBootVariables?: { CloudInit: { UserData: string } };
}

/** Body of DELETE server/:id/power. */
export interface ShutdownRequest {
  Force: boolean;
}

/** Body of DELETE server/:id: the disks to delete together with the server. */
export interface ServerDeleteRequest {
  WithDisk: ApiId[];
}

/** Create and update send the whole filter: name, description and the full rule list. */
export interface PacketFilterFields {
  Name: string;
  Description: string;
  Expression: ApiPacketFilterExpression[];
}

export interface PacketFilterCreateRequest {
  PacketFilter: PacketFilterFields;
}

export interface PacketFilterUpdateRequest {
  PacketFilter: PacketFilterFields;
}

/** Search conditions, sent as JSON in the query string of a GET. */
export interface FindRequest {
  From?: number;
  Count?: number;
  Sort?: string[];
  Filter?: Record<string, unknown>;
}

// ---- envelopes ------------------------------------------------------------------------------

export interface ListEnvelope {
  From: number;
  Count: number;
  Total: number;
}

export interface ArchiveListResponse extends ListEnvelope {
  Archives: ApiArchive[];
}

export interface SwitchResponse {
  Switch: ApiSwitch;
}

export interface DiskResponse {
  Disk: ApiDisk;
}

export interface ServerResponse {
  Server: ApiServer;
}

export interface PacketFilterResponse {
  PacketFilter: ApiPacketFilter;
}

/** Error body of every non-2xx answer. */
export interface ApiErrorBody {
  is_fatal?: boolean;
  serial?: string;
  status?: string;
  error_code?: string;
  error_msg?: string;
}
