/**
 * Pulumi sends check() inputs and provider outputs as protobuf Structs, which reject
 * `undefined`; a JSON round trip drops such members (and keeps nulls).
 */
export function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
