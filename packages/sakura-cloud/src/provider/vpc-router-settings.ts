// The VPC router's inputs as the API's request bodies, and the API's answers as outputs. Pure.
// Shapes: iaas-api-go naked/vpc_router.go (its MarshalJSON methods say what goes on the wire)
// and how Sakura's builder fills them (iaas-service-go vpcrouter/builder/builder.go).
import type {
  ApiVpcRouter,
  ApiVpcRouterFirewallConfig,
  ApiVpcRouterFirewallRule,
  ApiVpcRouterInterfaceSetting,
  ApiVpcRouterSetting,
  StringFlag,
  VpcRouterCreateRequest,
  VpcRouterPlanId,
} from "../api/types";
import { vpcRouterPlanIds, vpcRouterVpnDefaults } from "./limits";
import type {
  VpcRouterFirewallInputs,
  VpcRouterFirewallRuleInputs,
  VpcRouterInputs,
  VpcRouterOutputs,
  VpcRouterPlan,
  VpcRouterPrivateInterfaceInputs,
  VpcRouterSiteToSiteInputs,
  VpcRouterVpnParameterInputs,
} from "./vpc-router-inputs";
import { wire } from "./wire";

const flag = (on: boolean): StringFlag => (on ? "True" : "False");

/**
 * POST appliance: the plan, the public NIC's segment and the version in `Remark`, and first
 * settings (builder.go create: VRID, internet connection, the public NIC's settings). A
 * standard router's `Remark.Servers` is `[{}]` (naked/appliance.go ApplianceRemarkServers
 * MarshalJSON: "主にVPCルータへの対応").
 */
export function createRequest(inputs: VpcRouterInputs): VpcRouterCreateRequest["Appliance"] {
  const nic = inputs.publicInterface;
  return wire({
    Class: "vpcrouter",
    Name: inputs.name,
    Description: inputs.description,
    Tags: inputs.tags,
    Plan: { ID: vpcRouterPlanIds[inputs.plan] as VpcRouterPlanId },
    Remark: {
      Router: { VPCRouterVersion: inputs.version },
      Switch: nic === null ? { Scope: "shared" as const } : { ID: nic.switchId },
      Servers: nic === null ? [{}] : nic.ipAddresses.map((IPAddress) => ({ IPAddress })),
    },
    Settings: {
      Router: {
        InternetConnection: { Enabled: flag(inputs.internetConnection) },
        ...(nic === null ? {} : { VRID: nic.vrid, Interfaces: [publicSetting(inputs)] }),
      },
    },
  });
}

/**
 * The whole `Settings.Router`, sent with every change (builder.go sends every part each time;
 * a part left out is removed). NIC settings go by position, null where no NIC is
 * (naked VPCRouterInterfaces MarshalJSON); the firewall has one entry per NIC position 0-7
 * (VPCRouterFirewallConfigs MarshalJSON); a part with entries is `Enabled`.
 */
export function routerSettings(inputs: VpcRouterInputs): ApiVpcRouterSetting {
  const interfaces: (ApiVpcRouterInterfaceSetting | null)[] = [publicSetting(inputs)];
  for (const nic of inputs.privateInterfaces) interfaces[nic.index] = privateSetting(nic);
  const settings: ApiVpcRouterSetting = {
    InternetConnection: { Enabled: flag(inputs.internetConnection) },
  };
  if (interfaces.some((s) => s !== null && s !== undefined)) {
    settings.Interfaces = Array.from(interfaces, (s) => s ?? null);
  }
  if (inputs.publicInterface !== null) settings.VRID = inputs.publicInterface.vrid;
  if (inputs.firewall.length > 0) settings.Firewall = firewallSettings(inputs.firewall);
  if (inputs.siteToSiteVpn.length > 0) {
    const p = inputs.siteToSiteVpnParameters;
    settings.SiteToSiteIPsecVPN = {
      Config: inputs.siteToSiteVpn.map((peer) => ({
        Peer: peer.peer,
        PreSharedSecret: peer.preSharedSecret,
        RemoteID: peer.remoteId,
        Routes: peer.routes,
        LocalPrefix: peer.localPrefixes,
      })),
      IKE: { Lifetime: p.ikeLifetime, DPD: { Interval: p.dpdInterval, Timeout: p.dpdTimeout } },
      ESP: { Lifetime: p.espLifetime },
      EncryptionAlgo: p.encryptionAlgo,
      HashAlgo: p.hashAlgo,
      DHGroup: p.dhGroup,
      Enabled: "True",
    };
  }
  if (inputs.staticRoutes.length > 0) {
    settings.StaticRoutes = {
      Config: inputs.staticRoutes.map((r) => ({ Prefix: r.prefix, NextHop: r.nextHop })),
      Enabled: "True",
    };
  }
  return wire(settings);
}

function publicSetting(inputs: VpcRouterInputs): ApiVpcRouterInterfaceSetting | null {
  const nic = inputs.publicInterface;
  if (nic === null) return null;
  return {
    IPAddress: nic.ipAddresses,
    VirtualIPAddress: nic.virtualIpAddress,
    ...(nic.ipAliases.length > 0 ? { IPAliases: nic.ipAliases } : {}),
  };
}

function privateSetting(nic: VpcRouterPrivateInterfaceInputs): ApiVpcRouterInterfaceSetting {
  return {
    IPAddress: nic.ipAddresses,
    NetworkMaskLen: nic.networkMaskLen,
    ...(nic.virtualIpAddress === undefined ? {} : { VirtualIPAddress: nic.virtualIpAddress }),
  };
}

function firewallSettings(entries: VpcRouterFirewallInputs[]): ApiVpcRouterSetting["Firewall"] {
  const config: ApiVpcRouterFirewallConfig[] = Array.from({ length: 8 }, () => ({
    Receive: [],
    Send: [],
  }));
  for (const entry of entries) {
    const nic = config[entry.interfaceIndex];
    if (nic === undefined) continue;
    const rules = entry.expressions.map(toApiRule);
    if (entry.direction === "receive") nic.Receive = rules;
    else nic.Send = rules;
  }
  return { Config: config, Enabled: "True" };
}

/** "Any" is the field left out (omitempty in naked VPCRouterFirewallRule). */
function toApiRule(rule: VpcRouterFirewallRuleInputs): ApiVpcRouterFirewallRule {
  return {
    Protocol: rule.protocol,
    SourceNetwork: rule.sourceNetwork,
    SourcePort: rule.sourcePort,
    DestinationNetwork: rule.destinationNetwork,
    DestinationPort: rule.destinationPort,
    Action: rule.action,
    Logging: flag(rule.logging),
    Description: rule.description ?? "",
  };
}

// ---- answers ---------------------------------------------------------------------------------

/**
 * Outputs from a read, the way Sakura's Terraform provider reads them back
 * (terraform-provider-sakuracloud structure_vpc_router.go): the public address is the shared
 * segment's on the standard plan and the public NIC's shared address otherwise
 * (flattenVPCRouterGlobalAddress); a private NIC pairs its settings with the switch of the NIC
 * at the same position (flattenVPCRouterInterfaces). The API never answers a pre-shared key,
 * so each peer keeps the one stored for it (flattenVPCRouterSiteToSiteConfig does the same).
 */
export function outputsFromApi(
  zone: string,
  router: ApiVpcRouter,
  stored: Partial<VpcRouterOutputs> | undefined,
): VpcRouterOutputs {
  const settings = router.Settings?.Router ?? {};
  const nicSettings = settings.Interfaces ?? [];
  const plan = planName(router) ?? stored?.plan ?? "standard";
  const eth0 = router.Interfaces?.[0] ?? null;
  const publicSettings = nicSettings[0] ?? null;
  const publicInterface =
    plan === "standard" || publicSettings === null
      ? null
      : {
          switchId: eth0?.Switch?.ID ?? stored?.publicInterface?.switchId ?? "",
          ipAddresses: publicSettings.IPAddress ?? [],
          virtualIpAddress: publicSettings.VirtualIPAddress ?? "",
          vrid: settings.VRID ?? 0,
          ipAliases: publicSettings.IPAliases ?? [],
        };
  return wire({
    zone,
    name: router.Name,
    description: router.Description ?? "",
    tags: router.Tags ?? [],
    plan,
    version: router.Remark?.Router?.VPCRouterVersion ?? stored?.version ?? 2,
    publicInterface,
    internetConnection: settings.InternetConnection?.Enabled === "True",
    privateInterfaces: privateInterfacesFrom(router),
    staticRoutes: (settings.StaticRoutes?.Config ?? []).map((r) => ({
      prefix: r.Prefix,
      nextHop: r.NextHop,
    })),
    siteToSiteVpn: peersFrom(router, stored?.siteToSiteVpn ?? []),
    siteToSiteVpnParameters: parametersFrom(router, stored?.siteToSiteVpnParameters),
    firewall: firewallFrom(router),
    publicIpAddress:
      plan === "standard" ? (eth0?.IPAddress ?? null) : (publicSettings?.VirtualIPAddress ?? null),
    publicNetworkMaskLen: eth0?.Switch?.Subnet?.NetworkMaskLen ?? null,
    instanceStatus: router.Instance?.Status ?? "unknown",
    createdAt: router.CreatedAt ?? null,
  });
}

function planName(router: ApiVpcRouter): VpcRouterPlan | undefined {
  const id = Number(router.Plan?.ID ?? router.Remark?.Plan?.ID);
  const found = Object.entries(vpcRouterPlanIds).find(([, planId]) => planId === id);
  return found?.[0] as VpcRouterPlan | undefined;
}

function privateInterfacesFrom(router: ApiVpcRouter): VpcRouterPrivateInterfaceInputs[] {
  const nicSettings = router.Settings?.Router?.Interfaces ?? [];
  return nicSettings.flatMap((s, index) => {
    const nic = router.Interfaces?.[index];
    if (index === 0 || s === null || s === undefined || !nic?.Switch) return [];
    return [
      {
        index,
        switchId: nic.Switch.ID,
        ipAddresses: s.IPAddress ?? [],
        networkMaskLen: s.NetworkMaskLen ?? 0,
        ...(s.VirtualIPAddress ? { virtualIpAddress: s.VirtualIPAddress } : {}),
      },
    ];
  });
}

function peersFrom(
  router: ApiVpcRouter,
  stored: VpcRouterSiteToSiteInputs[],
): VpcRouterSiteToSiteInputs[] {
  const vpn = router.Settings?.Router?.SiteToSiteIPsecVPN;
  return (vpn?.Config ?? []).map((peer) => ({
    peer: peer.Peer,
    remoteId: peer.RemoteID,
    preSharedSecret:
      peer.PreSharedSecret ?? stored.find((s) => s.peer === peer.Peer)?.preSharedSecret ?? "",
    routes: peer.Routes ?? [],
    localPrefixes: peer.LocalPrefix ?? [],
  }));
}

/** The API's parameters when a VPN is set; otherwise what was stored (nothing to compare). */
function parametersFrom(
  router: ApiVpcRouter,
  stored: VpcRouterVpnParameterInputs | undefined,
): VpcRouterVpnParameterInputs {
  const vpn = router.Settings?.Router?.SiteToSiteIPsecVPN;
  const base = stored ?? vpcRouterVpnDefaults;
  if (!vpn) return { ...base };
  return {
    encryptionAlgo: (vpn.EncryptionAlgo ??
      base.encryptionAlgo) as VpcRouterVpnParameterInputs["encryptionAlgo"],
    hashAlgo: (vpn.HashAlgo ?? base.hashAlgo) as VpcRouterVpnParameterInputs["hashAlgo"],
    dhGroup: (vpn.DHGroup ?? base.dhGroup) as VpcRouterVpnParameterInputs["dhGroup"],
    ikeLifetime: vpn.IKE?.Lifetime ?? base.ikeLifetime,
    dpdInterval: vpn.IKE?.DPD?.Interval ?? base.dpdInterval,
    dpdTimeout: vpn.IKE?.DPD?.Timeout ?? base.dpdTimeout,
    espLifetime: vpn.ESP?.Lifetime ?? base.espLifetime,
  };
}

/** Entries with rules, by NIC and direction; "any" comes back as null (naked/vpc_router_test.go). */
function firewallFrom(router: ApiVpcRouter): VpcRouterFirewallInputs[] {
  const config = router.Settings?.Router?.Firewall?.Config ?? [];
  return config.flatMap((nic, interfaceIndex) =>
    (["receive", "send"] as const).flatMap((direction) => {
      const rules = (direction === "receive" ? nic?.Receive : nic?.Send) ?? [];
      if (rules.length === 0) return [];
      return [{ interfaceIndex, direction, expressions: rules.map(fromApiRule) }];
    }),
  );
}

function fromApiRule(rule: ApiVpcRouterFirewallRule): VpcRouterFirewallRuleInputs {
  const present = (v: string | null | undefined): string | undefined =>
    v === undefined || v === null || v === "" ? undefined : v;
  return {
    protocol: rule.Protocol as VpcRouterFirewallRuleInputs["protocol"],
    sourceNetwork: present(rule.SourceNetwork),
    sourcePort: present(rule.SourcePort),
    destinationNetwork: present(rule.DestinationNetwork),
    destinationPort: present(rule.DestinationPort),
    action: rule.Action as VpcRouterFirewallRuleInputs["action"],
    logging: rule.Logging === "True",
    description: present(rule.Description),
  };
}
