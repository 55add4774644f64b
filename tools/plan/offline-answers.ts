// The offline answers to data-source calls (invokes). A real `pulumi up` asks the cloud; the
// offline plan and the tests ask this table. Each answer is what the cloud returns for the stack
// files in this repository, reduced to the fields the program reads. An invoke missing from the
// table fails loudly ("Mock not implemented") rather than returning something made up.

export type OfflineAnswer = (inputs: Record<string, unknown>) => Record<string, unknown>;

const awsZoneNames = (region: string) => [`${region}a`, `${region}b`, `${region}c`, `${region}d`];

export const offlineAnswers: Record<string, OfflineAnswer> = {
  // Oregon offers four zones; the program takes the first three unless the spec lists them.
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: awsZoneNames("us-west-2"),
    zoneIds: ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    state: "available",
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: "123456789012",
    arn: "arn:aws:iam::123456789012:role/deployer",
    userId: "AROAEXAMPLE:deployer",
  }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
  "aws:index/getRegion:getRegion": (inputs) => ({
    name: typeof inputs.name === "string" ? inputs.name : "us-west-2",
    region: typeof inputs.region === "string" ? inputs.region : "us-west-2",
  }),
};

export function answerInvoke(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const answer = offlineAnswers[token];
  if (!answer)
    throw new Error(
      `Mock not implemented: ${token} (add its answer to tools/plan/offline-answers.ts)`,
    );
  return answer(inputs);
}
