// A stand-in for a cloud provider plugin (aws, gcp, kubernetes, random, command, tls) that the real
// Pulumi engine launches like the real plugin (`pulumi-resource-<package> <engine address>`). It
// answers from the same table as the offline plan's mocks: a created resource's state is its
// inputs plus the invented outputs of tools/plan/fake-outputs.ts, and data-source calls are
// answered by tools/plan/offline-answers.ts, except whether a Google API is on where the engine
// tests give it a file to keep that in (stand-in-gcp-services.ts). It never opens a connection of
// its own.
//
//   node --import tsx tools/engine/stand-in-provider.ts <package> [engine address and flags...]
import { createRequire } from "node:module";
import { main, type Provider } from "@pulumi/pulumi/provider";
import { fakeId, fakeState } from "../plan/fake-outputs";
import { answerInvoke } from "../plan/offline-answers";
import {
  ENABLED_SERVICES_FILE_ENV,
  GET_SERVICE_TOKEN,
  projectServiceAnswer,
  recordEnabled,
  SERVICE_TYPE,
} from "./stand-in-gcp-services";
import { typeAndNameOfUrn } from "./urn";

export const STAND_IN_PACKAGES = ["aws", "gcp", "kubernetes", "random", "command", "tls"] as const;

/** The version of the package's SDK the program uses: what the engine asks the plugin to be. */
function sdkVersion(pkg: string): string {
  const require = createRequire(__filename);
  return (require(`@pulumi/${pkg}/package.json`) as { version: string }).version;
}

export function standInProvider(version: string): Provider {
  // Set by the engine tests: the projects start new, and the creates enable their APIs.
  const enabledServices = process.env[ENABLED_SERVICES_FILE_ENV];
  return {
    version,
    // No check: the inputs are taken as given. No diff: the engine compares old and new inputs
    // itself (DIFF_UNKNOWN), so a stand-in asks for no replacement a real provider might.
    create: async (urn, inputs: Record<string, unknown>) => {
      const { type, name } = typeAndNameOfUrn(urn);
      if (type === SERVICE_TYPE && enabledServices) recordEnabled(enabledServices, inputs);
      return { id: fakeId(name), outs: fakeState(type, name, inputs) };
    },
    update: async (_id, urn, _olds, news: Record<string, unknown>) => {
      const { type, name } = typeAndNameOfUrn(urn);
      return { outs: fakeState(type, name, news) };
    },
    delete: async () => {},
    invoke: async (token, inputs: Record<string, unknown>) => ({
      outputs:
        token === GET_SERVICE_TOKEN && enabledServices
          ? projectServiceAnswer(enabledServices, inputs)
          : answerInvoke(token, inputs),
    }),
  };
}

if (require.main === module) {
  const [pkg, ...engineArgs] = process.argv.slice(2);
  if (!pkg || !(STAND_IN_PACKAGES as readonly string[]).includes(pkg)) {
    console.error(`stand-in-provider: expected one of ${STAND_IN_PACKAGES.join(", ")}, got ${pkg}`);
    process.exit(2);
  }
  void main(standInProvider(sdkVersion(pkg)), engineArgs);
}
