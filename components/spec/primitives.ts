// Reusable schema pieces. Each carries the "expected ..." text that a config error prints, so a
// user reads what a value should look like, not a validator's internals.
import { z } from "zod";
import { cidrProblem, parseIpv4 } from "./cidr";

/** A strict object: unknown keys are errors that list the keys that are allowed. */
export function strict<Shape extends z.ZodRawShape>(shape: Shape) {
  const known = Object.keys(shape).join(", ");
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys"
        ? `expected only the keys ${known}`
        : "expected a mapping (key: value pairs)",
  });
}

export function intIn(min: number, max: number) {
  const expected = `expected a whole number from ${min} to ${max}`;
  return z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, {
      error: expected,
    });
}

export function oneOf<const Values extends readonly [string, ...string[]]>(values: Values) {
  return z.enum(values, { error: `expected one of ${values.join(", ")}` });
}

export function text(pattern: RegExp, expected: string) {
  return z
    .string({ error: `expected ${expected}` })
    .regex(pattern, { error: `expected ${expected}` });
}

export const cidr = z
  .string({ error: "expected an IPv4 CIDR block such as 10.20.0.0/16" })
  .superRefine((value, ctx) => {
    const problem = cidrProblem(value);
    if (problem) ctx.addIssue({ code: "custom", message: `expected ${problem}` });
  });

export const ipv4 = z
  .string({ error: "expected an IPv4 address such as 10.10.1.5" })
  .refine((value) => parseIpv4(value) !== undefined, {
    error: "expected an IPv4 address such as 10.10.1.5",
  });

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";

/** A public DNS name: lower case, at least two labels, no trailing dot. */
export const domainName = z
  .string({ error: "expected a lower-case domain name such as example.com" })
  .max(253, { error: "expected a domain name of at most 253 characters", abort: true })
  .regex(new RegExp(`^(?:${LABEL}\\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$`), {
    error: "expected a lower-case domain name such as example.com (letters, digits, hyphens, dots)",
  });

/** A name relative to the region's domain: "@" for the apex, or labels such as "www" or "api.v2". */
export const relativeName = text(
  new RegExp(`^(?:@|${LABEL}(?:\\.${LABEL})*)$`),
  '"@" for the apex or a name such as www',
);

/** A host or resource name that is valid on every cloud (DNS label, starts with a letter). */
export const hostLabel = text(
  /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/,
  "a name of lower-case letters, digits and hyphens, starting with a letter (at most 32)",
);

/** Tag and label keys and values that AWS tags and GCP labels both accept. */
export const tagKey = text(
  /^[a-z][a-z0-9_-]{0,62}$/,
  "a tag key of lower-case letters, digits, _ and - (GCP labels allow no more)",
);
export const tagValue = text(
  /^[a-z0-9_-]{0,63}$/,
  "a tag value of lower-case letters, digits, _ and - (GCP labels allow no more)",
);

export const sizes = ["small", "medium", "large", "xlarge", "2xlarge"] as const;
export const size = oneOf(sizes);
export type Size = (typeof sizes)[number];
