// Which CAs the zone's CAA allows: the clouds' own by default, and Let's Encrypt too where the
// front's nginx hosts order their certificates themselves (Sakura); a list that leaves it out
// there is refused with the key to change.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ConfigError } from "../../components/spec/errors";
import { parseRegionSpec } from "../../components/spec/load";
import { rawRegion } from "../support/stacks";

function parsed(stack: "jp" | "us" | "uk", caaIssuers?: string[]) {
  const raw = rawRegion(stack) as { dns?: Record<string, unknown> };
  if (caaIssuers) raw.dns = { ...raw.dns, caaIssuers };
  return parseRegionSpec(raw, `Pulumi.${stack}.yaml`);
}

describe("CAA issuers", () => {
  it("default to the clouds' CAs, and Let's Encrypt on Sakura, whose fronts order from it", () => {
    assert.deepEqual(parsed("jp").dns.caaIssuers, ["amazon.com", "pki.goog", "letsencrypt.org"]);
    assert.deepEqual(parsed("us").dns.caaIssuers, ["amazon.com", "pki.goog"]);
    assert.deepEqual(parsed("uk").dns.caaIssuers, ["amazon.com", "pki.goog"]);
  });

  it("may be narrowed on Sakura, keeping Let's Encrypt", () => {
    assert.deepEqual(parsed("jp", ["pki.goog", "letsencrypt.org"]).dns.caaIssuers, [
      "pki.goog",
      "letsencrypt.org",
    ]);
  });

  it("without Let's Encrypt on Sakura: one line naming the file and the key", () => {
    assert.throws(
      () => parsed("jp", ["pki.goog"]),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError);
        assert.equal(
          error.message,
          `Pulumi.jp.yaml: multicloud:region.dns.caaIssuers = ["pki.goog"]: expected letsencrypt.org among the issuers: the front's nginx hosts order their certificates from Let's Encrypt, which CAA would refuse`,
        );
        return true;
      },
    );
  });
});
