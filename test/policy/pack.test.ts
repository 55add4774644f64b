// The CrossGuard pack: it lists every rule, and served the way `pulumi preview --policy-pack`
// serves it (its own process, the engine's analyzer protocol over gRPC) it reports what the
// offline runner reports.
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import * as grpc from "@grpc/grpc-js";
import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import {
  AnalyzeRequest,
  type AnalyzeResponse,
  type AnalyzerInfo,
  AnalyzerProviderResource,
  AnalyzerResource,
  AnalyzerResourceOptions,
  AnalyzeStackRequest,
  EnforcementLevel,
} from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { PACK_NAME, packArgs } from "../../policy/pack";
import { rules } from "../../policy/rules";
import type { Plan, PlannedResource } from "../../tools/plan/plan";
import { checkPolicies } from "../../tools/plan/policy";
import { projectDir } from "../support/stacks";
import { PlanEditor } from "./edit";
import { stackRuns } from "./plans";

let plans: { us: Plan; uk: Plan };

before(async () => {
  const runs = await stackRuns();
  plans = { us: runs.us.plan, uk: runs.uk.plan };
});

function isResourcePolicy(
  policy: ResourceValidationPolicy | StackValidationPolicy,
): policy is ResourceValidationPolicy {
  return "validateResource" in policy;
}

describe("the pack's policies", () => {
  it("are the rules, each with name, description, remediation and level", () => {
    assert.deepEqual(
      packArgs.policies.map((policy) => policy.name),
      rules.map((rule) => rule.name),
    );
    for (const [index, policy] of packArgs.policies.entries()) {
      const rule = rules[index];
      assert.ok(rule);
      assert.equal(policy.description, rule.description);
      assert.equal(policy.remediationSteps, rule.remediation);
      assert.equal(policy.enforcementLevel, rule.enforcementLevel);
      assert.equal(isResourcePolicy(policy), rule.kind === "resource", policy.name);
    }
  });

  it("validate a resource from its args: props, protect and the provider's props", () => {
    const policy = packArgs.policies.find((p) => p.name === "required-tags");
    assert.ok(policy && isResourcePolicy(policy));
    const rds = plans.us.resources.find((r) => r.name === "us-aws-db-accounts-instance");
    const provider = plans.us.resources.find((r) => r.urn === rds?.provider);
    assert.ok(rds && provider);
    const run = (providerProps: Record<string, unknown>) => {
      const reported: string[] = [];
      const args = {
        type: rds.type,
        urn: rds.urn,
        name: rds.name,
        props: rds.inputs,
        opts: { protect: rds.protect, ignoreChanges: [], aliases: [] },
        provider: {
          type: provider.type,
          urn: provider.urn,
          name: provider.name,
          props: providerProps,
        },
      } as unknown as ResourceValidationArgs;
      const validate = policy.validateResource;
      assert.ok(typeof validate === "function");
      validate(args, (message) => reported.push(message));
      return reported;
    };
    assert.deepEqual(run(provider.inputs), []);
    assert.deepEqual(run({}), ["tags lacks owner, project, region, managed-by"]);
  });

  it("validate the stack from the engine's resources, dependencies as resources", () => {
    const policy = packArgs.policies.find((p) => p.name === "aws-vpc-flow-logs");
    assert.ok(policy && !isResourcePolicy(policy));
    const editor = new PlanEditor(plans.us);
    editor.remove("us-aws-network-flow-logs-vpc");
    const resources = policyResources(editor.plan());
    const reported: [string, string | undefined][] = [];
    policy.validateStack(
      {
        resources,
        stackTags: new Map(),
        getConfig: () => ({}),
        notApplicable: () => undefined,
      } as never,
      (message, urn) => reported.push([message, urn]),
    );
    assert.deepEqual(reported, [
      ["no flow log records this VPC's traffic", editor.find("us-aws-network-vpc").urn],
    ]);
  });
});

/** The plan's resources in the shape validateStack receives them. */
function policyResources(plan: Plan): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  for (const resource of plan.resources) {
    byUrn.set(resource.urn, {
      type: resource.type,
      urn: resource.urn,
      name: resource.name,
      props: resource.inputs,
      opts: { protect: resource.protect, ignoreChanges: [], aliases: [] },
      dependencies: [],
      propertyDependencies: {},
    } as unknown as PolicyResource);
  }
  for (const resource of plan.resources) {
    const entry = byUrn.get(resource.urn) as { dependencies: PolicyResource[]; provider?: unknown };
    entry.dependencies = resource.dependencies.flatMap((urn) => byUrn.get(urn) ?? []);
    const provider = resource.provider ? byUrn.get(resource.provider) : undefined;
    if (provider) entry.provider = provider;
  }
  return [...byUrn.values()];
}

// The pack served as the engine serves it.

let server: ChildProcess | undefined;
let client: AnalyzerClient;

type Callback<Response> = (error: grpc.ServiceError | null, response: Response) => void;

/** A unary call as a promise. */
function unary<Response>(send: (callback: Callback<Response>) => unknown): Promise<Response> {
  return new Promise((resolve, reject) => {
    send((error, response) => (error ? reject(error) : resolve(response)));
  });
}

const analyze = (request: AnalyzeRequest) =>
  unary<AnalyzeResponse>((callback) => client.analyze(request, callback));
const analyzeStack = (request: AnalyzeStackRequest) =>
  unary<AnalyzeResponse>((callback) => client.analyzeStack(request, callback));
const analyzerInfo = () =>
  unary<AnalyzerInfo>((callback) => client.getAnalyzerInfo(new Empty(), callback));

function options(resource: PlannedResource): AnalyzerResourceOptions {
  return new AnalyzerResourceOptions()
    .setProtect(resource.protect)
    .setParent(resource.parent ?? "");
}

function providerOf(plan: Plan, resource: PlannedResource): AnalyzerProviderResource | undefined {
  const provider = plan.resources.find((r) => r.urn === resource.provider);
  if (!provider) return undefined;
  return new AnalyzerProviderResource()
    .setType(provider.type)
    .setUrn(provider.urn)
    .setName(provider.name)
    .setProperties(Struct.fromJavaScript(provider.inputs as never));
}

function analyzeRequest(plan: Plan, resource: PlannedResource): AnalyzeRequest {
  const request = new AnalyzeRequest()
    .setType(resource.type)
    .setUrn(resource.urn)
    .setName(resource.name)
    .setProperties(Struct.fromJavaScript(resource.inputs as never))
    .setOptions(options(resource));
  const provider = providerOf(plan, resource);
  return provider ? request.setProvider(provider) : request;
}

function analyzeStackRequest(plan: Plan): AnalyzeStackRequest {
  return new AnalyzeStackRequest().setResourcesList(
    plan.resources.map((resource) => {
      const entry = new AnalyzerResource()
        .setType(resource.type)
        .setUrn(resource.urn)
        .setName(resource.name)
        .setProperties(Struct.fromJavaScript(resource.inputs as never))
        .setOptions(options(resource))
        .setParent(resource.parent ?? "")
        .setDependenciesList([...resource.dependencies]);
      const provider = providerOf(plan, resource);
      return provider ? entry.setProvider(provider) : entry;
    }),
  );
}

function diagnostics(
  response: AnalyzeResponse,
): { policy: string; urn: string; mandatory: boolean }[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    urn: d.getUrn(),
    mandatory: d.getEnforcementlevel() === EnforcementLevel.MANDATORY,
  }));
}

describe("the pack, served over the analyzer protocol", () => {
  before(async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "index.ts"], {
      cwd: join(projectDir, "policy"),
      stdio: ["ignore", "pipe", "pipe"],
    });
    server = child;
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk) => {
        out += chunk;
        const line = /^(\d+)\n/.exec(out);
        if (line?.[1]) resolve(line[1]);
      });
      child.stderr.on("data", (chunk) => {
        err += chunk;
      });
      child.on("exit", (code) => reject(new Error(`the pack exited (${code}): ${err}`)));
      setTimeout(
        () => reject(new Error(`the pack printed no port: ${out} ${err}`)),
        30_000,
      ).unref();
    });
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(() => {
    client?.close();
    server?.kill();
  });

  it("describes itself with every policy", async () => {
    const info = await analyzerInfo();
    assert.equal(info.getName(), PACK_NAME);
    assert.equal(info.getVersion(), "0.1.0");
    const policies = info.getPoliciesList();
    assert.deepEqual(
      policies.map((p) => p.getName()),
      rules.map((rule) => rule.name),
    );
    for (const [index, policy] of policies.entries()) {
      const rule = rules[index];
      assert.ok(rule);
      assert.equal(policy.getDescription(), rule.description);
      assert.equal(policy.getRemediationSteps(), rule.remediation);
      assert.equal(
        policy.getEnforcementlevel(),
        rule.enforcementLevel === "mandatory"
          ? EnforcementLevel.MANDATORY
          : EnforcementLevel.ADVISORY,
      );
    }
  });

  it("passes the uk stack, resource by resource and as a whole", async () => {
    const plan = plans.uk;
    for (const resource of plan.resources.filter((r) => r.custom)) {
      const response = await analyze(analyzeRequest(plan, resource));
      assert.deepEqual(diagnostics(response), [], resource.urn);
    }
    const stack = await analyzeStack(analyzeStackRequest(plan));
    assert.deepEqual(diagnostics(stack), []);
  });

  it("reports a changed resource as the offline runner does", async () => {
    const editor = new PlanEditor(plans.us);
    const template = editor.edit("us-aws-fleet-app-lt");
    template.inputs.metadataOptions.httpTokens = "optional";
    const plan = editor.plan();
    const response = await analyze(analyzeRequest(plan, editor.find("us-aws-fleet-app-lt")));
    const offline = checkPolicies(plan).filter((v) => v.urn === template.urn);
    assert.deepEqual(
      diagnostics(response),
      offline.map((v) => ({ policy: v.rule, urn: "", mandatory: v.level === "mandatory" })),
    );
    assert.ok(offline.some((v) => v.rule === "aws-imdsv2-required"));
  });

  it("reports a stack violation with the resource's URN", async () => {
    const editor = new PlanEditor(plans.uk);
    delete editor.edit("uk-gcp-lb-backend").inputs.securityPolicy;
    const response = await analyzeStack(analyzeStackRequest(editor.plan()));
    assert.deepEqual(diagnostics(response), [
      {
        policy: "gcp-cloud-armor-public-backends",
        urn: editor.find("uk-gcp-lb-backend").urn,
        mandatory: false,
      },
    ]);
  });
});
