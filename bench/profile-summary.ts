// Where a CPU profile's time goes: self time per function and per module group, from the
// .cpuprofile JSON that `node --cpu-prof` writes. Pure, apart from the caller reading the file.

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface SelfTime {
  readonly label: string;
  readonly group: string;
  readonly ms: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  readonly groups: readonly SelfTime[];
  readonly functions: readonly SelfTime[];
  readonly modules: readonly SelfTime[];
}

/**
 * Who owns a script: the program ("ours": index.ts, components/, tools/, bench/), an npm package
 * (by name, @pulumi/* kept apart per package), Node itself, or V8's own entries ((garbage
 * collector), (program), (idle)).
 */
export function groupOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const path = url.replace(/^file:\/\//, "");
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (pkg?.[1]) {
    const name = pkg[1];
    // The vendored TypeScript and ts-node live inside @pulumi/pulumi but are loaders, not the SDK.
    if (name === "@pulumi/pulumi" && path.includes("/vendor/")) return "ts-node (vendored)";
    return name;
  }
  if (path.startsWith("node:") || !path.startsWith("/")) return "node internals";
  return "ours";
}

export function summarizeProfile(profile: CpuProfile, root: string, top = 15): ProfileSummary {
  const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const selfByNode = new Map<number, number>();
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    selfByNode.set(id, (selfByNode.get(id) ?? 0) + delta);
  });
  const byFunction = new Map<string, SelfTime>();
  const byModule = new Map<string, SelfTime>();
  const byGroup = new Map<string, number>();
  let totalMicros = 0;
  for (const [id, micros] of selfByNode) {
    const frame = frames.get(id);
    if (!frame) continue;
    totalMicros += micros;
    const group = groupOf(frame.url, frame.functionName);
    const file = shortPath(frame.url, root) || frame.functionName;
    const fnLabel = `${frame.functionName || "(anonymous)"} ${file}:${frame.lineNumber + 1}`;
    add(byFunction, fnLabel, group, micros);
    add(byModule, file, group, micros);
    byGroup.set(group, (byGroup.get(group) ?? 0) + micros);
  }
  const sorted = (map: Map<string, SelfTime>) =>
    [...map.values()].sort((a, b) => b.ms - a.ms).slice(0, top);
  return {
    totalMs: totalMicros / 1000,
    groups: [...byGroup.entries()]
      .map(([group, micros]) => ({ label: group, group, ms: micros / 1000 }))
      .sort((a, b) => b.ms - a.ms),
    functions: sorted(byFunction),
    modules: sorted(byModule),
  };
}

function add(map: Map<string, SelfTime>, label: string, group: string, micros: number): void {
  const known = map.get(label);
  map.set(label, { label, group, ms: (known?.ms ?? 0) + micros / 1000 });
}

function shortPath(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, "");
  const inModules = path.lastIndexOf("node_modules/");
  if (inModules >= 0) return path.slice(inModules + "node_modules/".length);
  return path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
}
