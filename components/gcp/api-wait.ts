// The wait between enabling a Google Cloud API and creating anything through it. Service Usage
// reports an API enabled before the API itself accepts calls: a create sent at once can be refused
// with 403 "<Service> API has not been used in project <p> before or it is disabled", and the Google
// provider retries no such 403 (its default retry predicates, transport/error_retry_predicates.go,
// cover 429, 5xx, network errors and a few named cases). The provider's own guide says so
// (terraform-provider-google, website/docs/guides/google_project_service.html.markdown, "Newly
// activated service errors": activation is eventually consistent, longer in new projects, and the
// mitigation is a sleep between enabling and using, 30-60 s in its examples); reported on networks,
// the first thing a fresh project gets, in #3151, #2129 (a 30 s pause was enough) and #21953 (the
// provider's own 10 s pause after enabling Compute is often too short). So each enabled API gets a
// wait of `googleApiWaitSeconds`, and what is created through the API waits for it.
import * as pulumi from "@pulumi/pulumi";
import * as gcp from "../sdk/gcp";

/** The wait's state: which API of which project, and how long creating it waited. */
interface ApiWaitState {
  readonly project: string;
  readonly service: string;
  readonly seconds: number;
}

/**
 * Pulumi serializes this object into each wait's state: its methods reach nothing but their
 * arguments and setTimeout, so the text stays small and needs no package.
 */
export const googleApiWaitProvider: pulumi.dynamic.ResourceProvider = {
  async create(inputs: ApiWaitState) {
    await new Promise((done) => setTimeout(done, inputs.seconds * 1000));
    return { id: `${inputs.project}/${inputs.service}`, outs: inputs };
  },
  async diff(_id: string, olds: ApiWaitState, news: ApiWaitState) {
    const replaces = (["project", "service"] as const).filter((key) => olds[key] !== news[key]);
    return { changes: replaces.length > 0 || olds.seconds !== news.seconds, replaces };
  },
  // A new duration is recorded, not waited for: the API was enabled long ago.
  async update(_id: string, _olds: ApiWaitState, news: ApiWaitState) {
    return { outs: news };
  },
  async delete() {},
};

/** Waits `seconds` once the API is enabled; resources created through the API depend on it. */
export class GoogleApiWait extends pulumi.dynamic.Resource {
  declare readonly project: pulumi.Output<string>;
  declare readonly service: pulumi.Output<string>;
  declare readonly seconds: pulumi.Output<number>;

  constructor(
    name: string,
    args: { readonly api: gcp.projects.Service; readonly seconds: number },
    opts?: pulumi.CustomResourceOptions,
  ) {
    // Project and service come from the enabled API's outputs: the wait starts once it is enabled.
    const props = { project: args.api.project, service: args.api.service, seconds: args.seconds };
    super(googleApiWaitProvider, name, props, opts, "multicloud", "GoogleApiWait");
  }
}

/**
 * Enables `service` in `project` (left on when the stack is destroyed) as `<name>`, and its wait
 * as `<name>-wait`, both under `parent`: what is created through the API depends on the wait.
 */
export function enableGoogleApi(
  name: string,
  args: { readonly project: string; readonly service: string; readonly seconds: number },
  opts: { readonly parent: pulumi.Resource; readonly provider: gcp.Provider },
): GoogleApiWait {
  const api = new gcp.projects.Service(
    name,
    {
      project: args.project,
      service: args.service,
      disableOnDestroy: false,
      disableDependentServices: false,
    },
    { parent: opts.parent, provider: opts.provider },
  );
  return new GoogleApiWait(`${name}-wait`, { api, seconds: args.seconds }, { parent: opts.parent });
}
