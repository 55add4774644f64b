// IPv4 CIDR arithmetic for the spec's network ranges. Pure and dependency-free.

export interface Cidr {
  /** The network address as an unsigned 32-bit integer. */
  readonly base: number;
  readonly prefix: number;
}

const OCTET = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** Parses a dotted-quad IPv4 address; undefined when it is not one. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || !parts.every((p) => OCTET.test(p))) return undefined;
  return parts.reduce((acc, p) => acc * 256 + Number(p), 0);
}

export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/**
 * Parses "a.b.c.d/n". Rejects host bits set below the prefix (10.0.0.1/16), because a range
 * written that way is nearly always a typo for another range.
 */
export function parseCidr(text: string): Cidr | undefined {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!match?.[1] || !match[2]) return undefined;
  const base = parseIpv4(match[1]);
  const prefix = Number(match[2]);
  if (base === undefined || prefix > 32) return undefined;
  if (base % size({ base: 0, prefix }) !== 0) return undefined;
  return { base, prefix };
}

/** Explains why a text is not a CIDR block, for error messages. */
export function cidrProblem(text: string): string | undefined {
  const match = /^([0-9.]+)\/(\d{1,2})$/.exec(text);
  if (!match?.[1] || !match[2]) return "an IPv4 CIDR block such as 10.20.0.0/16";
  if (parseIpv4(match[1]) === undefined || Number(match[2]) > 32) {
    return "an IPv4 CIDR block such as 10.20.0.0/16";
  }
  const parsed = parseCidr(text);
  if (!parsed) {
    const base = parseIpv4(match[1]) ?? 0;
    const prefix = Number(match[2]);
    const aligned = base - (base % size({ base: 0, prefix }));
    return `a network address with no host bits set (did you mean ${formatIpv4(aligned)}/${prefix}?)`;
  }
  return undefined;
}

export function size(cidr: Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function formatCidr(cidr: Cidr): string {
  return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

export function overlaps(a: Cidr, b: Cidr): boolean {
  return a.base < b.base + size(b) && b.base < a.base + size(a);
}

export function contains(outer: Cidr, inner: Cidr): boolean {
  return inner.base >= outer.base && inner.base + size(inner) <= outer.base + size(outer);
}

export function containsAddress(outer: Cidr, address: number): boolean {
  return address >= outer.base && address < outer.base + size(outer);
}

/** The index-th block of the given prefix inside parent: subnet(10.0.0.0/16, 20, 2) = 10.0.32.0/20. */
export function subnet(parent: Cidr, prefix: number, index: number): Cidr {
  if (prefix < parent.prefix || prefix > 32) {
    throw new RangeError(`cannot cut /${prefix} blocks out of ${formatCidr(parent)}`);
  }
  const count = 2 ** (prefix - parent.prefix);
  if (!Number.isInteger(index) || index < 0 || index >= count) {
    throw new RangeError(
      `${formatCidr(parent)} holds ${count} /${prefix} blocks, not ${index + 1}`,
    );
  }
  return { base: parent.base + index * 2 ** (32 - prefix), prefix };
}

/** The n-th usable host address of a block (1 = first after the network address). */
export function hostAddress(block: Cidr, n: number): string {
  if (n < 1 || n >= size(block) - 1) {
    throw new RangeError(`${formatCidr(block)} has no host number ${n}`);
  }
  return formatIpv4(block.base + n);
}

const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"].map((text) => {
  const parsed = parseCidr(text);
  if (!parsed) throw new Error(`bad built-in range ${text}`);
  return parsed;
});

/** True when the block lies inside the RFC 1918 private address space. */
export function isPrivate(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some((range) => contains(range, cidr));
}
