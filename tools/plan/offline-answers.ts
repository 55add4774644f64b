// The offline answers to data-source calls (invokes). A real `pulumi up` asks the cloud; the
// offline plan and the tests ask this table. Each answer is what the cloud returns for the stack
// files in this repository, reduced to the fields the program reads. An invoke missing from the
// table fails loudly ("Mock not implemented") rather than returning something made up.

/** What the offline cloud is like beyond the stack files: the plan's `--new-project` sets it. */
export interface OfflineCloud {
  /** The GCP projects are new: no API the program enables is on yet (a project's first up). */
  readonly newGcpProjects: boolean;
}

export const ESTABLISHED_CLOUD: OfflineCloud = { newGcpProjects: false };

export type OfflineAnswer = (
  inputs: Record<string, unknown>,
  cloud: OfflineCloud,
) => Record<string, unknown>;

const awsZoneNames = (region: string) => [`${region}a`, `${region}b`, `${region}c`, `${region}d`];

export const offlineAnswers: Record<string, OfflineAnswer> = {
  // Oregon offers four zones; the program takes the first three unless the spec lists them.
  "aws:index/getAvailabilityZones:getAvailabilityZones": () => ({
    names: awsZoneNames("us-west-2"),
    zoneIds: ["usw2-az1", "usw2-az2", "usw2-az3", "usw2-az4"],
    state: "available",
  }),
  // Canonical's newest Ubuntu 24.04 image in us-west-2, per architecture (filters carry it).
  "aws:ec2/getAmi:getAmi": (inputs) => {
    const arm = JSON.stringify(inputs.filters ?? []).includes("arm64");
    const arch = arm ? "arm64" : "amd64";
    return {
      id: arm ? "ami-0a9b8c7d6e5f40312" : "ami-0d4f3e2c1b0a98765",
      imageId: arm ? "ami-0a9b8c7d6e5f40312" : "ami-0d4f3e2c1b0a98765",
      name: `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${arch}-server-20250610`,
      architecture: arm ? "arm64" : "x86_64",
      ownerId: "099720109477",
      rootDeviceName: "/dev/sda1",
      rootDeviceType: "ebs",
      virtualizationType: "hvm",
      creationDate: "2025-06-10T12:00:00.000Z",
    };
  },
  // The account that Elastic Load Balancing writes access logs from in us-west-2.
  "aws:elb/getServiceAccount:getServiceAccount": () => ({
    id: "797873946194",
    arn: "arn:aws:iam::797873946194:root",
  }),
  "aws:index/getCallerIdentity:getCallerIdentity": () => ({
    accountId: "123456789012",
    arn: "arn:aws:iam::123456789012:role/deployer",
    userId: "AROAEXAMPLE:deployer",
  }),
  "aws:index/getPartition:getPartition": () => ({ partition: "aws", dnsSuffix: "amazonaws.com" }),
  // The public zone a rebuild of a lost region shares (dns.existingZone): the one the domain's
  // own stack made, with the name servers the registrar delegates to.
  "aws:route53/getZone:getZone": (inputs) => ({
    id: "Z0EXISTINGPUBLICZONE",
    zoneId: "Z0EXISTINGPUBLICZONE",
    name: typeof inputs.name === "string" ? inputs.name : "example.com",
    privateZone: false,
    // As Route53 gives them, without a final dot (GetHostedZone in botocore's route53 examples).
    nameServers: [
      "ns-1.awsdns-00.com",
      "ns-2.awsdns-00.net",
      "ns-3.awsdns-00.org",
      "ns-4.awsdns-00.co.uk",
    ],
  }),
  // A snapshot of a lost GCP region's data disk: by name (dr.restore.mysqlDisks.<host>.snapshot),
  // or the latest of a disk that the filter names, a stand-in called <disk>-offline-latest since
  // GCE names scheduled snapshots itself. creationTimestamp is Compute's "creation timestamp in
  // RFC3339 text format" (compute.v1 Snapshot); this one carries an offset, not Z.
  "gcp:compute/getSnapshot:getSnapshot": (inputs) => {
    const project = typeof inputs.project === "string" ? inputs.project : "example-project";
    let name: string;
    let disk: string;
    if (typeof inputs.name === "string") {
      name = inputs.name;
      // Scheduled snapshots are named <disk>-<zone>-<time>-<suffix>; else the name's first part.
      disk = /^(.+-data)-/.exec(name)?.[1] ?? name;
    } else {
      const found = /\/([a-z0-9-]+)\$?"?$/.exec(String(inputs.filter ?? ""))?.[1];
      if (found === undefined) throw new Error(`getSnapshot: no disk in filter ${inputs.filter}`);
      disk = found;
      name = `${disk}-offline-latest`;
    }
    return {
      id: `projects/${project}/global/snapshots/${name}`,
      name,
      project,
      selfLink: `https://www.googleapis.com/compute/v1/projects/${project}/global/snapshots/${name}`,
      sourceDisk: `https://www.googleapis.com/compute/v1/projects/${project}/zones/offline/disks/${disk}`,
      creationTimestamp: "2025-06-10T04:00:12.000-07:00",
    };
  },
  // An EBS snapshot a rebuild's MySQL volume is created from (dr.restore.mysqlDisks.<host>.snapshot),
  // looked up by id. startTime is EC2's Snapshot.StartTime, "the time stamp when the snapshot was
  // initiated" (botocore's ec2 model: a timestamp, ISO 8601 text in EC2's protocol), which the
  // provider gives as RFC 3339 text in UTC.
  "aws:ebs/getSnapshot:getSnapshot": (inputs) => {
    const ids = Array.isArray(inputs.snapshotIds) ? inputs.snapshotIds : [];
    const id = ids[0];
    if (ids.length !== 1 || typeof id !== "string") {
      throw new Error(`ebs getSnapshot: expected one snapshot id, got ${JSON.stringify(ids)}`);
    }
    return {
      id,
      snapshotId: id,
      state: "completed",
      startTime: "2025-06-10T10:00:07Z",
    };
  },
  // Whether an API is on in a project (Service Usage's list of enabled services, through the
  // provider's data source). The repository's projects run already: every API is on, unless the
  // plan is for a project's first up (--new-project), where none is. An enabled service's id is
  // "<project>/<service>" (terraform-provider-google, data_source_google_project_service.go); for
  // one that is off the resource's Read clears the id, the SDK gives no state, and the bridge
  // hands the program an empty object (pulumi-terraform-bridge, pkg/tfbridge/provider.go, Invoke).
  "gcp:projects/getProjectService:getProjectService": (inputs, cloud) => {
    if (typeof inputs.project !== "string" || typeof inputs.service !== "string")
      throw new Error(
        `getProjectService: expected a project and a service, got ${JSON.stringify(inputs)}`,
      );
    if (cloud.newGcpProjects) return {};
    return {
      id: `${inputs.project}/${inputs.service}`,
      project: inputs.project,
      service: inputs.service,
    };
  },
  "aws:index/getRegion:getRegion": (inputs) => ({
    name: typeof inputs.name === "string" ? inputs.name : "us-west-2",
    region: typeof inputs.region === "string" ? inputs.region : "us-west-2",
  }),
};

export function answerInvoke(
  token: string,
  inputs: Record<string, unknown>,
  cloud: OfflineCloud = ESTABLISHED_CLOUD,
): Record<string, unknown> {
  const answer = offlineAnswers[token];
  if (!answer)
    throw new Error(
      `Mock not implemented: ${token} (add its answer to tools/plan/offline-answers.ts)`,
    );
  return answer(inputs, cloud);
}
