// Secrets never travel in what hosts and clusters receive in clear: user data, boot scripts and
// ConfigMaps are readable by anyone who can describe the instance or the object.
import { decodedForms, findSecrets } from "./secret-patterns";
import type { Props, ResourceRule } from "./types";
import { record, text } from "./values";

/** Per type: the inputs that reach a host or cluster in clear, as [where, text] pairs. */
const CLEAR_TEXT_INPUTS: Readonly<Record<string, (props: Props) => [string, unknown][]>> = {
  "aws:ec2/instance:Instance": (props) => [
    ["userData", props.userData],
    ["userDataBase64", props.userDataBase64],
  ],
  "aws:ec2/launchTemplate:LaunchTemplate": (props) => [["userData", props.userData]],
  "gcp:compute/instance:Instance": gceMetadata,
  "gcp:compute/instanceTemplate:InstanceTemplate": gceMetadata,
  "gcp:compute/regionInstanceTemplate:RegionInstanceTemplate": gceMetadata,
  "pulumi-nodejs:dynamic/sakuracloud:Server": (props) => [
    ["cloudInitUserData", props.cloudInitUserData],
  ],
  "command:remote:Command": commandScripts,
  "command:local:Command": commandScripts,
  "kubernetes:core/v1:ConfigMap": configMapData,
  "kubernetes:core/v1:ConfigMapPatch": configMapData,
};

/** The inputs of a resource that reach a host or cluster in clear, as [where, value] pairs. */
export function clearTextInputs(type: string, props: Props): [string, unknown][] {
  return CLEAR_TEXT_INPUTS[type]?.(props) ?? [];
}

/** The types whose inputs reach a host or cluster in clear. */
export const CLEAR_TEXT_TYPES: readonly string[] = Object.keys(CLEAR_TEXT_INPUTS);

function gceMetadata(props: Props): [string, unknown][] {
  return [
    ["metadataStartupScript", props.metadataStartupScript],
    ...Object.entries(record(props.metadata) ?? {}).map(([key, value]): [string, unknown] => [
      `metadata["${key}"]`,
      value,
    ]),
  ];
}

/**
 * Commands are kept in the state in clear. Their stdin is too, and it runs on the host when the
 * command is a shell reading its script from stdin (`bash -s`); otherwise stdin is data, which the
 * program sends as a Pulumi secret (the host secrets push).
 */
function commandScripts(props: Props): [string, unknown][] {
  const commands = ["create", "update", "delete"].map((key): [string, unknown] => [
    key,
    props[key],
  ]);
  const runsStdin = /\b(?:ba|da|z)?sh\s+-s\b/.test(text(props.create) ?? "");
  return runsStdin ? [...commands, ["stdin", props.stdin]] : commands;
}

function configMapData(props: Props): [string, unknown][] {
  return Object.entries(record(props.data) ?? {}).map(([key, value]): [string, unknown] => [
    `data["${key}"]`,
    value,
  ]);
}

export const noSecretsInUserData: ResourceRule = {
  kind: "resource",
  name: "no-secrets-in-user-data",
  description:
    "No secret (private key, cloud access key, Consul gossip key or ACL token) is written into user data, boot scripts, commands or ConfigMaps; hosts fetch secrets at boot from the secret store.",
  remediation:
    "Keep a placeholder in the rendered file and let the host fill it at boot from AWS Secrets Manager, GCP Secret Manager or the SSH secrets push (components/spec/secrets.ts).",
  enforcementLevel: "mandatory",
  resourceTypes: Object.keys(CLEAR_TEXT_INPUTS),
  validate(props, context) {
    const inputs = CLEAR_TEXT_INPUTS[context.type]?.(props) ?? [];
    const problems: string[] = [];
    for (const [where, value] of inputs) {
      if (typeof value !== "string") continue;
      const seen = new Set<string>();
      for (const form of decodedForms(value)) {
        for (const finding of findSecrets(form)) {
          const line = `${where} holds ${finding.kind} (${finding.hint})`;
          if (!seen.has(line)) problems.push(line);
          seen.add(line);
        }
      }
    }
    return problems;
  },
};
