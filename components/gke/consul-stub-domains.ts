// The `stubDomains` entry of GKE's kube-dns ConfigMap: `consul` is forwarded to the region's
// Consul DNS endpoints, the way unbound forwards it on every host. Pure.
import { parseIpv4 } from "../spec/cidr";

/** An IPv4 address, optionally with a port (kube-dns accepts both, e.g. 10.10.0.5:8600). */
export function isNameserver(value: string): boolean {
  const match = /^([0-9.]+)(?::(\d{1,5}))?$/.exec(value);
  if (!match?.[1] || parseIpv4(match[1]) === undefined) return false;
  const port = match[2] === undefined ? 53 : Number(match[2]);
  return port >= 1 && port <= 65535;
}

/** JSON for `data.stubDomains`; throws when no server is given or one is not ip[:port]. */
export function renderStubDomains(domain: string, servers: readonly string[]): string {
  const unique = [...new Set(servers)];
  if (unique.length === 0) {
    throw new Error(
      `no DNS server given for the ${domain} stub domain: pods could not resolve *.${domain}`,
    );
  }
  const bad = unique.filter((server) => !isNameserver(server));
  if (bad.length > 0) {
    throw new Error(
      `${domain} stub domain: expected IPv4 addresses with an optional port, got ${bad.join(", ")}`,
    );
  }
  return JSON.stringify({ [domain]: unique });
}
