// The URNs the Pulumi engine derives for a resource and for its aliases, for tools that read
// registrations offline (the plan's monitor) and must compare them with URNs of real stacks. The
// engine's qualified type is the chain of every ancestor's type below the root stack, joined with
// `$`; an alias spec leaves out what stays the same (name, type, stack, project, parent). Pure.

export interface AliasSpecLike {
  /** A whole earlier URN, as `aliases: ["urn:pulumi:..."]` gives it. */
  readonly urn?: string;
  readonly name?: string;
  readonly type?: string;
  readonly stack?: string;
  readonly project?: string;
  /** The earlier parent (in the form the registrations name parents). */
  readonly parentUrn?: string;
  /** The resource had no parent (a child of the root stack). */
  readonly noParent?: boolean;
}

export interface UrnContext {
  readonly stack: string;
  readonly project: string;
  /** The engine URN of a registered parent, by the URN registrations use for it. */
  readonly engineUrnOf: (parentUrn: string) => string | undefined;
}

const ROOT_STACK = "pulumi:pulumi:Stack";

function qualifiedTypeOf(urn: string): string {
  return urn.split("::")[2] ?? "";
}

function compose(
  context: UrnContext,
  stack: string,
  project: string,
  parentUrn: string | undefined,
  type: string,
  name: string,
): string {
  const parent = parentUrn === undefined ? undefined : context.engineUrnOf(parentUrn);
  const parentType = parent === undefined ? "" : qualifiedTypeOf(parent);
  const chain = parentType === "" || parentType === ROOT_STACK ? type : `${parentType}$${type}`;
  return `urn:pulumi:${stack}::${project}::${chain}::${name}`;
}

/** The engine URN of a resource registered with this type, name and parent. */
export function engineUrn(
  resource: { readonly type: string; readonly name: string; readonly parentUrn?: string },
  context: UrnContext,
): string {
  return compose(
    context,
    context.stack,
    context.project,
    resource.parentUrn,
    resource.type,
    resource.name,
  );
}

/** The engine URN an alias stands for. */
export function aliasEngineUrn(
  alias: AliasSpecLike,
  resource: { readonly type: string; readonly name: string; readonly parentUrn?: string },
  context: UrnContext,
): string {
  if (alias.urn) return alias.urn;
  const parentUrn = alias.noParent ? undefined : alias.parentUrn || resource.parentUrn;
  return compose(
    context,
    alias.stack || context.stack,
    alias.project || context.project,
    parentUrn,
    alias.type || resource.type,
    alias.name || resource.name,
  );
}
