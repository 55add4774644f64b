// The limits tables over the plans of every stack: nothing a cloud's API would refuse, every
// limit reaching values of some plan (a limit whose input path matches nothing guards nothing),
// and the plan command failing with exit code 4, naming resource, input and limit, when a stack
// file makes a value the API refuses.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { allLimits, checkPlanLimits, formatLimitViolations } from "../../tools/plan/limits";
import { checkedValues } from "../../tools/plan/limits/check";
import { projectCopy, runPlanCli, type StackRun, stackRuns } from "../policy/plans";
import { projectDir, type StackName, stacks } from "../support/stacks";

/** Limits no current plan reaches, each kept on purpose. */
const IDLE = [
  // EC2 user data sent as text: the program sends gzip as userDataBase64; this guards a return.
  "ec2-instance-user-data-text-size",
];

let runs: Record<StackName, StackRun>;
const scratch = mkdtempSync(join(tmpdir(), "multicloud-limits-"));

before(async () => {
  runs = await stackRuns();
});

after(() => rmSync(scratch, { recursive: true, force: true }));

describe("the limits over the stacks' plans", () => {
  for (const stack of stacks) {
    it(`${stack}: no value a cloud's API would refuse`, () => {
      const violations = checkPlanLimits(runs[stack].plan);
      assert.deepEqual(violations, [], formatLimitViolations(violations, allLimits.length));
    });
  }

  it("every limit checks values of some plan", () => {
    const counts = new Map<string, number>();
    for (const stack of stacks)
      for (const [id, count] of checkedValues(runs[stack].plan, allLimits))
        counts.set(id, (counts.get(id) ?? 0) + count);
    const idle = [...counts].filter(([, count]) => count === 0).map(([id]) => id);
    assert.deepEqual(idle, IDLE);
    // User data of all 11 EC2 hosts of us: 9 instances, 2 launch templates.
    assert.equal(
      (counts.get("ec2-instance-user-data-size") ?? 0) + (counts.get("ec2-user-data-size") ?? 0),
      11,
    );
  });

  it("a 10-letter region name makes a target group name AWS refuses: exit 4", async () => {
    // The schema allows region names of 2-10 letters; the target group's auto-name then runs
    // to 34 characters, over the 32 that ELB takes.
    const stackFile = readFileSync(join(projectDir, "Pulumi.us.yaml"), "utf8").replace(
      /^( {4}name:) us$/m,
      "$1 oregonprod",
    );
    assert.match(stackFile, /^ {4}name: oregonprod$/m);
    const project = projectCopy(join(scratch, "project"), { "Pulumi.us.yaml": stackFile });
    const result = await runPlanCli(project, ["--stack", "us"]);
    assert.equal(result.code, 4, result.stderr);
    assert.match(
      result.stderr,
      /^ {2}oregonprod-aws-front-nginx \(aws:lb\/targetGroup:TargetGroup\) name \(auto-named: "oregonprod-aws-front-nginx-" and 7 random characters\): "oregonprod-aws-front-nginx-0000000" has 34 characters, more than 32; limit elb-target-group-name-length: target group name, at most 32 characters \[botocore elbv2 CreateTargetGroupInput\.Name: /m,
    );
    assert.doesNotMatch(result.stdout, /Limits: \d+ cloud limits, no violations/);
  });
});
