// Every literal of the limits tables against the vendor's pinned reference: a botocore shape's
// min, max, pattern or enum; a discovery field's pattern or enum; a sentence the reference's text
// must still contain. So the tables cannot drift from what the APIs say.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { allLimits, type Limit, limitsTables } from "../../tools/plan/limits";
import { atPath, botocoreModel, discoveryDocument, type Json, plainText } from "./references";

/** Limits that only AWS's or Google's documentation states: no pinned reference carries them. */
const DOCUMENTATION_ONLY = [
  "s3-bucket-name-length",
  "s3-bucket-name-characters",
  "ec2-security-group-ingress-rules",
  "ec2-security-group-egress-rules",
  "ec2-security-groups-per-interface",
];

function botocoreShape(service: string, shape: string): Json {
  const found = botocoreModel(service).shapes?.[shape];
  assert.ok(found, `botocore ${service} has no shape ${shape}`);
  return found;
}

/** The documentation of a "Shape.Member" of a botocore model, as plain text. */
function botocoreMemberText(service: string, member: string): string {
  const [shape = "", name = ""] = member.split(".");
  const documentation = botocoreShape(service, shape).members?.[name]?.documentation;
  assert.equal(
    typeof documentation,
    "string",
    `botocore ${service} ${member} has no documentation`,
  );
  return plainText(documentation);
}

/** The bounds a rule states, for comparison with a shape's min and max. */
function bounds(limit: Limit): { min?: number; max?: number } {
  const rule = limit.rule;
  switch (rule.kind) {
    case "length":
    case "range":
      return { min: rule.min, max: rule.max };
    case "maxItems":
      return { max: rule.max };
    default:
      throw new Error(`${limit.id}: a ${rule.kind} rule has no bounds in a shape`);
  }
}

function checkBotocore(limit: Limit, service: string, shapeName: string, via?: string): void {
  const shape = botocoreShape(service, shapeName);
  if (via) {
    const [request = "", member = ""] = via.split(".");
    assert.equal(
      botocoreShape(service, request).members?.[member]?.shape,
      shapeName,
      `${limit.id}: ${via} does not use ${shapeName}`,
    );
  }
  const rule = limit.rule;
  if (rule.kind === "pattern") {
    assert.equal(rule.pattern, shape.pattern, `${limit.id}: pattern of ${shapeName}`);
  } else if (rule.kind === "oneOf") {
    const missing = shape.enum.filter((value: string) => !rule.values.includes(value));
    const extra = rule.values.filter((value) => !shape.enum.includes(value));
    assert.deepEqual({ missing, extra }, { missing: [], extra: [] }, `${limit.id}: ${shapeName}`);
  } else {
    const { min, max } = bounds(limit);
    assert.equal(max, shape.max, `${limit.id}: max of ${shapeName}`);
    // A list's min is the request's (TagResources needs one tag), not a resource's.
    if (shape.min !== undefined && rule.kind !== "maxItems")
      assert.equal(min, shape.min, `${limit.id}: min of ${shapeName}`);
  }
}

function checkDiscovery(limit: Limit, document: string, fields: readonly string[]): void {
  assert.ok(fields.length > 0, limit.id);
  for (const field of fields) {
    const found = atPath(discoveryDocument(document), field);
    assert.ok(found, `${limit.id}: ${document} has no ${field}`);
    const rule = limit.rule;
    if (rule.kind === "pattern") assert.equal(rule.pattern, found.pattern, `${limit.id}: ${field}`);
    else if (rule.kind === "oneOf")
      assert.deepEqual([...rule.values].sort(), [...found.enum].sort(), `${limit.id}: ${field}`);
    else assert.fail(`${limit.id}: a ${rule.kind} rule has no machine-readable form in ${field}`);
  }
}

/** A quoted sentence that states a bound also states the table's number (16 KB = 16384 bytes). */
function statesTheNumber(limit: Limit, text: string): void {
  const rule = limit.rule;
  const max = "max" in rule ? rule.max : undefined;
  if (max === undefined || rule.kind === "oneOf") return;
  const forms = [String(max), `${max / 1024} KB`, `${(max + 1) / 1024} KB`];
  assert.ok(
    forms.some((form) => text.includes(form)),
    `${limit.id}: "${text}" does not state ${max}`,
  );
}

describe("the limits tables against the vendors' references", () => {
  for (const limit of allLimits) {
    it(`${limit.id}: ${limit.what}`, () => {
      const source = limit.source;
      switch (source.kind) {
        case "botocore":
          checkBotocore(limit, source.service, source.shape, source.via);
          break;
        case "botocore-text":
          assert.ok(
            botocoreMemberText(source.service, source.member).includes(source.text),
            `${limit.id}: botocore ${source.service} ${source.member} no longer says "${source.text}"`,
          );
          statesTheNumber(limit, source.text);
          break;
        case "discovery":
          checkDiscovery(limit, source.document, source.fields);
          break;
        case "discovery-text": {
          const description = atPath(discoveryDocument(source.document), source.field)?.description;
          assert.equal(
            typeof description,
            "string",
            `${limit.id}: no description at ${source.field}`,
          );
          assert.ok(
            plainText(description).includes(source.text),
            `${limit.id}: ${source.document} ${source.field} no longer says "${source.text}"`,
          );
          statesTheNumber(limit, source.text);
          break;
        }
        case "doc":
          assert.ok(DOCUMENTATION_ONLY.includes(limit.id), `${limit.id} cites documentation only`);
          assert.match(source.url, /^https:\/\/docs\.aws\.amazon\.com\//);
          statesTheNumber(limit, source.text);
          break;
      }
    });
  }

  it("lists documentation-only limits on purpose", () => {
    const docOnly = allLimits.filter((l) => l.source.kind === "doc").map((l) => l.id);
    assert.deepEqual(docOnly.sort(), [...DOCUMENTATION_ONLY].sort());
  });

  it("holds EC2's user data limit: 16,384 bytes before base64, for instances and templates", () => {
    const sizes = limitsTables.aws.filter((l) => l.rule.kind === "bytes");
    assert.deepEqual(
      sizes.map((l) => [l.resourceTypes.join(","), l.input, "max" in l.rule ? l.rule.max : 0]),
      [
        ["aws:ec2/launchTemplate:LaunchTemplate", "userData", 16_384],
        ["aws:ec2/instance:Instance", "userDataBase64", 16_384],
        ["aws:ec2/instance:Instance", "userData", 16_384],
      ],
    );
  });

  it("gives every limit a unique id and one cloud", () => {
    const ids = allLimits.map((l) => l.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const [cloud, limits] of Object.entries(limitsTables))
      for (const limit of limits) assert.equal(limit.cloud, cloud, limit.id);
  });
});
