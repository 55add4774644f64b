// A loopback HTTP server that plays the Sakura Cloud IaaS API v1.1 closely enough to exercise
// the providers' real HTTP code, and behaves like the real API where the providers depend on it.
// Each behaviour names where Sakura's own code or manual shows it. Where the exact error code of
// a situation is not documented, the code is the closest one Sakura's own Node SDK knows
// (saklient src/saklient/errors/ExceptionFactory.ts) and the comment says so.
//
// Time is counted in requests, not wall time: a copy, an edit or a boot ends after a number of
// reads, so that tests are quick and exact.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  ApiArchive,
  ApiDisk,
  ApiErrorBody,
  ApiInterface,
  ApiPacketFilter,
  ApiServer,
  ApiSwitch,
  DiskCreateRequest,
  DiskEditRequest,
  PacketFilterCreateRequest,
  PacketFilterUpdateRequest,
  ServerBootRequest,
  ServerCreateRequest,
  ServerDeleteRequest,
  ShutdownRequest,
  SwitchCreateRequest,
} from "@multicloud/sakura-cloud";
import { fakeDiskSizesGb, fakeServerPlans } from "./fake-catalog";
import {
  applyCloudConfig,
  applyDiskContents,
  type DiskContents,
  type FakeGuest,
  newGuest,
} from "./fake-guest";
import { echoedRule, letsDhcpThrough, type StoredRule, storedRules } from "./fake-rules";
import { FakeApiError, FakeVpcRouters } from "./fake-vpc-router";

export type { FakeGuest } from "./fake-guest";

export interface RecordedRequest {
  method: string;
  /** Path below `<zone>/api/cloud/1.1/`, e.g. `server/113000000001/power`. */
  path: string;
  /** JSON decoded from the query string of a GET, if any. */
  query: unknown;
  body: unknown;
  authorization: string | undefined;
  contentType: string | undefined;
}

export interface Injection {
  method: string;
  path: RegExp;
  status: number;
  errorCode?: string;
  errorMsg?: string;
  retryAfter?: string;
  /** How many matching requests get this answer. */
  times: number;
}

/**
 * Matching requests are held this long before they are handled (a slow API), or with `answer`,
 * handled at once and their answer held (an answer that comes too late for the client).
 */
export interface Hold {
  method: string;
  path: RegExp;
  ms: number;
  times: number;
  answer?: boolean;
}

/** The fake's bookkeeping of a disk, kept apart from what the API shows. */
interface DiskState {
  /** The job that keeps the disk `migrating`: its archive copy or a background edit. */
  job?: "copy" | "edit";
  ticksLeft: number;
  copyFails: boolean;
  /** What the running edit writes when it ends, and whether it fails instead. */
  pendingEdit?: { contents: DiskContents; fails: boolean };
  contents: DiskContents;
}

interface FakeDisk extends ApiDisk {
  fake: DiskState;
}

interface ServerState {
  stillCreatingLeft: number;
  /** Reads an accepted boot takes before the server is up; undefined when none is under way. */
  bootReadsLeft?: number;
  /** Accepted boots that come to nothing (the server stays down), as real ones sometimes do. */
  lostBootsLeft: number;
  /** The request of the boot under way (its cloud-init user data). */
  bootRequest?: ServerBootRequest;
  /** Reads until a graceful shutdown completes; undefined when none is pending. */
  shutdownReadsLeft?: number;
  /** Graceful shutdowns the OS ignores (e.g. while it is still booting). */
  ignoredShutdownsLeft: number;
  /** Reads the server stays `cleaning` after it stops. */
  cleaningReadsLeft?: number;
  everBooted: boolean;
  guest: FakeGuest;
}

interface FakeServer extends ApiServer {
  fake: ServerState;
}

interface FakePacketFilter {
  ID: string;
  Name: string;
  Description: string;
  rules: StoredRule[];
  CreatedAt: string;
}

/** An error answer: status, the API's `error_code` and message. */
const HttpError = FakeApiError;
type HttpError = FakeApiError;

const sharedSegmentId = "100000000001";

export class FakeSakuraApi {
  readonly requests: RecordedRequest[] = [];
  readonly switches = new Map<string, ApiSwitch>();
  readonly disks = new Map<string, FakeDisk>();
  readonly servers = new Map<string, FakeServer>();
  readonly packetFilters = new Map<string, FakePacketFilter>();
  readonly archives: ApiArchive[] = [];
  /** VPC routers (`appliance/...`), with their own knobs (build, boot and shutdown reads). */
  readonly vpcRouters = new FakeVpcRouters({
    newId: () => this.newId(),
    switchExists: (id) => this.switches.has(id),
    internetSubnet: (id) => this.internetSubnets.get(id),
    sharedAddress: () => `203.0.113.${this.nextSharedHost++}`,
  });
  /** Disk edit bodies by disk ID, as received (applied or not). */
  readonly diskEdits = new Map<string, DiskEditRequest>();
  /** Disk IDs whose edit arrived while the disk was connected to no server (it did nothing). */
  readonly ignoredEdits = new Set<string>();
  /** Accepted power-on bodies by server ID (the last one). */
  readonly boots = new Map<string, ServerBootRequest | undefined>();
  /** The most power requests (PUT/DELETE server/:id/power) that were in flight at once. */
  maxConcurrentPower = 0;

  /** Requests touching a new disk that see its copy `migrating` before it ends. */
  diskMigratingTicks = 2;
  /** New disks end their copy as `failed` instead of `available`. */
  diskCopyFails = false;
  /** Requests touching a disk that see a background edit `migrating` before it ends. */
  diskEditTicks = 2;
  /** Background edits end with JobStatus.ConfigError instead of writing the disk. */
  diskEditFails = false;
  /** Power-on requests per new server answered 409 `still_creating` before one is taken. */
  stillCreatingBoots = 0;
  /** Reads of a server between an accepted boot and `up`. */
  bootReads = 1;
  /** Accepted boots per new server that come to nothing (it stays `down`). */
  lostBoots = 0;
  /** GET reads a server stays `up` after a graceful shutdown; Infinity ignores the request. */
  gracefulShutdownReads = 1;
  /** Graceful shutdowns per new server that the OS ignores. */
  ignoredShutdowns = 0;
  /** Reads a server stays `cleaning` after it stops. */
  cleaningReads = 0;
  /** At most this many requests per window, else 503 `too_many_request`. */
  rateLimit: { requests: number; windowMs: number } | undefined;

  private readonly injections: Injection[] = [];
  private readonly holds: Hold[] = [];
  private readonly recent: number[] = [];
  private powerInFlight = 0;
  /** Bumped by reset(), so that a request still held from before does not count after it. */
  private generation = 0;
  private nextId = 113_000_000_001;
  private nextSharedHost = 10;
  /** Switches of switch+routers, with their global block. */
  private readonly internetSubnets = new Map<string, { network: string; prefix: number }>();
  private http: Server | undefined;

  constructor(
    readonly zone: string,
    private readonly token: string,
    private readonly secret: string,
  ) {}

  /** Starts listening on 127.0.0.1, on a port the system picks; returns the API root URL. */
  async start(): Promise<string> {
    this.http = createServer((req, res) => {
      this.handle(req).then(
        ({ status, body, headers }) => {
          res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
          res.end(JSON.stringify(body));
        },
        (e: unknown) => {
          res.writeHead(500, { "Content-Type": "text/plain" });
          res.end(String(e));
        },
      );
    });
    await new Promise<void>((resolve) => this.http?.listen(0, "127.0.0.1", resolve));
    const { port } = this.http.address() as AddressInfo;
    return `http://127.0.0.1:${port}/cloud/zone`;
  }

  async stop(): Promise<void> {
    this.http?.closeAllConnections();
    await new Promise<void>((resolve) => this.http?.close(() => resolve()));
  }

  /** The next `times` requests matching method and path get this error answer. */
  inject(injection: Omit<Injection, "times"> & { times?: number }): void {
    this.injections.push({ times: 1, ...injection });
  }

  /** The next `times` requests matching method and path wait `ms` before they are handled. */
  hold(hold: Omit<Hold, "times"> & { times?: number }): void {
    this.holds.push({ times: 1, ...hold });
  }

  clearInjections(): void {
    this.injections.length = 0;
    this.holds.length = 0;
  }

  /** Forgets resources, requests, injections and counters; archives and knobs stay. */
  reset(): void {
    this.clearInjections();
    this.requests.length = 0;
    this.recent.length = 0;
    this.switches.clear();
    this.disks.clear();
    this.servers.clear();
    this.packetFilters.clear();
    this.vpcRouters.reset();
    this.internetSubnets.clear();
    this.diskEdits.clear();
    this.ignoredEdits.clear();
    this.boots.clear();
    this.maxConcurrentPower = 0;
    this.powerInFlight = 0;
    this.generation++;
  }

  addArchive(archive: ApiArchive): void {
    this.archives.push(archive);
  }

  /** Switches, disks, servers, packet filters and VPC routers that exist (archives are Sakura's). */
  resourceCount(): number {
    return (
      this.switches.size +
      this.disks.size +
      this.servers.size +
      this.packetFilters.size +
      this.vpcRouters.routers.size
    );
  }

  /**
   * A switch+router (Sakura's "internet" resource): a switch whose global block is routed to the
   * internet, which a premium VPC router's public NIC joins (terraform-provider-sakuracloud
   * website/docs/r/vpc_router.md takes `switch_id` and the addresses from
   * `sakuracloud_internet`). Returns the switch ID.
   */
  addInternetSwitch(name: string, subnet: { network: string; prefix: number }): string {
    const id = this.newId();
    this.switches.set(id, {
      ID: id,
      Name: name,
      Description: "",
      Tags: [],
      Scope: "user",
      Zone: { Name: this.zone },
      CreatedAt: new Date().toISOString(),
    });
    this.internetSubnets.set(id, subnet);
    return id;
  }

  /** The OS of a server, as far as it got (host name, keys, password login, address). */
  guest(serverId: string): FakeGuest | undefined {
    const s = this.servers.get(serverId);
    return s?.fake.everBooted ? structuredClone(s.fake.guest) : undefined;
  }

  /** What disk edits wrote into a disk's OS. */
  diskContents(diskId: string): DiskContents | undefined {
    return structuredClone(this.disks.get(diskId)?.fake.contents);
  }

  /** A server put in place by a test, e.g. one that already uses a filter. */
  addServer(server: ApiServer): void {
    this.servers.set(server.ID, { ...server, fake: this.newServerState() });
  }

  /** A rule list as the API answers it. */
  echoedRules(filterId: string): ApiPacketFilter["Expression"] {
    return this.packetFilters.get(filterId)?.rules.map(echoedRule);
  }

  /** The NIC with this ID, on whichever server it is. */
  nic(id: string): ApiInterface | undefined {
    for (const server of this.servers.values()) {
      const found = server.Interfaces?.find((n) => n.ID === id);
      if (found) return found;
    }
    return undefined;
  }

  calls(method: string, path: RegExp): RecordedRequest[] {
    return this.requests.filter((r) => r.method === method && path.test(r.path));
  }

  // ---- dispatch -----------------------------------------------------------------------------

  private async handle(
    req: IncomingMessage,
  ): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const raw = await readBody(req);
    const url = new URL(req.url ?? "/", "http://fake");
    const method = req.method ?? "GET";
    const prefix = `/cloud/zone/${this.zone}/api/cloud/1.1/`;
    const path = url.pathname.startsWith(prefix) ? url.pathname.slice(prefix.length) : url.pathname;
    const query =
      url.search.length > 1 ? JSON.parse(decodeURIComponent(url.search.slice(1))) : undefined;
    const body: unknown = raw === "" ? undefined : JSON.parse(raw);
    this.requests.push({
      method,
      path,
      query,
      body,
      authorization: req.headers.authorization,
      contentType: req.headers["content-type"],
    });
    const power = /^(server|appliance)\/\d+\/power$/.test(path);
    const generation = this.generation;
    if (power) {
      this.powerInFlight++;
      this.maxConcurrentPower = Math.max(this.maxConcurrentPower, this.powerInFlight);
    }
    try {
      const held = this.holds.find((h) => h.times > 0 && h.method === method && h.path.test(path));
      if (held !== undefined) held.times--;
      const wait = () => new Promise((resolve) => setTimeout(resolve, held?.ms ?? 0));
      if (held !== undefined && !held.answer) await wait();
      const answer = this.answer(method, path, url.pathname.startsWith(prefix), req, query, body);
      if (held?.answer) await wait();
      return answer;
    } finally {
      if (power && generation === this.generation) this.powerInFlight--;
    }
  }

  private answer(
    method: string,
    path: string,
    inZone: boolean,
    req: IncomingMessage,
    query: unknown,
    body: unknown,
  ): { status: number; body: unknown; headers?: Record<string, string> } {
    try {
      if (!inZone) throw new HttpError(404, "not_found", `no such API path or zone: ${path}`);
      const expected = `Basic ${Buffer.from(`${this.token}:${this.secret}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        throw new HttpError(401, "unauthorized", "the access token or secret is wrong");
      }
      this.limitRate();
      const injected = this.injections.find(
        (i) => i.times > 0 && i.method === method && i.path.test(path),
      );
      if (injected !== undefined) {
        injected.times--;
        const headers: Record<string, string> = {};
        if (injected.retryAfter !== undefined) headers["Retry-After"] = injected.retryAfter;
        return {
          status: injected.status,
          body: errorBody(
            injected.status,
            injected.errorCode ?? "injected",
            injected.errorMsg ?? "injected failure",
          ),
          headers,
        };
      }
      const [status, answer] = this.route(method, path.split("/"), query, body);
      return { status, body: { ...answer, is_ok: true } };
    } catch (e) {
      if (e instanceof HttpError)
        return { status: e.status, body: errorBody(e.status, e.code, e.message) };
      throw e;
    }
  }

  /**
   * Sakura answers too dense a stream of requests with 503 `too_many_request` ("リクエストの密度が
   * 高すぎます", saklient src/saklient/cloud/errors/TooManyRequestException.ts extends the 503
   * exception); Sakura's Terraform provider keeps itself to 10 requests a second
   * (terraform-provider-sakuracloud internal/defaults/defaults.go).
   */
  private limitRate(): void {
    if (this.rateLimit === undefined) return;
    const now = Date.now();
    while (this.recent.length > 0 && (this.recent[0] ?? 0) <= now - this.rateLimit.windowMs) {
      this.recent.shift();
    }
    if (this.recent.length >= this.rateLimit.requests) {
      throw new HttpError(503, "too_many_request", "the requests are too dense");
    }
    this.recent.push(now);
  }

  private route(method: string, parts: string[], query: unknown, body: unknown): [number, object] {
    const [kind, id, sub, sub2, sub3] = parts;
    if (kind === "appliance") return this.vpcRouters.route(method, parts, body);
    const route = `${method} ${kind}${id === undefined ? "" : "/:id"}${sub === undefined ? "" : `/${sub}`}${
      sub2 === undefined ? "" : `/${sub2}`
    }${sub3 === undefined ? "" : "/:id"}`;
    switch (route) {
      case "GET archive":
        return [200, this.findArchives(query)];
      case "GET archive/:id":
        return [200, { Archive: structuredClone(this.mustArchive(id)) }];
      case "POST switch":
        return [201, { Switch: this.createSwitch(body as SwitchCreateRequest) }];
      case "GET switch/:id":
        return [200, { Switch: this.switchView(this.mustSwitch(id)) }];
      case "PUT switch/:id":
        return [200, { Switch: this.switchView(this.rename(this.mustSwitch(id), body, "Switch")) }];
      case "DELETE switch/:id":
        return [200, { Switch: this.deleteSwitch(this.mustSwitch(id)) }];
      case "POST disk":
        return [201, { Disk: this.createDisk(body as DiskCreateRequest) }];
      case "GET disk/:id":
        return [200, { Disk: diskView(this.tick(this.mustDisk(id))) }];
      case "PUT disk/:id":
        return [200, { Disk: diskView(this.rename(this.mustDisk(id), body, "Disk")) }];
      case "DELETE disk/:id":
        return [200, { Disk: this.deleteDisk(this.tick(this.mustDisk(id))) }];
      case "PUT disk/:id/config":
        this.editDisk(this.tick(this.mustDisk(id)), body as DiskEditRequest);
        // With Background the answer's Success is a string (libsacloud commit 34d74e25).
        return [
          200,
          { Success: (body as DiskEditRequest | undefined)?.Background ? "Accepted" : true },
        ];
      case "PUT disk/:id/to/server/:id":
        this.connect(this.tick(this.mustDisk(id)), this.mustServer(sub3));
        return [200, { Success: true }];
      case "DELETE disk/:id/to/server":
        this.disconnect(this.mustDisk(id));
        return [200, { Success: true }];
      case "POST server":
        return [201, { Server: this.createServer(body as ServerCreateRequest) }];
      case "GET server/:id":
        return [200, { Server: this.serverView(this.settle(this.mustServer(id))) }];
      case "PUT server/:id":
        return [200, { Server: this.serverView(this.rename(this.mustServer(id), body, "Server")) }];
      case "DELETE server/:id":
        return [
          200,
          {
            Server: this.deleteServer(this.mustServer(id), body as ServerDeleteRequest | undefined),
          },
        ];
      case "PUT server/:id/power":
        this.boot(this.mustServer(id), body as ServerBootRequest | undefined);
        return [200, { Success: true }];
      case "DELETE server/:id/power":
        this.shutdown(this.mustServer(id), body as ShutdownRequest | undefined);
        return [200, { Success: true }];
      case "POST packetfilter":
        return [201, { PacketFilter: this.createPacketFilter(body as PacketFilterCreateRequest) }];
      case "GET packetfilter/:id":
        return [200, { PacketFilter: this.filterView(this.mustPacketFilter(id)) }];
      case "PUT packetfilter/:id":
        return [
          200,
          {
            PacketFilter: this.updatePacketFilter(
              this.mustPacketFilter(id),
              body as PacketFilterUpdateRequest,
            ),
          },
        ];
      case "DELETE packetfilter/:id":
        return [200, { PacketFilter: this.deletePacketFilter(this.mustPacketFilter(id)) }];
      case "PUT interface/:id/to/packetfilter/:id":
        this.attachPacketFilter(this.mustNic(id), this.mustPacketFilter(sub3));
        return [200, { Success: true }];
      case "DELETE interface/:id/to/packetfilter":
        this.detachPacketFilter(this.mustNic(id));
        return [200, { Success: true }];
      default:
        throw new HttpError(404, "not_found", `no route for ${method} ${parts.join("/")}`);
    }
  }

  // ---- archives ---------------------------------------------------------------------------

  private findArchives(query: unknown): object {
    const q = (query ?? {}) as { Filter?: Record<string, unknown>; Sort?: string[] };
    const tagCond = q.Filter?.["Tags.Name"];
    const scopeCond = q.Filter?.Scope;
    // Outer array: any element may match (OR); a nested array needs all its tags (AND), whole
    // tags only (iaas-api-go search/equal_expression.go TagsAndEqual).
    const tagMatch = (a: ApiArchive): boolean =>
      !Array.isArray(tagCond) ||
      tagCond.some((c) =>
        Array.isArray(c)
          ? c.every((t) => a.Tags?.includes(t as string))
          : a.Tags?.includes(c as string),
      );
    const scopeMatch = (a: ApiArchive): boolean =>
      !Array.isArray(scopeCond) || scopeCond.includes(a.Scope);
    const found = this.archives.filter((a) => tagMatch(a) && scopeMatch(a));
    if (q.Sort?.[0] === "-CreatedAt") {
      found.sort((a, b) => Date.parse(b.CreatedAt ?? "") - Date.parse(a.CreatedAt ?? ""));
    }
    return { From: 0, Count: found.length, Total: found.length, Archives: found };
  }

  // ---- switches ---------------------------------------------------------------------------

  private createSwitch(req: SwitchCreateRequest): ApiSwitch {
    const s = req?.Switch;
    if (typeof s?.Name !== "string" || s.Name === "") throw badRequest("Switch.Name is required");
    const created: ApiSwitch = {
      ID: this.newId(),
      Name: s.Name,
      Description: s.Description ?? "",
      Tags: s.Tags ?? [],
      Scope: "user",
      Zone: { Name: this.zone },
      CreatedAt: new Date().toISOString(),
    };
    this.switches.set(created.ID, created);
    return this.switchView(created);
  }

  private switchView(s: ApiSwitch): ApiSwitch {
    const count = [...this.servers.values()].filter((v) =>
      v.Interfaces?.some((n) => n.Switch?.ID === s.ID),
    ).length;
    return { ...s, ServerCount: count };
  }

  /**
   * A switch with servers or VPC routers on it cannot go: 409 `disconnect_b4_delete` (saklient;
   * assumed).
   */
  private deleteSwitch(s: ApiSwitch): ApiSwitch {
    if ((this.switchView(s).ServerCount ?? 0) > 0 || this.vpcRouters.usesSwitch(s.ID)) {
      throw new HttpError(409, "disconnect_b4_delete", "servers are still connected to the switch");
    }
    this.switches.delete(s.ID);
    return s;
  }

  // ---- disks ------------------------------------------------------------------------------

  /**
   * A size the disk plan does not list is refused (the API lists each plan's sizes in
   * `GET product/disk/:id`, which iaas-service-go disk/builder/builder.go validateDiskPlan
   * checks); the 400's exact code is not documented.
   */
  private createDisk(req: DiskCreateRequest): ApiDisk {
    const d = req?.Disk;
    if (typeof d?.Name !== "string" || d.Name === "") throw badRequest("Disk.Name is required");
    if (d.Plan?.ID !== 2 && d.Plan?.ID !== 4)
      throw badRequest("Disk.Plan.ID must be 2 (hdd) or 4 (ssd)");
    if (!Number.isInteger(d.SizeMB) || !fakeDiskSizesGb.includes(d.SizeMB / 1024)) {
      throw badRequest(`Disk.SizeMB ${d.SizeMB} is not a size of disk plan ${d.Plan.ID}`);
    }
    const source = d.SourceArchive?.ID;
    if (source !== undefined && !this.archives.some((a) => a.ID === source)) {
      throw new HttpError(400, "param_res_not_found", `archive ${source} does not exist`);
    }
    const created: FakeDisk = {
      ID: this.newId(),
      Name: d.Name,
      Description: d.Description ?? "",
      Tags: d.Tags ?? [],
      Availability: "migrating",
      SizeMB: d.SizeMB,
      MigratedMB: 0,
      Connection: d.Connection ?? "virtio",
      Plan: { ID: d.Plan.ID, Name: d.Plan.ID === 4 ? "SSD" : "HDD" },
      SourceArchive: source === undefined ? null : { ID: source },
      Server: null,
      JobStatus: null,
      Zone: { Name: this.zone },
      CreatedAt: new Date().toISOString(),
      fake: {
        job: "copy",
        ticksLeft: this.diskMigratingTicks,
        copyFails: this.diskCopyFails,
        contents: {},
      },
    };
    this.disks.set(created.ID, created);
    return diskView(created);
  }

  /** Each request that touches a `migrating` disk moves its job (copy or edit) one step on. */
  private tick(d: FakeDisk): FakeDisk {
    if (d.Availability !== "migrating") return d;
    if (d.fake.ticksLeft > 0) {
      d.fake.ticksLeft--;
      if (d.fake.job === "copy") d.MigratedMB = Math.floor((d.SizeMB ?? 0) / 2);
      return d;
    }
    if (d.fake.job === "copy") {
      d.Availability = d.fake.copyFails ? "failed" : "available";
      d.MigratedMB = d.SizeMB;
    } else {
      d.Availability = "available";
      const edit = d.fake.pendingEdit;
      if (edit?.fails) {
        // A background edit reports its failure in JobStatus.ConfigError (iaas-api-go
        // naked/disk.go MigrationJobStatus.ConfigError, libsacloud PR #365).
        d.JobStatus = {
          Status: "done",
          ConfigError: {
            ErrorCode: "disk_edit_failed",
            ErrorMsg: "no partition to edit",
            Status: "failed",
          },
        };
      } else if (edit) {
        d.fake.contents = { ...d.fake.contents, ...edit.contents };
      }
      d.fake.pendingEdit = undefined;
    }
    d.fake.job = undefined;
    return d;
  }

  /**
   * A disk being copied cannot go (409; saklient names `disk_is_copying` "a copy to this disk is
   * in progress"), nor one being edited (`disk_is_not_available`), nor one still connected to a
   * server (`disconnect_b4_delete`, "disconnect it from the server first").
   */
  private deleteDisk(d: FakeDisk): ApiDisk {
    if (d.Availability === "migrating") {
      const code = d.fake.job === "copy" ? "disk_is_copying" : "disk_is_not_available";
      throw new HttpError(409, code, "the disk is busy");
    }
    if (d.Server) {
      throw new HttpError(
        409,
        "disconnect_b4_delete",
        `the disk is connected to server ${d.Server.ID}`,
      );
    }
    this.disks.delete(d.ID);
    return diskView(d);
  }

  /**
   * The disk edit. It writes into the OS of a disk connected to a server, and takes the server's
   * shared-segment address from that connection; on a disk connected to no server it is a no-op
   * (iaas-api-go fake/ops_disk.go Config: `if disk.ServerID.IsEmpty() { return nil }`). With
   * `Background` the API answers at once and the disk reads `migrating` until the edit ends
   * (iaas-service-go waits for it with WaiterForReady); while it runs a second edit is refused
   * with 409 (`disk_is_not_available`, saklient's "the disk is not available"; assumed code).
   */
  private editDisk(d: FakeDisk, edit: DiskEditRequest): void {
    if (d.Availability !== "available") {
      throw new HttpError(409, "disk_is_not_available", "the disk is not available yet");
    }
    if (d.SourceArchive === null) throw badRequest("a blank disk cannot be edited");
    if (edit.UserIPAddress !== undefined && edit.UserSubnet === undefined) {
      throw badRequest("UserIPAddress needs UserSubnet");
    }
    this.diskEdits.set(d.ID, edit);
    const server = d.Server ? this.servers.get(d.Server.ID) : undefined;
    if (server === undefined) {
      this.ignoredEdits.add(d.ID);
      return;
    }
    const nic = server.Interfaces?.[0];
    const contents: DiskContents = {
      ...(edit.HostName === undefined ? {} : { hostName: edit.HostName }),
      ...(edit.SSHKeys === undefined ? {} : { sshKeys: edit.SSHKeys.map((k) => k.PublicKey) }),
      ...(edit.DisablePWAuth === undefined ? {} : { passwordLogin: !edit.DisablePWAuth }),
      staticAddress: nic?.Switch?.Scope === "shared" ? nic.IPAddress : edit.UserIPAddress,
    };
    d.JobStatus = null;
    if (edit.Background) {
      d.Availability = "migrating";
      d.fake.job = "edit";
      d.fake.ticksLeft = this.diskEditTicks;
      d.fake.pendingEdit = { contents, fails: this.diskEditFails };
    } else {
      d.fake.contents = { ...d.fake.contents, ...contents };
    }
  }

  /**
   * Connecting: a disk on another server answers 409 `res_already_connected`, a running server
   * 409 `server_power_must_be_down`, a disk still being copied or edited 409
   * `disk_is_not_available` (saklient ExceptionFactory.ts; which code the API picks for the last
   * case is assumed).
   */
  private connect(d: FakeDisk, s: FakeServer): void {
    if (d.Server)
      throw new HttpError(
        409,
        "res_already_connected",
        `the disk is connected to server ${d.Server.ID}`,
      );
    if (s.Instance?.Status !== "down")
      throw new HttpError(409, "server_power_must_be_down", "stop the server first");
    if (d.Availability !== "available")
      throw new HttpError(409, "disk_is_not_available", "the disk is not available yet");
    d.Server = { ID: s.ID, Name: s.Name };
    s.Disks = [...(s.Disks ?? []), { ID: d.ID, Name: d.Name }];
  }

  private disconnect(d: FakeDisk): void {
    if (!d.Server)
      throw new HttpError(409, "res_already_disconnected", "the disk is not connected");
    const server = this.servers.get(d.Server.ID);
    if (server && server.Instance?.Status !== "down")
      throw new HttpError(409, "server_power_must_be_down", "stop the server first");
    if (server) server.Disks = (server.Disks ?? []).filter((x) => x.ID !== d.ID);
    d.Server = null;
  }

  // ---- servers ----------------------------------------------------------------------------

  private newServerState(): ServerState {
    return {
      stillCreatingLeft: this.stillCreatingBoots,
      lostBootsLeft: this.lostBoots,
      ignoredShutdownsLeft: this.ignoredShutdowns,
      everBooted: false,
      guest: newGuest(),
    };
  }

  /**
   * A plan is a CPU/memory/commitment that exists (iaas-service-go server/builder/builder.go
   * looks it up with query.FindServerPlan before creating); another pair is refused with 400
   * `param_res_not_found` (saklient: "the resource a parameter names does not exist"; assumed).
   */
  private createServer(req: ServerCreateRequest): ApiServer {
    const s = req?.Server;
    if (typeof s?.Name !== "string" || s.Name === "") throw badRequest("Server.Name is required");
    const plan = s.ServerPlan;
    const commitment = plan?.Commitment ?? "standard";
    const key = `${plan?.CPU}/${(plan?.MemoryMB ?? 0) / 1024}/${commitment}`;
    if (!fakeServerPlans.has(key)) {
      throw new HttpError(400, "param_res_not_found", `no server plan ${key}`);
    }
    const nics: ApiInterface[] = (s.ConnectedSwitches ?? []).map((c, i) => {
      const nic: ApiInterface = {
        ID: this.newId(),
        MACAddress: `9c:a3:ba:00:00:${String(i).padStart(2, "0")}`,
      };
      if ("Scope" in c) {
        if (i !== 0) throw badRequest("only the first NIC can use the shared segment");
        return {
          ...nic,
          IPAddress: `203.0.113.${this.nextSharedHost++}`,
          Switch: { ID: sharedSegmentId, Scope: "shared" },
        };
      }
      if (!this.switches.has(c.ID))
        throw new HttpError(404, "not_found", `switch ${c.ID} not found`);
      return { ...nic, Switch: { ID: c.ID, Scope: "user" } };
    });
    const created: FakeServer = {
      ID: this.newId(),
      Name: s.Name,
      Description: s.Description ?? "",
      Tags: s.Tags ?? [],
      Availability: "available",
      InterfaceDriver: s.InterfaceDriver ?? "virtio",
      ServerPlan: {
        ID: `${plan.CPU}00${plan.MemoryMB / 1024}`,
        ...plan,
        Commitment: commitment,
      },
      Instance: { Status: "down" },
      Interfaces: nics,
      Disks: [],
      Zone: { Name: this.zone },
      CreatedAt: new Date().toISOString(),
      fake: this.newServerState(),
    };
    this.servers.set(created.ID, created);
    return this.serverView(created);
  }

  private serverView(s: FakeServer): ApiServer {
    const { fake: _fake, ...view } = s;
    const copy = structuredClone(view);
    // The API names the attached filter as it is called now.
    for (const nic of copy.Interfaces ?? []) {
      if (nic.PacketFilter)
        nic.PacketFilter.Name = this.packetFilters.get(nic.PacketFilter.ID)?.Name;
    }
    return copy;
  }

  /** Each read moves a boot, a graceful shutdown or the cleaning after a stop one step on. */
  private settle(s: FakeServer): FakeServer {
    const f = s.fake;
    if (f.bootReadsLeft !== undefined) {
      if (f.bootReadsLeft <= 0) {
        f.bootReadsLeft = undefined;
        s.Instance = { Status: "up", BeforeStatus: "down" };
        this.bootGuest(s);
      } else {
        f.bootReadsLeft--;
      }
    } else if (f.shutdownReadsLeft !== undefined) {
      if (f.shutdownReadsLeft <= 0) {
        f.shutdownReadsLeft = undefined;
        this.stopServer(s);
      } else {
        f.shutdownReadsLeft--;
      }
    } else if (f.cleaningReadsLeft !== undefined) {
      if (f.cleaningReadsLeft <= 0) {
        f.cleaningReadsLeft = undefined;
        s.Instance = { Status: "down", BeforeStatus: "up" };
      } else {
        f.cleaningReadsLeft--;
      }
    }
    return s;
  }

  private stopServer(s: FakeServer): void {
    if (this.cleaningReads > 0) {
      s.Instance = { Status: "cleaning", BeforeStatus: "up" };
      s.fake.cleaningReadsLeft = this.cleaningReads - 1;
    } else {
      s.Instance = { Status: "down", BeforeStatus: "up" };
    }
  }

  /**
   * Power on. A running server, or one whose boot is under way, answers 409 `conflict`
   * (libsacloud issue #742); disks still being copied 409 `still_creating` (iaas-api-go error.go
   * IsStillCreatingError); a server still stopping 409 `server_is_cleaning` (saklient). An
   * accepted boot can come to nothing and leave the server down, which is why Sakura's helper
   * sends it again while the server reads down (iaas-api-go helper/power/power.go).
   */
  private boot(s: FakeServer, body: ServerBootRequest | undefined): void {
    const f = s.fake;
    if (s.Instance?.Status === "up" || f.bootReadsLeft !== undefined)
      throw new HttpError(409, "conflict", "the server is already up or booting");
    if (s.Instance?.Status === "cleaning")
      throw new HttpError(409, "server_is_cleaning", "the server is still stopping");
    const copying = (s.Disks ?? []).some((d) => this.disks.get(d.ID)?.Availability === "migrating");
    if (copying || f.stillCreatingLeft > 0) {
      f.stillCreatingLeft--;
      throw new HttpError(409, "still_creating", "the server's disks are still being created");
    }
    this.boots.set(s.ID, body);
    if (f.lostBootsLeft > 0) {
      f.lostBootsLeft--;
      return;
    }
    f.bootRequest = body;
    f.bootReadsLeft = this.bootReads;
  }

  /**
   * What the OS does on the way up. The first disk's edit (host name, keys, password login, a
   * fixed address) is in place; cloud-init runs the boot's user data only at the first boot and
   * only on a disk made from a cloud-init ("cloudimg") archive (manual.sakura.ad.jp
   * cloud/server/cloud-init.html); a disk whose edit wrote no address asks the shared segment's
   * DHCP, which answers only when the NIC's packet filter lets UDP 67 -> 68 through
   * (manual.sakura.ad.jp cloud/server/dhcp.html: an edited disk gets a fixed address, no DHCP).
   */
  private bootGuest(s: FakeServer): void {
    const f = s.fake;
    const bootDisk = this.disks.get(s.Disks?.[0]?.ID ?? "");
    const contents = bootDisk?.fake.contents ?? {};
    const guest = f.guest;
    applyDiskContents(guest, contents);
    const userData = f.bootRequest?.UserBootVariables?.CloudInit?.UserData;
    if (!f.everBooted && userData !== undefined && this.isCloudImage(bootDisk)) {
      applyCloudConfig(guest, userData);
    }
    f.everBooted = true;
    const nic = s.Interfaces?.[0];
    if (contents.staticAddress !== undefined) {
      guest.address = contents.staticAddress;
      guest.addressFrom = "disk edit";
    } else if (nic?.Switch?.Scope === "shared" && this.dhcpReaches(nic)) {
      guest.address = nic.IPAddress;
      guest.addressFrom = "dhcp";
    } else {
      guest.address = undefined;
      guest.addressFrom = undefined;
    }
  }

  private isCloudImage(disk: FakeDisk | undefined): boolean {
    const archive = this.archives.find((a) => a.ID === disk?.SourceArchive?.ID);
    return archive?.Tags?.includes("cloud-init") === true;
  }

  private dhcpReaches(nic: ApiInterface): boolean {
    const filter = nic.PacketFilter ? this.packetFilters.get(nic.PacketFilter.ID) : undefined;
    return filter === undefined || letsDhcpThrough(filter.rules);
  }

  /**
   * Power off. A server that is not up answers 409 `conflict` (as a boot of a running one,
   * libsacloud issue #742), one still stopping 409 `server_is_cleaning`; a graceful shutdown
   * already pending answers 409 `conflict`, and the OS may ignore one (while it boots), which is
   * why Sakura's helper sends it again while the server reads up.
   */
  private shutdown(s: FakeServer, body: ShutdownRequest | undefined): void {
    const f = s.fake;
    if (s.Instance?.Status === "cleaning")
      throw new HttpError(409, "server_is_cleaning", "the server is still stopping");
    if (s.Instance?.Status !== "up") throw new HttpError(409, "conflict", "the server is not up");
    if (body?.Force === true) {
      f.shutdownReadsLeft = undefined;
      this.stopServer(s);
      return;
    }
    if (f.shutdownReadsLeft !== undefined)
      throw new HttpError(409, "conflict", "a shutdown is already under way");
    if (f.ignoredShutdownsLeft > 0) {
      f.ignoredShutdownsLeft--;
      return;
    }
    if (Number.isFinite(this.gracefulShutdownReads))
      f.shutdownReadsLeft = this.gracefulShutdownReads;
  }

  /** A server that is not down cannot go: 409 `server_power_must_be_down` (saklient). */
  private deleteServer(s: FakeServer, body: ServerDeleteRequest | undefined): ApiServer {
    if (s.Instance?.Status === "cleaning")
      throw new HttpError(409, "server_is_cleaning", "the server is still stopping");
    if (s.Instance?.Status !== "down")
      throw new HttpError(409, "server_power_must_be_down", "stop the server first");
    const withDisk = body?.WithDisk ?? [];
    for (const diskId of withDisk) {
      if (!s.Disks?.some((d) => d.ID === diskId))
        throw badRequest(`disk ${diskId} is not on this server`);
    }
    for (const d of s.Disks ?? []) {
      const disk = this.disks.get(d.ID);
      if (disk === undefined) continue;
      disk.Server = null;
      if (withDisk.includes(d.ID)) this.disks.delete(d.ID);
    }
    this.servers.delete(s.ID);
    return this.serverView(s);
  }

  // ---- packet filters ---------------------------------------------------------------------

  private filterView(pf: FakePacketFilter): ApiPacketFilter {
    return {
      ID: pf.ID,
      Name: pf.Name,
      Description: pf.Description,
      Expression: pf.rules.map(echoedRule),
      ExpressionHash: expressionHash(pf.rules),
      CreatedAt: pf.CreatedAt,
    };
  }

  private createPacketFilter(req: PacketFilterCreateRequest): ApiPacketFilter {
    const p = req?.PacketFilter;
    if (typeof p?.Name !== "string" || p.Name === "")
      throw badRequest("PacketFilter.Name is required");
    const created: FakePacketFilter = {
      ID: this.newId(),
      Name: p.Name,
      Description: p.Description ?? "",
      rules: validRules(p.Expression ?? []),
      CreatedAt: new Date().toISOString(),
    };
    this.packetFilters.set(created.ID, created);
    return this.filterView(created);
  }

  private updatePacketFilter(
    pf: FakePacketFilter,
    req: PacketFilterUpdateRequest,
  ): ApiPacketFilter {
    const p = req?.PacketFilter;
    if (p === undefined) throw badRequest('body must be {"PacketFilter": {...}}');
    if (p.Expression !== undefined) pf.rules = validRules(p.Expression);
    if (p.Name !== undefined) pf.Name = p.Name;
    if (p.Description !== undefined) pf.Description = p.Description;
    return this.filterView(pf);
  }

  /** A filter a NIC uses cannot go: 409 `disconnect_b4_delete` (saklient; assumed code). */
  private deletePacketFilter(pf: FakePacketFilter): ApiPacketFilter {
    const users = [...this.servers.values()].flatMap((s) =>
      (s.Interfaces ?? []).filter((n) => n.PacketFilter?.ID === pf.ID).map((n) => n.ID),
    );
    if (users.length > 0) {
      throw new HttpError(
        409,
        "disconnect_b4_delete",
        `the packet filter is applied to interface(s) ${users.join(", ")}`,
      );
    }
    this.packetFilters.delete(pf.ID);
    return this.filterView(pf);
  }

  /** A NIC holds one filter: a second answers 409 `res_already_connected` (saklient; assumed). */
  private attachPacketFilter(nic: ApiInterface, pf: FakePacketFilter): void {
    if (nic.PacketFilter) {
      throw new HttpError(
        409,
        "res_already_connected",
        `interface ${nic.ID} is already connected to packet filter ${nic.PacketFilter.ID}`,
      );
    }
    nic.PacketFilter = { ID: pf.ID, Name: pf.Name };
  }

  /** Detaching from a NIC without one answers 409 `res_already_disconnected` (saklient; assumed). */
  private detachPacketFilter(nic: ApiInterface): void {
    if (!nic.PacketFilter) {
      throw new HttpError(
        409,
        "res_already_disconnected",
        `interface ${nic.ID} has no packet filter`,
      );
    }
    nic.PacketFilter = null;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private rename<T extends { Name: string; Description?: string; Tags?: string[] }>(
    target: T,
    body: unknown,
    envelope: string,
  ): T {
    const fields = (body as Record<string, Partial<T> | undefined> | undefined)?.[envelope];
    if (fields === undefined) throw badRequest(`body must be {"${envelope}": {...}}`);
    if (fields.Name !== undefined) target.Name = fields.Name;
    if (fields.Description !== undefined) target.Description = fields.Description;
    if (fields.Tags !== undefined) target.Tags = fields.Tags;
    return target;
  }

  private mustArchive(id: string | undefined): ApiArchive {
    return must(
      this.archives.find((a) => a.ID === id),
      "archive",
      id,
    );
  }

  private mustSwitch(id: string | undefined): ApiSwitch {
    return must(this.switches.get(id ?? ""), "switch", id);
  }

  private mustDisk(id: string | undefined): FakeDisk {
    return must(this.disks.get(id ?? ""), "disk", id);
  }

  private mustServer(id: string | undefined): FakeServer {
    return must(this.servers.get(id ?? ""), "server", id);
  }

  private mustPacketFilter(id: string | undefined): FakePacketFilter {
    return must(this.packetFilters.get(id ?? ""), "packet filter", id);
  }

  private mustNic(id: string | undefined): ApiInterface {
    return must(this.nic(id ?? ""), "interface", id);
  }

  private newId(): string {
    return String(this.nextId++);
  }
}

/**
 * Starts a fake API for `zone` on a loopback port the system picks, accepting the given
 * credentials; returns it with the API root URL to configure (`sakuracloud:apiRootUrl`).
 */
export async function startFakeSakuraApi(options: {
  zone: string;
  token: string;
  secret: string;
}): Promise<{ api: FakeSakuraApi; root: string }> {
  const api = new FakeSakuraApi(options.zone, options.token, options.secret);
  const root = await api.start();
  return { api, root };
}

function must<T>(value: T | undefined, kind: string, id: string | undefined): T {
  if (value === undefined) throw new HttpError(404, "not_found", `${kind} ${id} not found`);
  return value;
}

function diskView(d: FakeDisk): ApiDisk {
  const { fake: _fake, ...view } = d;
  return structuredClone(view);
}

function validRules(list: unknown): StoredRule[] {
  const result = storedRules(list);
  if (typeof result === "string") throw badRequest(result);
  return result;
}

function expressionHash(rules: StoredRule[]): string {
  return createHash("sha256").update(JSON.stringify(rules)).digest("hex").slice(0, 32);
}

function badRequest(message: string): HttpError {
  return new HttpError(400, "bad_request", message);
}

function errorBody(status: number, code: string, message: string): ApiErrorBody {
  return {
    is_fatal: true,
    serial: `fake${Math.random().toString(16).slice(2, 10)}`,
    status: `${status} ${STATUS_CODES[status] ?? ""}`.trim(),
    error_code: code,
    error_msg: message,
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}
