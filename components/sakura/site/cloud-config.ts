// A Sakura Cloud server's cloud-init document: its role's document with what is the host's own
// (its private NIC, its name and login keys) added. The role's text is parsed once however many
// hosts share it, and each host's document is written once. Pure.
import { parse, stringify } from "yaml";
import { type HostLogin, withHostLogin } from "./host-login";
import { type PrivateInterface, withPrivateInterface } from "./private-interface";

/** A cloud-config document, as parsed: its top-level keys. */
export type CloudConfig = Readonly<Record<string, unknown>>;

/** Role documents parsed so far, by their text (a region has one per role). */
const parsedRoleDocuments = new Map<string, CloudConfig>();

function parsedRoleDocument(text: string): CloudConfig {
  let document = parsedRoleDocuments.get(text);
  if (document === undefined) {
    document = (parse(text) ?? {}) as CloudConfig;
    parsedRoleDocuments.set(text, document);
  }
  return document;
}

export function hostCloudConfig(roleText: string, nic: PrivateInterface, login: HostLogin): string {
  const document = withHostLogin(withPrivateInterface(parsedRoleDocument(roleText), nic), login);
  return `#cloud-config\n${stringify(document, { lineWidth: 0, minContentWidth: 0 })}`;
}
