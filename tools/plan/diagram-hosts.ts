// Reading the plan for the diagram: hosts per role with their counts, what they run at boot,
// where their secrets come from, and small typed accessors for inputs.
import { ec2UserDataDocument } from "../../components/aws/user-data";
import type { Cloud } from "./diagram-types";
import type { Plan, PlannedResource } from "./plan";

/** Hosts of one role, as the plan creates them. */
export interface RoleHosts {
  readonly role: string;
  readonly count: number;
  /** "scaled": an auto-scaled group; "fixed": VMs with fixed names; "dedicated": metal. */
  readonly placement: "scaled" | "fixed" | "dedicated";
  readonly cloud: Exclude<Cloud, "internet">;
  /** Size of each host's data disk in GB, when the plan gives it one. */
  readonly dataDiskGb?: number;
}

export type Inputs = Record<string, unknown>;

export const str = (value: unknown): string | undefined =>
  typeof value === "string" ? value : undefined;
export const num = (value: unknown): number | undefined =>
  typeof value === "number" ? value : undefined;
export const rec = (value: unknown): Inputs =>
  value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Inputs) : {};

export function ofType(plan: Plan, type: string): PlannedResource[] {
  return plan.resources.filter((r) => r.type === type);
}

export function has(plan: Plan, type: string): boolean {
  return plan.resources.some((r) => r.type === type);
}

export function providerInputs(plan: Plan, resource: PlannedResource | undefined): Inputs {
  const urn = resource?.provider;
  return urn ? (plan.resources.find((r) => r.urn === urn)?.inputs ?? {}) : {};
}

/** The role a host resource serves, from its tags, labels or rendered boot script. */
function roleOf(resource: PlannedResource): string | undefined {
  const inputs = resource.inputs;
  const tagged = str(rec(inputs.tags).role) ?? str(rec(inputs.labels).role);
  if (tagged) return tagged;
  if (Array.isArray(inputs.tags)) {
    for (const tag of inputs.tags) {
      if (typeof tag === "string" && tag.startsWith("role=")) return tag.slice(5);
      const entry = rec(tag);
      if (entry.key === "role" && typeof entry.value === "string") return entry.value;
    }
  }
  const script = str(inputs.stdin) ?? str(inputs.userData) ?? "";
  return /multicloud host(?: bootstrap)?, role ([a-z]+)/.exec(script)?.[1];
}

/** Every role's hosts, from instances, groups, Sakura servers and dedicated servers. */
export function roleHosts(plan: Plan): RoleHosts[] {
  const found = new Map<string, RoleHosts>();
  const add = (role: string | undefined, entry: Omit<RoleHosts, "role">) => {
    if (!role) return;
    const known = found.get(role);
    found.set(role, {
      role,
      ...entry,
      count: (known?.count ?? 0) + entry.count,
      ...(known?.dataDiskGb ? { dataDiskGb: known.dataDiskGb } : {}),
    });
  };
  for (const r of ofType(plan, "aws:ec2/instance:Instance"))
    add(roleOf(r), { count: 1, placement: "fixed", cloud: "aws" });
  for (const r of ofType(plan, "aws:autoscaling/group:Group"))
    add(roleOf(r) ?? /-([a-z]+)-asg$/.exec(r.name)?.[1], {
      count: num(r.inputs.desiredCapacity) ?? num(r.inputs.minSize) ?? 0,
      placement: "scaled",
      cloud: "aws",
    });
  for (const r of ofType(plan, "gcp:compute/instance:Instance"))
    add(roleOf(r), { count: 1, placement: "fixed", cloud: "gcp" });
  for (const r of ofType(plan, "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager"))
    add(str(r.inputs.baseInstanceName), {
      count: num(r.inputs.targetSize) ?? 0,
      placement: "scaled",
      cloud: "gcp",
    });
  for (const r of ofType(plan, "pulumi-nodejs:dynamic/sakuracloud:Server"))
    add(roleOf(r), { count: 1, placement: "fixed", cloud: "sakura" });
  for (const r of ofType(plan, "command:remote:Command").filter((c) =>
    c.name.endsWith("-bootstrap"),
  ))
    add(roleOf(r), { count: 1, placement: "dedicated", cloud: "sakura" });
  const disks = [
    ...ofType(plan, "aws:ebs/volume:Volume"),
    ...ofType(plan, "gcp:compute/disk:Disk"),
  ];
  for (const disk of disks) {
    const role = roleOf(disk);
    const known = role ? found.get(role) : undefined;
    const size = num(disk.inputs.size);
    if (known && size) found.set(known.role, { ...known, dataDiskGb: size });
  }
  return [...found.values()];
}

/** Where hosts get the region's secrets (Consul keys and tokens), in two lines. */
export function secretStore(plan: Plan): string[] | undefined {
  const aws = ofType(plan, "aws:secretsmanager/secret:Secret").length;
  if (aws > 0) return ["Secrets Manager", `${aws} host secrets, KMS-encrypted`];
  const gcp = ofType(plan, "gcp:secretmanager/secret:Secret").length;
  if (gcp > 0) return ["Secret Manager", `${gcp} host secrets`];
  const pushed = ofType(plan, "command:remote:Command").filter((c) => c.name.endsWith("-secrets"));
  if (pushed.length > 0) return ["host secrets", `pushed over SSH to ${pushed.length} hosts`];
  return undefined;
}

/** What a host resource runs at first boot: cloud-init user data or a bootstrap script. */
export function bootText(resource: PlannedResource): string {
  const inputs = resource.inputs;
  const metadata = rec(inputs.metadata);
  // EC2 user data is base64 (gzip inside): launch templates' userData, instances' userDataBase64.
  const ec2 = resource.type === "aws:ec2/launchTemplate:LaunchTemplate";
  const texts = [
    ec2 ? undefined : inputs.userData,
    inputs.cloudInitUserData,
    inputs.stdin,
    inputs.metadataStartupScript,
    metadata["user-data"],
  ].filter((t): t is string => typeof t === "string");
  const encoded = [ec2 ? inputs.userData : undefined, inputs.userDataBase64].filter(
    (t): t is string => typeof t === "string",
  );
  return [...texts, ...encoded.map(ec2UserDataDocument)].join("\n");
}
