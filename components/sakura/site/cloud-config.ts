// A Sakura Cloud server's cloud-init document: its role's document with what is the host's own
// (its private NIC, its name and login keys) added. Pure.
// Hosts of a role share all but a few small entries, so the role's part is worked out once:
// its document is the one the host layer rendered the text from (parsed only when the text came
// from elsewhere), and each top-level entry and each list item of the role is written once as
// YAML, then joined with the host's own entries. The text is the one `stringify` gives for the
// whole document: a block mapping's entries and a block list's items are written one by one,
// each at its own indentation, with nothing between them.
import { parse, stringify } from "yaml";
import { renderedCloudInitDocument } from "../../host/cloud-init";
import { type HostLogin, withHostLogin } from "./host-login";
import { type PrivateInterface, withPrivateInterface } from "./private-interface";

/** A cloud-config document, as parsed: its top-level keys. */
export type CloudConfig = Readonly<Record<string, unknown>>;

const YAML_OPTIONS = { lineWidth: 0, minContentWidth: 0 } as const;

/** Role documents parsed so far, by their text (a region has one per role). */
const parsedRoleDocuments = new Map<string, CloudConfig>();

function roleDocument(text: string): CloudConfig {
  const rendered = renderedCloudInitDocument(text);
  if (rendered !== undefined) return rendered;
  let document = parsedRoleDocuments.get(text);
  if (document === undefined) {
    document = (parse(text) ?? {}) as CloudConfig;
    parsedRoleDocuments.set(text, document);
  }
  return document;
}

/** The YAML of one list item, as `stringify` writes it inside `key:` (`  - ...` lines). */
const writtenItems = new WeakMap<object, string>();
/** The same for items that are scalars (the role's commands), by type and value. */
const writtenScalarItems = new Map<string, string>();
/** The YAML of one top-level entry, by its value, for the values the role's hosts share. */
const writtenEntries = new WeakMap<object, Map<string, string>>();

function writtenEntry(key: string, value: unknown): string {
  if (value !== null && typeof value === "object") {
    const byKey = writtenEntries.get(value);
    const known = byKey?.get(key);
    if (known !== undefined) return known;
    const text = entryText(key, value);
    if (byKey) byKey.set(key, text);
    else writtenEntries.set(value, new Map([[key, text]]));
    return text;
  }
  return stringify({ [key]: value }, YAML_OPTIONS);
}

/** A list is written item by item, so the role's items are written once for all its hosts. */
function entryText(key: string, value: object): string {
  if (!Array.isArray(value) || value.length === 0) return stringify({ [key]: value }, YAML_OPTIONS);
  const items: string[] = [];
  for (const item of value) {
    const text = itemText(key, item);
    if (text === undefined) return stringify({ [key]: value }, YAML_OPTIONS);
    items.push(text);
  }
  return `${key}:\n${items.join("")}`;
}

function itemText(key: string, item: unknown): string | undefined {
  const isObject = item !== null && typeof item === "object";
  const scalarKey = isObject ? "" : `${typeof item}:${String(item)}`;
  const known = isObject ? writtenItems.get(item) : writtenScalarItems.get(scalarKey);
  if (known !== undefined) return known;
  const whole = stringify({ [key]: [item] }, YAML_OPTIONS);
  // Anything but a block list under the key (an odd key, say) is written whole instead.
  if (!whole.startsWith(`${key}:\n  - `)) return undefined;
  const text = whole.slice(key.length + 2);
  if (isObject) writtenItems.set(item, text);
  else writtenScalarItems.set(scalarKey, text);
  return text;
}

export function hostCloudConfig(roleText: string, nic: PrivateInterface, login: HostLogin): string {
  const document = withHostLogin(withPrivateInterface(roleDocument(roleText), nic), login);
  let text = "#cloud-config\n";
  for (const [key, value] of Object.entries(document)) {
    // `stringify` leaves out entries without a value.
    if (value !== undefined) text += writtenEntry(key, value);
  }
  return text;
}
