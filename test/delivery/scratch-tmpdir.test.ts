// The test scripts' wrapper (tools/ci/with-scratch-tmpdir.ts): the command gets a temporary
// directory of its own, and nothing of it is left once the command ends, whether it passes, fails,
// is ended by a signal, or the wrapper itself is told to stop.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { projectDir } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

const WRAPPER = join(projectDir, "tools", "ci", "with-scratch-tmpdir.ts");
const parent = mkdtempSync(join(tmpdir(), "scratch-parent-"));
after(() => rmSync(parent, { recursive: true, force: true }));

interface Ended {
  readonly status: number | null;
  readonly stdout: string;
}

/** Runs `bash -c script` through the wrapper, under `parent`; `onStart` sees the first output. */
function wrapped(script: string, onStart?: (pid: number) => void): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...TS_ROUTE, WRAPPER, "bash", "-c", script], {
      env: { ...process.env, TMPDIR: parent },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => {
      if (!stdout && child.pid !== undefined) onStart?.(child.pid);
      stdout += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout }));
  });
}

describe("a test run's own temporary directory", () => {
  it("is under the machine's, passable but not listable by others, and gone after", async () => {
    const ended = await wrapped(
      'echo "$TMPDIR"; stat -c %a "$TMPDIR"; echo "$MULTICLOUD_MACHINE_TMPDIR"; mkdir -p "$TMPDIR/a/b"; echo kept > "$TMPDIR/a/b/file"',
    );
    assert.equal(ended.status, 0);
    const [dir, mode, machine] = ended.stdout.trim().split("\n");
    assert.ok(dir?.startsWith(`${parent}/`), `TMPDIR was ${dir}`);
    assert.equal(mode, "711");
    // What must outlive the run (an engine copy kept on request) is told where to go.
    assert.equal(machine, parent);
    assert.deepEqual(readdirSync(parent), []);
  });

  it("passes the command's exit status on, and cleans up after a failure", async () => {
    const ended = await wrapped('touch "$TMPDIR/left"; exit 3');
    assert.equal(ended.status, 3);
    assert.deepEqual(readdirSync(parent), []);
  });

  it("reports a command a signal ended as a shell does (128 + the signal), and cleans up", async () => {
    const ended = await wrapped('touch "$TMPDIR/left"; kill -TERM $$');
    assert.equal(ended.status, 128 + 15);
    assert.deepEqual(readdirSync(parent), []);
  });

  it("passes SIGTERM sent to it alone on to the command, then cleans up", async () => {
    let signalled = false;
    const ended = await wrapped('touch "$TMPDIR/left"; echo started; exec sleep 30', (pid) => {
      signalled = true;
      process.kill(pid, "SIGTERM");
    });
    assert.ok(signalled);
    assert.equal(ended.status, 128 + 15);
    assert.deepEqual(readdirSync(parent), []);
  });

  it("fails with the command's name when it cannot be started", async () => {
    const child = spawn(process.execPath, [...TS_ROUTE, WRAPPER, "no-such-command-here"], {
      env: { ...process.env, TMPDIR: parent },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const status = await new Promise((resolve) => child.on("close", resolve));
    assert.equal(status, 127);
    assert.match(stderr, /no-such-command-here: spawn no-such-command-here ENOENT/);
    assert.deepEqual(readdirSync(parent), []);
  });
});

describe("the test scripts", () => {
  it("each run their tests through the wrapper", () => {
    const { scripts } = JSON.parse(readFileSync(join(projectDir, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    for (const name of ["test:unit", "test:estate", "test:engine"]) {
      assert.match(
        scripts[name] ?? "",
        /^node --require \.\/tools\/ts-loader\.cjs tools\/ci\/with-scratch-tmpdir\.ts node /,
        name,
      );
    }
  });
});
