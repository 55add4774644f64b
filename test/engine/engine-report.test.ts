// The pure parts of the engine run: its report lines, URN and violation comparisons, and the
// search for secrets in a stack export.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { changeCount, compareUrns, compareViolations } from "../../tools/engine/compare";
import { ciphertextCount, SECRET_SIGNATURE, secretPlaintexts } from "../../tools/engine/state";
import { drLine, stackLine } from "../../tools/engine/summary";
import { parseUrn } from "../../tools/engine/urn";

const secret = (plaintext: unknown) => ({
  [SECRET_SIGNATURE]: "1b47061264138c4ac30d75fd1eb44270",
  plaintext: JSON.stringify(plaintext),
});

describe("the engine run's report", () => {
  it("prints one line per stack and one for the rebuild, as specified", () => {
    assert.equal(
      stackLine({
        stack: "us",
        resources: 335,
        secondPreviewChanges: 0,
        urnsMatched: 335,
        urnsTotal: 335,
        destroyRefused: true,
        policiesRun: 46,
      }),
      "engine us: up 335 resources; second preview 0 changes; urns match 335/335; destroy refused yes; policy 46 rules run",
    );
    assert.equal(drLine("us-dr", false), "engine dr: us-dr read drBackups no");
  });

  it("counts matching URNs and names those on one side only", () => {
    assert.deepEqual(compareUrns(["a", "b", "c"], ["b", "c", "d"]), {
      matched: 2,
      total: 3,
      engineOnly: ["a"],
      planOnly: ["d"],
    });
  });

  it("counts every step of a preview but the unchanged ones", () => {
    assert.equal(changeCount({ same: 300, update: 2, create: 1 }), 3);
    assert.equal(changeCount({ same: 300 }), 0);
  });

  it("compares violations by level, rule and resource, the stack standing for none", () => {
    const stackUrn = "urn:pulumi:us::multicloud::pulumi:pulumi:Stack::multicloud-us";
    const engine = [{ rule: "r1", urn: "", level: "mandatory", message: "m" }];
    const plan = [{ rule: "r1", urn: stackUrn, level: "mandatory" as const, message: "m" }];
    assert.equal(compareViolations(engine, plan, stackUrn).same, true);
    const advisory = [{ rule: "r1", urn: stackUrn, level: "advisory" as const, message: "m" }];
    assert.deepEqual(compareViolations(engine, advisory, stackUrn).planOnly, [
      `advisory r1 ${stackUrn}`,
    ]);
  });

  it("finds the values of string secrets, and not the plain parts of secret objects", () => {
    const exported = {
      deployment: {
        resources: [
          {
            inputs: {
              token: secret("token-value-1234"),
              connection: secret({ host: "203.0.113.11", privateKey: "x" }),
              nested: [secret({ inner: secret("inner-secret-5678") })],
              short: secret("true"),
            },
          },
        ],
      },
    };
    assert.deepEqual(secretPlaintexts(exported), ["inner-secret-5678", "token-value-1234"]);
    assert.equal(
      ciphertextCount({ a: { [SECRET_SIGNATURE]: "x", ciphertext: "v1:abc" }, b: "plain" }),
      1,
    );
  });

  it("reads a URN's stack, project, own type and name", () => {
    assert.deepEqual(
      parseUrn(
        "urn:pulumi:us-dr::multicloud::multicloud:index:Region$pulumi:pulumi:StackReference::organization/multicloud/us",
      ),
      {
        stack: "us-dr",
        project: "multicloud",
        type: "pulumi:pulumi:StackReference",
        name: "organization/multicloud/us",
      },
    );
    assert.throws(() => parseUrn("arn:aws:s3:::bucket"), /not a Pulumi URN/);
  });
});
