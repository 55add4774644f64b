// Formatting of the benchmark's figures for people. Pure.

export function ratio(ours: number, floor: number): number {
  return Math.round((ours / floor) * 1000) / 1000;
}

export function ms(value: number): string {
  return `${Math.round(value)} ms`;
}

export function mb(kb: number): string {
  return `${(kb / 1024).toFixed(0)} MB`;
}

export function minutes(value: number): string {
  return (Math.round(value * 10) / 10).toFixed(1);
}

export function verdict(value: number, target: number): string {
  return value <= target ? `meets <= ${target}` : `misses <= ${target}`;
}

/** The last part of a URN: the resource's name. */
export function shortUrn(urn: string): string {
  return urn.slice(urn.lastIndexOf("::") + 2);
}
