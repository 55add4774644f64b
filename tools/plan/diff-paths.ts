// Property paths of inputs, written as Pulumi writes them in `ignoreChanges`:
// `tags.Name`, `ingress[0].cidrBlocks`, `metadata["user-data"]`, `items[*].name`.

/** One step of a path: an object key, an array index, or `*` (any key or index). */
export type PathSegment = string | number;

const PLAIN_KEY = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

export function formatPath(segments: readonly PathSegment[]): string {
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else if (segment === "*") text += "[*]";
    else if (PLAIN_KEY.test(segment)) text += text === "" ? segment : `.${segment}`;
    else text += `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/** Parses `a.b[0]["c-d"][*]`; a malformed path yields its text as a single key. */
export function parsePath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  const pattern = /\.?([A-Za-z_$][A-Za-z0-9_$-]*)|\[(\d+)\]|\[("(?:[^"\\]|\\.)*")\]|\[\*\]/y;
  let at = 0;
  while (at < path.length) {
    pattern.lastIndex = at;
    const match = pattern.exec(path);
    if (!match) return [path];
    const [whole, key, index, quoted] = match;
    if (key !== undefined) segments.push(key);
    else if (index !== undefined) segments.push(Number(index));
    else if (quoted !== undefined) segments.push(JSON.parse(quoted) as string);
    else segments.push("*");
    at += whole.length;
  }
  return segments;
}

function segmentMatches(pattern: PathSegment, segment: PathSegment): boolean {
  return pattern === "*" || pattern === segment || String(pattern) === String(segment);
}

/** True when `pattern` names `path` itself or one of its ancestors (`tags` covers `tags.Name`). */
export function covers(pattern: readonly PathSegment[], path: readonly PathSegment[]): boolean {
  if (pattern.length > path.length) return false;
  return pattern.every((segment, i) => segmentMatches(segment, path[i] as PathSegment));
}

/** True when one path lies on the other's branch (either covers the other). */
export function overlaps(a: readonly PathSegment[], b: readonly PathSegment[]): boolean {
  return covers(a, b) || covers(b, a);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * The paths at which two input values differ, as deep as both sides share a shape. Arrays of
 * different lengths count as one change of the whole array (an insertion shifts every index).
 */
export function changedPaths(before: unknown, after: unknown): PathSegment[][] {
  const found: PathSegment[][] = [];
  const walk = (a: unknown, b: unknown, at: PathSegment[]) => {
    if (a === b) return;
    if (isRecord(a) && isRecord(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const key of keys) walk(a[key], b[key], [...at, key]);
      return;
    }
    if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
      a.forEach((item, i) => {
        walk(item, b[i], [...at, i]);
      });
      return;
    }
    if (JSON.stringify(a) !== JSON.stringify(b)) found.push(at);
  };
  walk(before, after, []);
  return found;
}

/** The value at a path (undefined when absent); `*` is not resolved. */
export function valueAt(value: unknown, path: readonly PathSegment[]): unknown {
  let current = value;
  for (const segment of path) {
    if (Array.isArray(current) && typeof segment === "number") current = current[segment];
    else if (isRecord(current) && typeof segment === "string") current = current[segment];
    else return undefined;
  }
  return current;
}
