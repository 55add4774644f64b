// What two stacks of one lineage (a region and its rebuild) claim in the places they share: the
// public Route53 zone, the AWS account and the GCP projects. A model of those namespaces answers
// two questions from the plans alone: can both exist (no name taken twice, unless both mean to
// share it), and what is left of one stack's records and names after the other is destroyed (its
// deletes applied, except what it retains). Pure.
import type { Plan, PlannedResource } from "../plan/plan";

export interface Claim {
  /** Where the name lives and the name: two claims with one key are one thing in the cloud. */
  readonly key: string;
  readonly urn: string;
  /** The stack writes it even when it exists (a record with allowOverwrite, a project singleton). */
  readonly shared: boolean;
  /** Destroying the stack leaves it (retainOnDelete, or an API left enabled). */
  readonly survives: boolean;
}

const ROUTE53_RECORD = "aws:route53/record:Record";

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

/** The public domain the plan serves (the program's `domain` output). */
function domainOf(plan: Plan): string {
  const domain = text(plan.outputs.domain);
  if (!domain) throw new Error(`plan of ${plan.stack}: no domain output`);
  return domain;
}

/** The GCP project of a resource: its own input, else its provider's. */
function projectOf(resource: PlannedResource, byUrn: ReadonlyMap<string, PlannedResource>): string {
  return (
    text(resource.inputs.project) ??
    text(byUrn.get(resource.provider ?? "")?.inputs.project) ??
    "(no project)"
  );
}

function route53Key(resource: PlannedResource, plan: Plan): string {
  const name = text(resource.inputs.name) ?? "";
  const domain = domainOf(plan);
  const type = text(resource.inputs.type) ?? "";
  const set = text(resource.inputs.setIdentifier) ?? "";
  const inPublicZone = name === domain || name.endsWith(`.${domain}`);
  // A private zone (the internal zone on AWS) belongs to the stack that made it.
  const zone = inPublicZone
    ? `public ${domain}`
    : `private ${plan.stack} ${resource.inputs.zoneId}`;
  return `route53 ${zone} ${name} ${type} ${set}`;
}

/** The fields that name a resource in its account or project, by type. */
const NAME_FIELDS = ["name", "accountId", "secretId", "roleId", "bucket"] as const;

export function claimsOf(plan: Plan): Claim[] {
  const byUrn = new Map(plan.resources.map((resource) => [resource.urn, resource]));
  const claims: Claim[] = [];
  for (const resource of plan.resources) {
    if (!resource.custom || resource.read || resource.type.startsWith("pulumi:")) continue;
    const { type, inputs } = resource;
    const claim = (key: string, shared = false, survives = resource.retainOnDelete) =>
      claims.push({ key, urn: resource.urn, shared, survives });
    if (type === ROUTE53_RECORD) {
      claim(route53Key(resource, plan), inputs.allowOverwrite === true);
    } else if (type.startsWith("gcp:")) {
      const project = projectOf(resource, byUrn);
      if (type === "gcp:binaryauthorization/policy:Policy") {
        // One per project: every stack that manages it writes the same object.
        claim(`gcp ${project} binary-authorization-policy`, true);
      } else if (type === "gcp:projects/service:Service") {
        claim(`gcp ${project} service ${inputs.service}`, true, inputs.disableOnDestroy === false);
      } else if (/IAMMember:|IamMember:/.test(type)) {
        const on = text(inputs.secretId) ?? text(inputs.bucket) ?? text(inputs.repository) ?? "";
        const member = text(inputs.member);
        if (member) claim(`gcp ${project} ${type} ${on} ${inputs.role} ${member}`);
      } else if (type === "gcp:dns/recordSet:RecordSet") {
        claim(`gcp ${project} dns ${inputs.managedZone} ${inputs.name} ${inputs.type}`);
      } else if (type === "gcp:storage/bucketObject:BucketObject") {
        // Object names are per bucket: each stack's artifact store holds its own copy.
        claim(`gcp ${type} ${text(inputs.bucket) ?? resource.urn} ${inputs.name}`);
      } else if (type === "gcp:artifactregistry/repository:Repository") {
        // Repository ids are per location: each GKE region has its own `services`.
        claim(`gcp ${project} ${type} ${inputs.location} ${inputs.repositoryId}`);
      } else {
        const field = NAME_FIELDS.find((name) => text(inputs[name]) !== undefined);
        // Names are compared across zones and regions: a rebuild's names never meet another's.
        if (field) claim(`gcp ${project} ${type} ${inputs[field]}`);
      }
    } else if (type === "aws:route53/zone:Zone") {
      // Hosted zones are known by id: two zones of one name are two zones (private ones per VPC).
    } else if (
      type === "aws:iam/rolePolicy:RolePolicy" ||
      type === "aws:iam/userPolicy:UserPolicy"
    ) {
      // An inline policy's name is its role's or user's own: each stack's hold theirs.
      const holder = text(inputs.role) ?? text(inputs.user) ?? resource.urn;
      claim(`aws ${type} ${holder} ${inputs.name}`);
    } else if (type.startsWith("aws:")) {
      const field = NAME_FIELDS.find((name) => text(inputs[name]) !== undefined);
      if (field) claim(`aws ${type} ${inputs[field]}`);
    }
  }
  return claims;
}

export interface Collision {
  readonly key: string;
  readonly urns: readonly string[];
}

/** Keys both plans claim, where either does not mean to share: the second `pulumi up` would fail. */
export function collisions(first: Plan, second: Plan): Collision[] {
  const mine = new Map<string, Claim[]>();
  for (const claim of claimsOf(first)) mine.set(claim.key, [...(mine.get(claim.key) ?? []), claim]);
  const found: Collision[] = [];
  for (const claim of claimsOf(second)) {
    const theirs = mine.get(claim.key) ?? [];
    if (theirs.length > 0 && !(claim.shared && theirs.every((other) => other.shared))) {
      found.push({ key: claim.key, urns: [...theirs.map((other) => other.urn), claim.urn] });
    }
  }
  // Route53 keeps a name and type either plain or with routing policies, never both.
  const plainOrRouted = (plan: Plan) =>
    claimsOf(plan)
      .filter((claim) => claim.key.startsWith("route53 public "))
      .map((claim) => ({
        claim,
        head: claim.key.replace(/ [^ ]*$/, ""),
        routed: !claim.key.endsWith(" "),
      }));
  const firstHeads = plainOrRouted(first);
  for (const { claim, head, routed } of plainOrRouted(second)) {
    const clash = firstHeads.find((other) => other.head === head && other.routed !== routed);
    if (clash)
      found.push({ key: `${head} (plain and routed)`, urns: [clash.claim.urn, claim.urn] });
  }
  return found;
}

/**
 * Both stacks deployed, `destroyed` first, then `pulumi destroy` of it: the claims of `survivor`
 * whose name or record is gone with it.
 */
export function lostByDestroying(destroyed: Plan, survivor: Plan): Claim[] {
  const present = new Set<string>();
  for (const claim of claimsOf(destroyed)) present.add(claim.key);
  for (const claim of claimsOf(survivor)) present.add(claim.key);
  for (const claim of claimsOf(destroyed)) if (!claim.survives) present.delete(claim.key);
  return claimsOf(survivor).filter((claim) => !present.has(claim.key));
}
