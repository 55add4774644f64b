// A loopback HTTP server that plays the Sakura Cloud IaaS API v1.1 contract closely enough to
// exercise the providers' real HTTP code: zone-scoped paths, Basic auth, JSON envelopes,
// JSON-in-query searches, 12-digit string IDs, the `migrating` -> `available` disk sequence,
// 409 `still_creating` on an early power-on, packet filters and their NIC attachments, error
// bodies, and injected failures.
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";
import type {
  ApiArchive,
  ApiDisk,
  ApiErrorBody,
  ApiInterface,
  ApiPacketFilter,
  ApiPacketFilterExpression,
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
} from "../../components/sakura/api/types";

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

interface FakeDisk extends ApiDisk {
  /** Requests touching this disk that still see it `migrating`. */
  migratingTicksLeft: number;
  copyFails: boolean;
}

interface FakeServer extends ApiServer {
  stillCreatingLeft: number;
  /** GET reads until a graceful shutdown completes; undefined when none is pending. */
  shutdownReadsLeft?: number;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const sharedSegmentId = "100000000001";

export class FakeSakuraApi {
  readonly requests: RecordedRequest[] = [];
  readonly switches = new Map<string, ApiSwitch>();
  readonly disks = new Map<string, FakeDisk>();
  readonly servers = new Map<string, FakeServer>();
  readonly packetFilters = new Map<string, ApiPacketFilter>();
  readonly archives: ApiArchive[] = [];
  /** Disk edit bodies by disk ID. */
  readonly diskEdits = new Map<string, DiskEditRequest>();
  /** Successful power-on bodies by server ID. */
  readonly boots = new Map<string, ServerBootRequest | undefined>();

  /** Requests touching a new disk that see it `migrating` before it turns `available`. */
  diskMigratingTicks = 2;
  /** New disks end their copy as `failed` instead of `available`. */
  diskCopyFails = false;
  /** Power-on requests per server answered 409 `still_creating` before one succeeds. */
  stillCreatingBoots = 0;
  /** GET reads a server stays `up` after a graceful shutdown; Infinity ignores the request. */
  gracefulShutdownReads = 1;

  private readonly injections: Injection[] = [];
  private nextId = 113_000_000_001;
  private http: Server | undefined;

  constructor(
    readonly zone: string,
    private readonly token: string,
    private readonly secret: string,
  ) {}

  /** Starts listening on 127.0.0.1 and returns the API root URL to configure. */
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
    await new Promise<void>((resolve) => this.http?.close(() => resolve()));
  }

  /** The next `times` requests matching method and path get this error answer. */
  inject(injection: Omit<Injection, "times"> & { times?: number }): void {
    this.injections.push({ times: 1, ...injection });
  }

  clearInjections(): void {
    this.injections.length = 0;
  }

  /** Forgets resources, requests and injections; archives and knobs stay. */
  reset(): void {
    this.clearInjections();
    this.requests.length = 0;
    this.switches.clear();
    this.disks.clear();
    this.servers.clear();
    this.packetFilters.clear();
    this.diskEdits.clear();
    this.boots.clear();
  }

  addArchive(archive: ApiArchive): void {
    this.archives.push(archive);
  }

  /** Switches, disks, servers and packet filters that exist (archives are Sakura's). */
  resourceCount(): number {
    return this.switches.size + this.disks.size + this.servers.size + this.packetFilters.size;
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
    try {
      if (!url.pathname.startsWith(prefix)) {
        throw new HttpError(404, "not_found", `no such API path or zone: ${url.pathname}`);
      }
      const expected = `Basic ${Buffer.from(`${this.token}:${this.secret}`).toString("base64")}`;
      if (req.headers.authorization !== expected) {
        throw new HttpError(401, "unauthorized", "the access token or secret is wrong");
      }
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

  private route(method: string, parts: string[], query: unknown, body: unknown): [number, object] {
    const [kind, id, sub, sub2, sub3] = parts;
    const route = `${method} ${kind}${id === undefined ? "" : "/:id"}${sub === undefined ? "" : `/${sub}`}${
      sub2 === undefined ? "" : `/${sub2}`
    }${sub3 === undefined ? "" : "/:id"}`;
    switch (route) {
      case "GET archive":
        return [200, this.findArchives(query)];
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
        return [200, { Success: true }];
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
        return [200, { PacketFilter: structuredClone(this.mustPacketFilter(id)) }];
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
    // Outer array: any element may match (OR); a nested array needs all its tags (AND).
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

  private deleteSwitch(s: ApiSwitch): ApiSwitch {
    if ((this.switchView(s).ServerCount ?? 0) > 0) {
      throw new HttpError(409, "switch_in_use", "servers are still connected to the switch");
    }
    this.switches.delete(s.ID);
    return s;
  }

  // ---- disks ------------------------------------------------------------------------------

  private createDisk(req: DiskCreateRequest): ApiDisk {
    const d = req?.Disk;
    if (typeof d?.Name !== "string" || d.Name === "") throw badRequest("Disk.Name is required");
    if (d.Plan?.ID !== 2 && d.Plan?.ID !== 4)
      throw badRequest("Disk.Plan.ID must be 2 (hdd) or 4 (ssd)");
    if (!Number.isInteger(d.SizeMB) || d.SizeMB <= 0)
      throw badRequest("Disk.SizeMB must be positive");
    const source = d.SourceArchive?.ID;
    if (source !== undefined && !this.archives.some((a) => a.ID === source)) {
      throw badRequest(`archive ${source} does not exist`);
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
      Zone: { Name: this.zone },
      CreatedAt: new Date().toISOString(),
      migratingTicksLeft: this.diskMigratingTicks,
      copyFails: this.diskCopyFails,
    };
    this.disks.set(created.ID, created);
    return diskView(created);
  }

  /** Each request that touches a migrating disk moves its copy one step forward. */
  private tick(d: FakeDisk): FakeDisk {
    if (d.Availability !== "migrating") return d;
    if (d.migratingTicksLeft <= 0) {
      d.Availability = d.copyFails ? "failed" : "available";
      d.MigratedMB = d.SizeMB;
    } else {
      d.migratingTicksLeft--;
      d.MigratedMB = Math.floor((d.SizeMB ?? 0) / 2);
    }
    return d;
  }

  private deleteDisk(d: FakeDisk): ApiDisk {
    if (d.Availability === "migrating") {
      throw new HttpError(409, "still_creating", "the disk is still being copied");
    }
    if (d.Server)
      throw new HttpError(409, "disk_in_use", `the disk is connected to server ${d.Server.ID}`);
    this.disks.delete(d.ID);
    this.diskEdits.delete(d.ID);
    return diskView(d);
  }

  private editDisk(d: FakeDisk, edit: DiskEditRequest): void {
    if (d.Availability !== "available") {
      throw new HttpError(409, "still_creating", "the disk is not available yet");
    }
    if (d.SourceArchive === null) throw badRequest("a blank disk cannot be edited");
    if (edit.UserIPAddress !== undefined && edit.UserSubnet === undefined) {
      throw badRequest("UserIPAddress needs UserSubnet");
    }
    this.diskEdits.set(d.ID, edit);
  }

  private connect(d: FakeDisk, s: FakeServer): void {
    if (d.Server)
      throw new HttpError(409, "disk_in_use", `the disk is connected to server ${d.Server.ID}`);
    if (s.Instance?.Status !== "down")
      throw new HttpError(409, "server_is_running", "stop the server first");
    d.Server = { ID: s.ID, Name: s.Name };
    s.Disks = [...(s.Disks ?? []), { ID: d.ID, Name: d.Name }];
  }

  private disconnect(d: FakeDisk): void {
    const server = d.Server ? this.servers.get(d.Server.ID) : undefined;
    if (server) server.Disks = (server.Disks ?? []).filter((x) => x.ID !== d.ID);
    d.Server = null;
  }

  // ---- servers ----------------------------------------------------------------------------

  private createServer(req: ServerCreateRequest): ApiServer {
    const s = req?.Server;
    if (typeof s?.Name !== "string" || s.Name === "") throw badRequest("Server.Name is required");
    const plan = s.ServerPlan;
    if (
      !(
        Number.isInteger(plan?.CPU) &&
        plan.CPU > 0 &&
        Number.isInteger(plan.MemoryMB) &&
        plan.MemoryMB > 0
      )
    ) {
      throw badRequest("Server.ServerPlan needs CPU and MemoryMB");
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
          IPAddress: "203.0.113.10",
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
        Commitment: plan.Commitment ?? "standard",
      },
      Instance: { Status: "down" },
      Interfaces: nics,
      Disks: [],
      Zone: { Name: this.zone },
      CreatedAt: new Date().toISOString(),
      stillCreatingLeft: this.stillCreatingBoots,
    };
    this.servers.set(created.ID, created);
    return this.serverView(created);
  }

  private serverView(s: FakeServer): ApiServer {
    const { stillCreatingLeft: _a, shutdownReadsLeft: _b, ...view } = s;
    const copy = structuredClone(view);
    // The API names the attached filter as it is called now.
    for (const nic of copy.Interfaces ?? []) {
      if (nic.PacketFilter)
        nic.PacketFilter.Name = this.packetFilters.get(nic.PacketFilter.ID)?.Name;
    }
    return copy;
  }

  /** A pending graceful shutdown completes after a few reads. */
  private settle(s: FakeServer): FakeServer {
    if (s.shutdownReadsLeft !== undefined) {
      if (s.shutdownReadsLeft <= 0) {
        s.Instance = { Status: "down", BeforeStatus: "up" };
        s.shutdownReadsLeft = undefined;
      } else {
        s.shutdownReadsLeft--;
      }
    }
    return s;
  }

  private boot(s: FakeServer, body: ServerBootRequest | undefined): void {
    if (s.Instance?.Status === "up")
      throw new HttpError(409, "already_up", "the server is already up");
    const copying = (s.Disks ?? []).some((d) => this.disks.get(d.ID)?.Availability === "migrating");
    if (copying || s.stillCreatingLeft > 0) {
      s.stillCreatingLeft--;
      throw new HttpError(409, "still_creating", "the server's disks are still being created");
    }
    s.Instance = { Status: "up", BeforeStatus: "down" };
    this.boots.set(s.ID, body);
  }

  private shutdown(s: FakeServer, body: ShutdownRequest | undefined): void {
    if (s.Instance?.Status !== "up")
      throw new HttpError(409, "already_down", "the server is not up");
    if (body?.Force === true) {
      s.Instance = { Status: "down", BeforeStatus: "up" };
      s.shutdownReadsLeft = undefined;
    } else if (Number.isFinite(this.gracefulShutdownReads)) {
      s.shutdownReadsLeft = this.gracefulShutdownReads;
    }
  }

  private deleteServer(s: FakeServer, body: ServerDeleteRequest | undefined): ApiServer {
    if (s.Instance?.Status !== "down")
      throw new HttpError(409, "server_is_running", "stop the server first");
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

  private createPacketFilter(req: PacketFilterCreateRequest): ApiPacketFilter {
    const p = req?.PacketFilter;
    if (typeof p?.Name !== "string" || p.Name === "")
      throw badRequest("PacketFilter.Name is required");
    const expressions = validExpressions(p.Expression ?? []);
    const created: ApiPacketFilter = {
      ID: this.newId(),
      Name: p.Name,
      Description: p.Description ?? "",
      Expression: expressions,
      ExpressionHash: expressionHash(expressions),
      CreatedAt: new Date().toISOString(),
    };
    this.packetFilters.set(created.ID, created);
    return structuredClone(created);
  }

  private updatePacketFilter(pf: ApiPacketFilter, req: PacketFilterUpdateRequest): ApiPacketFilter {
    const p = req?.PacketFilter;
    if (p === undefined) throw badRequest('body must be {"PacketFilter": {...}}');
    if (p.Expression !== undefined) {
      pf.Expression = validExpressions(p.Expression);
      pf.ExpressionHash = expressionHash(pf.Expression);
    }
    if (p.Name !== undefined) pf.Name = p.Name;
    if (p.Description !== undefined) pf.Description = p.Description;
    return structuredClone(pf);
  }

  /** A filter in use cannot go (the 409 code is a stand-in). */
  private deletePacketFilter(pf: ApiPacketFilter): ApiPacketFilter {
    const users = [...this.servers.values()].flatMap((s) =>
      (s.Interfaces ?? []).filter((n) => n.PacketFilter?.ID === pf.ID).map((n) => n.ID),
    );
    if (users.length > 0) {
      throw new HttpError(
        409,
        "packetfilter_in_use",
        `the packet filter is applied to interface(s) ${users.join(", ")}`,
      );
    }
    this.packetFilters.delete(pf.ID);
    return structuredClone(pf);
  }

  private attachPacketFilter(nic: ApiInterface, pf: ApiPacketFilter): void {
    if (nic.PacketFilter) {
      throw new HttpError(
        409,
        "conflict",
        `interface ${nic.ID} is already connected to packet filter ${nic.PacketFilter.ID}`,
      );
    }
    nic.PacketFilter = { ID: pf.ID, Name: pf.Name };
  }

  private detachPacketFilter(nic: ApiInterface): void {
    if (!nic.PacketFilter) {
      throw new HttpError(409, "conflict", `interface ${nic.ID} has no packet filter`);
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

  private mustSwitch(id: string | undefined): ApiSwitch {
    return must(this.switches.get(id ?? ""), "switch", id);
  }

  private mustDisk(id: string | undefined): FakeDisk {
    return must(this.disks.get(id ?? ""), "disk", id);
  }

  private mustServer(id: string | undefined): FakeServer {
    return must(this.servers.get(id ?? ""), "server", id);
  }

  private mustPacketFilter(id: string | undefined): ApiPacketFilter {
    return must(this.packetFilters.get(id ?? ""), "packet filter", id);
  }

  private mustNic(id: string | undefined): ApiInterface {
    return must(this.nic(id ?? ""), "interface", id);
  }

  private newId(): string {
    return String(this.nextId++);
  }
}

function must<T>(value: T | undefined, kind: string, id: string | undefined): T {
  if (value === undefined) throw new HttpError(404, "not_found", `${kind} ${id} not found`);
  return value;
}

function diskView(d: FakeDisk): ApiDisk {
  const { migratingTicksLeft: _a, copyFails: _b, ...view } = d;
  return structuredClone(view);
}

const protocols = ["http", "https", "tcp", "udp", "icmp", "fragment", "ip"];
const port = /^$|^\d{1,5}(-\d{1,5})?$/;
const network = /^$|^\d{1,3}(\.\d{1,3}){3}(\/([1-9]|[12]\d|3[01])|\/\d{1,3}(\.\d{1,3}){3})?$/;

/** The API's own checks of a rule list, answered with 400 like the API does. */
function validExpressions(list: unknown): ApiPacketFilterExpression[] {
  if (!Array.isArray(list)) throw badRequest("PacketFilter.Expression must be a list");
  return list.map((raw: Partial<ApiPacketFilterExpression>, i) => {
    const rule = {
      Protocol: raw.Protocol ?? "",
      SourceNetwork: raw.SourceNetwork ?? "",
      SourcePort: raw.SourcePort ?? "",
      DestinationPort: raw.DestinationPort ?? "",
      Action: raw.Action ?? "",
      Description: raw.Description ?? "",
    };
    if (!protocols.includes(rule.Protocol))
      throw badRequest(`Expression[${i}].Protocol "${rule.Protocol}" is invalid`);
    if (rule.Action !== "allow" && rule.Action !== "deny")
      throw badRequest(`Expression[${i}].Action must be allow or deny`);
    if (!network.test(rule.SourceNetwork))
      throw badRequest(`Expression[${i}].SourceNetwork "${rule.SourceNetwork}" is invalid`);
    for (const field of ["SourcePort", "DestinationPort"] as const) {
      if (!port.test(rule[field]))
        throw badRequest(`Expression[${i}].${field} "${rule[field]}" is invalid`);
    }
    return rule;
  });
}

function expressionHash(expressions: ApiPacketFilterExpression[]): string {
  return createHash("sha256").update(JSON.stringify(expressions)).digest("hex").slice(0, 32);
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
