// The copy of the project an engine test runs in, as `npm run test:engine` sets it up: the CLI
// built by tools/peers/build.sh pulumi (or the user's own, MULTICLOUD_PULUMI), and the chocon
// build a deploy gets from the artifacts workflow, and new GCP projects. Removed afterwards unless
// MULTICLOUD_KEEP_ENGINE_WORK is set; then it is made in the machine's temporary directory, not the
// test run's own, which the test scripts remove (tools/ci/with-scratch-tmpdir.ts).
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MACHINE_TMPDIR_ENV } from "../../../tools/ci/with-scratch-tmpdir";
import { ENABLED_SERVICES_FILE_ENV } from "../../../tools/engine/stand-in-gcp-services";
import { createWorkspace, type EngineWorkspace } from "../../../tools/engine/workspace";
import { OFFLINE_CHOCON_BINARY } from "../../../tools/plan/offline-config";
import { peerBinary } from "../../support/peers";
import { projectDir } from "../../support/stacks";

export function engineWorkspace(stacks: readonly string[]): EngineWorkspace {
  const workspace = createWorkspace({
    repoDir: projectDir,
    pulumi: process.env.MULTICLOUD_PULUMI ?? peerBinary("pulumi", "pulumi"),
    stacks,
    passphrase: "engine-test-passphrase",
    ...(process.env.MULTICLOUD_KEEP_ENGINE_WORK
      ? { parent: process.env[MACHINE_TMPDIR_ENV] ?? tmpdir() }
      : {}),
  });
  // The offline plan's stand-in bytes, named by the same digests (offlineConfig), so the engine
  // and the offline plan plan the same objects.
  mkdirSync(join(workspace.projectDir, ".artifacts"));
  writeFileSync(
    join(workspace.projectDir, ".artifacts", "chocon-linux-amd64"),
    OFFLINE_CHOCON_BINARY,
  );
  // The stand-in gcp plugin starts from new projects: an up enables the APIs and waits for them,
  // and the next run finds them on.
  workspace.env[ENABLED_SERVICES_FILE_ENV] = join(workspace.root, "gcp-enabled-services");
  return workspace;
}

export function removeEngineWorkspace(workspace: EngineWorkspace | undefined): void {
  if (workspace && !process.env.MULTICLOUD_KEEP_ENGINE_WORK)
    rmSync(workspace.root, { recursive: true, force: true });
  else if (workspace) console.log(`engine work kept in ${workspace.root}`);
}
