// The wait between enabling a Google Cloud API and creating anything through it. Service Usage
// reports an API enabled before the API itself accepts calls: a create sent at once can be refused
// with 403 "<Service> API has not been used in project <p> before or it is disabled", and the Google
// provider retries no such 403 (its default retry predicates, transport/error_retry_predicates.go,
// cover 429, 5xx, network errors and a few named cases). The provider's own guide says so
// (terraform-provider-google, website/docs/guides/google_project_service.html.markdown, "Newly
// activated service errors": activation is eventually consistent, longer in new projects, and the
// mitigation is a sleep between enabling and using, 30-60 s in its examples); reported on networks,
// the first thing a fresh project gets, in #3151, #2129 (a 30 s pause was enough) and #21953 (the
// provider's own 10 s pause after enabling Compute is often too short). So each API this run
// enables gets a wait of `googleApiWaitSeconds`, and what is created through the API waits for it.
// An API that was already on when the run started takes calls: nothing waits for it, so a rebuild
// in the project, and every later `pulumi up`, goes straight to its resources.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";

/** The wait's state: which API of which project, how long it waits, and whether it needed to. */
interface ApiWaitState {
  readonly project: string;
  readonly service: string;
  readonly seconds: number;
  /** The API was on before the run that created the wait: the create returned at once. */
  readonly enabledBefore?: boolean;
}

/**
 * Pulumi serializes this object into each wait's state: its methods reach nothing but their
 * arguments and setTimeout, so the text stays small and needs no package.
 */
export const googleApiWaitProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ApiWaitState) {
    const seconds = inputs.enabledBefore === true ? 0 : inputs.seconds;
    await new Promise((done) => setTimeout(done, seconds * 1000));
    return { id: `${inputs.project}/${inputs.service}`, outs: inputs };
  },
  // Whether the API was on before matters only to the create: a later run finds it on.
  async diff(_id: string, olds: ApiWaitState, news: ApiWaitState) {
    const replaces = (["project", "service"] as const).filter((key) => olds[key] !== news[key]);
    return { changes: replaces.length > 0 || olds.seconds !== news.seconds, replaces };
  },
  // A new duration is recorded, not waited for: the API was enabled long ago.
  async update(_id: string, olds: ApiWaitState, news: ApiWaitState) {
    const { enabledBefore: _asked, ...changed } = news;
    const created = olds.enabledBefore === undefined ? {} : { enabledBefore: olds.enabledBefore };
    return { outs: { ...changed, ...created } };
  },
  async delete() {},
};

/** Waits `seconds` once the API is enabled, unless it was on before; see enableGoogleApi. */
export class GoogleApiWait extends pulumi.dynamic.Resource {
  declare readonly project: pulumi.Output<string>;
  declare readonly service: pulumi.Output<string>;
  declare readonly seconds: pulumi.Output<number>;
  declare readonly enabledBefore: pulumi.Output<boolean>;

  constructor(
    name: string,
    args: {
      readonly api: gcp.projects.Service;
      readonly seconds: number;
      readonly enabledBefore: Promise<boolean>;
    },
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Project and service come from the enabled API's outputs: the wait starts once it is enabled.
    const props = {
      project: args.api.project,
      service: args.api.service,
      seconds: args.seconds,
      enabledBefore: args.enabledBefore,
    };
    super(googleApiWaitProvider, name, props, opts, "multicloud", "GoogleApiWait");
  }
}

/**
 * What a resource created through one or more APIs depends on: the waits of those this run
 * enables, nothing for those already on. A promise, since the answer comes from the cloud.
 */
export type ApiGate = Promise<pulumi.Resource[]>;

/** An enabled API: its wait, and the gate that resources created through it depend on. */
export interface EnabledGoogleApi {
  readonly service: string;
  readonly wait: GoogleApiWait;
  readonly gate: ApiGate;
}

/** The gate of several APIs: whatever any of them still has to wait for. */
export function gateOf(apis: readonly EnabledGoogleApi[]): ApiGate {
  return Promise.all(apis.map((api) => api.gate)).then((gates) => gates.flat());
}

/**
 * Whether `service` is on in `project` as the run starts, from the provider's data source (Service
 * Usage's list of enabled services; no id when the service is not in it). Anything but a plain
 * "on", a failed call included (with a warning), counts as off: the run then waits as for a new
 * project.
 */
export function enabledBeforeRun(
  project: string,
  service: string,
  opts: { readonly parent: pulumi.Resource; readonly provider: gcp.Provider },
): Promise<boolean> {
  return gcp.projects
    .getProjectService({ project, service }, { parent: opts.parent, provider: opts.provider })
    .then(
      (found) => found.id === `${project}/${service}`,
      (error: unknown) => {
        // The SDK gives the provider's message as the error's (empty under its mock monitor).
        const reason = error instanceof Error && error.message ? ` (${error.message})` : "";
        pulumi.log.warn(
          `could not read whether ${service} is on in ${project}${reason}: ` +
            "what is created through it waits after enabling it, as in a new project",
          opts.parent,
        );
        return false;
      },
    );
}

/**
 * Enables `service` in `project` (left on when the stack is destroyed) as `<name>`, and its wait
 * as `<name>-wait`, both under `parent`. Whether the API was on is asked first, and the enabling
 * is sent only once the answer is in: asked later, the answer could be this run's own enabling.
 */
export function enableGoogleApi(
  name: string,
  args: { readonly project: string; readonly service: string; readonly seconds: number },
  opts: { readonly parent: pulumi.Resource; readonly provider: gcp.Provider },
): EnabledGoogleApi {
  const enabledBefore = enabledBeforeRun(args.project, args.service, opts);
  const api = new gcp.projects.Service(
    name,
    {
      project: enabledBefore.then(() => args.project),
      service: args.service,
      disableOnDestroy: false,
      disableDependentServices: false,
    },
    { parent: opts.parent, provider: opts.provider },
  );
  const wait = new GoogleApiWait(
    `${name}-wait`,
    { api, seconds: args.seconds, enabledBefore },
    { parent: opts.parent },
  );
  const gate = enabledBefore.then((on) => (on ? [] : [wait]));
  return { service: args.service, wait, gate };
}
