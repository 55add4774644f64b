// Reads the other stack files beside this one, for the checks that span regions.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type PeerStack, REGION_CONFIG_KEY } from "./load";
import { parseStackFile } from "./stack-yaml";

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;

/** Every stack file in the project directory with its region value; unreadable files are skipped (their own run reports them). */
export function readPeerStacks(projectDir: string): PeerStack[] {
  const peers: PeerStack[] = [];
  for (const file of readdirSync(projectDir)
    .filter((name) => STACK_FILE.test(name))
    .sort()) {
    try {
      const { config } = parseStackFile(readFileSync(join(projectDir, file), "utf8"), file);
      if (Object.hasOwn(config, REGION_CONFIG_KEY))
        peers.push({ file, raw: config[REGION_CONFIG_KEY] });
    } catch {
      // A broken peer file is that stack's problem; it fails on its own run with its own message.
    }
  }
  return peers;
}
