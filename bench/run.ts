// `npm run bench`: plan time against a floor, scaling, start-up, loaders, a CPU profile and the
// deploy critical path. Prints the figures and writes them to bench/results.json.
// Every ratio compares two sides measured in the same run, interleaved (A B, B A, ...), as medians
// over BENCH_RUNS fresh processes each (default 5).
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../components/spec/load";
import type { Plan } from "../tools/plan/plan";
import { RESULT_MARKER } from "./children/protocol";
import { sdkLoadScript } from "./children/sdk-load";
import { compileProject } from "./compile-js";
import { creationTimes, minutesOf, missingTypes } from "./creation-times";
import { criticalPath, type Edge, edgeCosts, explicitEdges, withoutEdges } from "./critical-path";
import { type ChildCommand, interleave, median, runChild, type Sample } from "./measure";
import { type CpuProfile, summarizeProfile } from "./profile-summary";
import { mb, minutes, ms, ratio, shortUrn, verdict } from "./report";
import { scaledHostCount, scaledSpec } from "./scaled-spec";

const PROJECT_DIR = resolve(__dirname, "..");
const STACKS = ["jp", "us", "uk"] as const;
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const FACTORS = [1, 4, 16] as const;
const TARGETS = { overhead: 1.2, scaling: 1.2, criticalPath: 1.15, startup: 1.3 };
const TSX = ["node", "--import", "tsx"];
/** BENCH_ONLY=overhead,scaling,critical-path,loaders,profile runs some sections (default: all). */
const ONLY = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const wanted = (section: string) => ONLY.size === 0 || ONLY.has(section);
const TS_NODE = join(PROJECT_DIR, "node_modules/@pulumi/pulumi/vendor/ts-node@7.0.1");

const results: Record<string, unknown> = { runs: RUNS, startedAt: new Date().toISOString() };
const say = (line = "") => console.log(line);
const progress = (line: string) => process.stderr.write(`  .. ${line}\n`);

interface Details {
  readonly modules: readonly string[];
  readonly inputDependencies: Record<string, readonly string[]>;
}

function planChild(label: string, args: readonly string[]): ChildCommand {
  return {
    label,
    argv: [...TSX, join(PROJECT_DIR, "bench/children/plan-child.ts"), ...args],
    cwd: PROJECT_DIR,
  };
}

const wall = (samples: readonly Sample[]) => median(samples.map((s) => s.wallMs));
const rss = (samples: readonly Sample[]) => median(samples.map((s) => s.result.maxRssKb));
const firstRegistration = (samples: readonly Sample[]) =>
  median(samples.map((s) => Number(s.result.firstRegistrationAt) - s.spawnAt));
const sdkLoaded = (samples: readonly Sample[]) =>
  median(samples.map((s) => s.result.doneAt - s.spawnAt));
const get = (map: Map<string, Sample[]>, label: string): Sample[] => map.get(label) ?? [];

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "multicloud-bench-"));
  const started = Date.now();
  try {
    say(`multicloud bench: ${RUNS} interleaved runs per side, ${work}`);
    const plans =
      wanted("overhead") || wanted("critical-path") ? await prepare(work) : new Map<string, Plan>();
    if (wanted("overhead")) await overheadAndStartup(work);
    if (wanted("scaling")) await scaling(work);
    if (wanted("critical-path")) deployCriticalPath(plans, work);
    if (wanted("loaders")) await loaders(work);
    if (wanted("profile")) await profile(work);
    results.totalSeconds = Math.round((Date.now() - started) / 1000);
    say(`\nbench took ${results.totalSeconds} s`);
    writeFileSync(join(PROJECT_DIR, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
    say("wrote bench/results.json");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One plan per stack: the plan JSON the floor replays and the critical path reads (also warms caches). */
async function prepare(work: string): Promise<Map<string, Plan>> {
  const plans = new Map<string, Plan>();
  for (const stack of STACKS) {
    progress(`preparing ${stack}`);
    await runChild(
      planChild(`prepare-${stack}`, [
        "--stack",
        stack,
        "--plan-out",
        join(work, `${stack}.plan.json`),
        "--details-out",
        join(work, `${stack}.details.json`),
      ]),
    );
    const plan = JSON.parse(readFileSync(join(work, `${stack}.plan.json`), "utf8")) as Plan;
    // Fail before the long timings, not after them.
    const missing = missingTypes(plan.resources);
    if (missing.length > 0)
      throw new Error(`bench/creation-times.ts has no creation time for: ${missing.join(", ")}`);
    plans.set(stack, plan);
  }
  return plans;
}

async function overheadAndStartup(work: string): Promise<void> {
  const commands: ChildCommand[] = [
    { label: "sdk-load", argv: ["node", "-e", sdkLoadScript(RESULT_MARKER)], cwd: PROJECT_DIR },
  ];
  for (const stack of STACKS) {
    commands.push(planChild(`plan-${stack}`, ["--stack", stack]));
    commands.push({
      label: `floor-${stack}`,
      argv: [
        ...TSX,
        join(PROJECT_DIR, "bench/floor.ts"),
        "--stack",
        stack,
        "--plan",
        join(work, `${stack}.plan.json`),
        "--details",
        join(work, `${stack}.details.json`),
      ],
      cwd: PROJECT_DIR,
    });
  }
  const samples = await interleave(RUNS, commands, (label, sample) =>
    progress(`${label} ${ms(sample.wallMs)}`),
  );

  say(
    "\n== 1. Program overhead: the offline plan against a floor that registers the same resources",
  );
  const overhead: Record<string, unknown> = {};
  for (const stack of STACKS) {
    const ours = get(samples, `plan-${stack}`);
    const floor = get(samples, `floor-${stack}`);
    const mismatches = Math.max(...floor.map((s) => Number(s.result.mismatchCount)));
    const timeRatio = ratio(wall(ours), wall(floor));
    const memoryRatio = ratio(rss(ours), rss(floor));
    overhead[stack] = {
      resources: ours[0]?.result.resources,
      oursMs: wall(ours),
      floorMs: wall(floor),
      ratio: timeRatio,
      oursRssKb: rss(ours),
      floorRssKb: rss(floor),
      memoryRatio,
      floorMismatches: mismatches,
    };
    say(
      `overhead ${stack}: ${timeRatio}  (${ms(wall(ours))} vs floor ${ms(wall(floor))}; ` +
        `peak memory ${mb(rss(ours))} vs ${mb(rss(floor))}, ratio ${memoryRatio}; ` +
        `${ours[0]?.result.resources} resources; floor replay mismatches ${mismatches}; ` +
        `${verdict(timeRatio, TARGETS.overhead)})`,
    );
  }
  // One process per stack, summed within each round, then the median over rounds.
  const sums = (prefix: string) =>
    Array.from({ length: RUNS }, (_, round) =>
      STACKS.reduce(
        (sum, stack) => sum + (get(samples, `${prefix}-${stack}`)[round]?.wallMs ?? 0),
        0,
      ),
    );
  const allRatio = ratio(median(sums("plan")), median(sums("floor")));
  overhead.all = { oursMs: median(sums("plan")), floorMs: median(sums("floor")), ratio: allRatio };
  say(
    `overhead all: ${allRatio}  (one process per stack, summed per round: ` +
      `${ms(median(sums("plan")))} vs floor ${ms(median(sums("floor")))})`,
  );
  results.overhead = overhead;

  say("\n== 4. Start-up: process start to first resource registered, against loading the SDKs");
  const sdk = sdkLoaded(get(samples, "sdk-load"));
  const startup: Record<string, unknown> = { sdkLoadMs: sdk };
  for (const stack of STACKS) {
    const first = firstRegistration(get(samples, `plan-${stack}`));
    const startupRatio = ratio(first, sdk);
    startup[stack] = { firstRegistrationMs: first, ratio: startupRatio };
    say(
      `startup ${stack}: ${ms(first)} (sdk load ${ms(sdk)}, ratio ${startupRatio}; ` +
        `${verdict(startupRatio, TARGETS.startup)})`,
    );
  }
  results.startup = startup;
}

async function scaling(work: string): Promise<void> {
  const document = parse(readFileSync(join(PROJECT_DIR, "Pulumi.jp.yaml"), "utf8")) as {
    config: Record<string, unknown>;
  };
  const raw = document.config[REGION_CONFIG_KEY];
  const commands: ChildCommand[] = [];
  const hosts: Record<number, number> = {};
  for (const factor of FACTORS) {
    // Generated metal addresses start at 10.10.200.1, inside 10.10.192.0/18 and apart from the
    // stack file's own (10.10.192.x).
    const variant = scaledSpec(raw, factor, "10.10.200.1");
    parseRegionSpec(variant, `Pulumi.jp.yaml x${factor}`);
    hosts[factor] = scaledHostCount(variant);
    const file = join(work, `jp-x${factor}.override.json`);
    writeFileSync(file, JSON.stringify({ [REGION_CONFIG_KEY]: JSON.stringify(variant) }));
    commands.push(planChild(`jp-x${factor}`, ["--stack", "jp", "--override", file]));
  }
  const samples = await interleave(RUNS, commands, (label, sample) =>
    progress(`${label} ${ms(sample.wallMs)}`),
  );
  say("\n== 2. Scaling: the jp spec with nginx/app/memcached/chocon counts x1, x4, x16");
  const rows = FACTORS.map((factor) => {
    const runs = get(samples, `jp-x${factor}`);
    const resources = Number(runs[0]?.result.resources ?? 0);
    return { factor, hosts: hosts[factor], resources, wallMs: wall(runs), rssKb: rss(runs) };
  });
  for (const row of rows) {
    say(
      `  x${row.factor}: ${row.hosts} scaled hosts, ${row.resources} resources, ${ms(row.wallMs)} ` +
        `(${(row.wallMs / row.resources).toFixed(2)} ms/resource), peak ${mb(row.rssKb)} ` +
        `(${(row.rssKb / row.resources).toFixed(0)} KB/resource)`,
    );
  }
  const [one, four, sixteen] = rows;
  if (!one || !four || !sixteen) return;
  const perResource = (row: typeof one) => row.wallMs / row.resources;
  const memoryPerResource = (row: typeof one) => row.rssKb / row.resources;
  // The cost of each added resource, between x1 and x4 and between x4 and x16: flat if linear.
  const slope = (a: typeof one, b: typeof one, field: "wallMs" | "rssKb") =>
    (b[field] - a[field]) / (b.resources - a.resources);
  const timeRatio = ratio(perResource(sixteen), perResource(one));
  const memoryRatio = ratio(memoryPerResource(sixteen), memoryPerResource(one));
  const marginalTime = ratio(slope(four, sixteen, "wallMs"), slope(one, four, "wallMs"));
  const marginalMemory = ratio(slope(four, sixteen, "rssKb"), slope(one, four, "rssKb"));
  say(`scaling per-resource time 16x/1x: ${timeRatio} (${verdict(timeRatio, TARGETS.scaling)})`);
  say(
    `scaling per-resource memory 16x/1x: ${memoryRatio} (${verdict(memoryRatio, TARGETS.scaling)})`,
  );
  say(
    `scaling marginal cost per added resource, (x4->x16)/(x1->x4): time ${marginalTime} ` +
      `(${slope(one, four, "wallMs").toFixed(2)} -> ${slope(four, sixteen, "wallMs").toFixed(2)} ms), ` +
      `memory ${marginalMemory} (${slope(one, four, "rssKb").toFixed(0)} -> ` +
      `${slope(four, sixteen, "rssKb").toFixed(0)} KB)`,
  );
  results.scaling = { rows, timeRatio, memoryRatio, marginalTime, marginalMemory };
}

function deployCriticalPath(plans: Map<string, Plan>, work: string): void {
  say("\n== 3. Deploy critical path: `pulumi up` on an empty stack, unlimited parallelism");
  const out: Record<string, unknown> = {};
  for (const stack of STACKS) {
    const plan = plans.get(stack);
    if (!plan) continue;
    const details = JSON.parse(
      readFileSync(join(work, `${stack}.details.json`), "utf8"),
    ) as Details;
    const path = criticalPath(plan.resources, minutesOf);
    const pathRatio = ratio(path.totalMinutes, path.floorMinutes);
    say(
      `critical-path ${stack}: ${minutes(path.totalMinutes)} (floor ${minutes(path.floorMinutes)}, ` +
        `ratio ${pathRatio}; slowest ${path.slowest?.name}; ${verdict(pathRatio, TARGETS.criticalPath)})`,
    );
    for (const step of path.chain) {
      say(
        `    ${minutes(step.start).padStart(5)} -> ${minutes(step.finish).padStart(5)} min  ` +
          `${step.type}  ${step.name}`,
      );
    }
    const explicit = explicitEdges(plan.resources, details.inputDependencies);
    const costly = edgeCosts(plan.resources, minutesOf, explicit).filter((c) => c.savesMinutes > 0);
    const groups = groupCosts(plan, explicit);
    say(
      `  dependsOn edges (dependencies not carried by inputs): ${explicit.length}; ` +
        `alone, ${costly.length} lengthen the path`,
    );
    for (const cost of costly)
      say(
        `    saves ${minutes(cost.savesMinutes)} min without: ${shortUrn(cost.edge.from)} -> ` +
          `${shortUrn(cost.edge.to)}`,
      );
    for (const group of groups)
      say(
        `    saves ${minutes(group.savesMinutes)} min without all ${group.edges} edges ` +
          `${group.fromType} -> ${group.toType}`,
      );
    out[stack] = {
      minutes: path.totalMinutes,
      floorMinutes: path.floorMinutes,
      ratio: pathRatio,
      slowest: path.slowest?.name,
      chain: path.chain.map((step) => ({ ...step, urn: undefined })),
      dependsOnEdges: explicit.length,
      lengthening: costly.map((cost) => ({
        from: cost.edge.from,
        to: cost.edge.to,
        savesMinutes: cost.savesMinutes,
      })),
      lengtheningGroups: groups,
    };
  }
  out.creationTimes = Object.fromEntries(
    Object.entries(creationTimes).map(([type, entry]) => [
      type,
      {
        minutes: typeof entry.minutes === "number" ? entry.minutes : "by inputs",
        source: entry.source,
      },
    ]),
  );
  results.criticalPath = out;
}

/** dependsOn edges grouped by (waiting type, awaited type): what dropping each whole group saves. */
function groupCosts(plan: Plan, edges: readonly Edge[]) {
  const typeOf = new Map(plan.resources.map((r) => [r.urn, r.type]));
  const groups = new Map<string, Edge[]>();
  for (const edge of edges) {
    const key = `${typeOf.get(edge.from)}|${typeOf.get(edge.to)}`;
    groups.set(key, [...(groups.get(key) ?? []), edge]);
  }
  const total = criticalPath(plan.resources, minutesOf).totalMinutes;
  return [...groups.entries()]
    .map(([key, group]) => {
      const [fromType = "", toType = ""] = key.split("|");
      const saves = total - withoutEdges(plan.resources, minutesOf, group);
      return {
        fromType,
        toType,
        edges: group.length,
        savesMinutes: Math.round(saves * 1000) / 1000,
      };
    })
    .filter((group) => group.savesMinutes > 0)
    .sort((a, b) => b.savesMinutes - a.savesMinutes);
}

/** The same plan (stack us) under each way the program could be loaded for `pulumi up`. */
async function loaders(work: string): Promise<void> {
  const jsDir = join(work, "js");
  const compileStart = Date.now();
  const compiled = compileProject(PROJECT_DIR, jsDir);
  const compileMs = Date.now() - compileStart;
  const tsNode = (label: string, typeCheck: boolean): ChildCommand => {
    const cacheDir = join(work, `ts-node-${label}`);
    return {
      label,
      // As Pulumi's nodejs runtime does with `typescript: true`: its vendored ts-node 7 with the
      // project's tsconfig.json; type checking unless PULUMI_NODEJS_TRANSPILE_ONLY=true. Each run
      // gets an empty cache, as on a fresh CI runner.
      argv: [
        "node",
        "-e",
        [
          `require(${JSON.stringify(join(work, "fresh-cache.js"))})(${JSON.stringify(cacheDir)});`,
          `require(${JSON.stringify(TS_NODE)}).register({ compiler: "typescript", transpileOnly: ${!typeCheck}, project: "tsconfig.json", skipProject: false, compilerOptions: {} });`,
          `process.argv = [process.argv[0], "plan-child", "--stack", "us"];`,
          `require("./bench/children/plan-child.ts");`,
        ].join("\n"),
      ],
      cwd: PROJECT_DIR,
      env: { TS_NODE_CACHE_DIRECTORY: cacheDir },
    };
  };
  // Empties ts-node's cache directory before each run (ts-node reuses compiled output from it).
  writeFileSync(
    join(work, "fresh-cache.js"),
    "module.exports = (dir) => require('node:fs').rmSync(dir, { recursive: true, force: true });\n",
  );
  const commands: ChildCommand[] = [
    planChild("tsx", ["--stack", "us", "--source-maps", "on"]),
    planChild("tsx-no-source-maps", ["--stack", "us"]),
    {
      label: "precompiled-js",
      argv: ["node", join(jsDir, "bench/children/plan-child.js"), "--stack", "us"],
      cwd: jsDir,
    },
    tsNode("ts-node-transpile-only", false),
    tsNode("ts-node-type-check", true),
  ];
  const failures: Record<string, string> = {};
  const samples = await interleave(
    RUNS,
    commands,
    (label, sample) => progress(`${label} ${ms(sample.wallMs)}`),
    // A type error anywhere in the program fails the type-checking loader, as it would fail
    // `pulumi up`: the other loaders are still measured.
    (label, error) => {
      failures[label] = error.message.split("\n").slice(0, 2).join(" ");
      progress(`${label} failed`);
    },
  );
  say("\n== 5. Loaders: the plan of stack us as `pulumi up` could load the program");
  say(`  (precompiled: ${compiled} files transpiled in ${ms(compileMs)})`);
  const tsx = get(samples, "tsx");
  const rows: Record<string, unknown> = {};
  for (const command of commands) {
    const runs = get(samples, command.label);
    if (runs.length === 0) {
      say(`loader ${command.label}: failed (${failures[command.label]})`);
      rows[command.label] = { failed: failures[command.label] };
      continue;
    }
    rows[command.label] = {
      wallMs: wall(runs),
      rssKb: rss(runs),
      firstRegistrationMs: firstRegistration(runs),
      vsTsx: ratio(wall(runs), wall(tsx)),
    };
    say(
      `loader ${command.label}: ${ms(wall(runs))} (x${ratio(wall(runs), wall(tsx))} of tsx), ` +
        `first resource at ${ms(firstRegistration(runs))}, peak ${mb(rss(runs))}`,
    );
  }
  const sdk = (results.startup as { sdkLoadMs?: number } | undefined)?.sdkLoadMs;
  if (sdk) {
    const js = firstRegistration(get(samples, "precompiled-js"));
    say(`startup us precompiled: ${ms(js)} (sdk load ${ms(sdk)}, ratio ${ratio(js, sdk)})`);
    rows.startupPrecompiledRatio = ratio(js, sdk);
  }
  results.loaders = rows;
}

async function profile(work: string): Promise<void> {
  const dir = join(work, "profile");
  mkdirSync(dir);
  await runChild({
    label: "profile",
    argv: [
      "node",
      "--cpu-prof",
      "--cpu-prof-dir",
      dir,
      ...TSX.slice(1),
      join(PROJECT_DIR, "bench/children/plan-child.ts"),
      "--stack",
      "us",
    ],
    cwd: PROJECT_DIR,
  });
  // tsx runs a loader thread with its own (mostly idle) profile: summarise the busiest one.
  const summaries = readdirSync(dir).map((file) =>
    summarizeProfile(
      JSON.parse(readFileSync(join(dir, file), "utf8")) as CpuProfile,
      PROJECT_DIR,
      12,
    ),
  );
  const busiest = summaries
    .map((summary) => ({
      summary,
      busy: summary.groups.filter((g) => g.label !== "(idle)").reduce((sum, g) => sum + g.ms, 0),
    }))
    .sort((a, b) => b.busy - a.busy)[0]?.summary;
  if (!busiest) return;
  say("\n== 6. CPU profile of the plan of stack us (self time)");
  for (const group of busiest.groups.slice(0, 12))
    say(`  ${ms(group.ms).padStart(8)}  ${group.label}`);
  say("  top functions:");
  for (const fn of busiest.functions.slice(0, 12))
    say(`  ${ms(fn.ms).padStart(8)}  [${fn.group}] ${fn.label}`);
  results.profile = busiest;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
