// Programs on the host asking the local resolver (127.0.0.1:53), played inside the stand-in's
// process: the question goes out, and again every `resendMs` (as glibc sends it again with the
// rendered resolv.conf's `options timeout:1`: resolv.conf(5), "timeout:n", the time the resolver
// waits for a name server before retrying; or as the programs of a busy host keep asking), until
// an answer comes that is wanted. Figures are taken by that process's own clock from the moment
// the question first leaves, so they measure the resolver, not the start-up of a client program
// (which a loaded machine stretches to seconds).
import { createSocket } from "node:dgram";
import { encodeName } from "./dns-stand-in";

export interface AskOptions {
  /** Query type as a number (1: A). */
  readonly type: number;
  /** Checking disabled: the resolver does not validate the answer. */
  readonly cd: boolean;
  /** The question is sent again (with a new id) after this long. */
  readonly resendMs: number;
  /** Given up after this long without the answer wanted (status NO-ANSWER). */
  readonly deadlineMs: number;
  /** Only an answer with exactly these addresses ends the asking; else the first answer does. */
  readonly until?: readonly string[];
}

export interface Asked {
  /** The last answer's rcode by name (NOERROR, SERVFAIL, ...), or NO-ANSWER. */
  readonly status: string;
  /** The last answer's addresses (A records), sorted. */
  readonly addresses: string[];
  /** When the question first left (Date.now()). */
  readonly sentAt: number;
  /** From the first send to the answer that ended the asking (or to the deadline). */
  readonly elapsedMs: number;
}

const RCODES = ["NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED"];
const TYPE_A = 1;

export function askResolver(name: string, options: AskOptions): Promise<Asked> {
  const socket = createSocket("udp4");
  const ids = new Set<number>();
  const wanted = options.until ? [...options.until].sort().join() : undefined;
  return new Promise((resolve, reject) => {
    let last = { status: "NO-ANSWER", addresses: [] as string[] };
    const sentAt = Date.now();
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearInterval(resend);
      clearTimeout(deadline);
      socket.close();
      resolve({ ...last, sentAt, elapsedMs: Date.now() - sentAt });
    };
    const send = () => {
      const id = Math.floor(Math.random() * 0x10000);
      ids.add(id);
      socket.send(query(id, name, options), 53, "127.0.0.1");
    };
    socket.once("error", reject);
    socket.on("message", (reply) => {
      if (reply.length < 12 || !ids.has(reply.readUInt16BE(0))) return;
      const rcode = reply.readUInt16BE(2) & 0x000f;
      last = { status: RCODES[rcode] ?? `RCODE${rcode}`, addresses: addressesOf(reply) };
      if (wanted === undefined || last.addresses.join() === wanted) finish();
    });
    const resend = setInterval(send, options.resendMs);
    const deadline = setTimeout(finish, options.deadlineMs);
    send();
  });
}

function query(id: number, name: string, options: AskOptions): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  // RD, and CD when asked for.
  header.writeUInt16BE(0x0100 | (options.cd ? 0x0010 : 0), 2);
  header.writeUInt16BE(1, 4);
  const tail = Buffer.alloc(4);
  tail.writeUInt16BE(options.type, 0);
  tail.writeUInt16BE(1, 2);
  return Buffer.concat([header, encodeName(name), tail]);
}

/** The addresses of the A records in a reply's answer section, sorted. */
function addressesOf(reply: Buffer): string[] {
  const addresses: string[] = [];
  let offset = skipName(reply, 12) + 4;
  for (let record = 0; record < reply.readUInt16BE(6); record++) {
    offset = skipName(reply, offset);
    const type = reply.readUInt16BE(offset);
    const length = reply.readUInt16BE(offset + 8);
    if (type === TYPE_A && length === 4)
      addresses.push([...reply.subarray(offset + 10, offset + 14)].join("."));
    offset += 10 + length;
  }
  return addresses.sort();
}

/** The offset after a (maybe compressed) name. */
function skipName(message: Buffer, start: number): number {
  let offset = start;
  for (let length = message[offset] ?? 0; length > 0; length = message[offset] ?? 0) {
    // A pointer (two bytes) ends the name.
    if (length >= 0xc0) return offset + 2;
    offset += length + 1;
  }
  return offset + 1;
}
