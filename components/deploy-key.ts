// The SSH deploy key of the Sakura hosts: required by `pulumi up`, never by a preview.
import * as pulumi from "@pulumi/pulumi";

/**
 * The SSH deploy key, or in a preview without one an unknown secret: previews (pull requests,
 * deploy plans, drift checks) never hold the key that is root on every Sakura host, and the SSH
 * steps keep the key in their state (they ignore changes to it) so such a preview shows no change.
 */
export function deployKey(key: pulumi.Input<string> | undefined): pulumi.Input<string> {
  if (key !== undefined) return key;
  if (pulumi.runtime.isDryRun()) return pulumi.secret(pulumi.unknown as unknown as string);
  throw new pulumi.RunError(
    `Pulumi.${pulumi.getStack()}.yaml: multicloud:sshPrivateKey is missing: \`pulumi up\` reaches ` +
      "the Sakura hosts over SSH; set it with `pulumi config set --secret multicloud:sshPrivateKey < deploy_key`",
  );
}
