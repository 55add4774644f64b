// The VPC router part of the fake Sakura Cloud API (`appliance/...`). It behaves like the real
// API where the provider depends on it; each behaviour names where Sakura's own code shows it,
// and where the exact error code is not documented the comment says the code is assumed.
//
// Time is counted in reads, as in the rest of the fake: a new router reads `migrating` for a
// number of GETs, a boot or a graceful shutdown ends after a number of GETs.
import { createHash } from "node:crypto";
import type {
  ApiVpcRouter,
  ApiVpcRouterInterface,
  ApiVpcRouterSetting,
  ShutdownRequest,
  VpcRouterCreateRequest,
  VpcRouterUpdateRequest,
} from "@multicloud/sakura-cloud";

export class FakeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** What the rest of the fake lends the routers. */
export interface FakeNetwork {
  newId(): string;
  switchExists(id: string): boolean;
  /** The global subnet of a switch+router's switch; undefined for a plain switch. */
  internetSubnet(id: string): { network: string; prefix: number } | undefined;
  /** The next address on the shared segment. */
  sharedAddress(): string;
}

interface RouterState {
  /** Reads the router stays `migrating` after create. */
  buildReadsLeft: number;
  bootReadsLeft?: number;
  shutdownReadsLeft?: number;
  /** The settings the router runs: those of the last `config`. */
  applied?: ApiVpcRouterSetting;
  configs: number;
}

interface FakeVpcRouter extends ApiVpcRouter {
  fake: RouterState;
}

const sharedSegmentId = "100000000001";
const planIds = [1, 2, 3, 4];

export class FakeVpcRouters {
  readonly routers = new Map<string, FakeVpcRouter>();
  /** Reads a new router stays `migrating`. */
  buildReads = 2;
  /** Reads between an accepted boot and `up`. */
  bootReads = 1;
  /** Reads a router stays up after a graceful shutdown. */
  shutdownReads = 1;

  constructor(private readonly network: FakeNetwork) {}

  reset(): void {
    this.routers.clear();
  }

  /** The settings a router runs (applied with `config`), pre-shared keys included. */
  running(id: string): ApiVpcRouterSetting | undefined {
    return structuredClone(this.routers.get(id)?.fake.applied);
  }

  /** The settings stored by the last PUT, applied or not, pre-shared keys included. */
  stored(id: string): ApiVpcRouterSetting | undefined {
    return structuredClone(this.routers.get(id)?.Settings?.Router);
  }

  configCount(id: string): number {
    return this.routers.get(id)?.fake.configs ?? 0;
  }

  /** Whether a router has a NIC on the switch (it cannot be deleted then). */
  usesSwitch(switchId: string): boolean {
    return [...this.routers.values()].some((r) =>
      (r.Interfaces ?? []).some((nic) => nic?.Switch?.ID === switchId),
    );
  }

  route(method: string, parts: string[], body: unknown): [number, object] {
    const [, id, sub, index, to, what, switchId] = parts;
    if (id === undefined) {
      if (method === "POST")
        return [201, { Appliance: this.create(body as VpcRouterCreateRequest) }];
      throw new FakeApiError(405, "method_not_allowed", "appliance lists are not faked");
    }
    const router = this.must(id);
    const key = `${method} ${sub ?? ""}${index === undefined ? "" : "/:index"}${to ? `/${to}` : ""}${what ? `/${what}` : ""}${switchId ? "/:id" : ""}`;
    switch (key) {
      case "GET ":
        return [200, { Appliance: view(this.settle(router)) }];
      case "PUT ":
        return [200, { Appliance: view(this.update(router, body as VpcRouterUpdateRequest)) }];
      case "DELETE ":
        return [200, { Appliance: view(this.remove(router)) }];
      case "PUT config":
        this.config(router);
        return [200, { Success: true }];
      case "PUT power":
        this.boot(router);
        return [200, { Success: true }];
      case "DELETE power":
        this.shutdown(router, body as ShutdownRequest | undefined);
        return [200, { Success: true }];
      case "PUT interface/:index/to/switch/:id":
        this.connect(router, Number(index), switchId ?? "");
        return [200, { Success: true }];
      case "DELETE interface/:index/to/switch":
        this.disconnect(router, Number(index));
        return [200, { Success: true }];
      default:
        throw new FakeApiError(404, "not_found", `no route for ${method} ${parts.join("/")}`);
    }
  }

  /**
   * POST appliance. The plan is 1-4 (iaas-api-go types/vpc_router_plan.go); the version one of
   * the two generations Sakura's clients know (iaas-api-go fields.go ApplianceVPCRouterVersion,
   * default 2; another number answers 400, assumed). A standard router's public NIC is on the
   * shared segment with `Remark.Servers` `[{}]`; the other plans put it on a switch+router's
   * switch with two real addresses and a shared one in the first NIC setting and a VRID
   * (iaas-service-go vpcrouter/builder/builder_nic.go StandardNICSetting and
   * PremiumNICSetting); a plain switch or an address outside the switch+router's block is
   * refused (400, assumed). The router is built in the background: it reads `migrating` first
   * (iaas-api-go fake/ops_vpc_router.go Create: Availability Migrating, then startMigration),
   * with an empty SettingsHash.
   */
  private create(req: VpcRouterCreateRequest): ApiVpcRouter {
    const a = req?.Appliance;
    if (a?.Class !== "vpcrouter") throw badRequest('Appliance.Class must be "vpcrouter"');
    if (typeof a.Name !== "string" || a.Name === "") throw badRequest("Appliance.Name is required");
    const plan = Number(a.Plan?.ID);
    if (!planIds.includes(plan)) throw badRequest(`no VPC router plan ${a.Plan?.ID}`);
    const version = a.Remark?.Router?.VPCRouterVersion;
    if (version !== 1 && version !== 2) throw badRequest(`no VPC router version ${version}`);
    const eth0Settings = a.Settings?.Router?.Interfaces?.[0] ?? null;
    const eth0: ApiVpcRouterInterface = {
      ID: this.network.newId(),
      MACAddress: "9c:a3:ba:10:00:00",
    };
    if (plan === 1) {
      if (a.Remark.Switch?.Scope !== "shared")
        throw badRequest("a standard VPC router's public NIC is on the shared segment");
      if (eth0Settings !== null) throw badRequest("a standard VPC router takes no eth0 settings");
      eth0.IPAddress = this.network.sharedAddress();
      eth0.Switch = {
        ID: sharedSegmentId,
        Scope: "shared",
        Subnet: { NetworkAddress: "203.0.113.0", NetworkMaskLen: 24, DefaultRoute: "203.0.113.1" },
      };
    } else {
      const switchId = a.Remark.Switch?.ID ?? "";
      const subnet = this.network.internetSubnet(switchId);
      if (subnet === undefined) {
        throw badRequest(`switch ${switchId} is not a switch+router's switch`);
      }
      const servers = (a.Remark.Servers ?? []).map((s) => s.IPAddress);
      const addresses = [...(eth0Settings?.IPAddress ?? []), eth0Settings?.VirtualIPAddress];
      if (
        servers.length !== 2 ||
        eth0Settings?.IPAddress?.length !== 2 ||
        !eth0Settings.VirtualIPAddress
      )
        throw badRequest(
          "a redundant VPC router needs two addresses and a virtual address on eth0",
        );
      if (!a.Settings.Router?.VRID) throw badRequest("a redundant VPC router needs a VRID");
      for (const address of addresses) {
        if (!inSubnet(address ?? "", subnet.network, subnet.prefix))
          throw badRequest(
            `${address} is not in the switch+router's ${subnet.network}/${subnet.prefix}`,
          );
      }
      eth0.Switch = {
        ID: switchId,
        Scope: "user",
        Subnet: { NetworkAddress: subnet.network, NetworkMaskLen: subnet.prefix },
      };
    }
    const created: FakeVpcRouter = {
      ID: this.network.newId(),
      Class: "vpcrouter",
      Name: a.Name,
      Description: a.Description ?? "",
      Tags: a.Tags ?? [],
      Availability: "migrating",
      Plan: { ID: String(plan) },
      Remark: { ...structuredClone(a.Remark), Plan: { ID: String(plan) } },
      Settings: structuredClone(a.Settings ?? {}),
      SettingsHash: "",
      Instance: { Status: "down" },
      Interfaces: [eth0],
      CreatedAt: new Date().toISOString(),
      fake: { buildReadsLeft: this.buildReads, configs: 0 },
    };
    this.routers.set(created.ID, created);
    return view(created);
  }

  /** Each read moves the build, a boot or a graceful shutdown one step on. */
  private settle(r: FakeVpcRouter): FakeVpcRouter {
    const f = r.fake;
    if (r.Availability === "migrating") {
      if (f.buildReadsLeft > 0) f.buildReadsLeft--;
      else r.Availability = "available";
    } else if (f.bootReadsLeft !== undefined) {
      if (f.bootReadsLeft > 0) f.bootReadsLeft--;
      else {
        f.bootReadsLeft = undefined;
        r.Instance = { Status: "up", BeforeStatus: "down" };
      }
    } else if (f.shutdownReadsLeft !== undefined) {
      if (f.shutdownReadsLeft > 0) f.shutdownReadsLeft--;
      else {
        f.shutdownReadsLeft = undefined;
        r.Instance = { Status: "down", BeforeStatus: "up" };
      }
    }
    return r;
  }

  /**
   * A router still being built takes nothing yet: Sakura's builder waits for `available` before
   * it connects NICs or sends settings (iaas-service-go setup.RetryableSetup IsWaitForCopy). The
   * answer then is 409 `still_creating`, the code iaas-api-go error.go IsStillCreatingError
   * knows (which code the API gives for settings is assumed).
   */
  private ready(r: FakeVpcRouter): void {
    if (r.Availability === "migrating")
      throw new FakeApiError(409, "still_creating", "the VPC router is still being built");
  }

  /**
   * PUT appliance/:id: name, description, tags and the whole settings, which replace the stored
   * ones (Sakura's builder sends every part each time; builder.go update). The request carries
   * the SettingsHash last read (libsacloud PR #315 added it to updates; builder.go sends
   * `vpcRouter.SettingsHash`); a stale one is refused with 409 `conflict` (assumed). Settings
   * for a NIC position with no NIC are refused (builder.go connects NICs before it sends their
   * settings; the 400 is assumed), and so is a peer without its pre-shared key, which reads
   * never show (terraform-provider-sakuracloud structure_vpc_router.go keeps its own copy).
   * The router goes on running what it ran until `config`.
   */
  private update(r: FakeVpcRouter, req: VpcRouterUpdateRequest): FakeVpcRouter {
    this.ready(r);
    const a = req?.Appliance;
    if (a === undefined) throw badRequest('body must be {"Appliance": {...}}');
    if (r.SettingsHash && a.SettingsHash !== undefined && a.SettingsHash !== r.SettingsHash) {
      throw new FakeApiError(409, "conflict", "the settings changed since they were read");
    }
    if (a.Settings !== undefined) {
      const router = a.Settings.Router ?? {};
      for (const [index, setting] of (router.Interfaces ?? []).entries()) {
        if (setting !== null && r.Interfaces?.[index] == null)
          throw badRequest(`eth${index} has settings but no NIC`);
      }
      for (const peer of router.SiteToSiteIPsecVPN?.Config ?? []) {
        if (!peer.PreSharedSecret) throw badRequest(`peer ${peer.Peer} has no PreSharedSecret`);
      }
      const firewall = router.Firewall?.Config;
      if (firewall !== undefined && firewall.length !== 8)
        throw badRequest("Firewall.Config holds one entry per NIC position 0-7");
      r.Settings = structuredClone(a.Settings);
      r.SettingsHash = createHash("sha256")
        .update(JSON.stringify(r.Settings))
        .digest("hex")
        .slice(0, 32);
    }
    if (a.Name !== undefined) r.Name = a.Name;
    if (a.Description !== undefined) r.Description = a.Description;
    if (a.Tags !== undefined) r.Tags = a.Tags;
    return r;
  }

  /**
   * PUT appliance/:id/config: the router takes up the stored settings; Sakura's builder sends
   * it after every change (builder.go create and update, `b.Client.Config`).
   */
  private config(r: FakeVpcRouter): void {
    this.ready(r);
    r.fake.applied = structuredClone(r.Settings?.Router ?? {});
    r.fake.configs++;
  }

  /**
   * Power on: a router still being built answers 409 `still_creating`, a running or booting one
   * 409 `conflict` (iaas-api-go fake/ops_vpc_router.go Boot: "Boot is failed" when up; Sakura's
   * power helper, helper/power/power.go, takes a 409 after its first request as under way).
   */
  private boot(r: FakeVpcRouter): void {
    this.ready(r);
    if (r.Instance?.Status === "up" || r.fake.bootReadsLeft !== undefined)
      throw new FakeApiError(409, "conflict", "the VPC router is already up or booting");
    r.fake.bootReadsLeft = this.bootReads;
  }

  /** Power off: one that is not up answers 409 `conflict` (fake/ops_vpc_router.go Shutdown). */
  private shutdown(r: FakeVpcRouter, body: ShutdownRequest | undefined): void {
    if (r.Instance?.Status !== "up")
      throw new FakeApiError(409, "conflict", "the VPC router is not up");
    if (body?.Force === true) {
      r.fake.shutdownReadsLeft = undefined;
      r.Instance = { Status: "down", BeforeStatus: "up" };
      return;
    }
    r.fake.shutdownReadsLeft ??= this.shutdownReads;
  }

  /**
   * NICs eth1-eth7 join a switch one at a time, on a stopped router (builder.go stops it before
   * a switch changes; the 409 `server_power_must_be_down` is assumed, as for servers); a NIC
   * already on a switch answers 400 (fake/ops_vpc_router.go ConnectToSwitch "nic[%d] already
   * connected to switch").
   */
  private connect(r: FakeVpcRouter, index: number, switchId: string): void {
    this.ready(r);
    if (!Number.isInteger(index) || index < 1 || index > 7) throw badRequest(`no NIC eth${index}`);
    this.mustBeDown(r);
    if (r.Interfaces?.[index]) throw badRequest(`nic[${index}] already connected to switch`);
    if (!this.network.switchExists(switchId))
      throw new FakeApiError(404, "not_found", `switch ${switchId} not found`);
    const nics = r.Interfaces ?? [];
    while (nics.length <= index) nics.push(null);
    nics[index] = {
      ID: this.network.newId(),
      MACAddress: `9c:a3:ba:10:00:0${index}`,
      Switch: { ID: switchId, Scope: "user", Subnet: null },
    };
    r.Interfaces = nics;
  }

  /** A NIC not on a switch answers 400 (fake/ops_vpc_router.go "nic[%d] is not exists"). */
  private disconnect(r: FakeVpcRouter, index: number): void {
    this.ready(r);
    this.mustBeDown(r);
    if (!r.Interfaces?.[index]) throw badRequest(`nic[${index}] is not exists`);
    r.Interfaces[index] = null;
  }

  /**
   * A running router cannot go: Sakura's Terraform provider stops it first
   * (resource_sakuracloud_vpc_router.go delete: ShutdownVPCRouter, force); 409
   * `server_power_must_be_down` is assumed, as for servers.
   */
  private remove(r: FakeVpcRouter): FakeVpcRouter {
    this.mustBeDown(r);
    this.routers.delete(r.ID);
    return r;
  }

  private mustBeDown(r: FakeVpcRouter): void {
    if (r.Instance?.Status !== "down")
      throw new FakeApiError(409, "server_power_must_be_down", "stop the VPC router first");
  }

  private must(id: string): FakeVpcRouter {
    const found = this.routers.get(id);
    if (found === undefined) throw new FakeApiError(404, "not_found", `appliance ${id} not found`);
    return found;
  }
}

/**
 * What a read shows: the pre-shared keys left out (Sakura's Terraform provider takes them from
 * its own state, structure_vpc_router.go flattenVPCRouterSiteToSiteConfig), "any" in a firewall
 * rule as null and unused NIC positions as null (real answers in iaas-api-go
 * naked/vpc_router_test.go).
 */
function view(r: FakeVpcRouter): ApiVpcRouter {
  const { fake: _fake, ...rest } = r;
  const copy = structuredClone(rest);
  const router = copy.Settings?.Router;
  for (const peer of router?.SiteToSiteIPsecVPN?.Config ?? []) delete peer.PreSharedSecret;
  for (const nic of router?.Firewall?.Config ?? []) {
    for (const rule of [...nic.Receive, ...nic.Send]) {
      for (const field of [
        "SourceNetwork",
        "SourcePort",
        "DestinationNetwork",
        "DestinationPort",
      ] as const) {
        rule[field] = rule[field] ?? null;
      }
    }
  }
  return copy;
}

function inSubnet(address: string, network: string, prefix: number): boolean {
  const n = (a: string) => a.split(".").reduce((x, p) => x * 256 + Number(p), 0);
  const size = 2 ** (32 - prefix);
  return Math.floor(n(address) / size) === Math.floor(n(network) / size);
}

function badRequest(message: string): FakeApiError {
  return new FakeApiError(400, "bad_request", message);
}
