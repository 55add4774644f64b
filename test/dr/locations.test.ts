// The places a rebuild may go, against the clouds' own lists: AWS regions as the pinned botocore
// lists them, GCP regions and zones as Google's page does, Sakura zones as Sakura's client does
// (its sandbox refused), and the GKE region a rebuild's cluster moves to.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REPOSITORY_ID } from "../../components/gke";
import { repositoryUrl } from "../../components/gke/registry";
import { DrInputError } from "../../tools/dr/errors";
import { checkLocation, checkZones, gcpZones, gkeRegionFor } from "../../tools/dr/locations";
import { AWS_REGIONS } from "../../tools/dr/locations/aws-regions";
import { registryOf } from "../../tools/dr/rebuild-gke";
import { referencesDir } from "../limits/references";

function refused(run: () => unknown, expected: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof DrInputError, String(error));
    assert.match(error.message, expected);
    assert.equal(error.message.split("\n").length, 1);
    return true;
  });
}

describe("AWS regions", () => {
  it("are exactly the commercial partition of the pinned botocore's partitions.json", () => {
    const partitions = JSON.parse(
      readFileSync(join(referencesDir(), "botocore", "data", "partitions.json"), "utf8"),
    ) as { partitions: { id: string; regions: Record<string, { description: string }> }[] };
    const aws = partitions.partitions.find((partition) => partition.id === "aws");
    assert.ok(aws, "botocore has the aws partition");
    const fromBotocore = Object.fromEntries(
      Object.entries(aws.regions)
        .filter(([code]) => code !== "aws-global")
        .map(([code, region]) => [code, region.description]),
    );
    assert.deepEqual(AWS_REGIONS, fromBotocore);
  });

  it("takes real regions and refuses made-up ones, naming the real ones alike", () => {
    checkLocation("--to", "aws", "us-east-1", []);
    checkLocation("--to", "aws", "ap-northeast-3", []);
    refused(
      () => checkLocation("--to", "aws", "us-east-9", []),
      /^--to us-east-9: not an AWS region \(.*botocore.*\); known: us-east-1, us-east-2$/,
    );
    refused(() => checkLocation("--to", "aws", "cn-north-1", []), /not an AWS region/);
  });

  it("zones are the region and one letter; AWS maps the letters per account", () => {
    checkZones("aws", "us-east-1", ["us-east-1a", "us-east-1f"]);
    refused(
      () => checkZones("aws", "us-east-1", ["us-east-1a", "us-east-2b"]),
      /us-east-2b is not a zone of us-east-1/,
    );
    refused(() => checkZones("aws", "us-east-1", ["us-east-1a", "us-east-1ab"]), /is not a zone/);
    refused(() => checkZones("aws", "us-east-1", ["us-east-1a"]), /expected 2 to 4 zones/);
    refused(
      () => checkZones("aws", "us-east-1", ["us-east-1a", "us-east-1a"]),
      /names a zone twice/,
    );
  });
});

describe("GCP regions and zones", () => {
  it("Paris (europe-west9) is real; europe-west7 is not", () => {
    checkLocation("--to", "gcp", "europe-west9", []);
    refused(
      () => checkLocation("--to", "gcp", "europe-west7", []),
      /^--to europe-west7: not a GCP region .*; known: europe-west1, /,
    );
  });

  it("zones as the region has them: not always a, b, c", () => {
    assert.deepEqual(gcpZones("europe-west1", 3), [
      "europe-west1-b",
      "europe-west1-c",
      "europe-west1-d",
    ]);
    assert.deepEqual(gcpZones("us-east1", 2), ["us-east1-b", "us-east1-c"]);
    assert.deepEqual(gcpZones("europe-west2", 3), [
      "europe-west2-a",
      "europe-west2-b",
      "europe-west2-c",
    ]);
    assert.deepEqual(gcpZones("us-central1", 4), [
      "us-central1-a",
      "us-central1-b",
      "us-central1-c",
      "us-central1-f",
    ]);
    refused(
      () => checkZones("gcp", "europe-west1", ["europe-west1-a", "europe-west1-b"]),
      /europe-west1-a is not a zone of europe-west1/,
    );
  });
});

describe("Sakura zones", () => {
  it("the five that run servers; the sandbox and unknown ones refused", () => {
    for (const zone of ["tk1a", "tk1b", "is1a", "is1b", "is1c"])
      checkLocation("--to", "sakura", zone, []);
    refused(() => checkLocation("--to", "sakura", "tk1v", []), /sandbox zone runs no servers/);
    refused(() => checkLocation("--to", "sakura", "os1a", []), /not a Sakura Cloud zone/);
  });
});

describe("the GKE region of a rebuild", () => {
  it("the GCP region beside the rebuild's location, never the lost cluster's", () => {
    assert.equal(gkeRegionFor("us-east-1", "aws", "us-west1", undefined), "us-east4");
    assert.equal(gkeRegionFor("us-west-2", "aws", "us-west1", undefined), "us-west2");
    assert.equal(gkeRegionFor("is1a", "sakura", "asia-northeast1", undefined), "asia-northeast2");
    assert.equal(gkeRegionFor("europe-west1", "gcp", "europe-west2", undefined), "europe-west1");
    assert.equal(
      gkeRegionFor("sa-east-1", "aws", "us-west1", "southamerica-west1"),
      "southamerica-west1",
    );
    refused(
      () => gkeRegionFor("me-south-1", "aws", "us-west1", undefined),
      /^--gke-region: none is known near me-south-1/,
    );
    refused(
      () => gkeRegionFor("europe-west2", "gcp", "europe-west2", undefined),
      /none is known near europe-west2 apart from europe-west2/,
    );
  });

  it("names the registry as the GKE component does", () => {
    assert.equal(
      registryOf("example-us-prod", "us-east4"),
      repositoryUrl("example-us-prod", "us-east4", REPOSITORY_ID),
    );
  });
});
