// Stack files that once crashed the plan or planned what a cloud refuses, fed to `npm run plan` as
// written: each ends with exit 2 and exactly one line per problem, naming the file, the key, the
// value and what is expected.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { REGION_CONFIG_KEY } from "../../components/spec/load";
import { makeDrStackFile } from "../../tools/dr/make-dr-spec";
import { renderDrStackFile } from "../../tools/dr/render";
import { scratchProject } from "../support/scratch-project";
import { rawRegion } from "../support/stacks";
import { TS_ROUTE } from "../support/ts-route";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function plan(dir: string, stack: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TS_ROUTE, join(dir, "tools/plan/cli.ts"), "--stack", stack],
      { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_OPTIONS: "" } },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

interface Case {
  readonly title: string;
  readonly stack: string;
  /** The stack file's new text, from its text in this repository. */
  readonly edit: (text: string) => string;
  /** Every line the plan prints on stderr, exactly. */
  readonly expected: readonly string[];
}

/** Replaces one exact piece of a stack file; the test fails if the piece is not there. */
function replace(from: string, to: string): (text: string) => string {
  return (text) => {
    assert.ok(text.includes(from), `the stack file has no ${JSON.stringify(from)}`);
    return text.replace(from, to);
  };
}

const KEYS =
  "name, description, domain, tags, cloud, operations, aws, gcp, sakura, network, front, hosts, consul, dns, chocon, gke, googleApiWaitSeconds, links, dr, alerts";

const cases: readonly Case[] = [
  {
    title: "an alias inside the value it names",
    stack: "us",
    edit: () => "config:\n  multicloud:region:\n    description: &d [*d]\n",
    expected: [
      "plan: Pulumi.us.yaml: not valid YAML: the alias *d at line 3, column 22 is inside the value it names (a value cannot contain itself)",
    ],
  },
  {
    title: "an alias inside the value it names, under a key nothing reads",
    stack: "us",
    edit: (text) => `unused: &d [*d]\n${text}`,
    expected: [
      "plan: Pulumi.us.yaml: not valid YAML: the alias *d at line 1, column 13 is inside the value it names (a value cannot contain itself)",
    ],
  },
  {
    title: "a key with a line break and a terminal escape",
    stack: "us",
    edit: replace("    cloud: aws\n", '    cloud: aws\n    "bad\\nkey\\e[31m": 1\n'),
    expected: [
      `plan: Pulumi.us.yaml: multicloud:region["bad\\nkey\\u001b[31m"] is not a known key: expected only the keys ${KEYS}`,
    ],
  },
  {
    title: "five availability zones",
    stack: "us",
    edit: replace(
      "zones: [us-west-2a, us-west-2b, us-west-2c]",
      "zones: [us-west-2a, us-west-2b, us-west-2c, us-west-2d, us-west-2e]",
    ),
    expected: [
      'plan: Pulumi.us.yaml: multicloud:region.aws.zones = ["us-west-2a","us-west-2b","us-west-2c","us-west-2d","us-...: expected at most 4 availability zones: the address plan has room for 4 zones per tier',
    ],
  },
  {
    title: "six availability zones",
    stack: "us",
    edit: replace(
      "zones: [us-west-2a, us-west-2b, us-west-2c]",
      "zones: [us-west-2a, us-west-2b, us-west-2c, us-west-2d, us-west-2e, us-west-2f]",
    ),
    expected: [
      'plan: Pulumi.us.yaml: multicloud:region.aws.zones = ["us-west-2a","us-west-2b","us-west-2c","us-west-2d","us-...: expected at most 4 availability zones: the address plan has room for 4 zones per tier',
    ],
  },
  {
    title: "one gateway prefix routed twice",
    stack: "us",
    edit: replace(
      "- { prefix: /v1/search, service: search, port: 50051 }",
      "- { prefix: /v1/items, service: search, port: 50051 }",
    ),
    expected: [
      'plan: Pulumi.us.yaml: multicloud:region.gke.gateway.routes[1].prefix = "/v1/items": expected a prefix of its own (routes[0] has /v1/items): a path goes to one service',
    ],
  },
  {
    title: "a dedicated server named like a cloud host",
    stack: "jp",
    edit: replace("{ name: app01,", "{ name: nginx-1,"),
    expected: [
      'plan: Pulumi.jp.yaml: multicloud:region.sakura.dedicated[0].name = "nginx-1": expected a name apart from <role>-<number> (such as nginx-1), which the program gives cloud hosts',
    ],
  },
  {
    title: "SSH and the control plane open to the internet",
    stack: "jp",
    edit: replace("cidrs: [198.51.100.0/24]", "cidrs: [0.0.0.0/0]"),
    expected: [
      'plan: Pulumi.jp.yaml: multicloud:region.operations.cidrs[0] = "0.0.0.0/0": expected a narrow range (/8 or longer): SSH and the GKE control plane must not be open to the internet',
    ],
  },
  {
    title: "the former key for SSH sources",
    stack: "jp",
    edit: replace("      diskPlan: ssd\n", "      diskPlan: ssd\n      adminCidrs: [0.0.0.0/0]\n"),
    expected: [
      "plan: Pulumi.jp.yaml: multicloud:region.sakura.adminCidrs is not a known key: expected operations.cidrs instead: the networks pulumi runs from, which SSH on the hosts and the GKE control plane both admit",
    ],
  },
  {
    title: "an internal zone that shadows Consul",
    stack: "jp",
    edit: replace("    consul:\n", "    dns: { internalDomain: consul }\n    consul:\n"),
    expected: [
      'plan: Pulumi.jp.yaml: multicloud:region.dns.internalDomain = "consul": expected a zone apart from consul: unbound forwards consul. to the Consul agent, and the internal zone would shadow it',
    ],
  },
  {
    title: "an internal zone that shadows a chocon suffix",
    stack: "uk",
    edit: replace("    consul:\n", "    dns: { internalDomain: ccnproxy-https }\n    consul:\n"),
    expected: [
      'plan: Pulumi.uk.yaml: multicloud:region.dns.internalDomain = "ccnproxy-https": expected a zone apart from ccnproxy-https: every *.ccnproxy-https name is sent to chocon, and the internal zone would shadow it',
    ],
  },
  {
    title: "a description over its length",
    stack: "us",
    edit: (text) => text.replace(/^ {4}description: .*$/m, `    description: ${"d".repeat(201)}`),
    expected: [
      'plan: Pulumi.us.yaml: multicloud:region.description = "dddddddddddddddddddddddddddddddddddddddddddddddddddddddd...: expected text of at most 200 characters',
    ],
  },
  {
    title: "a name where a list of names belongs",
    stack: "us",
    edit: replace('names: ["@", www]', "names: www"),
    expected: [
      'plan: Pulumi.us.yaml: multicloud:region.front.names = "www": expected a list of names',
    ],
  },
  {
    title: "infinity for a count",
    stack: "uk",
    edit: replace("servers: 3", "servers: .inf"),
    expected: [
      "plan: Pulumi.uk.yaml: multicloud:region.consul.servers = .inf: expected 3 or 5 (an odd number of servers keeps a quorum)",
    ],
  },
];

/** A rebuild of us whose restores read the outputs of another stack. */
function rebuildReading(stack: string): string {
  const file = makeDrStackFile({
    stack: "us",
    config: { [REGION_CONFIG_KEY]: rawRegion("us") },
    to: "us-east-1",
    now: new Date("2025-06-10T04:00:00Z"),
  });
  const text = renderDrStackFile(file);
  assert.ok(text.includes("fromStack: us"));
  return text.replaceAll("fromStack: us", `fromStack: ${stack}`);
}

describe("bad stack files, through npm run plan", { concurrency: true }, () => {
  for (const c of cases) {
    it(`${c.title}: exit 2 and one line`, async () => {
      const dir = scratchProject("multicloud-bad-input-");
      const file = join(dir, `Pulumi.${c.stack}.yaml`);
      writeFileSync(file, c.edit(readFileSync(file, "utf8")));
      const result = await plan(dir, c.stack);
      assert.equal(result.code, 2, result.stderr);
      assert.deepEqual(result.stderr.trimEnd().split("\n"), c.expected);
      assert.equal(result.stdout, "");
    });
  }

  it("a stack file that cannot be read: exit 2, one line naming it and why", async () => {
    const dir = scratchProject("multicloud-bad-input-");
    // A directory where the stack file should be: even root cannot read it as a file.
    rmSync(join(dir, "Pulumi.us.yaml"));
    mkdirSync(join(dir, "Pulumi.us.yaml"));
    const result = await plan(dir, "us");
    assert.equal(result.code, 2, result.stderr);
    assert.deepEqual(result.stderr.trimEnd().split("\n"), [
      "plan: Pulumi.us.yaml: cannot read it (EISDIR: illegal operation on a directory, read)",
    ]);
    assert.equal(result.stdout, "");
  });

  it("restores from a stack the offline plan has no file of: exit 2, a line per database", async () => {
    const dir = scratchProject("multicloud-bad-input-");
    writeFileSync(join(dir, "Pulumi.us-dr.yaml"), rebuildReading("eu"));
    const result = await plan(dir, "us-dr");
    assert.equal(result.code, 2, result.stderr);
    const key = "multicloud:region.dr.restore.rds";
    const expected = (db: string) =>
      `plan: Pulumi.us-dr.yaml: ${key}.${db}.pointInTime.fromStack = "eu": expected a stack with its stack file here: the offline plan answers its outputs from Pulumi.eu.yaml, which does not exist`;
    assert.deepEqual(result.stderr.trimEnd().split("\n"), [
      expected("accounts"),
      expected("notifications"),
    ]);
  });

  it("restores from a stack that has no such database: exit 2, a line per database", async () => {
    const dir = scratchProject("multicloud-bad-input-");
    writeFileSync(join(dir, "Pulumi.us-dr.yaml"), rebuildReading("jp"));
    const result = await plan(dir, "us-dr");
    assert.equal(result.code, 2, result.stderr);
    assert.deepEqual(result.stderr.trimEnd().split("\n"), [
      'plan: Pulumi.us-dr.yaml: multicloud:region.dr.restore.rds.accounts.pointInTime.fromStack = "jp": expected a stack whose aws.rds has a database accounts: Pulumi.jp.yaml has none, so its drBackups output names no backups of it',
      'plan: Pulumi.us-dr.yaml: multicloud:region.dr.restore.rds.notifications.pointInTime.fromStack = "jp": expected a stack whose aws.rds has a database notifications: Pulumi.jp.yaml has none, so its drBackups output names no backups of it',
    ]);
  });
});
