// A Sakura Cloud server's cloud-init document: its role's document with what is the host's own
// (its private NIC, its name and login keys) added. Pure.
// Hosts of a role share all but a few small entries, so the role's part is not read or written
// again for each: its document and the YAML of its entries are the ones the host layer rendered
// the text from (parsed and written once when the text came from elsewhere). A host's entry that
// is the role's is the role's YAML; a list that is the host's items then the role's is the
// host's items' YAML, then the role's items as written. That is the text `stringify` gives for
// the whole document: a block mapping's entries and a block list's items each take lines of
// their own, at their own indentation, with nothing between them.
import { parse, stringify } from "yaml";
import { CLOUD_INIT_YAML, type RenderedCloudInit, renderedCloudInit } from "../../host/cloud-init";
import { type HostLogin, withHostLogin } from "./host-login";
import { type PrivateInterface, withPrivateInterface } from "./private-interface";

/** A cloud-config document, as parsed: its top-level keys. */
export type CloudConfig = Readonly<Record<string, unknown>>;

/** Role documents read from text the host layer did not render, by their text. */
const parsedRoleDocuments = new Map<string, RenderedCloudInit>();

function roleDocument(text: string): RenderedCloudInit {
  const rendered = renderedCloudInit(text) ?? parsedRoleDocuments.get(text);
  if (rendered !== undefined) return rendered;
  const document = (parse(text) ?? {}) as CloudConfig;
  const entries = new Map(
    Object.entries(document).map(([key, value]) => [key, entryYaml(key, value)]),
  );
  const parsed = { document, entries };
  parsedRoleDocuments.set(text, parsed);
  // Past 64 the oldest goes: a process that reads many regions keeps only recent ones.
  if (parsedRoleDocuments.size > 64)
    parsedRoleDocuments.delete(parsedRoleDocuments.keys().next().value as string);
  return parsed;
}

function entryYaml(key: string, value: unknown): string {
  // `stringify` leaves out an entry without a value.
  return value === undefined ? "" : stringify({ [key]: value }, CLOUD_INIT_YAML);
}

/** The host's entry, from the role's YAML where the role's value is all or the end of it. */
function hostEntryYaml(role: RenderedCloudInit, key: string, value: unknown): string {
  const roleValue = role.document[key];
  const roleYaml = role.entries.get(key);
  if (roleYaml === undefined || roleValue === undefined) return entryYaml(key, value);
  if (value === roleValue) return roleYaml;
  const head = `${key}:\n`;
  if (
    Array.isArray(value) &&
    Array.isArray(roleValue) &&
    endsWith(value, roleValue) &&
    roleYaml.startsWith(`${head}  - `)
  ) {
    const added = entryYaml(key, value.slice(0, value.length - roleValue.length));
    if (added.startsWith(`${head}  - `)) return added + roleYaml.slice(head.length);
  }
  return entryYaml(key, value);
}

/** Whether `list` ends with the very items of `tail`, which is not empty. */
function endsWith(list: readonly unknown[], tail: readonly unknown[]): boolean {
  const offset = list.length - tail.length;
  return (
    tail.length > 0 && offset > 0 && tail.every((item, index) => list[offset + index] === item)
  );
}

/**
 * Each host document written in this process, by its text: what the text reads back as, so the
 * offline plan's checks, which read the hosts' files, need not parse it. Keyed by the text itself.
 */
const writtenHostDocuments = new Map<string, CloudConfig>();

/** The document a text from `hostCloudConfig` was written from; undefined for any other text. */
export function writtenHostCloudConfig(text: string): CloudConfig | undefined {
  return writtenHostDocuments.get(text);
}

export function hostCloudConfig(roleText: string, nic: PrivateInterface, login: HostLogin): string {
  const role = roleDocument(roleText);
  const document = withHostLogin(withPrivateInterface(role.document, nic), login);
  let text = "#cloud-config\n";
  for (const [key, value] of Object.entries(document)) text += hostEntryYaml(role, key, value);
  writtenHostDocuments.set(text, Object.freeze(document));
  // Past 1024 the oldest goes: a process that reads many regions keeps only recent ones.
  if (writtenHostDocuments.size > 1024)
    writtenHostDocuments.delete(writtenHostDocuments.keys().next().value as string);
  return text;
}
