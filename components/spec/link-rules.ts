// Rules of the links key: each link fits the region's cloud, carries only ranges that exist on its
// side (a range no network holds is a link that routes nothing), and no two ranges it joins
// overlap (a packet could not tell which side it is for). WAN federation must run over a link.
import type { z } from "zod";
import {
  type Cidr,
  contains,
  containsAddress,
  formatCidr,
  isPrivate,
  overlaps,
  parseCidr,
  parseIpv4,
  size,
  subnet,
} from "./cidr";
import { LINK_KIND_MEANING, type LinkSpec, type ResolvedLink, resolveLink } from "./links";
import type { regionSchema } from "./schema";

type Parsed = z.output<typeof regionSchema>;
type Path = (string | number)[];
type Reporter = (path: Path, message: string) => void;

/** The link-local block BGP sessions over VPN tunnels take their addresses from. */
const LINK_LOCAL = "169.254.0.0/16";
/**
 * Inside /30s AWS keeps for itself (botocore ec2 VpnTunnelOptionsSpecification.TunnelInsideCidr:
 * "The following CIDR blocks are reserved and cannot be used").
 */
export const AWS_RESERVED_INSIDE_CIDRS: readonly string[] = [
  "169.254.0.0/30",
  "169.254.1.0/30",
  "169.254.2.0/30",
  "169.254.3.0/30",
  "169.254.4.0/30",
  "169.254.5.0/30",
  "169.254.169.252/30",
];

/** Fields only some kinds take; another kind given one is told which kinds do. */
const KIND_FIELDS: readonly {
  readonly field: "bgp" | "routerAddress" | "reference" | "local";
  readonly kinds: readonly LinkSpec["kind"][];
}[] = [
  { field: "bgp", kinds: ["haVpn"] },
  { field: "routerAddress", kinds: ["ipsecVpn"] },
  { field: "reference", kinds: ["hybrid", "external"] },
  { field: "local", kinds: ["haVpn", "ipsecVpn", "external"] },
];

export function checkLinks(spec: Parsed, report: Reporter): void {
  const names = new Map<string, number>();
  const network = parseCidr(spec.network.cidr);
  const resolved: { link: ResolvedLink; index: number }[] = [];
  spec.links.forEach((link, index) => {
    const at: Path = ["links", index];
    const first = names.get(link.name);
    if (first !== undefined) {
      report([...at, "name"], `expected a name of its own (links[${first}] is ${link.name} too)`);
    } else names.set(link.name, index);
    if (!checkKind(spec, link, at, report)) return;
    const resolvedLink = resolveLink(link, spec);
    resolved.push({ link: resolvedLink, index });
    if (!network) return;
    checkSides(spec, network, link, resolvedLink, at, report);
    if (resolvedLink.bgp) checkBgp(resolvedLink.bgp, link, at, report);
    if (link.kind === "ipsecVpn") checkRouterAddress(network, resolvedLink, link, at, report);
  });
  for (const kind of ["haVpn", "ipsecVpn"] as const) {
    const ofKind = resolved.filter(({ link }) => link.kind === kind);
    for (const extra of ofKind.slice(1)) {
      report(
        ["links", extra.index, "kind"],
        `expected one ${kind} link at most (links[${ofKind[0]?.index}] is one): the region has one gateway of that kind`,
      );
    }
  }
  checkRemotesApart(resolved, report);
  checkDedicatedReached(spec, resolved, report);
  checkWanJoin(spec, resolved, report);
}

/** The kind fits the region, and the link holds the fields its kind takes and no others. */
function checkKind(spec: Parsed, link: LinkSpec, at: Path, report: Reporter): boolean {
  let fits = true;
  const needs = (cloud: "aws" | "sakura", gke: boolean) => {
    if (spec.cloud !== cloud) {
      report(
        [...at, "kind"],
        `expected a kind that a ${spec.cloud} region can build: ${link.kind} is ${LINK_KIND_MEANING[link.kind]}`,
      );
      fits = false;
    } else if (gke && !spec.gke) {
      report(
        [...at, "kind"],
        `expected a gke block: ${link.kind} is ${LINK_KIND_MEANING[link.kind]}, and the region has no cluster`,
      );
      fits = false;
    }
  };
  if (link.kind === "haVpn") needs("aws", true);
  if (link.kind === "ipsecVpn") needs("sakura", true);
  if (link.kind === "hybrid") needs("sakura", false);
  for (const { field, kinds } of KIND_FIELDS) {
    if (link[field] !== undefined && !kinds.includes(link.kind)) {
      report(
        [...at, field],
        `expected no ${field}: only ${kinds.join(" and ")} links take one (this one is ${link.kind})`,
      );
      fits = false;
    }
  }
  if (link.kind === "haVpn" && !link.bgp) {
    report(
      [...at, "bgp"],
      "expected { localAsn, remoteAsn }: HA VPN learns routes by BGP, the AWS side's ASN and the Cloud Router's",
    );
    fits = false;
  }
  if ((link.kind === "hybrid" || link.kind === "external") && !link.remote) {
    report(
      [...at, "remote"],
      `expected a list of the ranges the ${link.kind} link reaches (the program cannot see a link it does not build)`,
    );
    fits = false;
  }
  return fits;
}

/** Each side carries only ranges that exist there, and the two sides never overlap. */
function checkSides(
  spec: Parsed,
  network: Cidr,
  link: LinkSpec,
  resolved: ResolvedLink,
  at: Path,
  report: Reporter,
): void {
  const local = parsedList(resolved.local);
  const remote = parsedList(resolved.remote);
  checkListApart(local, [...at, "local"], report);
  checkListApart(remote, [...at, "remote"], report);
  const networkText = formatCidr(network);
  local.forEach(({ cidr, index }) => {
    if (!contains(network, cidr)) {
      report(
        [...at, "local", index],
        `expected a range inside network.cidr (${networkText}): a link carries only ranges the region's network holds`,
      );
    }
  });
  const onlyLocal = local[0]?.cidr;
  if (
    link.kind === "haVpn" &&
    !(local.length === 1 && onlyLocal && sameRange(onlyLocal, network))
  ) {
    report(
      [...at, "local"],
      `expected [${networkText}] (network.cidr): a virtual private gateway announces the VPC's range and nothing else`,
    );
  }
  const gke = spec.gke?.network;
  const nodes = gke ? parseCidr(gke.nodes) : undefined;
  const pods = gke ? parseCidr(gke.pods) : undefined;
  if (link.kind === "haVpn") {
    remote.forEach(({ cidr, index }) => {
      const inside = [nodes, pods].some((range) => range && contains(range, cidr));
      if (!inside) {
        report(
          [...at, "remote", index],
          `expected a range inside gke.network.nodes (${gke?.nodes}) or gke.network.pods (${gke?.pods}): the Cloud Router announces only what the cluster's network holds`,
        );
      }
    });
  }
  if (link.kind === "ipsecVpn") {
    if (local.length !== 1 || remote.length !== 1) {
      report(
        [...at, local.length !== 1 ? "local" : "remote"],
        "expected one range on each side: over IKEv1, Cloud VPN negotiates one range per side of a tunnel (one child SA; several ranges in one SA need IKEv2)",
      );
    }
    const only = remote[0];
    if (only && nodes && remote.length === 1 && !sameRange(only.cidr, nodes)) {
      report(
        [...at, "remote", only.index],
        `expected gke.network.nodes (${gke?.nodes}): pods reach Sakura with their node's address, so the tunnel carries the node range`,
      );
    }
  }
  if (link.kind === "hybrid") {
    const kept = network.prefix === 16 ? subnet(network, 18, 3) : undefined;
    remote.forEach(({ cidr, index }) => {
      if (kept && !contains(kept, cidr)) {
        report(
          [...at, "remote", index],
          `expected a range inside ${formatCidr(kept)}, the part of network.cidr kept for dedicated servers: the hybrid connection reaches them there`,
        );
      }
    });
  }
  if (link.kind === "external") {
    const own = [network, nodes, pods].filter((range): range is Cidr => range !== undefined);
    remote.forEach(({ cidr, index }) => {
      if (!isPrivate(cidr)) {
        report(
          [...at, "remote", index],
          "expected a private range (inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16): links carry private traffic",
        );
      }
      const clash = own.find((range) => overlaps(range, cidr));
      if (clash) {
        report(
          [...at, "remote", index],
          `expected a range apart from the region's own ${formatCidr(clash)}: a link reaches other networks`,
        );
      }
    });
  }
  // Defaults on both sides are network.cidr and the GKE ranges, whose overlap rules.ts reports.
  if (link.local === undefined && link.remote === undefined) return;
  for (const near of local) {
    const far = remote.find((other) => overlaps(near.cidr, other.cidr));
    if (!far) continue;
    if (link.remote !== undefined) {
      report(
        [...at, "remote", far.index],
        `expected a range apart from local[${near.index}] (${formatCidr(near.cidr)}): the two sides of a link must not overlap`,
      );
    } else {
      report(
        [...at, "local", near.index],
        `expected a range apart from ${formatCidr(far.cidr)}, which the link reaches: the two sides of a link must not overlap`,
      );
    }
  }
}

function checkBgp(
  bgp: NonNullable<ResolvedLink["bgp"]>,
  link: LinkSpec,
  at: Path,
  report: Reporter,
): void {
  if (bgp.localAsn === bgp.remoteAsn) {
    report(
      [...at, "bgp", "remoteAsn"],
      `expected an ASN other than localAsn (${bgp.localAsn}): the sessions are external BGP, between two systems`,
    );
  }
  if (!link.bgp?.insideCidrs) return;
  const linkLocal = parseCidr(LINK_LOCAL);
  const reserved = AWS_RESERVED_INSIDE_CIDRS.map(parseCidr);
  const seen: Cidr[] = [];
  link.bgp.insideCidrs.forEach((text, index) => {
    const path: Path = [...at, "bgp", "insideCidrs", index];
    const cidr = parseCidr(text);
    if (!cidr) return;
    if (cidr.prefix !== 30 || !linkLocal || !contains(linkLocal, cidr)) {
      report(
        path,
        "expected a /30 block of 169.254.0.0/16: a tunnel's BGP addresses are link-local",
      );
    } else if (reserved.some((kept) => kept && sameRange(kept, cidr))) {
      report(path, `expected a block AWS does not keep (${AWS_RESERVED_INSIDE_CIDRS.join(", ")})`);
    } else if (seen.some((other) => overlaps(other, cidr))) {
      report(path, "expected a block of its own: each tunnel needs its own BGP addresses");
    }
    seen.push(cidr);
  });
}

/** The VPC router sits on the region's switch, at an address no host of the address plan takes. */
function checkRouterAddress(
  network: Cidr,
  resolved: ResolvedLink,
  link: LinkSpec,
  at: Path,
  report: Reporter,
): void {
  const text = resolved.routerAddress;
  const address = text === undefined ? undefined : parseIpv4(text);
  if (address === undefined) return;
  const path: Path = link.routerAddress !== undefined ? [...at, "routerAddress"] : [...at];
  if (!containsAddress(network, address) || address === network.base) {
    report(path, `expected a host address inside network.cidr (${formatCidr(network)})`);
    return;
  }
  if (address === network.base + size(network) - 1) {
    report(path, "expected a host address, not the network's broadcast address");
    return;
  }
  if (network.prefix !== 16) return;
  for (const [block, whose] of [
    [subnet(network, 18, 1), "the cloud hosts"],
    [subnet(network, 18, 3), "the dedicated servers"],
  ] as const) {
    if (containsAddress(block, address)) {
      report(
        path,
        `expected an address outside ${formatCidr(block)}, which the address plan gives ${whose}`,
      );
    }
  }
}

/** Two links reaching the same range would leave the route to it undecided. */
function checkRemotesApart(
  links: readonly { link: ResolvedLink; index: number }[],
  report: Reporter,
): void {
  links.forEach((a, i) => {
    for (const b of links.slice(i + 1)) {
      a.link.remote.forEach((aText) => {
        b.link.remote.forEach((bText, bIndex) => {
          const x = parseCidr(aText);
          const y = parseCidr(bText);
          if (x && y && overlaps(x, y)) {
            report(
              ["links", b.index, "remote", bIndex],
              `expected a range apart from links[${a.index}] (${a.link.name}, ${aText}): one range is reached by one link`,
            );
          }
        });
      });
    }
  });
}

/** Dedicated servers join the switch through the hybrid connection: it must reach each of them. */
function checkDedicatedReached(
  spec: Parsed,
  links: readonly { link: ResolvedLink; index: number }[],
  report: Reporter,
): void {
  const hybrid = links.filter(({ link }) => link.kind === "hybrid");
  const reached = hybrid.flatMap(({ link }) => parsedList(link.remote).map(({ cidr }) => cidr));
  const network = parseCidr(spec.network.cidr);
  // An address outside the part kept for metal is reported on its own (rules.ts).
  const kept = network?.prefix === 16 ? subnet(network, 18, 3) : undefined;
  (spec.sakura?.dedicated ?? []).forEach((server, index) => {
    const address = parseIpv4(server.address);
    if (address === undefined || (kept && !containsAddress(kept, address))) return;
    if (!reached.some((range) => containsAddress(range, address))) {
      report(
        ["sakura", "dedicated", index, "address"],
        hybrid.length === 0
          ? "expected a hybrid link (links: [{ kind: hybrid, remote: [...] }]): dedicated servers join the region's switch through Sakura's hybrid connection"
          : `expected an address a hybrid link reaches (${hybrid.map(({ link }) => link.remote.join(", ")).join("; ")})`,
      );
    }
  });
}

/** WAN federation runs over the private links: every peer address must be one a link reaches. */
function checkWanJoin(
  spec: Parsed,
  links: readonly { link: ResolvedLink; index: number }[],
  report: Reporter,
): void {
  const reached = links.flatMap(({ link }) => parsedList(link.remote).map(({ cidr }) => cidr));
  spec.consul.wanJoin.forEach((entry, index) => {
    const address = parseIpv4(entry);
    // A host name cannot be judged here; the sites warn that no rule admits it.
    if (address === undefined) return;
    if (!reached.some((range) => containsAddress(range, address))) {
      report(
        ["consul", "wanJoin", index],
        "expected an address a link reaches (links[].remote): Consul's WAN federation runs over the private links, and no link routes this one",
      );
    }
  });
}

function checkListApart(
  list: readonly { cidr: Cidr; index: number }[],
  path: Path,
  report: Reporter,
): void {
  list.forEach((a, i) => {
    for (const b of list.slice(i + 1)) {
      if (overlaps(a.cidr, b.cidr)) {
        report(
          [...path, b.index],
          `expected a range apart from [${a.index}] (${formatCidr(a.cidr)}): they overlap`,
        );
      }
    }
  });
}

function parsedList(texts: readonly string[]): { cidr: Cidr; index: number }[] {
  return texts.flatMap((text, index) => {
    const cidr = parseCidr(text);
    return cidr ? [{ cidr, index }] : [];
  });
}

function sameRange(a: Cidr, b: Cidr): boolean {
  return a.base === b.base && a.prefix === b.prefix;
}
