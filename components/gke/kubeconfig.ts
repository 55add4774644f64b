// A kubeconfig for one GKE cluster that holds no secret: credentials come at run time from
// `gke-gcloud-auth-plugin` (the exec credential plugin), so the file can be shown in plans. Pure.

export interface KubeconfigInput {
  /** A name for the cluster, user and context entries. */
  readonly name: string;
  /** The control plane's address, as the cluster's `endpoint` output gives it (no scheme). */
  readonly endpoint: string;
  /** Base64 PEM of the cluster CA (`masterAuth.clusterCaCertificate`). */
  readonly caCertificate: string;
}

export function renderKubeconfig(input: KubeconfigInput): string {
  const config = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: input.name,
        cluster: {
          server: `https://${input.endpoint}`,
          "certificate-authority-data": input.caCertificate,
        },
      },
    ],
    users: [
      {
        name: input.name,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "gke-gcloud-auth-plugin",
            installHint:
              "Install gke-gcloud-auth-plugin (gcloud components install gke-gcloud-auth-plugin).",
            provideClusterInfo: true,
            interactiveMode: "Never",
          },
        },
      },
    ],
    contexts: [{ name: input.name, context: { cluster: input.name, user: input.name } }],
    "current-context": input.name,
  };
  // JSON is YAML, and every Kubernetes client reads it.
  return `${JSON.stringify(config, null, 2)}\n`;
}
