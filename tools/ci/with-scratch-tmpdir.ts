// Runs a command with TMPDIR set to a directory of its own, and removes that directory when the
// command ends, however it ends: `node --require ./tools/ts-loader.cjs tools/ci/with-scratch-tmpdir.ts
// <command> [args...]`. The test scripts run through it, so a test run leaves nothing in the
// machine's temporary directory, even a test that is killed or forgets its scratch. On a machine
// that runs the tests again and again (a CI runner keeps its disk between jobs), what is left behind
// adds up: the restore test's four MariaDB data directories alone are about 460 MB a run.
import { spawn } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { constants, tmpdir } from "node:os";
import { join } from "node:path";

/** Where the run's directory was made (the machine's temporary directory), for what must outlive it. */
export const MACHINE_TMPDIR_ENV = "MULTICLOUD_MACHINE_TMPDIR";

/**
 * Makes the run's directory. Others may pass through it (not list it): tests hand a subdirectory
 * of their own to an unprivileged user, as the MySQL role check runs as one.
 */
export function makeScratchTmpdir(parent: string = tmpdir()): string {
  const dir = mkdtempSync(join(parent, "multicloud-tests-"));
  chmodSync(dir, 0o711);
  return dir;
}

/** Removes the run's directory; a file a leftover process still holds does not stop it. */
export function removeScratchTmpdir(dir: string): void {
  rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
}

function main(argv: readonly string[]): void {
  const [command, ...args] = argv;
  if (!command) {
    console.error("with-scratch-tmpdir: usage: with-scratch-tmpdir.ts <command> [args...]");
    process.exit(2);
  }
  const machineTmpdir = tmpdir();
  const dir = makeScratchTmpdir(machineTmpdir);
  const env = { ...process.env, TMPDIR: dir, [MACHINE_TMPDIR_ENV]: machineTmpdir };
  const child = spawn(command, args, { stdio: "inherit", env });
  // A signal sent to this process alone is passed on, so the command stops first and this process
  // cleans up after it. (Ctrl-C reaches the command from the terminal as well; it stops as it would
  // without this process, and the directory is still removed.)
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  process.on("SIGINT", forward("SIGINT"));
  process.on("SIGTERM", forward("SIGTERM"));
  child.on("error", (error) => {
    removeScratchTmpdir(dir);
    console.error(`with-scratch-tmpdir: ${command}: ${error.message}`);
    process.exitCode = 127;
  });
  child.on("exit", (code, signal) => {
    removeScratchTmpdir(dir);
    // As a shell reports a command that a signal ended: 128 plus the signal's number.
    process.exitCode = code ?? 128 + (signal ? constants.signals[signal] : 0);
  });
}

if (require.main === module) main(process.argv.slice(2));
