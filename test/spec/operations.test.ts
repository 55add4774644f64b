// operations.cidrs, where pulumi runs, is the first entry of every control plane's allow-list.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { loadSpec } from "../support/stacks";

describe("operations.cidrs", () => {
  it("comes first in GKE's authorized networks, before the ones the key adds", () => {
    assert.deepEqual(loadSpec("jp").gke?.authorizedNetworks, [
      { name: "operations-1", cidr: "198.51.100.0/24" },
      { name: "sakura-tokyo", cidr: "203.0.113.0/24" },
    ]);
    assert.deepEqual(loadSpec("us").gke?.authorizedNetworks, [
      { name: "operations-1", cidr: "198.51.100.0/24" },
    ]);
  });
});
