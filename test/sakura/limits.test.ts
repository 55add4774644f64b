// What `check` refuses because the API would, and that the fake API refuses the same: server
// plans that do not exist, disk sizes a plan does not offer, more than 30 rules in a filter.
// Expected values are Sakura's (see packages/sakura-cloud/src/provider/limits.ts for the sources).
import assert from "node:assert/strict";
import { after, before, beforeEach, describe, it } from "node:test";
import type { ApiPacketFilterExpression } from "@multicloud/sakura-cloud";
import {
  createDisk,
  createPacketFilter,
  createServer,
  type PacketFilterInputs,
  SakuraClient,
  SakuraPacketFilterProvider,
  SakuraServerProvider,
  type ServerInputs,
} from "@multicloud/sakura-cloud";
import type { FakeSakuraApi } from "./fake-api";
import {
  addUbuntuArchives,
  configure,
  recordingSleep,
  secret,
  standardArchiveId,
  startFake,
  testOptions,
  token,
  zone,
} from "./harness";

describe("Sakura Cloud limits", () => {
  let api: FakeSakuraApi;
  let root: string;
  let client: SakuraClient;
  let servers: SakuraServerProvider;
  let filters: SakuraPacketFilterProvider;

  const planFailures = async (cpu: number, memoryGb: number, commitment = "standard") =>
    (
      await servers.check(
        {} as ServerInputs,
        {
          zone,
          name: "s",
          cpu,
          memoryGb,
          commitment,
        } as ServerInputs,
      )
    ).failures ?? [];

  const rules = (n: number): PacketFilterInputs["expressions"] =>
    Array.from({ length: n }, (_, i) => ({
      protocol: "tcp",
      destinationPort: String(1000 + i),
      action: "allow",
    }));

  before(async () => {
    ({ api, root } = await startFake());
    addUbuntuArchives(api);
  });
  after(() => api.stop());
  beforeEach(async () => {
    const sleep = recordingSleep().sleep;
    client = new SakuraClient({
      zone,
      accessToken: token,
      accessTokenSecret: secret,
      apiRootUrl: root,
      sleep,
    });
    servers = new SakuraServerProvider(testOptions(sleep));
    filters = new SakuraPacketFilterProvider(testOptions(sleep));
    await configure(servers, root);
    await configure(filters, root);
    api.reset();
  });

  it("check takes the plans Sakura's own code uses and refuses pairs that are not plans", async () => {
    for (const [cpu, memoryGb] of [
      [1, 1],
      [2, 4],
      [4, 8],
      [4, 16],
      [10, 48],
    ]) {
      assert.deepEqual(
        await planFailures(cpu as number, memoryGb as number),
        [],
        `${cpu}/${memoryGb}`,
      );
    }
    assert.deepEqual(await planFailures(32, 120, "dedicatedcpu"), []);
    const refused = await planFailures(2, 8);
    assert.equal(refused.length, 1);
    assert.equal(refused[0]?.property, "memoryGb");
    assert.match(
      refused[0]?.reason ?? "",
      /^no standard Sakura Cloud server plan has 2 cores and 8 GiB; known plans \(cores\/GiB\): 1\/1, 1\/2, 2\/2, 2\/4, 4\/8/,
    );
    assert.equal((await planFailures(16, 64)).length, 1);
    assert.equal((await planFailures(32, 120)).length, 1, "32/120 is a dedicated-CPU plan only");
  });

  it("the API refuses a server plan that does not exist", async () => {
    await assert.rejects(
      createServer(client, {
        Name: "s",
        ServerPlan: { CPU: 2, MemoryMB: 8192 },
        ConnectedSwitches: [],
      }),
      /HTTP 400 param_res_not_found: no server plan 2\/8\/standard/,
    );
    const ok = await createServer(client, {
      Name: "s",
      ServerPlan: { CPU: 4, MemoryMB: 8192 },
      ConnectedSwitches: [],
    });
    assert.match(ok.ID, /^\d{12}$/);
  });

  it("the API refuses a disk size the plan does not offer", async () => {
    const disk = (sizeGb: number) =>
      createDisk(client, {
        Name: "d",
        Plan: { ID: 4 },
        SizeMB: sizeGb * 1024,
        SourceArchive: { ID: standardArchiveId },
      });
    await assert.rejects(
      disk(30),
      /HTTP 400 bad_request: Disk\.SizeMB 30720 is not a size of disk plan 4/,
    );
    await assert.rejects(disk(2000), /HTTP 400/);
    assert.match((await disk(250)).ID, /^\d{12}$/);
  });

  it("check and the API refuse a packet filter of more than 30 rules; 30 pass", async () => {
    const thirty = await filters.check(
      {} as PacketFilterInputs,
      { zone, name: "pf", expressions: rules(30) } as PacketFilterInputs,
    );
    assert.deepEqual(thirty.failures, []);
    const more = await filters.check(
      {} as PacketFilterInputs,
      { zone, name: "pf", expressions: rules(31) } as PacketFilterInputs,
    );
    assert.deepEqual(more.failures, [
      {
        property: "expressions",
        reason: "has 31 rules; a Sakura Cloud packet filter holds at most 30",
      },
    ]);
    const wire = (n: number): ApiPacketFilterExpression[] =>
      rules(n).map((r) => ({
        Protocol: r.protocol,
        DestinationPort: r.destinationPort ?? "",
        Action: r.action,
      }));
    await assert.rejects(
      createPacketFilter(client, { Name: "pf", Description: "", Expression: wire(31) }),
      /HTTP 400 bad_request: PacketFilter\.Expression has more than 30 rules/,
    );
    assert.match(
      (await createPacketFilter(client, { Name: "pf", Description: "", Expression: wire(30) })).ID,
      /^\d{12}$/,
    );
  });
});
