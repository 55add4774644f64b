// The cloud-init document of a role, for VMs on AWS, GCP and Sakura Cloud: Ubuntu packages, every
// file (written after the packages, so no package overwrites or trips over one), then the plan's
// commands. It holds no secret: hosts fetch those at boot. cloud-init's apt-get passes
// --force-confold, so a file of ours that a package ships as a conffile (unbound.conf) is kept
// should the package be installed over it. Pure.
import { stringify } from "yaml";
import type { HostPlan } from "./model";
import { SERVICE_TOOL } from "./scripts";

export function renderCloudInit(plan: HostPlan): string {
  const document = {
    package_update: true,
    package_upgrade: false,
    packages: [...plan.packages],
    write_files: plan.files.map((file) => ({
      path: file.path,
      owner: file.owner,
      permissions: file.mode,
      // Deferred: written after the packages are installed, before the commands run.
      defer: true,
      content: file.content,
    })),
    runcmd: [
      "set -e",
      // A first boot: every service with files of its own starts from them.
      ...(plan.units.length > 0 ? [`${SERVICE_TOOL} mark ${plan.units.join(" ")}`] : []),
      ...plan.commands,
    ],
  };
  const header = [
    "#cloud-config",
    `# multicloud host, role ${plan.role}, region ${plan.region}. Rendered; holds no secret.`,
  ].join("\n");
  return `${header}\n${stringify(document, { lineWidth: 0, minContentWidth: 0 })}`;
}
