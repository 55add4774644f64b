// Every rule both ways: the three real stacks pass it, and a real resource changed in one property
// is reported. The plans are the CLI's (see plans.ts).
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import { rules } from "../../policy/rules";
import { requiredTags } from "../../policy/rules/tags";
import type { Plan } from "../../tools/plan/plan";
import { checkPolicies, formatViolations, hasMandatoryViolation } from "../../tools/plan/policy";
import { projectDir, type StackName, stacks } from "../support/stacks";
import { cases } from "./cases";
import { PlanEditor } from "./edit";
import { stackRuns } from "./plans";

/** Real problems the rules find in the program as it is, kept here until the sites are fixed. */
const KNOWN_FINDINGS: readonly { stack: StackName; rule: string; name: string }[] = [];

let plans: Record<StackName, Plan>;

before(async () => {
  const runs = await stackRuns();
  plans = { jp: runs.jp.plan, us: runs.us.plan, uk: runs.uk.plan };
});

function nameOf(plan: Plan, urn: string): string {
  return plan.resources.find((resource) => resource.urn === urn)?.name ?? urn;
}

describe("the rules", () => {
  it("have unique names, a description and a remediation each", () => {
    const names = rules.map((rule) => rule.name);
    assert.equal(new Set(names).size, names.length);
    for (const rule of rules) {
      assert.match(rule.name, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(rule.description.length > 20, rule.name);
      assert.ok(rule.remediation.length > 10, rule.name);
      assert.ok(["mandatory", "advisory"].includes(rule.enforcementLevel), rule.name);
    }
  });

  it("each have a change that breaks them", () => {
    const broken = new Set(cases.filter((c) => c.expected).map((c) => c.rule));
    assert.deepEqual(
      rules.map((rule) => rule.name).filter((name) => !broken.has(name)),
      [],
    );
    for (const c of cases) assert.ok(names().includes(c.rule), `unknown rule ${c.rule}`);
  });

  it("each apply to resources the program creates", () => {
    const types = new Set(stacks.flatMap((stack) => plans[stack].resources.map((r) => r.type)));
    for (const rule of rules) {
      if (rule.kind === "stack") continue;
      assert.ok(
        rule.resourceTypes.some((type) => types.has(type)),
        `${rule.name} matches no resource of any plan`,
      );
    }
  });
});

function names(): string[] {
  return rules.map((rule) => rule.name);
}

describe("the real stacks", () => {
  for (const rule of rules) {
    it(`pass ${rule.name} (${rule.enforcementLevel})`, () => {
      for (const stack of stacks) {
        const found = checkPolicies(plans[stack], [rule]).map(
          (violation) => `${stack} ${nameOf(plans[stack], violation.urn)}: ${violation.message}`,
        );
        const known = KNOWN_FINDINGS.filter((f) => f.stack === stack && f.rule === rule.name);
        assert.deepEqual(
          found.map((line) => line.split(":")[0]),
          known.map((finding) => `${stack} ${finding.name}`),
          found.join("\n"),
        );
      }
    });
  }

  it("have no mandatory violation, and the CLI's summary says so", () => {
    for (const stack of stacks) {
      const violations = checkPolicies(plans[stack]);
      assert.equal(hasMandatoryViolation(violations), false, formatViolations(violations));
      const lines = formatViolations(violations).split("\n");
      assert.equal(lines.length, violations.length + 1);
      if (violations.length === 0) assert.match(lines[0] ?? "", /no violations/);
    }
  });
});

describe("a changed resource", () => {
  for (const c of cases) {
    it(`${c.rule}: ${c.title} (${c.stack})`, () => {
      const rule = rules.find((r) => r.name === c.rule);
      assert.ok(rule, c.rule);
      const editor = new PlanEditor(plans[c.stack]);
      const [name, type] = c.change(editor);
      const urn = editor.find(name, type).urn;
      const before = checkPolicies(plans[c.stack], [rule]).filter((v) => v.urn === urn);
      assert.deepEqual(before, [], "the real resource already breaks the rule");
      const after = checkPolicies(editor.plan(), [rule]).filter((v) => v.urn === urn);
      if (!c.expected) {
        assert.deepEqual(after, []);
        return;
      }
      assert.ok(after.length > 0, `${c.rule} did not report ${name}`);
      const pattern = c.expected;
      assert.ok(
        after.some((violation) => pattern.test(violation.message)),
        after.map((violation) => violation.message).join("\n"),
      );
      assert.ok(after.every((v) => v.rule === c.rule && v.level === rule.enforcementLevel));
    });
  }

  it("gcp-cloud-armor-public-backends: a GKE backend without a Cloud Armor policy is reported", () => {
    const editor = new PlanEditor(plans.us);
    delete editor.edit("us-gke-gateway-backend").inputs.spec.default.securityPolicy;
    const rule = rules.filter((r) => r.name === "gcp-cloud-armor-public-backends");
    assert.deepEqual(checkPolicies(plans.us, rule), []);
    const plan = editor.plan();
    assert.deepEqual(
      checkPolicies(plan, rule).map((v) => nameOf(plan, v.urn)),
      ["us-gke-gateway-service"],
    );
  });
});

/** Type token -> the provider SDK's generated source for it. */
function sdkSource(type: string): string {
  const [pkg, module] = type.split(":");
  const dir = join(
    projectDir,
    "node_modules",
    "@pulumi",
    pkg ?? "",
    (module ?? "").split("/")[0] ?? "",
  );
  for (const file of readdirSync(dir).filter((f) => f.endsWith(".js"))) {
    const source = readFileSync(join(dir, file), "utf8");
    if (source.includes(`__pulumiType = '${type}'`)) return source;
  }
  throw new Error(`no SDK source declares ${type}`);
}

describe("required-tags", () => {
  it("covers exactly the AWS and GCP types of the plans that take tags or labels", () => {
    const types = new Set(
      stacks.flatMap((stack) =>
        plans[stack].resources
          .filter((r) => r.custom && /^(aws|gcp):/.test(r.type))
          .map((r) => r.type),
      ),
    );
    const covered = new Set(requiredTags.resourceTypes);
    for (const type of [...types].sort()) {
      const source = sdkSource(type);
      const input = type.startsWith("aws:")
        ? "tags"
        : type === "gcp:container/cluster:Cluster"
          ? "resourceLabels"
          : "labels";
      // A metric descriptor's `labels` describe the labels of its time series, not its own.
      const takesTags =
        source.includes(`resourceInputs["${input}"] = args`) &&
        type !== "gcp:monitoring/metricDescriptor:MetricDescriptor";
      assert.equal(covered.has(type), takesTags, `${type}: takes ${input}: ${takesTags}`);
    }
  });
});
