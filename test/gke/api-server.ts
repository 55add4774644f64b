// The Kubernetes objects of a plan as the API server receives them, and what it would answer to
// creating each: the kube-validate peer runs kube-apiserver's and apiextensions-apiserver's own
// validation over them, against the CRDs GKE installs (tools/peers/kube-validate).
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Plan } from "../../tools/plan/plan";
import { peerBinary } from "../support/peers";
import { projectDir } from "../support/stacks";

export interface Manifest {
  /** `<stack> <type> <name>`: where the object comes from. */
  readonly id: string;
  readonly object: Record<string, unknown>;
}

/** Every Kubernetes object a plan creates or patches (providers excluded). */
export function planManifests(plan: Plan): Manifest[] {
  return plan.resources
    .filter((r) => r.custom && r.type.startsWith("kubernetes:"))
    .map((r) => ({
      id: `${plan.stack} ${r.type} ${r.name}`,
      object: manifestOf(r.type, r.inputs),
    }));
}

/** The body sent to the API server: a patch of a ConfigMap is checked as the ConfigMap it sets. */
function manifestOf(type: string, inputs: Record<string, unknown>): Record<string, unknown> {
  if (type === "kubernetes:core/v1:ConfigMapPatch") {
    return { ...inputs, apiVersion: "v1", kind: "ConfigMap" };
  }
  return inputs;
}

/** The API server's errors for each object, by id (an empty list: accepted). */
export function apiServerErrors(manifests: readonly Manifest[]): Map<string, string[]> {
  const binary = peerBinary("kube-validate", "kube-validate");
  const result = spawnSync(binary, [], {
    input: JSON.stringify(manifests),
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) {
    throw new Error(`kube-validate exited ${result.status}: ${result.stderr || result.error}`);
  }
  const answers = JSON.parse(result.stdout) as { id: string; errors: string[] }[];
  return new Map(answers.map((a) => [a.id, a.errors]));
}

/** What the peer reads: pinned versions and CRD files (`kube-validate --sources`). */
export function peerSources(): {
  kubernetes: string;
  crds: { module: string; version: string; files: string[] }[];
} {
  const binary = peerBinary("kube-validate", "kube-validate");
  const result = spawnSync(binary, ["--sources"], { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`kube-validate --sources: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

/** Plans a stack with `npm run plan -- --stack S --json F` in its own process. */
export function planInChildProcess(stack: string): Promise<Plan> {
  const file = join(mkdtempSync(join(tmpdir(), "multicloud-k8s-")), `${stack}.json`);
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(projectDir, "tools/plan/cli.ts"), "--stack", stack, "--json", file],
      {
        cwd: projectDir,
        env: { ...process.env, NODE_OPTIONS: "" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let stderr = "";
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (code !== 0) reject(new Error(`plan --stack ${stack} exited ${code}: ${stderr}`));
      else resolve(JSON.parse(readFileSync(file, "utf8")) as Plan);
    });
  });
}
