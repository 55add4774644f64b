// Output-only attributes that the program reads from resources (ids, ARNs, addresses), invented
// in a recognisable form since no cloud answers offline. The offline plan's mocks and the engine
// test's stand-in providers both answer from here, so the two cannot drift apart.
import { commonTypeOutputs, typeOutputs } from "./fake-type-outputs";
import { offlineStackOutputsOf } from "./offline-stack-outputs";

/** The id a cloud would assign a created resource. */
export function fakeId(name: string): string {
  return `${name}-id`;
}

/**
 * A created resource's state: the invented outputs, overridden by the inputs it was given, then
 * what the provider computes for its type (which may complete an input object, such as a GKE
 * cluster's masterAuth with its CA certificate). projectDir as for fakeOutputs.
 */
export function fakeState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  projectDir?: string,
): Record<string, unknown> {
  return {
    ...fakeOutputs(type, name, projectDir),
    ...inputs,
    ...typeOutputs[type]?.(name, inputs),
  };
}

/** projectDir: where the stack files of referenced stacks are (this repository by default). */
export function fakeOutputs(
  type: string,
  name: string,
  projectDir?: string,
): Record<string, unknown> {
  // A StackReference is named after the stack it reads: answer with that stack's stand-ins.
  if (type === "pulumi:pulumi:StackReference") {
    return { name, outputs: offlineStackOutputsOf(name, projectDir), secretOutputNames: [] };
  }
  // A stable TEST-NET-1 address per name, for resources whose address the cloud assigns.
  const hash = [...name].reduce((acc, char) => (acc * 31 + char.charCodeAt(0)) % 251, 7);
  return {
    ipAddress: `192.0.2.${hash + 1}`,
    address: `192.0.2.${hash + 1}`,
    dnsName: `${name}.mock.invalid`,
    arn: `arn:aws:mock:::${type}/${name}`,
    selfLink: `https://mock.invalid/${type}/${name}`,
    zoneId: `Z${name.toUpperCase().replace(/[^A-Z0-9]/g, "")}`,
    // As Route53 gives them, without a final dot (GetHostedZone in botocore's route53 examples).
    nameServers: [
      "ns-1.awsdns-00.com",
      "ns-2.awsdns-00.net",
      "ns-3.awsdns-00.org",
      "ns-4.awsdns-00.co.uk",
    ],
    ...commonTypeOutputs(type, name),
  };
}
