// The plan CLI (tools/plan/cli.ts) with one change: the monitor hands over the public zone twice,
// as a program that registered two resources of one name would. Spawned by cli.test.ts as
// `node --require ./tools/ts-loader.cjs duplicate-urn-cli.ts --stack us`.
import type { PlannedResource } from "../../tools/plan/plan";

// The monitor module itself: run.ts reaches the class through it at call time.
const { RecordingMonitor } = require("../../tools/plan/monitor") as {
  RecordingMonitor: { prototype: { resourcesInEngineForm(): PlannedResource[] } };
};
const resourcesInEngineForm = RecordingMonitor.prototype.resourcesInEngineForm;
RecordingMonitor.prototype.resourcesInEngineForm = function (this: unknown) {
  const resources = resourcesInEngineForm.call(this);
  const zone = resources.find((resource) => resource.name === "us-public-zone");
  return zone ? [...resources, { ...zone }] : resources;
};

require("../../tools/plan/cli");
