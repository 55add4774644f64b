// `npm run bench`: plan time against a floor, start-up, scaling, the deploy critical path, loaders
// and a CPU profile. Prints the figures and writes them to bench/results.json.
// Every ratio compares two sides measured in the same run, interleaved (A B, B A, ...), as medians
// over BENCH_RUNS fresh processes each (default 5), in CPU time (user and system, every thread of
// the child), which a loaded machine disturbs far less than wall time; wall figures stand beside.
// BENCH_BASELINE=DIR (a checkout of an earlier commit sharing this node_modules) adds "before"
// figures from the same run: its plan as it ran then (by the route its Pulumi.yaml names),
// against the floor of its own plan.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parse } from "yaml";
import { parseRegionSpec, REGION_CONFIG_KEY } from "../components/spec/load";
import type { Plan } from "../tools/plan/plan";
import { inputDependencies, type PropertyDependencies } from "./children/dependency-recorder";
import { RESULT_MARKER } from "./children/protocol";
import { sdkLoadScript } from "./children/sdk-load";
import { floorChild, PROJECT_DIR, planChild, type Route, routeOfNodeargs } from "./commands";
import { compileProject } from "./compile-js";
import { creationTimes, lockOf, minutesOf, missingTypes } from "./creation-times";
import {
  apiEnablementEdges,
  criticalPath,
  dataOnlyPath,
  type Edge,
  edgeCosts,
  explicitEdges,
  neededPath,
  withoutEdges,
} from "./critical-path";
import { type ChildCommand, interleave, median, runChild, type Sample } from "./measure";
import { type CpuProfile, summarizeProfile } from "./profile-summary";
import { mb, minutes, ms, ratio, shortUrn, verdict } from "./report";
import { scaledHostCount, scaledSpec } from "./scaled-spec";

const STACKS = ["jp", "us", "uk"] as const;
type Stack = (typeof STACKS)[number];
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 5));
const FACTORS = [1, 4, 16] as const;
const TARGETS = { overhead: 1.2, scaling: 1.2, criticalPath: 1.15, startup: 1.3 };
/** BENCH_ONLY=overhead,scaling,critical-path,loaders,profile runs some sections (default: all). */
const ONLY = new Set((process.env.BENCH_ONLY ?? "").split(",").filter(Boolean));
const wanted = (section: string) => ONLY.size === 0 || ONLY.has(section);
const BASELINE = process.env.BENCH_BASELINE ? resolve(process.env.BENCH_BASELINE) : undefined;
/** Where tools/ts-loader.cjs keeps Node's compile cache; the SDK-only floor uses it too. */
const COMPILE_CACHE = join(PROJECT_DIR, "node_modules/.cache/multicloud-v8");
const TS_NODE = join(PROJECT_DIR, "node_modules/@pulumi/pulumi/vendor/ts-node@7.0.1");

const results: Record<string, unknown> = { runs: RUNS, startedAt: new Date().toISOString() };
const say = (line = "") => console.log(line);
const progress = (line: string) => process.stderr.write(`  .. ${line}\n`);

interface Details {
  readonly modules: readonly string[];
  readonly propertyDependencies: PropertyDependencies;
}

/** A stack's plan and details, from this project ("after") or the baseline ("before"). */
interface Prepared {
  readonly plan: Plan;
  readonly details: Details;
  readonly files: { plan: string; details: string };
}

const cpu = (samples: readonly Sample[]) => median(samples.map((s) => s.result.cpuMs));
const wall = (samples: readonly Sample[]) => median(samples.map((s) => s.wallMs));
const rss = (samples: readonly Sample[]) => median(samples.map((s) => s.result.maxRssKb));
const figure = (samples: readonly Sample[], field: string) =>
  median(samples.map((s) => Number(s.result[field])));
const firstWall = (samples: readonly Sample[]) =>
  median(samples.map((s) => Number(s.result.firstRegistrationAt) - s.spawnAt));
const loadingCpu = (samples: readonly Sample[]) =>
  median(
    samples.map((s) => {
      const clock = s.result.loadingAtFirstRegistration as { bootCpuMs: number; loadCpuMs: number };
      return clock.bootCpuMs + clock.loadCpuMs;
    }),
  );
const get = (map: Map<string, Sample[]>, label: string): Sample[] => map.get(label) ?? [];
const load = () =>
  loadavg()
    .map((value) => value.toFixed(1))
    .join(" ");

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "multicloud-bench-"));
  const started = Date.now();
  try {
    say(
      `multicloud bench: ${RUNS} interleaved runs per side, ${cpus().length} CPUs, load average ` +
        `${load()} at the start${BASELINE ? `; before: ${BASELINE}` : ""}`,
    );
    results.machine = { cpus: cpus().length, loadAtStart: loadavg() };
    const needPlans = wanted("overhead") || wanted("critical-path");
    const after = needPlans ? await prepare(work, "after") : new Map<Stack, Prepared>();
    const before =
      needPlans && BASELINE ? await prepare(work, "before", BASELINE) : new Map<Stack, Prepared>();
    if (wanted("overhead")) await overheadAndStartup(after, before);
    if (wanted("scaling")) await scaling(work);
    const fresh = wanted("critical-path")
      ? await prepare(work, "new-project")
      : new Map<Stack, Prepared>();
    if (wanted("critical-path")) deployCriticalPath(after, before, fresh);
    if (wanted("loaders")) await loaders(work);
    if (wanted("profile")) await profile(work);
    results.totalSeconds = Math.round((Date.now() - started) / 1000);
    results.machine = { ...(results.machine as object), loadAtEnd: loadavg() };
    say(`\nbench took ${results.totalSeconds} s; load average ${load()} at the end`);
    writeFileSync(join(PROJECT_DIR, "bench/results.json"), `${JSON.stringify(results, null, 2)}\n`);
    say("wrote bench/results.json");
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** One plan per stack: what the floor replays and the critical path reads (also warms caches). */
async function prepare(
  work: string,
  side: "after" | "before" | "new-project",
  project?: string,
): Promise<Map<Stack, Prepared>> {
  const prepared = new Map<Stack, Prepared>();
  for (const stack of STACKS) {
    progress(`preparing ${side} ${stack}`);
    const files = {
      plan: join(work, `${side}-${stack}.plan.json`),
      details: join(work, `${side}-${stack}.details.json`),
    };
    await runChild(
      planChild({
        label: `prepare-${side}-${stack}`,
        stack,
        ...(project ? { project } : {}),
        extra: [
          "--plan-out",
          files.plan,
          "--details-out",
          files.details,
          ...(side === "new-project" ? ["--new-project", "yes"] : []),
        ],
      }),
    );
    const plan = JSON.parse(readFileSync(files.plan, "utf8")) as Plan;
    // Fail before the long timings, not after them.
    const missing = missingTypes(plan.resources);
    if (missing.length > 0)
      throw new Error(`bench/creation-times.ts has no creation time for: ${missing.join(", ")}`);
    const details = JSON.parse(readFileSync(files.details, "utf8")) as Details;
    prepared.set(stack, { plan, details, files });
  }
  return prepared;
}

/** The route the baseline checkout runs its program by, as its Pulumi.yaml says. */
function baselineRoute(project: string): Route {
  const file = join(project, "Pulumi.yaml");
  const document = parse(readFileSync(file, "utf8")) as {
    runtime?: { options?: { nodeargs?: unknown } };
  };
  return routeOfNodeargs(document.runtime?.options?.nodeargs, file);
}

async function overheadAndStartup(
  after: Map<Stack, Prepared>,
  before: Map<Stack, Prepared>,
): Promise<void> {
  const commands: ChildCommand[] = [
    {
      label: "sdk-load",
      argv: ["node", "-e", sdkLoadScript(RESULT_MARKER, COMPILE_CACHE)],
      cwd: PROJECT_DIR,
    },
  ];
  for (const stack of STACKS) {
    const files = after.get(stack)?.files;
    if (!files) continue;
    commands.push(planChild({ label: `plan-${stack}`, stack }));
    commands.push(floorChild(`floor-${stack}`, stack, files));
    const old = before.get(stack)?.files;
    if (BASELINE && old) {
      const route = baselineRoute(BASELINE);
      commands.push(planChild({ label: `before-plan-${stack}`, stack, project: BASELINE, route }));
      commands.push(floorChild(`before-floor-${stack}`, stack, old, route));
    }
  }
  const samples = await interleave(RUNS, commands, (label, sample) =>
    progress(`${label} ${ms(sample.result.cpuMs)} CPU, ${ms(sample.wallMs)} wall`),
  );

  say(
    "\n== 1. Program overhead: the offline plan against a floor that registers the same resources",
  );
  say("   (CPU time; the wall-time ratio beside it)");
  const overhead: Record<string, unknown> = {};
  const overheadLine = (prefix: string, ours: Sample[], floor: Sample[]) => {
    const mismatches = Math.max(...floor.map((s) => Number(s.result.mismatchCount)));
    const cpuRatio = ratio(cpu(ours), cpu(floor));
    const wallRatio = ratio(wall(ours), wall(floor));
    const memoryRatio = ratio(rss(ours), rss(floor));
    say(
      `${prefix}: ${cpuRatio}  (${ms(cpu(ours))} vs floor ${ms(cpu(floor))} CPU; wall ratio ` +
        `${wallRatio}, ${ms(wall(ours))} vs ${ms(wall(floor))}; peak memory ${mb(rss(ours))} vs ` +
        `${mb(rss(floor))}, ratio ${memoryRatio}; ${ours[0]?.result.resources} resources; floor ` +
        `replay mismatches ${mismatches}; ${verdict(cpuRatio, TARGETS.overhead)})`,
    );
    return {
      resources: ours[0]?.result.resources,
      oursCpuMs: cpu(ours),
      floorCpuMs: cpu(floor),
      ratio: cpuRatio,
      oursWallMs: wall(ours),
      floorWallMs: wall(floor),
      wallRatio,
      oursRssKb: rss(ours),
      floorRssKb: rss(floor),
      memoryRatio,
      floorMismatches: mismatches,
    };
  };
  for (const stack of STACKS) {
    overhead[stack] = overheadLine(
      `overhead ${stack}`,
      get(samples, `plan-${stack}`),
      get(samples, `floor-${stack}`),
    );
    if (BASELINE)
      overhead[`before-${stack}`] = overheadLine(
        `  before: overhead ${stack}`,
        get(samples, `before-plan-${stack}`),
        get(samples, `before-floor-${stack}`),
      );
  }
  results.overhead = overhead;

  say(
    "\n== 4. Start-up: process start to the first custom resource registered (providers count, " +
      "components do not), against loading the SDKs",
  );
  say("   (CPU time: loading every module, Node's own start included, then building resources)");
  const sdk = get(samples, "sdk-load");
  const startup: Record<string, unknown> = { sdkLoadCpuMs: cpu(sdk), sdkLoadWallMs: wall(sdk) };
  const startupLine = (prefix: string, runs: Sample[]) => {
    const first = figure(runs, "firstRegistrationCpuMs");
    const loading = loadingCpu(runs);
    const cpuRatio = ratio(first, cpu(sdk));
    const wallRatio = ratio(firstWall(runs), wall(sdk));
    say(
      `${prefix}: ${cpuRatio}  (first custom resource at ${ms(first)} CPU: module loading ` +
        `${ms(loading)}, construction ${ms(first - loading)}; SDK load ${ms(cpu(sdk))} CPU; wall ` +
        `ratio ${wallRatio}; ${verdict(cpuRatio, TARGETS.startup)})`,
    );
    return {
      firstRegistrationCpuMs: first,
      loadingCpuMs: loading,
      constructionCpuMs: first - loading,
      ratio: cpuRatio,
      firstRegistrationWallMs: firstWall(runs),
      wallRatio,
    };
  };
  for (const stack of STACKS) {
    startup[stack] = startupLine(`startup ${stack}`, get(samples, `plan-${stack}`));
    if (BASELINE)
      startup[`before-${stack}`] = startupLine(
        `  before: startup ${stack}`,
        get(samples, `before-plan-${stack}`),
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
    commands.push(planChild({ label: `jp-x${factor}`, stack: "jp", extra: ["--override", file] }));
  }
  const samples = await interleave(RUNS, commands, (label, sample) =>
    progress(`${label} ${ms(sample.result.cpuMs)} CPU`),
  );
  say("\n== 2. Scaling: the jp spec with nginx/app/memcached/chocon counts x1, x4, x16 (CPU time)");
  const rows = FACTORS.map((factor) => {
    const runs = get(samples, `jp-x${factor}`);
    const resources = Number(runs[0]?.result.resources ?? 0);
    return {
      factor,
      hosts: hosts[factor],
      resources,
      cpuMs: cpu(runs),
      wallMs: wall(runs),
      rssKb: rss(runs),
    };
  });
  for (const row of rows) {
    say(
      `  x${row.factor}: ${row.hosts} scaled hosts, ${row.resources} resources, ${ms(row.cpuMs)} CPU ` +
        `(${(row.cpuMs / row.resources).toFixed(2)} ms/resource), peak ${mb(row.rssKb)} ` +
        `(${(row.rssKb / row.resources).toFixed(0)} KB/resource)`,
    );
  }
  const [one, four, sixteen] = rows;
  if (!one || !four || !sixteen) return;
  const perResource = (row: typeof one) => row.cpuMs / row.resources;
  const memoryPerResource = (row: typeof one) => row.rssKb / row.resources;
  // The cost of each added resource, between x1 and x4 and between x4 and x16: flat if linear.
  const slope = (a: typeof one, b: typeof one, field: "cpuMs" | "rssKb") =>
    (b[field] - a[field]) / (b.resources - a.resources);
  const timeRatio = ratio(perResource(sixteen), perResource(one));
  const memoryRatio = ratio(memoryPerResource(sixteen), memoryPerResource(one));
  const marginalTime = ratio(slope(four, sixteen, "cpuMs"), slope(one, four, "cpuMs"));
  const marginalMemory = ratio(slope(four, sixteen, "rssKb"), slope(one, four, "rssKb"));
  say(`scaling per-resource time 16x/1x: ${timeRatio} (${verdict(timeRatio, TARGETS.scaling)})`);
  say(
    `scaling per-resource memory 16x/1x: ${memoryRatio} (${verdict(memoryRatio, TARGETS.scaling)})`,
  );
  say(
    `scaling marginal cost per added resource, (x4->x16)/(x1->x4): time ${marginalTime} ` +
      `(${slope(one, four, "cpuMs").toFixed(2)} -> ${slope(four, sixteen, "cpuMs").toFixed(2)} ms), ` +
      `memory ${marginalMemory} (${slope(one, four, "rssKb").toFixed(0)} -> ` +
      `${slope(four, sixteen, "rssKb").toFixed(0)} KB)`,
  );
  results.scaling = { rows, timeRatio, memoryRatio, marginalTime, marginalMemory };
}

function deployCriticalPath(
  after: Map<Stack, Prepared>,
  before: Map<Stack, Prepared>,
  fresh: Map<Stack, Prepared>,
): void {
  say("\n== 3. Deploy critical path: `pulumi up` on an empty stack, unlimited parallelism");
  say(
    "   (against the path through data alone: no dependsOn; locks such as the project IAM one kept)",
  );
  say(
    "   (in the stacks' running projects, as a rebuild or a new stack there; a new project's " +
      "first up, which enables the Google APIs, is the line below each)",
  );
  const out: Record<string, unknown> = {};
  const pathOf = (prepared: Prepared) => {
    const { plan, details } = prepared;
    const explicit = explicitEdges(plan.resources, inputDependencies(details.propertyDependencies));
    const path = criticalPath(plan.resources, minutesOf, { lockOf });
    const data = dataOnlyPath(plan.resources, minutesOf, explicit, lockOf);
    const apiWaits = apiEnablementEdges(plan.resources, explicit);
    const needed = neededPath(plan.resources, minutesOf, explicit, apiWaits, lockOf);
    return {
      explicit,
      path,
      data,
      needed,
      pathRatio: ratio(path.totalMinutes, data.totalMinutes),
      neededRatio: ratio(path.totalMinutes, needed.totalMinutes),
    };
  };
  for (const stack of STACKS) {
    const prepared = after.get(stack);
    if (!prepared) continue;
    const { plan } = prepared;
    const { explicit, path, data, needed, pathRatio, neededRatio } = pathOf(prepared);
    say(
      `critical-path ${stack}: ${minutes(path.totalMinutes)} (data-only ${minutes(data.totalMinutes)}, ` +
        `ratio ${pathRatio}; slowest ${path.slowest?.name}; ${verdict(pathRatio, TARGETS.criticalPath)})`,
    );
    say(
      `  with the waits for enabled APIs kept (needs no input can carry): ` +
        `${minutes(needed.totalMinutes)}, ratio ${neededRatio}`,
    );
    const first = fresh.get(stack);
    const firstUp = first ? pathOf(first) : undefined;
    if (firstUp)
      say(
        `  a new project's first up: ${minutes(firstUp.path.totalMinutes)} (data-only ` +
          `${minutes(firstUp.data.totalMinutes)}, ratio ${firstUp.pathRatio}; with the waits for ` +
          `enabled APIs kept ${minutes(firstUp.needed.totalMinutes)}, ratio ${firstUp.neededRatio})`,
      );
    const old = before.get(stack);
    const was = old ? pathOf(old) : undefined;
    if (was)
      say(
        `  before: critical-path ${stack}: ${minutes(was.path.totalMinutes)} (data-only ` +
          `${minutes(was.data.totalMinutes)}, ratio ${was.pathRatio}; with the waits for enabled ` +
          `APIs kept ${minutes(was.needed.totalMinutes)}, ratio ${was.neededRatio}); dependsOn ` +
          `edges ${was.explicit.length}`,
      );
    for (const step of path.chain) {
      say(
        `    ${minutes(step.start).padStart(5)} -> ${minutes(step.finish).padStart(5)} min  ` +
          `${step.type}  ${step.name}`,
      );
    }
    const costly = edgeCosts(plan.resources, minutesOf, explicit, lockOf).filter(
      (c) => c.savesMinutes > 0,
    );
    const groups = groupCosts(plan, explicit);
    say(
      `  dependsOn edges (dependencies no input carries): ${explicit.length}; ` +
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
      dataOnlyMinutes: data.totalMinutes,
      ratio: pathRatio,
      withApiWaitsMinutes: needed.totalMinutes,
      withApiWaitsRatio: neededRatio,
      slowestMinutes: path.floorMinutes,
      slowest: path.slowest?.name,
      chain: path.chain.map((step) => ({ ...step, urn: undefined })),
      dataOnlyChain: data.chain.map((step) => ({ ...step, urn: undefined })),
      dependsOnEdges: explicit.length,
      lengthening: costly.map((cost) => ({
        from: cost.edge.from,
        to: cost.edge.to,
        savesMinutes: cost.savesMinutes,
      })),
      lengtheningGroups: groups,
      ...(firstUp
        ? {
            newProject: {
              minutes: firstUp.path.totalMinutes,
              dataOnlyMinutes: firstUp.data.totalMinutes,
              ratio: firstUp.pathRatio,
              withApiWaitsMinutes: firstUp.needed.totalMinutes,
              withApiWaitsRatio: firstUp.neededRatio,
              dependsOnEdges: firstUp.explicit.length,
            },
          }
        : {}),
      ...(was
        ? {
            before: {
              minutes: was.path.totalMinutes,
              dataOnlyMinutes: was.data.totalMinutes,
              ratio: was.pathRatio,
              withApiWaitsMinutes: was.needed.totalMinutes,
              withApiWaitsRatio: was.neededRatio,
              dependsOnEdges: was.explicit.length,
            },
          }
        : {}),
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
  const total = criticalPath(plan.resources, minutesOf, { lockOf }).totalMinutes;
  return [...groups.entries()]
    .map(([key, group]) => {
      const [fromType = "", toType = ""] = key.split("|");
      const saves = total - withoutEdges(plan.resources, minutesOf, group, lockOf);
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

/** Each stack's plan under each way the program could be loaded for `pulumi up`. */
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
          `require("./bench/children/load-clock.ts");`,
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
  const commands: ChildCommand[] = [];
  for (const stack of STACKS) {
    commands.push(planChild({ label: `ts-loader-${stack}`, stack }));
    commands.push(planChild({ label: `tsx-${stack}`, stack, route: "tsx" }));
    commands.push({
      label: `precompiled-js-${stack}`,
      argv: [
        "node",
        "--require",
        join(jsDir, "bench/children/load-clock.js"),
        join(jsDir, "bench/children/plan-child.js"),
        "--stack",
        stack,
      ],
      cwd: jsDir,
    });
  }
  commands.push(tsNode("ts-node-transpile-only-us", false));
  commands.push(tsNode("ts-node-type-check-us", true));
  const failures: Record<string, string> = {};
  const samples = await interleave(
    RUNS,
    commands,
    (label, sample) => progress(`${label} ${ms(sample.result.cpuMs)} CPU`),
    // A type error anywhere in the program fails the type-checking loader, as it would fail
    // `pulumi up`: the other loaders are still measured.
    (label, error) => {
      failures[label] = error.message.split("\n").slice(0, 2).join(" ");
      progress(`${label} failed`);
    },
  );
  say("\n== 5. Loaders: each stack's plan as `pulumi up` could load the program (CPU time)");
  say(`  (precompiled: ${compiled} files transpiled in ${ms(compileMs)})`);
  const rows: Record<string, unknown> = {};
  for (const command of commands) {
    const runs = get(samples, command.label);
    if (runs.length === 0) {
      say(`loader ${command.label}: failed (${failures[command.label]})`);
      rows[command.label] = { failed: failures[command.label] };
      continue;
    }
    const stack = command.label.slice(-2);
    // Against the project's own route, tools/ts-loader.cjs.
    const reference = get(samples, `ts-loader-${stack}`);
    rows[command.label] = {
      cpuMs: cpu(runs),
      wallMs: wall(runs),
      rssKb: rss(runs),
      firstRegistrationCpuMs: figure(runs, "firstRegistrationCpuMs"),
      vsProjectRoute: ratio(cpu(runs), cpu(reference)),
    };
    say(
      `loader ${command.label}: ${ms(cpu(runs))} CPU (x${ratio(cpu(runs), cpu(reference))} of ` +
        `the project's route), first resource at ${ms(figure(runs, "firstRegistrationCpuMs"))} ` +
        `CPU, wall ${ms(wall(runs))}, peak ${mb(rss(runs))}`,
    );
  }
  results.loaders = rows;
}

async function profile(work: string): Promise<void> {
  const dir = join(work, "profile");
  mkdirSync(dir);
  const command = planChild({ label: "profile", stack: "us" });
  const [node, ...rest] = command.argv;
  await runChild({
    ...command,
    argv: [node ?? "node", "--cpu-prof", "--cpu-prof-dir", dir, ...rest],
  });
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
  process.exitCode = 1;
});
