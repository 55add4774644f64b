// Microservices built from the real us stack file, under mocks.
import { before, describe } from "node:test";
import { clusterSuite } from "./cluster-suite";
import { buildMicroservices, type MockedProgram } from "./support";
import { workloadsSuite } from "./workloads-suite";

describe("Microservices (us)", () => {
  let program: MockedProgram | undefined;
  before(async () => {
    program = await buildMicroservices("us");
  });
  const load = (): MockedProgram => {
    if (!program) throw new Error("the us program was not built");
    return program;
  };
  describe("cluster", () => clusterSuite(load));
  describe("workloads", () => workloadsSuite(load));
});
