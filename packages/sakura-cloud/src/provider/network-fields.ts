// Checks of addresses, networks and ports shared by the packet filter and the VPC router.
import { type Failures, isUnknown } from "./check";

const octet = "(25[0-5]|2[0-4]\\d|1?\\d?\\d)";
export const ipv4Pattern = new RegExp(`^${octet}(\\.${octet}){3}$`);

export function isIpv4(value: unknown): value is string {
  return typeof value === "string" && ipv4Pattern.test(value);
}

/** An IPv4 address as a 32-bit unsigned number. */
export function ipv4ToNumber(address: string): number {
  return address.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** `a.b.c.d/len` with len in `minPrefix..32`; undefined when it is not one. */
export function parseCidr(
  value: unknown,
  minPrefix = 0,
): { address: string; prefix: number } | undefined {
  if (typeof value !== "string") return undefined;
  const [address, prefix, extra] = value.split("/");
  if (extra !== undefined || !isIpv4(address) || prefix === undefined || !/^\d{1,2}$/.test(prefix))
    return undefined;
  const length = Number(prefix);
  return length >= minPrefix && length <= 32 ? { address, prefix: length } : undefined;
}

/** Whether `address` lies in the network of `network`/`prefix`. */
export function inNetwork(address: string, network: string, prefix: number): boolean {
  const size = 2 ** (32 - prefix);
  return Math.floor(ipv4ToNumber(address) / size) === Math.floor(ipv4ToNumber(network) / size);
}

export function oneOf(f: Failures, at: string, value: unknown, allowed: readonly string[]): void {
  if (isUnknown(value)) return;
  if (typeof value !== "string" || !allowed.includes(value)) {
    f.add(at, `must be one of ${allowed.map((a) => `"${a}"`).join(", ")}`);
  }
}

/** A port "22", a range "32768-61000", or a number; returned as the API's string form. */
export function checkPort(
  f: Failures,
  at: string,
  value: unknown,
  allowed: boolean,
): string | undefined {
  if (value === undefined) return undefined;
  if (isUnknown(value)) return value as string;
  if (!allowed) {
    f.add(at, 'ports apply to "tcp" and "udp" rules only');
    return undefined;
  }
  const text = typeof value === "number" ? String(value) : value;
  const match = typeof text === "string" ? /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text) : null;
  const from = Number(match?.[1]);
  const to = match?.[2] === undefined ? from : Number(match[2]);
  if (match === null || from > 65535 || to > 65535 || from > to) {
    f.add(at, 'must be a port from 0 to 65535 or a range such as "32768-61000"');
    return typeof text === "string" ? text : undefined;
  }
  return match[2] === undefined ? String(from) : `${from}-${to}`;
}
