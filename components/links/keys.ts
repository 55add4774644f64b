// IKE pre-shared keys, made by the program and kept as secrets: each is a RandomPassword whose
// result Pulumi stores encrypted, and which reaches both ends of one tunnel and nothing else.
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/**
 * Letters only, 40 of them: what every end takes. Sakura's VPC router takes 1-40 letters, digits
 * or underscores; AWS takes 8-64 letters, digits, periods and underscores, not starting with 0
 * (botocore ec2 VpnTunnelOptionsSpecification.PreSharedKey); Cloud VPN takes any text. 52^40 is
 * about 2^228.
 */
export const PRE_SHARED_KEY = {
  length: 40,
  upper: true,
  lower: true,
  numeric: false,
  special: false,
};

export function preSharedKey(
  name: string,
  provider: random.Provider,
  parent: pulumi.Resource,
): pulumi.Output<string> {
  // Kept like every random value: a new key re-keys the tunnel at both ends at once, and GCP
  // re-creates a tunnel whose secret changes, so a rotation is a deliberate step.
  const key = new random.RandomPassword(name, PRE_SHARED_KEY, {
    parent,
    provider,
    protect: true,
    additionalSecretOutputs: ["result"],
  });
  return pulumi.secret(key.result);
}
