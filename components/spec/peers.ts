// Reads the other stack files beside this one, for the checks that span regions.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { type PeerStack, REGION_CONFIG_KEY } from "./load";

const STACK_FILE = /^Pulumi\.([A-Za-z0-9_.-]+)\.ya?ml$/;

/** Every stack file in the project directory with its region value; unreadable files are skipped (their own run reports them). */
export function readPeerStacks(projectDir: string): PeerStack[] {
  const peers: PeerStack[] = [];
  for (const file of readdirSync(projectDir)
    .filter((name) => STACK_FILE.test(name))
    .sort()) {
    try {
      const document: unknown = parse(readFileSync(join(projectDir, file), "utf8"));
      const config = (document as { config?: Record<string, unknown> } | null)?.config;
      if (config && REGION_CONFIG_KEY in config)
        peers.push({ file, raw: config[REGION_CONFIG_KEY] });
    } catch {
      // A broken peer file is that stack's problem; it fails on its own run with its own message.
    }
  }
  return peers;
}
