// Plans of the stacks as `npm run plan -- --json` writes them, and the edits the topology tests
// break them with: a resource gone, an input changed, a host's rendered file rewritten.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { gunzipSync } from "node:zlib";
import { parse, stringify } from "yaml";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { TS_ROUTE } from "../support/ts-route";

const exec = promisify(execFile);
const ROOT = join(__dirname, "..", "..");

/** The plan of a stack, made by the plan CLI as a user runs it. */
export async function planOf(stack: string): Promise<Plan> {
  const file = join(mkdtempSync(join(tmpdir(), `links-plan-${stack}-`)), "plan.json");
  await exec(
    process.execPath,
    [...TS_ROUTE, "tools/plan/cli.ts", "--stack", stack, "--json", file],
    { cwd: ROOT, timeout: 240_000 },
  );
  return JSON.parse(readFileSync(file, "utf8")) as Plan;
}

/** The plan without the resources `drop` picks; at least one must go, or the edit proves nothing. */
export function without(plan: Plan, drop: (resource: PlannedResource) => boolean): Plan {
  const kept = plan.resources.filter((resource) => !drop(resource));
  assert.ok(kept.length < plan.resources.length, "the edit removes no resource");
  return { ...plan, resources: kept };
}

/** The plan with the inputs of the resources `pick` picks changed (at least one). */
export function withInputs(
  plan: Plan,
  pick: (resource: PlannedResource) => boolean,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): Plan {
  let changed = 0;
  const resources = plan.resources.map((resource) => {
    if (!pick(resource)) return resource;
    changed++;
    return { ...resource, inputs: change(structuredClone(resource.inputs)) };
  });
  assert.ok(changed > 0, "the edit changes no resource");
  return { ...plan, resources };
}

export const ofType = (type: string) => (resource: PlannedResource) => resource.type === type;
export const named = (pattern: RegExp) => (resource: PlannedResource) =>
  pattern.test(resource.name);

const USER_DATA_KEYS = ["cloudInitUserData", "userDataBase64", "userData"] as const;

/** Where a host's cloud-init lies among its inputs: a key, or GCP's metadata entry. */
function userDataOf(inputs: Record<string, unknown>):
  | {
      read: () => string;
      write: (text: string) => void;
    }
  | undefined {
  const key = USER_DATA_KEYS.find((candidate) => typeof inputs[candidate] === "string");
  if (key)
    return {
      read: () => inputs[key] as string,
      write: (text) => {
        inputs[key] = text;
      },
    };
  const metadata = inputs.metadata as Record<string, unknown> | undefined;
  if (typeof metadata?.["user-data"] === "string") {
    return {
      read: () => metadata["user-data"] as string,
      write: (text) => {
        metadata["user-data"] = text;
      },
    };
  }
  return undefined;
}

/**
 * The plan with one file of the picked hosts' cloud-init rewritten (written back as plain
 * #cloud-config, which every cloud takes). Only hosts are picked (resources with user data);
 * `edit` must change the file.
 */
export function withHostFile(
  plan: Plan,
  pick: (resource: PlannedResource) => boolean,
  path: string,
  edit: (content: string) => string,
): Plan {
  const host = (resource: PlannedResource) =>
    pick(resource) && userDataOf(resource.inputs) !== undefined;
  return withInputs(plan, host, (inputs) => {
    const userData = userDataOf(inputs);
    assert.ok(userData, "the host has no user data");
    const document = parse(cloudConfig(userData.read())) as {
      write_files: { path: string; content: string; encoding?: string }[];
    };
    const file = document.write_files.find((entry) => entry.path === path);
    assert.ok(file, `the host writes no ${path}`);
    const before = decoded(file.content, file.encoding);
    const after = edit(before);
    assert.notEqual(after, before, `the edit leaves ${path} as it was`);
    file.content = after;
    delete file.encoding;
    userData.write(`#cloud-config\n${stringify(document)}`);
    return inputs;
  });
}

function cloudConfig(raw: string): string {
  const body = raw.startsWith('"') ? (JSON.parse(raw) as string) : raw;
  if (body.startsWith("#cloud-config")) return body;
  const bytes = Buffer.from(body, "base64");
  return (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
}

function decoded(content: string, encoding: string | undefined): string {
  if (encoding === undefined) return content;
  const bytes = Buffer.from(content, "base64");
  return (/^gz/.test(encoding) ? gunzipSync(bytes) : bytes).toString("utf8");
}

/** The plan with a copy of one resource under another name, its inputs changed. */
export function withCopy(
  plan: Plan,
  name: string,
  copyName: string,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
): Plan {
  const original = plan.resources.find((resource) => resource.name === name);
  assert.ok(original, `no resource ${name}`);
  const copy: PlannedResource = {
    ...original,
    name: copyName,
    urn: `${original.urn.slice(0, original.urn.lastIndexOf("::"))}::${copyName}`,
    inputs: change(structuredClone(original.inputs)),
  };
  return { ...plan, resources: [...plan.resources, copy] };
}
