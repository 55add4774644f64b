// Writes (or with --check, verifies) the replace-on-change table the plan diff uses.
//
//   node --require ./tools/ts-loader.cjs tools/references/replace-generate.ts [--git NAME=REPO]... [--check]
//
// Stage 1 reads each provider's pinned schema source with schema-facts (tools/peers/schema-facts)
// into upstream-facts.json: a Go module is fetched pinned through the Go module proxy into the
// module cache (its checksum checked); a source the proxy does not serve is read from a git
// repository given with --git, at the pinned commit, extracted once under ~/.cache/multicloud.
// A source neither way keeps its committed facts (and is named as not re-read).
// Stage 2 maps every fact onto the installed SDKs' input names into replace-on-change.json.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type AwsReadFile, awsResourceFacts } from "./aws-read-facts";
import {
  type KubernetesFacts,
  kubernetesEntry,
  type ReplaceTable,
  sdkEntry,
  type TerraformResourceFacts,
  type TypeEntry,
  terraformEntry,
} from "./replace-table";
import { SdkInputs } from "./sdk-inputs";

const here = __dirname;
const repo = path.resolve(here, "..", "..");
const SOURCES = path.join(here, "replace-sources.json");
const FACTS = path.join(here, "upstream-facts.json");
const TABLE = path.join(here, "replace-on-change.json");

interface SourceSpec {
  readonly kind: string;
  readonly module: string;
  readonly commit?: string;
  readonly version?: string;
  readonly sum?: string;
  readonly obtain: "git" | "go-module" | "read" | "npm";
  readonly paths?: readonly string[];
  readonly dirs?: readonly string[];
  readonly provider?: string;
  readonly file?: string;
  readonly facts?: string;
}

interface SourcesFile {
  readonly about: string;
  readonly sources: Readonly<Record<string, SourceSpec>>;
  readonly terraform: Readonly<
    Record<string, { source: string; upstream: string; renamed?: Readonly<Record<string, string>> }>
  >;
  readonly kubernetes: Readonly<Record<string, { kind: string; patch?: boolean }>>;
  readonly command: Readonly<Record<string, { module: string; file: string }>>;
}

type FactsFile = Record<string, Record<string, unknown>>;

const readJson = <T>(file: string): T => JSON.parse(readFileSync(file, "utf8")) as T;

function fail(message: string): never {
  process.stderr.write(`replace-generate: ${message}\n`);
  process.exit(1);
}

function run(command: string, args: readonly string[], cwd = repo): string {
  return execFileSync(command, args, {
    cwd,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    stdio: ["ignore", "pipe", "pipe"],
  });
}

function schemaFacts(): string {
  const dir = run("bash", [path.join(repo, "tools/peers/build.sh"), "schema-facts"]).trim();
  return path.join(dir, "schema-facts");
}

/** A module from the Go module proxy, pinned by version and checksum; its directory. */
function goModule(spec: SourceSpec): string {
  const out = JSON.parse(
    run("go", ["mod", "download", "-json", `${spec.module}@${spec.version}`], homedir()),
  ) as { Dir?: string; Sum?: string; Error?: string };
  if (out.Error || !out.Dir) fail(`${spec.module}@${spec.version}: ${out.Error ?? "no directory"}`);
  if (out.Sum !== spec.sum)
    fail(`${spec.module}@${spec.version}: checksum ${out.Sum} is not the pinned ${spec.sum}`);
  return out.Dir;
}

/** The pinned commit's files of a git repository, extracted once into the cache. */
function gitTree(name: string, spec: SourceSpec, gitDir: string): string {
  const commit = spec.commit ?? fail(`${name}: no commit pinned`);
  const base = path.join(
    process.env.XDG_CACHE_HOME ?? path.join(homedir(), ".cache"),
    "multicloud",
    "sources",
  );
  const out = path.join(base, `${name}-${commit.slice(0, 12)}`);
  if (existsSync(path.join(out, ".complete"))) return out;
  rmSync(`${out}.partial`, { recursive: true, force: true });
  mkdirSync(`${out}.partial`, { recursive: true });
  const archive = path.join(base, `${name}.tar`);
  run("git", ["-C", gitDir, "archive", "-o", archive, commit, ...(spec.paths ?? [])]);
  run("tar", ["-x", "-f", archive, "-C", `${out}.partial`]);
  rmSync(archive);
  writeFileSync(path.join(`${out}.partial`, ".complete"), `${commit}\n`);
  rmSync(out, { recursive: true, force: true });
  renameSync(`${out}.partial`, out);
  return out;
}

function readTerraform(
  binary: string,
  root: string,
  spec: SourceSpec,
  resources: readonly string[],
): Record<string, unknown> {
  const args = [
    "terraform",
    "--root",
    root,
    "--dirs",
    (spec.dirs ?? []).join(","),
    "--resources",
    resources.join(","),
  ];
  if (spec.provider) args.push("--provider", spec.provider);
  const out = JSON.parse(run(binary, args)) as {
    resources: (TerraformResourceFacts & { unread: string[]; line: number; framework: boolean })[];
    missing: string[];
    mutations: string[];
  };
  if (out.missing.length > 0)
    fail(`${spec.module}: no registration found for ${out.missing.join(", ")}`);
  const unread = out.resources.flatMap((r) => r.unread.map((u) => `${r.name}: ${u}`));
  if (unread.length > 0)
    fail(`${spec.module}: parts of the schema could not be read:\n  ${unread.join("\n  ")}`);
  return {
    module: spec.module,
    commit: spec.commit,
    resources: out.resources.map(({ unread: _unread, line: _line, ...r }) => r),
    mutations: out.mutations,
  };
}

function main(): void {
  const argv = process.argv.slice(2);
  const check = argv.includes("--check");
  const gitDirs = new Map<string, string>();
  argv.forEach((arg, i) => {
    if (arg !== "--git") return;
    const [name, dir] = (argv[i + 1] ?? "").split("=");
    if (!name || !dir) fail("--git takes NAME=REPOSITORY");
    gitDirs.set(name, dir);
  });
  const started = Date.now();
  const sources = readJson<SourcesFile>(SOURCES);
  const committedFacts: FactsFile = existsSync(FACTS) ? readJson<FactsFile>(FACTS) : {};
  const facts: FactsFile = { ...committedFacts };
  const reread: string[] = [];
  const kept: string[] = [];
  let binary: string | undefined;
  const tool = () => {
    binary ??= schemaFacts();
    return binary;
  };

  for (const [name, spec] of Object.entries(sources.sources)) {
    if (spec.obtain === "git") {
      const gitDir = gitDirs.get(name);
      if (!gitDir) {
        if (!facts[name]) fail(`${name}: no facts committed; give --git ${name}=REPOSITORY`);
        kept.push(name);
        continue;
      }
      const resources = Object.values(sources.terraform)
        .filter((t) => t.source === name)
        .map((t) => t.upstream);
      facts[name] = readTerraform(
        tool(),
        gitTree(name, spec, gitDir),
        spec,
        [...new Set(resources)].sort(),
      );
      reread.push(name);
    } else if (spec.obtain === "go-module") {
      const root = goModule(spec);
      const kinds = [...new Set(Object.values(sources.kubernetes).map((k) => k.kind))].sort();
      const out = JSON.parse(
        run(tool(), [
          "kubernetes",
          "--root",
          root,
          "--file",
          spec.file ?? "",
          "--kinds",
          kinds.join(","),
        ]),
      ) as KubernetesFacts;
      facts[name] = { module: spec.module, version: spec.version, ...out };
      reread.push(name);
    }
  }

  const table = buildTable(sources, facts);
  const sorted = sortKeys(facts);
  if (check) {
    const differs: string[] = [];
    for (const name of reread)
      if (!isDeepStrictEqual(committedFacts[name], sorted[name]))
        differs.push(`upstream-facts.json: ${name}`);
    if (
      !existsSync(TABLE) ||
      !isDeepStrictEqual(readJson(TABLE), JSON.parse(JSON.stringify(table)))
    )
      differs.push("replace-on-change.json");
    if (differs.length > 0)
      fail(
        `generated facts differ from the committed ones (${differs.join("; ")}); run without --check and commit`,
      );
  } else {
    writeJson(FACTS, sorted);
    writeJson(TABLE, table);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  process.stdout.write(
    `replace-generate: ${check ? "checked" : "wrote"} ${Object.keys(table.types).length} types in ${seconds} s; re-read: ${reread.join(", ") || "none"}; kept as committed: ${kept.join(", ") || "none"}\n`,
  );
}

function sortKeys<T extends Record<string, unknown>>(value: T): T {
  return Object.fromEntries(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  ) as T;
}

function writeJson(file: string, value: unknown): void {
  writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  run(path.join(repo, "node_modules/.bin/biome"), ["format", "--write", file]);
}

export function buildTable(sources: SourcesFile, facts: FactsFile): ReplaceTable {
  const sdks = new Map<string, SdkInputs>();
  const sdkFor = (token: string) => {
    const pkg = token.split(":")[0] ?? "";
    const dir = path.join(repo, "node_modules", "@pulumi", pkg);
    if (!sdks.has(pkg)) sdks.set(pkg, new SdkInputs(dir));
    return sdks.get(pkg) as SdkInputs;
  };
  const types: Record<string, TypeEntry> = {};
  const aws = readJson<AwsReadFile>(path.join(repo, sources.sources.aws?.facts ?? ""));
  for (const [token, { source, upstream, renamed }] of Object.entries(sources.terraform)) {
    let resource: TerraformResourceFacts | undefined;
    if (source === "aws") {
      resource = awsResourceFacts(aws, upstream);
      if (!resource) continue;
    } else {
      const section = facts[source] as { resources?: TerraformResourceFacts[] } | undefined;
      resource = section?.resources?.find((r) => r.name === upstream);
      if (!resource) fail(`${token}: no facts for ${upstream} from ${source}`);
    }
    types[token] = terraformEntry(sdkFor(token), token, source, resource, renamed);
  }
  const k8s = facts.kubernetes as unknown as KubernetesFacts | undefined;
  if (!k8s) fail("no kubernetes facts");
  for (const [token, { kind, patch }] of Object.entries(sources.kubernetes))
    types[token] = kubernetesEntry(k8s, kind, patch === true);
  for (const [token, { module, file }] of Object.entries(sources.command)) {
    const js = path.join("node_modules", "@pulumi", "command", module, `${file}.js`);
    types[token] = sdkEntry(token, readFileSync(path.join(repo, js), "utf8"), js);
  }
  const notRead = Object.entries(sources.terraform)
    .filter(([token]) => !types[token])
    .map(([token]) => token);
  return {
    about:
      "Generated by tools/references/replace-generate.ts from replace-sources.json, upstream-facts.json and aws-read-facts.json: per Pulumi type, the inputs whose change makes the provider re-create the resource. Do not edit.",
    sources: {
      ...Object.fromEntries(
        Object.entries(sources.sources).map(([name, spec]) => [name, { ...spec }]),
      ),
      notRead: {
        types: notRead,
        why: "no upstream source of these could be read here; see sources.aws",
      },
    },
    types: sortKeys(types),
  };
}

if (require.main === module) main();
