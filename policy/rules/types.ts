// A rule is plain data plus a pure function, so that the same rule runs inside the Pulumi engine
// (policy/pack.ts adapts it) and over the offline plan (tools/plan/policy.ts).

export type EnforcementLevel = "mandatory" | "advisory";

/** A resource's inputs, as the engine or the plan holds them. */
export type Props = Readonly<Record<string, unknown>>;

/** What a rule may know about a resource besides its inputs. */
export interface ResourceContext {
  /** Type token, e.g. aws:ec2/instance:Instance. */
  readonly type: string;
  readonly urn: string;
  /** Logical name given in the program. */
  readonly name: string;
  /** The `protect` resource option. */
  readonly protect: boolean;
  /** Inputs of the provider resource that manages it (AWS defaultTags, GCP defaultLabels). */
  readonly providerProps?: Props;
}

/** A resource as a stack-wide rule sees it. */
export interface StackResource extends ResourceContext {
  readonly props: Props;
  /** URN of the parent resource. */
  readonly parent?: string;
  /** URNs of the resources it depends on, explicitly or through its inputs. */
  readonly dependencies: readonly string[];
}

interface RuleInfo {
  /** Unique id of the rule (kebab case), as the engine and the plan print it. */
  readonly name: string;
  /** What the rule asks for, in one sentence. */
  readonly description: string;
  /** What to change when the rule reports a resource. */
  readonly remediation: string;
  /** mandatory blocks a deployment; advisory only warns. */
  readonly enforcementLevel: EnforcementLevel;
}

/** A rule over one resource at a time. */
export interface ResourceRule extends RuleInfo {
  readonly kind: "resource";
  /** The type tokens it applies to. */
  readonly resourceTypes: readonly string[];
  /** Violation messages; empty when the resource complies. */
  validate(props: Props, context: ResourceContext): string[];
}

export interface StackViolation {
  /** The resource at fault; absent when the stack as a whole is. */
  readonly urn?: string;
  readonly message: string;
}

/** A rule over all resources of a stack, for what one resource alone cannot show. */
export interface StackRule extends RuleInfo {
  readonly kind: "stack";
  validate(resources: readonly StackResource[]): StackViolation[];
}

export type Rule = ResourceRule | StackRule;

/** One key of a stack file as written: its value, and whether it is encrypted (`secure:`). */
export interface StackFileEntry {
  /** namespace:key, e.g. multicloud:sshPrivateKey. */
  readonly key: string;
  readonly value: unknown;
  readonly secret: boolean;
}

/**
 * A rule over the stack file itself, for what never belongs there whatever the program does with
 * it. The engine hands policy packs resources, not stack files, so these run in the offline plan
 * (every pull request runs it) and not in the CrossGuard pack.
 */
export interface StackFileRule extends RuleInfo {
  readonly kind: "stack-file";
  /** One message per problem, each naming the file and the key. */
  validate(file: string, entries: readonly StackFileEntry[]): string[];
}
