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

/** A rendered document: its value, and the YAML of each of its top-level entries, in order. */
export interface RenderedCloudInit {
  readonly document: CloudInitDocument;
  readonly entries: ReadonlyMap<string, string>;
}

/**
 * Each document rendered in this process, by its text: what the text reads back as, so a reader
 * of the text (Sakura's per-host documents) need not parse it, nor write the role's part again.
 * Keyed by the text itself.
 */
const renderedDocuments = new Map<string, RenderedCloudInit>();

/** What a text from `renderCloudInit` was written from; undefined for any other text. */
export function renderedCloudInit(text: string): RenderedCloudInit | undefined {
  return renderedDocuments.get(text);
}

export const CLOUD_INIT_YAML = { lineWidth: 0, minContentWidth: 0 } as const;

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
  // A block mapping is written entry by entry, each on lines of its own: the entries' YAML,
  // joined, is the document's.
  const entries = new Map(
    Object.entries(document).map(([key, value]) => [
      key,
      stringify({ [key]: value }, CLOUD_INIT_YAML),
    ]),
  );
  const text = `${header}\n${[...entries.values()].join("")}`;
  // Frozen, so what is kept stays what the text says.
  for (const file of document.write_files) Object.freeze(file);
  Object.freeze(document.packages);
  Object.freeze(document.write_files);
  Object.freeze(document.runcmd);
  renderedDocuments.set(text, { document: Object.freeze(document), entries });
  // Past 64 the oldest goes: a process that reads many regions keeps only recent ones.
  if (renderedDocuments.size > 64)
    renderedDocuments.delete(renderedDocuments.keys().next().value as string);
  return text;
}
