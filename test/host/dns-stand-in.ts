// A small authoritative DNS server over UDP (node:dgram) that plays one upstream of unbound: the
// Consul agent, the cloud's resolver (with its private zone), or Sakura's resolvers. A records come
// from a table, with a short TTL so that the cache's expiry is reached within a test.
import { createSocket, type Socket } from "node:dgram";

export interface StandIn {
  readonly port: number;
  /** Queries received, as `name type`. */
  readonly queries: string[];
  /** When each query arrived (Date.now()), in the order of `queries`. */
  readonly times: number[];
  /** Silent: queries are received (and logged) but never answered, as when packets are dropped. */
  mute(silent: boolean): void;
  close(): Promise<void>;
}

export interface StandInOptions {
  /** Where to listen; 127.0.0.1 and a free port unless given. */
  readonly address?: string;
  readonly port?: number;
}

const TYPE_A = 1;
const TYPE_SOA = 6;
const TYPE_OPT = 41;

/** Starts the server; `records` maps lower-case names to addresses. */
export function startStandIn(
  records: ReadonlyMap<string, readonly string[]>,
  ttl: number,
  options: StandInOptions = {},
): Promise<StandIn> {
  const socket: Socket = createSocket("udp4");
  const queries: string[] = [];
  const times: number[] = [];
  let silent = false;
  socket.on("message", (message, remote) => {
    times.push(Date.now());
    const reply = answer(message, records, ttl, queries);
    if (reply && !silent) socket.send(reply, remote.port, remote.address);
  });
  return new Promise((resolve, reject) => {
    socket.once("error", reject);
    socket.bind(options.port ?? 0, options.address ?? "127.0.0.1", () => {
      resolve({
        port: socket.address().port,
        queries,
        times,
        mute: (value) => {
          silent = value;
        },
        close: () => new Promise((done) => socket.close(() => done())),
      });
    });
  });
}

function answer(
  query: Buffer,
  records: ReadonlyMap<string, readonly string[]>,
  ttl: number,
  log: string[],
): Buffer | undefined {
  if (query.length < 12 || query.readUInt16BE(4) !== 1) return undefined;
  const { name, end } = readName(query, 12);
  const type = query.readUInt16BE(end);
  const question = query.subarray(12, end + 4);
  const hasOpt = query.readUInt16BE(10) > 0;
  log.push(`${name} ${type}`);

  const addresses = records.get(name.toLowerCase());
  const answers =
    type === TYPE_A && addresses ? addresses.map((address) => aRecord(address, ttl)) : [];
  const rcode = addresses || zoneOf(name, records) ? 0 : 3;
  const authority = answers.length === 0 ? [soaRecord(name, ttl)] : [];
  const additional = hasOpt ? [Buffer.from([0, 0, TYPE_OPT, 0x04, 0xd0, 0, 0, 0, 0, 0, 0])] : [];

  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, AA, RD copied, RA; rcode.
  header.writeUInt16BE(0x8400 | (query.readUInt16BE(2) & 0x0100) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  header.writeUInt16BE(authority.length, 8);
  header.writeUInt16BE(additional.length, 10);
  return Buffer.concat([header, question, ...answers, ...authority, ...additional]);
}

/** True when some record lies under the name (an empty non-terminal: NODATA, not NXDOMAIN). */
function zoneOf(name: string, records: ReadonlyMap<string, readonly string[]>): boolean {
  const suffix = `.${name.toLowerCase()}`;
  return [...records.keys()].some((key) => key.endsWith(suffix));
}

function readName(message: Buffer, start: number): { name: string; end: number } {
  const labels: string[] = [];
  let offset = start;
  for (let length = message[offset] ?? 0; length > 0; length = message[offset] ?? 0) {
    labels.push(message.subarray(offset + 1, offset + 1 + length).toString("ascii"));
    offset += length + 1;
  }
  return { name: labels.join("."), end: offset + 1 };
}

export function encodeName(name: string): Buffer {
  const parts = name.split(".").filter((label) => label.length > 0);
  return Buffer.concat([
    ...parts.map((label) =>
      Buffer.concat([Buffer.from([label.length]), Buffer.from(label, "ascii")]),
    ),
    Buffer.from([0]),
  ]);
}

function aRecord(address: string, ttl: number): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_A, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(4, 8);
  // A pointer to the question's name (offset 12).
  return Buffer.concat([
    Buffer.from([0xc0, 12]),
    fixed,
    Buffer.from(address.split(".").map(Number)),
  ]);
}

function soaRecord(name: string, ttl: number): Buffer {
  const zone = name.split(".").slice(-1).join(".");
  const rdata = Buffer.concat([
    encodeName(`ns.${zone}`),
    encodeName(`hostmaster.${zone}`),
    Buffer.from([0, 0, 0, 1, 0, 0, 0, 60, 0, 0, 0, 60, 0, 0, 0, 60, 0, 0, 0, ttl]),
  ]);
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(TYPE_SOA, 0);
  fixed.writeUInt16BE(1, 2);
  fixed.writeUInt32BE(ttl, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([encodeName(zone), fixed, rdata]);
}
