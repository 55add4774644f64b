// The stand-in plugins answer the engine as the offline plan's mocks answer the program: ids and
// outputs from the plan's fake outputs, data sources from its offline table, and no connection
// anywhere (a command is never run, its host never dialled).
import assert from "node:assert/strict";
import { type AddressInfo, createServer } from "node:net";
import { describe, it } from "node:test";
import { standInProvider } from "../../tools/engine/stand-in-provider";

const provider = standInProvider("1.2.1");

describe("the stand-in plugins", () => {
  it("create a resource as its inputs plus the outputs a provider would add", async () => {
    const urn =
      "urn:pulumi:us::multicloud::multicloud:index:Region$multicloud:aws:Network$aws:ec2/eip:Eip::us-aws-network-nat-a-eip";
    const created = await provider.create?.(urn, { domain: "vpc" });
    assert.equal(created?.id, "us-aws-network-nat-a-eip-id");
    assert.equal(created?.outs.domain, "vpc");
    assert.match(String(created?.outs.allocationId), /^eipalloc-[0-9a-f]{17}$/);
  });

  it("create a remote command without dialling its host", async () => {
    // A listener stands where the host would be: a command that ran would connect to it first.
    let connections = 0;
    const listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
    const { port } = listener.address() as AddressInfo;
    const urn =
      "urn:pulumi:jp::multicloud::multicloud:index:Region$multicloud:sakura:Site$command:remote:Command::jp-sakura-app01-bootstrap";
    const inputs = { connection: { host: "127.0.0.1", port }, create: "sudo bash -s" };
    const created = await provider.create?.(urn, inputs);
    await new Promise<void>((resolve) => listener.close(() => resolve()));
    assert.equal(connections, 0);
    assert.deepEqual(created?.outs.connection, { host: "127.0.0.1", port });
    assert.equal(created?.outs.create, "sudo bash -s");
  });

  it("answer data sources from the offline table, and refuse one it lacks", async () => {
    const zones = await provider.invoke?.(
      "aws:index/getAvailabilityZones:getAvailabilityZones",
      {},
    );
    assert.deepEqual(zones?.outputs.names, [
      "us-west-2a",
      "us-west-2b",
      "us-west-2c",
      "us-west-2d",
    ]);
    await assert.rejects(
      async () => provider.invoke?.("aws:ec2/getVpc:getVpc", {}),
      /Mock not implemented: aws:ec2\/getVpc:getVpc/,
    );
  });

  it("report the version they stand in for", () => {
    assert.equal(provider.version, "1.2.1");
  });
});
