// A mock monitor that also records what the real engine would be told: resource options such as
// `protect`, dependencies and provider, which Pulumi's plain mocks do not show.
import type { Mocks } from "@pulumi/pulumi/runtime";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";
import { aliasEngineUrn, engineUrn, type UrnContext } from "./alias-urn";
import type { PlannedResource } from "./plan";
import { providerUrn } from "./plan";
import { maskSecrets } from "./secrets";

/** The subset of the engine's RegisterResourceRequest that the plan reads. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getObject(): Parameters<typeof deserializeProperties>[0] | undefined;
  getProtect(): boolean | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getIgnorechangesList(): string[];
  getRetainondelete(): boolean | undefined;
  getDeletebeforereplace(): boolean;
  getAliasurnsList(): string[];
  /** The provider package version the SDK asks for ("" when none). */
  getVersion(): string;
  /** Aliases as the SDK sends them: whole URNs or specs of what changed. */
  getAliasesList(): AliasMessage[];
}

interface AliasMessage {
  hasUrn(): boolean;
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

/** The subset of the engine's ReadResourceRequest that the plan reads. */
interface ReadRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProperties(): Parameters<typeof deserializeProperties>[0] | undefined;
  getDependenciesList(): string[];
  getProvider(): string;
  getVersion(): string;
}

interface RegisterResponse {
  getUrn(): string;
}

interface OutputsRequest {
  getUrn(): string;
  getOutputs(): Parameters<typeof deserializeProperties>[0] | undefined;
}

type Callback<T> = (error: unknown, response: T | undefined) => void;

export class RecordingMonitor extends MockMonitor {
  readonly planned: PlannedResource[] = [];
  readonly outputsByUrn = new Map<string, Record<string, unknown>>();

  constructor(mocks: Mocks) {
    super(mocks);
  }

  override async registerResource(
    req: RegisterRequest,
    callback: Callback<RegisterResponse>,
  ): Promise<void> {
    await super.registerResource(req, (error: unknown, response: RegisterResponse | undefined) => {
      if (!error && response) this.record(req, response.getUrn());
      callback(error, response);
    });
  }

  /** Engine-form URNs by the mock's URNs, for aliases given as specs (relative to parents). */
  private readonly engineUrns = new Map<string, string>();

  /**
   * The URN the engine gives a resource: its type qualified by every ancestor's type below the
   * stack. The mock monitor qualifies by the parent's type only, so its URNs differ from a real
   * stack's below the first level.
   */
  engineUrnOf(mockUrn: string): string {
    return this.engineUrns.get(mockUrn) ?? mockUrn;
  }

  /** Every registration so far, named by engine URNs and sorted by URN (timing sets the order). */
  resourcesInEngineForm(): PlannedResource[] {
    const engine = (urn: string) => this.engineUrnOf(urn);
    return this.planned
      .map((resource) => ({
        ...resource,
        urn: engine(resource.urn),
        ...(resource.parent ? { parent: engine(resource.parent) } : {}),
        ...(resource.provider ? { provider: engine(resource.provider) } : {}),
        dependencies: resource.dependencies.map(engine).sort(),
      }))
      .sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  }

  private record(req: RegisterRequest, urn: string): void {
    const [, stack = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn) ?? [];
    const context: UrnContext = {
      stack,
      project,
      engineUrnOf: (parent) => this.engineUrns.get(parent),
    };
    const resource = {
      type: req.getType(),
      name: req.getName(),
      parentUrn: req.getParent() || undefined,
    };
    this.engineUrns.set(urn, engineUrn(resource, context));
    const aliases = req.getAliasesList().map((alias) => {
      const spec = alias.getSpec();
      return aliasEngineUrn(
        alias.hasUrn() || !spec
          ? { urn: alias.getUrn() }
          : {
              name: spec.getName(),
              type: spec.getType(),
              stack: spec.getStack(),
              project: spec.getProject(),
              parentUrn: spec.getParenturn(),
              noParent: spec.getNoparent(),
            },
        resource,
        context,
      );
    });
    const planned = toPlanned(req, urn, aliases);
    this.planned.push(
      planned.custom && !planned.provider && !planned.type.startsWith("pulumi:providers:")
        ? { ...planned, provider: this.defaultProvider(planned.type, req.getVersion(), context) }
        : planned,
    );
  }

  /**
   * A custom resource registered without a provider is managed by its package's default provider,
   * which the engine creates and keeps in the stack (e.g. `pulumi:providers:pulumi-nodejs::default`
   * for dynamic resources): the plan lists it too, once, and names it as the resource's provider.
   * A stack reference read without one uses the engine's built-in `pulumi` provider, kept the same
   * way. (Provider resources themselves have none.)
   */
  private defaultProvider(type: string, version: string, context: UrnContext): string {
    const pkg = type.split(":")[0] ?? type;
    const name = version ? `default_${version.replace(/[.+-]/g, "_")}` : "default";
    const urn = `urn:pulumi:${context.stack}::${context.project}::pulumi:providers:${pkg}::${name}`;
    if (!this.planned.some((resource) => resource.urn === urn)) {
      this.planned.push({
        urn,
        type: `pulumi:providers:${pkg}`,
        name,
        custom: true,
        protect: false,
        dependencies: [],
        // The engine gives a default provider the stack's config; the plan shows none of it.
        inputs: {},
        ignoreChanges: [],
        retainOnDelete: false,
        deleteBeforeReplace: false,
        aliases: [],
      });
    }
    return urn;
  }

  /** A read (a stack reference, a `get`): listed in the plan, marked as read. */
  override async readResource(
    req: ReadRequest,
    callback: Callback<RegisterResponse>,
  ): Promise<void> {
    await super.readResource(req, (error: unknown, response: RegisterResponse | undefined) => {
      if (!error && response) this.recordRead(req, response.getUrn());
      callback(error, response);
    });
  }

  private recordRead(req: ReadRequest, urn: string): void {
    const [, stack = "", project = ""] = /^urn:pulumi:([^:]*)::([^:]*)::/.exec(urn) ?? [];
    const context: UrnContext = {
      stack,
      project,
      engineUrnOf: (parent) => this.engineUrns.get(parent),
    };
    const parent = req.getParent();
    this.engineUrns.set(
      urn,
      engineUrn(
        { type: req.getType(), name: req.getName(), parentUrn: parent || undefined },
        context,
      ),
    );
    const properties = req.getProperties();
    const provider =
      providerUrn(req.getProvider()) ??
      this.defaultProvider(req.getType(), req.getVersion(), context);
    this.planned.push({
      urn,
      type: req.getType(),
      name: req.getName(),
      ...(parent ? { parent } : {}),
      custom: true,
      ...(provider ? { provider } : {}),
      protect: false,
      dependencies: [...new Set(req.getDependenciesList())].sort(),
      inputs: properties ? maskSecrets(deserializeProperties(properties, true)) : {},
      ignoreChanges: [],
      retainOnDelete: false,
      deleteBeforeReplace: false,
      aliases: [],
      read: true,
    });
  }

  override registerResourceOutputs(req: OutputsRequest, callback: Callback<object>): void {
    const outputs = req.getOutputs();
    if (outputs) this.outputsByUrn.set(req.getUrn(), maskSecrets(deserializeProperties(outputs)));
    super.registerResourceOutputs(req, callback);
  }
}

function toPlanned(req: RegisterRequest, urn: string, aliases: readonly string[]): PlannedResource {
  const object = req.getObject();
  const parent = req.getParent();
  const provider = providerUrn(req.getProvider());
  return {
    urn,
    type: req.getType(),
    name: req.getName(),
    ...(parent ? { parent } : {}),
    custom: req.getCustom(),
    ...(provider ? { provider } : {}),
    protect: req.getProtect() === true,
    dependencies: [...new Set(req.getDependenciesList())].sort(),
    inputs: object ? withoutProviderSource(maskSecrets(deserializeProperties(object, true))) : {},
    ignoreChanges: req.getIgnorechangesList(),
    retainOnDelete: req.getRetainondelete() === true,
    deleteBeforeReplace: req.getDeletebeforereplace(),
    aliases: [...req.getAliasurnsList(), ...aliases],
  };
}

/** A dynamic resource carries its provider's serialized source; the plan names it instead. */
function withoutProviderSource(inputs: Record<string, unknown>): Record<string, unknown> {
  if (typeof inputs.__provider !== "string") return inputs;
  return { ...inputs, __provider: "[dynamic provider source]" };
}
