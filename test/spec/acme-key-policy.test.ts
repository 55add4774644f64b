// A Sakura front orders its own certificates, and the key that writes their ACME challenges lists
// one challenge record per name (the public names and each nginx host's own) in an IAM user's
// inline policy, which IAM caps at 2,048 characters: a front too large for it is refused as bad
// input with the key to change, rather than failing halfway through a deploy.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec } from "../../components/spec/load";
import { rawRegion } from "../support/stacks";

function jpWithNginx(count: number) {
  const raw = rawRegion("jp") as { hosts: { nginx: { count: number } } };
  raw.hosts.nginx.count = count;
  return parseRegionSpec(raw, "Pulumi.jp.yaml");
}

describe("the front's ACME key policy", () => {
  it("fits 36 nginx hosts with jp's two public names (2,046 characters)", () => {
    assert.equal(jpWithNginx(36).hosts.nginx.count, 36);
  });

  it("refuses a 37th: one line naming the file, the key, and IAM's limit", () => {
    assert.throws(
      () => jpWithNginx(37),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          "Pulumi.jp.yaml: multicloud:region.hosts.nginx.count = 37: expected fewer nginx hosts or front.names: the key that writes the front certificates' ACME challenges may change 39 records, a policy of 2084 characters, over IAM's 2048 for a user's inline policy",
        );
        return true;
      },
    );
  });

  it("is not a limit where the cloud's own CA issues the front's certificate", () => {
    const raw = rawRegion("us") as { hosts: { nginx: { count: number } } };
    raw.hosts.nginx.count = 100;
    assert.equal(parseRegionSpec(raw, "Pulumi.us.yaml").hosts.nginx.count, 100);
  });
});
