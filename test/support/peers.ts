// Where the tests find the real peer programs built from their Go modules by tools/peers/build.sh
// (which .ci/run calls). A peer that is not built fails the test that needs it, with the command
// that builds it: no test skips for want of a program.
import { execFileSync } from "node:child_process";
import path from "node:path";

const buildScript = path.join(__dirname, "..", "..", "tools", "peers", "build.sh");

/** The path of one binary of a built peer, e.g. peerBinary("consul", "consul"). */
export function peerBinary(peer: string, binary: string): string {
  let dir: string;
  try {
    dir = execFileSync("bash", [buildScript, "--print", peer], { encoding: "utf8" }).trim();
  } catch (error) {
    const stderr = (error as { stderr?: Buffer | string }).stderr?.toString().trim();
    throw new Error(stderr || `peer ${peer} is not built: run bash tools/peers/build.sh ${peer}`);
  }
  return path.join(dir, binary);
}
