// The shape of the limits tables: what a cloud's API refuses, where in a plan's inputs it applies,
// and where the vendor writes it down. Every table is data; check.ts applies them to a plan, and
// the tests in test/limits/ compare each literal with the vendor's pinned reference.

/** Clouds with a table. Sakura Cloud's limits live in its dynamic providers' `check`. */
export type LimitCloud = "aws" | "gcp" | "sakura";

/**
 * Where the vendor states a limit. The machine-readable kinds name the exact place in the pinned
 * reference whose value must equal the table's literal; the text kinds quote a sentence that the
 * pinned reference's text must still contain; `doc` quotes documentation that no pinned reference
 * carries.
 */
export type LimitSource =
  /** A botocore service model shape: its min/max, pattern or enum (per the rule's kind). */
  | {
      readonly kind: "botocore";
      readonly service: string;
      readonly shape: string;
      /** The request member that uses the shape, e.g. "CreateRoleRequest.RoleName". */
      readonly via?: string;
    }
  /** Text of a botocore member's documentation, e.g. "User data is limited to 16 KB." */
  | {
      readonly kind: "botocore-text";
      readonly service: string;
      /** "Shape.Member" whose documentation holds the text. */
      readonly member: string;
      readonly text: string;
    }
  /** Fields of a Google discovery document, by JSON path: their pattern or enum. */
  | {
      readonly kind: "discovery";
      /** "compute.v1": googleapiclient's discovery_cache/documents/<document>.json. */
      readonly document: string;
      /** Dotted JSON paths, e.g. "schemas.Instance.properties.name"; all must agree. */
      readonly fields: readonly string[];
    }
  /** Text of a discovery document's description at a JSON path. */
  | {
      readonly kind: "discovery-text";
      readonly document: string;
      readonly field: string;
      readonly text: string;
    }
  /** Only the vendor's documentation states it. */
  | { readonly kind: "doc"; readonly url: string; readonly text: string };

/** What a value must satisfy. */
export type LimitRule =
  /** Size in bytes: of the UTF-8 text, or of what base64 text decodes to. */
  | { readonly kind: "bytes"; readonly max: number; readonly encoding: "utf8" | "base64" }
  /** Length in characters (Unicode code points). */
  | { readonly kind: "length"; readonly min?: number; readonly max: number }
  /** The whole value matches the pattern (a JavaScript regular expression with the `u` flag). */
  | { readonly kind: "pattern"; readonly pattern: string }
  /** The value starts with this prefix (case-sensitive). */
  | { readonly kind: "prefix"; readonly prefix: string }
  /** The value does not start with this prefix, in any letter case. */
  | { readonly kind: "reservedPrefix"; readonly prefix: string }
  /** One of the listed values. */
  | { readonly kind: "oneOf"; readonly values: readonly string[] }
  /** A number within bounds (inclusive). */
  | { readonly kind: "range"; readonly min?: number; readonly max?: number }
  /**
   * A whole multiple of `of`, or one of `alsoAllowed`; text is read as the number followed by
   * `suffix` ("300s" with suffix "s"), and text in another form is refused.
   */
  | {
      readonly kind: "multipleOf";
      readonly of: number;
      readonly alsoAllowed?: readonly number[];
      readonly suffix?: string;
    }
  /** A list's items or a map's entries, at most this many. */
  | { readonly kind: "maxItems"; readonly max: number }
  /** A map's keys and values together, at most this many bytes of UTF-8. */
  | { readonly kind: "mapBytes"; readonly max: number }
  /** Across the plan, at most this many resources share the value at the input path. */
  | { readonly kind: "perValue"; readonly max: number };

/** How a name the program leaves out is made: the provider adds random characters. */
export interface Naming {
  /** Pulumi's auto-name: the resource's name, "-" and 7 random characters. */
  readonly auto?: boolean;
  /** An input holding a prefix the provider completes with 26 characters (terraform's). */
  readonly prefixInput?: string;
}

export interface Limit {
  /** A short, stable id, e.g. "ec2-user-data-size". */
  readonly id: string;
  readonly cloud: LimitCloud;
  /** What is limited, in a user's words, e.g. "EC2 user data, bytes before base64". */
  readonly what: string;
  /** Pulumi types the limit applies to, or a type prefix ending in "*" ("aws:*"). */
  readonly resourceTypes: readonly string[];
  /** Types that a prefix takes in but whose input means something else (with the reason). */
  readonly exceptTypes?: Readonly<Record<string, string>>;
  /**
   * Where in the inputs: dotted property names, `[]` for each item of a list, `{}` for each value
   * of a map, `{key}` for each key of a map, e.g. "tagSpecifications[].tags{key}". A string input
   * holding JSON (provider settings) is read as the JSON.
   */
  readonly input: string;
  readonly rule: LimitRule;
  readonly source: LimitSource;
  /** When the name input is absent: how the provider makes it. */
  readonly naming?: Naming;
  /** Also merge this map of the resource's provider (its defaults) under the resource's map. */
  readonly providerDefaults?: string;
}

export interface LimitViolation {
  readonly limit: Limit;
  readonly urn: string;
  readonly name: string;
  readonly type: string;
  /** The concrete input, e.g. `tags key "Name"` or `userDataBase64`. */
  readonly input: string;
  /** What is wrong, e.g. "27298 bytes, more than 16384". */
  readonly problem: string;
}
