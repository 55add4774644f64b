// The DNS stand-in as a process of its own, so that it can run inside a network namespace on the
// address the rendered unbound.conf names. Configuration comes as JSON in argv[2]:
// `{ "address", "port", "ttl", "records": { "<name>": ["<address>", ...] } }`.
// It prints `ready` once listening and `query <name> <type> <ms>` for each query (ms: since it
// last started listening, by its own clock), and obeys lines on
// its standard input: `mute` / `unmute` (queries go unanswered, as when packets are dropped; then
// answered again), `close` (the server goes away: its port is closed), `open <records JSON>`
// (it comes back, maybe with other records; `ready` again), `sync` (reports every query received so
// far, then `synced`: queries are otherwise reported in batches), `ask <JSON>` (programs on the
// host ask the resolver at 127.0.0.1:53, dns-stand-in-ask.ts: `{ "name", "type", "cd", "resendMs",
// "deadlineMs", "until" }`; then `answered <status> <addresses or -> <first sent ms> <elapsed ms>`,
// the first send on the clock of the queries). It exits when its input ends, so it never outlives
// the test that started it.
import { createInterface } from "node:readline";
import { type StandIn, startStandIn } from "./dns-stand-in";
import { type AskOptions, askResolver } from "./dns-stand-in-ask";

interface Config {
  readonly address: string;
  readonly port: number;
  readonly ttl: number;
  readonly records: Record<string, string[]>;
}

const config = JSON.parse(process.argv[2] ?? "{}") as Config;
let server: StandIn | undefined;
let reported = 0;
let openedAt = 0;

async function open(records: Record<string, string[]>): Promise<void> {
  flush();
  server = await startStandIn(new Map(Object.entries(records)), config.ttl, {
    address: config.address,
    port: config.port,
  });
  reported = 0;
  openedAt = Date.now();
  process.stdout.write("ready\n");
}

/** Reports the queries not reported yet. */
function flush(): void {
  const queries = server?.queries ?? [];
  const times = server?.times ?? [];
  for (; reported < queries.length; reported++)
    process.stdout.write(`query ${queries[reported]} ${(times[reported] ?? 0) - openedAt}\n`);
}
// Queries are reported as they come, in batches (a timer, not one write per packet).
setInterval(flush, 20).unref();

const input = createInterface({ input: process.stdin });
let queue = Promise.resolve();
input.on("line", (line) => {
  queue = queue.then(async () => {
    if (line === "mute" || line === "unmute") {
      server?.mute(line === "mute");
      process.stdout.write(`${line}d\n`);
    } else if (line === "close") {
      flush();
      await server?.close();
      server = undefined;
      process.stdout.write("closed\n");
    } else if (line === "sync") {
      flush();
      process.stdout.write("synced\n");
    } else if (line.startsWith("open ")) {
      await open(JSON.parse(line.slice(5)) as Record<string, string[]>);
    } else if (line.startsWith("ask ")) {
      const { name, ...options } = JSON.parse(line.slice(4)) as AskOptions & { name: string };
      const asked = await askResolver(name, options);
      process.stdout.write(
        `answered ${asked.status} ${asked.addresses.join() || "-"} ${asked.sentAt - openedAt} ${asked.elapsedMs}\n`,
      );
    }
  });
});
input.on("close", () => process.exit(0));

open(config.records).catch((error: Error) => {
  process.stderr.write(`stand-in ${config.address}@${config.port}: ${error.message}\n`);
  process.exit(1);
});
