// Bad input: thousands of mutations of each stack file's `multicloud:region` either parse (and, for
// a sample, the whole plan runs) or fail with a ConfigError whose every line names the stack file,
// the key and what is expected. Nothing else: no crash, no other exception, no stack trace.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { parse, stringify } from "yaml";
import { formatCidr } from "../../components/spec/cidr";
import { ConfigError } from "../../components/spec/errors";
import {
  checkPeerRanges,
  type PeerStack,
  parseRegionSpec,
  REGION_CONFIG_KEY,
} from "../../components/spec/load";
import { namedRanges } from "../../components/spec/rules";
import type { Plan } from "../../tools/plan/plan";
import { projectDir, rawRegion, type StackName, stacks } from "../support/stacks";
import { applyMutation, type Mutation, mutationsOf } from "./mutations";
import { projectCopy, runPlanCli } from "./plans";

type Outcome =
  | { kind: "accepted" }
  | { kind: "rejected"; lines: string[] }
  | { kind: "failed"; detail: string };

const file = (stack: StackName) => `Pulumi.${stack}.yaml`;

function peersOf(stack: StackName): PeerStack[] {
  return stacks
    .filter((other) => other !== stack)
    .map((other) => ({ file: file(other), raw: rawRegion(other) }));
}

/** What the program does with a region value: parse it, then check it against the other stacks. */
function outcome(stack: StackName, raw: unknown, peers: readonly PeerStack[]): Outcome {
  try {
    const spec = parseRegionSpec(raw, file(stack));
    checkPeerRanges(spec, file(stack), peers);
    return { kind: "accepted" };
  } catch (error) {
    if (error instanceof ConfigError) return { kind: "rejected", lines: error.message.split("\n") };
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return { kind: "failed", detail };
  }
}

function lineFormat(stack: StackName): RegExp {
  return new RegExp(
    `^Pulumi\\.${stack}\\.yaml: multicloud:region[\\w.\\[\\]-]* (= .+|is missing|is not a known key): .+$`,
  );
}

function describeMutation(mutation: Mutation): string {
  const value = mutation.remove
    ? "(removed)"
    : (JSON.stringify(mutation.value) ?? String(mutation.value)).slice(0, 40);
  return `${mutation.category} at ${mutation.path.join(".") || "(root)"} = ${value}`;
}

/** Mutations allowed to end badly: none. (A fault found here is fixed, not listed.) */
const KNOWN_FAULTS: readonly string[] = [];

const accepted: Record<StackName, unknown[]> = { jp: [], us: [], uk: [] };

describe("mutations of the stack files' region", () => {
  it("parse, or fail with a ConfigError of well-formed lines only", () => {
    let tried = 0;
    let rejected = 0;
    let accepts = 0;
    const problems: { key: string; detail: string }[] = [];
    const byCategory = new Map<string, number>();
    for (const stack of stacks) {
      const raw = rawRegion(stack);
      const peers = peersOf(stack);
      const peerCidrs = peers.flatMap((peer) =>
        namedRanges(peer.raw as Parameters<typeof namedRanges>[0]).map((range) =>
          formatCidr(range.cidr),
        ),
      );
      const format = lineFormat(stack);
      for (const mutation of mutationsOf(raw, peerCidrs)) {
        tried++;
        byCategory.set(mutation.category, (byCategory.get(mutation.category) ?? 0) + 1);
        const mutated = applyMutation(raw, mutation);
        const result = outcome(stack, mutated, peers);
        if (result.kind === "accepted") {
          accepts++;
          accepted[stack].push(mutated);
        } else if (result.kind === "rejected") {
          const bad = result.lines.filter((line) => !format.test(line));
          if (result.lines.length > 0 && bad.length === 0) rejected++;
          else
            problems.push({
              key: `${stack} ${describeMutation(mutation)}`,
              detail: bad.join(" | ") || "(empty)",
            });
        } else {
          problems.push({ key: `${stack} ${describeMutation(mutation)}`, detail: result.detail });
        }
      }
    }
    console.log(`mutations tried: ${tried}, rejected cleanly: ${rejected}, accepted: ${accepts}`);
    console.log(
      `by category: ${[...byCategory].map(([category, count]) => `${category} ${count}`).join(", ")}`,
    );
    assert.deepEqual(
      problems.map((problem) => problem.key),
      KNOWN_FAULTS,
      problems
        .slice(0, 20)
        .map((problem) => `${problem.key}: ${problem.detail}`)
        .join("\n"),
    );
    assert.ok(tried > 3000, `only ${tried} mutations`);
    assert.ok(rejected > tried / 2 && accepts > 100, `${rejected} rejected, ${accepts} accepted`);
  });

  it("that are accepted plan whole, for a sample", async () => {
    const samples = stacks.map((stack): [StackName, unknown] => {
      const list = accepted[stack];
      assert.ok(list.length > 0, `no accepted mutation of ${stack}`);
      const sample = combined(stack, list);
      assert.ok(sample.count > 0);
      console.log(`${stack}: planning ${sample.count} accepted mutations at once`);
      return [stack, sample.region];
    });
    const dir = mkdtempSync(join(tmpdir(), "multicloud-mutated-"));
    try {
      const files = Object.fromEntries(
        samples.map(([stack, region]) => [file(stack), stackFileWith(stack, region)]),
      );
      const project = projectCopy(join(dir, "project"), files);
      const results = await Promise.all(
        samples.map(([stack]) =>
          runPlanCli(project, ["--stack", stack, "--json", join(dir, `${stack}.json`)]),
        ),
      );
      results.forEach((result, index) => {
        const stack = stacks[index] as StackName;
        assert.equal(result.code, 0, `${stack}: ${result.stderr}`);
        const plan = JSON.parse(readFileSync(join(dir, `${stack}.json`), "utf8")) as Plan;
        assert.equal(plan.stack, stack);
        assert.ok(plan.resources.length > 50, `${stack}: ${plan.resources.length} resources`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * Several accepted mutations at once (every n-th, as long as the result still parses), so that
 * one plan covers many of them.
 */
function combined(stack: StackName, list: readonly unknown[]): { region: unknown; count: number } {
  const raw = rawRegion(stack);
  let region: unknown = raw;
  let count = 0;
  const step = Math.max(1, Math.floor(list.length / 12));
  for (let index = 0; index < list.length; index += step) {
    const candidate = merge(region, raw, list[index]);
    if (outcome(stack, candidate, peersOf(stack)).kind !== "accepted") continue;
    region = candidate;
    count++;
  }
  return { region, count };
}

/** Applies to `current` the top-level keys in which `mutated` differs from `original`. */
function merge(current: unknown, original: unknown, mutated: unknown): unknown {
  if (!isRecord(current) || !isRecord(original) || !isRecord(mutated)) return mutated;
  const out: Record<string, unknown> = { ...current };
  const keys = new Set([...Object.keys(original), ...Object.keys(mutated)]);
  for (const key of keys) {
    if (JSON.stringify(original[key]) === JSON.stringify(mutated[key])) continue;
    if (key in mutated) out[key] = merge(current[key], original[key], mutated[key]);
    else delete out[key];
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function stackFileWith(stack: StackName, region: unknown): string {
  const document = parse(readFileSync(join(projectDir, file(stack)), "utf8")) as {
    config: Record<string, unknown>;
  };
  document.config[REGION_CONFIG_KEY] = region;
  return stringify(document);
}
