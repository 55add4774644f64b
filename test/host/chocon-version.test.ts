// One chocon version for the whole estate: the release the hosts install and the image the GKE
// clusters run agree (0.12.6, the newest release of github.com/kazeburo/chocon), and a stack file
// naming another tag is refused with the key and the reason.
import assert from "node:assert/strict";
import { test } from "node:test";
import { CHOCON_RELEASE, renderChoconInstallTool } from "../../components/host/chocon";
import { parseRegionSpec } from "../../components/spec/load";
import { rawRegion } from "../support/stacks";
import { loadStack } from "./support";

test("hosts install chocon 0.12.6 and both GKE clusters run the 0.12.6 image", () => {
  assert.equal(CHOCON_RELEASE.version, "0.12.6");
  assert.match(
    renderChoconInstallTool(),
    /^readonly URL=https:\/\/github\.com\/kazeburo\/chocon\/releases\/download\/v0\.12\.6\/chocon_linux_amd64\.zip$/m,
  );
  assert.equal(
    loadStack("jp").gke?.chocon.image,
    "asia-northeast1-docker.pkg.dev/example-jp-prod/services/chocon:0.12.6",
  );
  assert.equal(
    loadStack("us").gke?.chocon.image,
    "us-west1-docker.pkg.dev/example-us-prod/services/chocon:0.12.6",
  );
});

test("a chocon image tagged with another version is refused, naming the key", () => {
  const raw = rawRegion("us") as { gke: { chocon: { image: string } } };
  raw.gke.chocon.image = "us-west1-docker.pkg.dev/example-us-prod/services/chocon:0.13.0";
  assert.throws(
    () => parseRegionSpec(raw, "Pulumi.us.yaml"),
    (error: Error) =>
      error.message.includes("gke.chocon.image") &&
      error.message.includes(
        "expected the tag 0.12.6 (the chocon every host runs) or no tag, not 0.13.0",
      ),
  );
  // The same version, tagged explicitly or pinned by digest as well, is accepted as it is.
  const digest = `sha256:${"a".repeat(64)}`;
  raw.gke.chocon.image = `us-west1-docker.pkg.dev/example-us-prod/services/chocon:0.12.6@${digest}`;
  assert.equal(
    parseRegionSpec(raw, "Pulumi.us.yaml").gke?.chocon.image,
    `us-west1-docker.pkg.dev/example-us-prod/services/chocon:0.12.6@${digest}`,
  );
});
