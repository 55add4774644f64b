// Where the real engine showed the offline plan wrong, and what the plan now says instead (the
// engine run, `npm run test:engine`, compares the two whole). Each expectation is what a real
// stack holds: the default provider the engine creates for dynamic resources, and the inputs a
// real `pulumi up` sends once providers have answered with the outputs the program reads.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { scratchProject } from "../support/scratch-project";
import { projectDir } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

const plans = new Map<string, Plan>();

/** One of the project's TypeScript tools, run in `dir`; fails the test when it fails. */
function tool(script: string, args: readonly string[], dir: string): void {
  const result = spawnSync(
    process.execPath,
    [...TS_ROUTE, join(projectDir, "tools", ...script.split("/")), ...args],
    { cwd: dir, encoding: "utf8" },
  );
  assert.equal(result.status, 0, result.stderr);
}

/** `npm run plan -- --stack S --json FILE`, once per stack. */
function planOf(stack: string, dir = projectDir): Plan {
  const known = plans.get(stack);
  if (known) return known;
  const file = join(mkdtempSync(join(tmpdir(), "multicloud-plan-")), `${stack}.json`);
  tool("plan/cli.ts", ["--stack", stack, "--json", file], dir);
  const plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
  plans.set(stack, plan);
  return plan;
}

const ofType = (plan: Plan, type: string): PlannedResource[] =>
  plan.resources.filter((resource) => resource.type === type);

describe("the plan names what the engine holds", () => {
  it("jp: the dynamic resources' default provider, at the root, named by each of them", () => {
    const plan = planOf("jp");
    const urn = "urn:pulumi:jp::multicloud::pulumi:providers:pulumi-nodejs::default";
    const provider = plan.resources.find((resource) => resource.urn === urn);
    assert.ok(provider, `the plan lists ${urn}`);
    assert.equal(provider.parent, undefined);
    const dynamic = plan.resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/"));
    // 22 Sakura resources of the site, and the VPC router of the link to GKE
    const sakura = dynamic.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/sakuracloud:"));
    assert.equal(sakura.length, 24);
    // and a wait after each Google Cloud API enabled
    const waits = dynamic.filter(
      (r) => r.type === "pulumi-nodejs:dynamic/multicloud:GoogleApiWait",
    );
    assert.equal(waits.length, ofType(plan, "gcp:projects/service:Service").length);
    assert.equal(dynamic.length, sakura.length + waits.length);
    for (const resource of dynamic) assert.equal(resource.provider, urn, resource.urn);
  });

  it("us-dr: the stack reference in the backend's organization, read by the built-in provider", () => {
    const dir = scratchProject();
    tool("dr/cli.ts", ["--stack", "us", "--to", "us-east-1"], dir);
    const plan = planOf("us-dr", dir);
    const provider = "urn:pulumi:us-dr::multicloud::pulumi:providers:pulumi::default";
    const [reference] = ofType(plan, "pulumi:pulumi:StackReference");
    assert.equal(
      reference?.urn,
      "urn:pulumi:us-dr::multicloud::multicloud:index:Region$pulumi:pulumi:StackReference::organization/multicloud/us",
    );
    assert.equal(reference?.provider, provider);
    assert.ok(plan.resources.some((resource) => resource.urn === provider));
  });

  it("us: inputs made of provider outputs are there, as after a real up", () => {
    const plan = planOf("us");
    for (const attachment of ofType(plan, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"))
      assert.match(String(attachment.inputs.role), /^us-aws-.+-[0-9a-f]{7}$/, attachment.urn);
    for (const alias of ofType(plan, "aws:kms/alias:Alias"))
      assert.match(String(alias.inputs.targetKeyId), /^[0-9a-f]{8}-[0-9a-f]{4}-/, alias.urn);
    for (const nat of ofType(plan, "aws:ec2/natGateway:NatGateway"))
      assert.match(String(nat.inputs.allocationId), /^eipalloc-[0-9a-f]{17}$/, nat.urn);
    for (const db of ofType(plan, "aws:rds/instance:Instance")) {
      assert.match(String(db.inputs.dbSubnetGroupName), /-subnets-[0-9a-f]{7}$/, db.urn);
      assert.match(String(db.inputs.parameterGroupName), /-params-[0-9a-f]{7}$/, db.urn);
    }
    const validations = ofType(plan, "aws:route53/record:Record").filter((r) =>
      r.name.includes("-tls-validation-"),
    );
    assert.equal(validations.length, 2);
    for (const record of validations) {
      assert.match(String(record.inputs.name), /^_[0-9a-f]{32}\.(www\.)?example\.com\.$/);
      assert.match(String((record.inputs.records as string[])[0]), /\.acm-validations\.aws\.$/);
    }
    const [challenge] = ofType(plan, "aws:route53/record:Record").filter(
      (r) => r.name === "us-gke-edge-dns-auth",
    );
    assert.match(
      String(((challenge?.inputs.records ?? []) as string[])[0]),
      /\.authorize\.certificatemanager\.goog\.$/,
    );
    const [kubernetes] = ofType(plan, "pulumi:providers:kubernetes");
    const kubeconfig = JSON.parse(String(kubernetes?.inputs.kubeconfig)) as {
      clusters: { cluster: { server: string; "certificate-authority-data": string } }[];
    };
    assert.match(kubeconfig.clusters[0]?.cluster.server ?? "", /^https:\/\/\d+\.\d+\.\d+\.\d+$/);
    assert.notEqual(kubeconfig.clusters[0]?.cluster["certificate-authority-data"], "");
  });

  it("uk: the load balancer's backend names the nginx instance group", () => {
    const [backend] = ofType(planOf("uk"), "gcp:compute/backendService:BackendService");
    const [first] = (backend?.inputs.backends ?? []) as { group?: string }[];
    assert.match(
      String(first?.group),
      /^https:\/\/www\.googleapis\.com\/compute\/v1\/projects\/.+\/regions\/europe-west2\/instanceGroups\/uk-gcp-nginx-group$/,
    );
  });
});
