// The cloud-init document of a role, for VMs on AWS, GCP and Sakura Cloud: Ubuntu packages, every
// file (written after the packages, so no package overwrites or trips over one), then the plan's
// commands. It holds no secret: hosts fetch those at boot. cloud-init's apt-get passes
// --force-confold, so a file of ours that a package ships as a conffile (unbound.conf) is kept
// should the package be installed over it. Pure.
import { stringify } from "yaml";
import type { HostPlan } from "./model";
import { SERVICE_TOOL } from "./scripts";

/** A cloud-config document: its top-level keys. */
export type CloudInitDocument = Readonly<Record<string, unknown>>;

/**
 * Each document rendered in this process, by its text: what the text reads back as, so a reader
 * of the text (Sakura's per-host documents) need not parse it. Keyed by the text itself.
 */
const renderedDocuments = new Map<string, CloudInitDocument>();

/** The document a text from `renderCloudInit` was written from; undefined for any other text. */
export function renderedCloudInitDocument(text: string): CloudInitDocument | undefined {
  return renderedDocuments.get(text);
}

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
  const text = `${header}\n${stringify(document, { lineWidth: 0, minContentWidth: 0 })}`;
  // Frozen, so what is kept stays what the text says.
  for (const file of document.write_files) Object.freeze(file);
  Object.freeze(document.packages);
  Object.freeze(document.write_files);
  Object.freeze(document.runcmd);
  renderedDocuments.set(text, Object.freeze(document));
  return text;
}
