// Three defects rendered into jp's files, each of which the estate must catch: a wrong Consul DNS
// port in unbound.conf, no gossip key in Consul's secrets, and a chocon suffix missing from unbound.
import type { Role } from "../../components/spec/hosts";

export interface Defect {
  readonly name: string;
  readonly mutate: (role: Role, path: string, content: string) => string;
}

function changed(before: string, after: string, what: string): string {
  if (after === before) throw new Error(`the defect "${what}" changed nothing`);
  return after;
}

export const DEFECTS: readonly Defect[] = [
  {
    name: "a wrong Consul DNS port in unbound.conf",
    mutate: (_role, path, content) =>
      path === "/etc/unbound/unbound.conf"
        ? changed(
            content,
            content.replace("forward-addr: 127.0.0.1@8600", "forward-addr: 127.0.0.1@8601"),
            "port",
          )
        : content,
  },
  {
    name: "no gossip key in Consul's secrets",
    mutate: (_role, path, content) => {
      if (path !== "/etc/multicloud/consul-secrets.json.in") return content;
      const { encrypt: _key, ...rest } = JSON.parse(content) as Record<string, unknown>;
      return changed(content, `${JSON.stringify(rest, null, 2)}\n`, "gossip key");
    },
  },
  {
    name: "the ccnproxy-https suffix missing from unbound.conf",
    mutate: (_role, path, content) =>
      path === "/etc/unbound/unbound.conf"
        ? changed(
            content,
            content
              .split("\n")
              .filter((line) => !line.includes('"ccnproxy-https.'))
              .join("\n"),
            "suffix",
          )
        : content,
  },
];
