// `npm run dr -- --stack <s> --retire`: the command that deletes the lost stack's own front records
// and their health checks, and nothing it shares with its rebuild (challenges, the gateway's name,
// the zone's CAA record).
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { drScratch, run } from "./run-tool";

const urnsIn = (text: string) =>
  [...text.matchAll(/--target '([^']+)'/g)].map((m) => m[1]?.split("::").at(-1));

describe("npm run dr -- --retire", { concurrency: true }, () => {
  it("us: the PRIMARY records of the front's names and their health check", async () => {
    const result = await run("dr", ["--stack", "us", "--retire"], drScratch());
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /^us's own records of example\.com, www\.example\.com and their health checks \(3 resources/,
    );
    assert.match(result.stdout, /^ {2}pulumi destroy -s us \\$/m);
    assert.deepEqual(urnsIn(result.stdout), [
      "us-aws-front-failover-health",
      "us-aws-front-apex-a",
      "us-aws-front-www-a",
    ]);
  });

  it("jp: one record per nginx host and name, and each host's health check", async () => {
    const result = await run("dr", ["--stack", "jp", "--retire"], drScratch());
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(urnsIn(result.stdout), [
      "jp-sakura-front-nginx-1",
      "jp-sakura-front-nginx-2",
      "jp-sakura-front-nginx-3",
      "jp-sakura-front-apex-nginx-1",
      "jp-sakura-front-apex-nginx-2",
      "jp-sakura-front-apex-nginx-3",
      "jp-sakura-front-www-nginx-1",
      "jp-sakura-front-www-nginx-2",
      "jp-sakura-front-www-nginx-3",
    ]);
  });
});
