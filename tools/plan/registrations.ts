// Waiting for a program's registrations to reach the monitor: shared by the plan, the benchmark's
// floor and the tests, which all run programs under mocks.

/** Waits until every registration started so far has reached the (mock) monitor. */
export async function waitForRegistrations(): Promise<void> {
  // waitForRPCs is exported by the runtime's settings module but not declared in its typings.
  const settings = require("@pulumi/pulumi/runtime/settings") as {
    waitForRPCs?: () => Promise<void>;
  };
  if (typeof settings.waitForRPCs !== "function") {
    throw new Error(
      "@pulumi/pulumi no longer exports runtime/settings.waitForRPCs: plans would miss resources",
    );
  }
  await settings.waitForRPCs();
}
