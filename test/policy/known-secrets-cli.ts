// The plan CLI (tools/plan/cli.ts), unchanged, with two differences: resources that make secrets
// (random values, access keys) get the known outputs of known-secrets.ts instead of none, and the
// encrypted deploy key of the stack file is the known key, so that their values flow through the
// program as the real ones would. It also notes which resources received a known value among
// their inputs (before the plan masks secrets) in DIR/secret-flow.json, so that a test can tell
// the values did flow. Spawned by plans.ts as `node --require ./tools/ts-loader.cjs known-secrets-cli.ts --stack S --out DIR`.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import {
  KNOWN_KEY_CONFIG,
  KNOWN_SSH_PRIVATE_KEY,
  knownSecretOutputs,
  knownSecretValues,
} from "./known-secrets";

/** Known value -> the resources (type::name) whose inputs held it. */
const flow: Record<string, string[]> = {};
const sources: { type: string; name: string }[] = [];

function noteFlow(type: string, name: string, inputs: unknown): void {
  const text = JSON.stringify(inputs) ?? "";
  for (const value of knownSecretValues(sources)) {
    if (text.includes(value)) flow[value] = [...(flow[value] ?? []), `${type}::${name}`];
  }
}

const wrapped = new WeakSet<object>();
const registerResource = MockMonitor.prototype.registerResource;

// The plan's monitor extends MockMonitor and reaches this method through `super`; the mocks it
// calls are the plan's own, wrapped once to add the known outputs.
MockMonitor.prototype.registerResource = function (this: MockMonitor, req, callback) {
  const mocks = this.mocks;
  if (!wrapped.has(mocks)) {
    wrapped.add(mocks);
    const newResource = mocks.newResource.bind(mocks);
    mocks.newResource = async (args) => {
      noteFlow(args.type, args.name, args.inputs);
      const result = await newResource(args);
      const known = knownSecretOutputs(args.type, args.name);
      if (!known) return result;
      sources.push({ type: args.type, name: args.name });
      return { ...result, state: { ...result.state, ...known } };
    };
  }
  return registerResource.call(this, req, callback);
};

// The stack file holds the deploy key encrypted, which the offline plan cannot decrypt: the
// program is given the known key in its place, still marked secret.
// The runtime's config module, itself: run.ts reaches setAllConfig through it at call time.
const runtimeConfig = require("@pulumi/pulumi/runtime/config") as {
  setAllConfig(config: Record<string, string>, secretKeys?: string[]): void;
};
const setAllConfig = runtimeConfig.setAllConfig;
runtimeConfig.setAllConfig = (config, secretKeys) =>
  setAllConfig(
    KNOWN_KEY_CONFIG in config ? { ...config, [KNOWN_KEY_CONFIG]: KNOWN_SSH_PRIVATE_KEY } : config,
    secretKeys,
  );

const outAt = process.argv.indexOf("--out");
const outDir = outAt > 0 ? process.argv[outAt + 1] : undefined;
if (outDir) {
  process.on("exit", () => {
    mkdirSync(outDir, { recursive: true });
    writeFileSync(
      join(outDir, "secret-flow.json"),
      `${JSON.stringify({ sources, flow }, null, 2)}\n`,
    );
  });
}

require("../../tools/plan/cli");
