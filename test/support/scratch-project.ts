// A copy of the project for tests that change stack files: the code is linked, the stack files
// are copied, so a test can break or add one without touching the real ones.
import { copyFileSync, mkdtempSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { projectDir, stacks } from "./stacks";

const LINKED = [
  "components",
  "tools",
  "node_modules",
  "package.json",
  "tsconfig.json",
  "Pulumi.yaml",
];

export function scratchProject(prefix = "multicloud-scratch-"): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  for (const entry of LINKED) symlinkSync(join(projectDir, entry), join(dir, entry));
  // A copy, not a link: the program reads the stack files beside its own file (__dirname), and
  // Node resolves a linked file to where it really is.
  copyFileSync(join(projectDir, "index.ts"), join(dir, "index.ts"));
  for (const stack of stacks) {
    copyFileSync(join(projectDir, `Pulumi.${stack}.yaml`), join(dir, `Pulumi.${stack}.yaml`));
  }
  return dir;
}
