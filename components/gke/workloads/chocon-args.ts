// chocon's command line, from the region's chocon settings. Pure.
import type { RegionSpec } from "../../spec/schema";
import { CHOCON } from "../contract";

/**
 * Flags of chocon (github.com/kazeburo/chocon). Only flags every release since 0.9 accepts are
 * used: chocon exits on an unknown flag. `idleTimeoutSeconds` has no flag: chocon closes idle
 * upstream connections after a fixed 30 s.
 */
export function choconArgs(settings: RegionSpec["chocon"]): string[] {
  return [
    "--listen=0.0.0.0",
    `--port=${CHOCON.containerPort}`,
    `--keepalive-conns=${settings.maxIdleConnsPerHost}`,
    `--proxy-read-timeout=${settings.upstreamTimeoutSeconds}`,
  ];
}
