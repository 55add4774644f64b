// What the parts of a rebuild share: the raw YAML values they edit, the comments they leave on
// keys, and the request they serve.

/** A mapping of the stack file as parsed from YAML. */
export type Raw = Record<string, unknown>;

/** A comment placed above a key of the region (path below `multicloud:region`). */
export interface DrNote {
  readonly path: readonly string[];
  readonly text: string;
}

export type Note = (path: readonly string[], text: string) => void;

/** What a rebuild's databases and disks are created from (dr.restore), as YAML values. */
export interface RestoreRaw {
  rds?: Raw;
  mysqlDisks?: Raw;
  mysqlDumps?: Raw;
}

/** A copy without keys whose value is undefined (YAML has no undefined; removed keys vanish). */
export function withoutUndefined<T extends Raw>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
