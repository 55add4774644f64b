// The hosts' image: Canonical's Ubuntu 24.04 LTS (noble) for the instance type's architecture,
// the newest that Canonical has published in the region.
import type * as pulumi from "@pulumi/pulumi";
import * as aws from "../sdk/aws";
import type { Architecture } from "./machine-types";

/** Canonical's AWS account: only images it owns are considered. */
export const canonicalOwnerId = "099720109477";

const imageArchitecture: Record<Architecture, string> = { x86_64: "amd64", arm64: "arm64" };

export function ubuntuImageNamePattern(architecture: Architecture): string {
  return `ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-${imageArchitecture[architecture]}-server-*`;
}

export interface MachineImage {
  readonly id: pulumi.Output<string>;
  /** The root device of the image (/dev/sda1 for Ubuntu), which the root volume mapping names. */
  readonly rootDeviceName: pulumi.Output<string>;
}

/** Looks an image up once per architecture, however many roles use it. */
export class UbuntuImages {
  private readonly found = new Map<Architecture, MachineImage>();

  constructor(
    private readonly provider: aws.Provider,
    private readonly parent: pulumi.Resource,
  ) {}

  public for(architecture: Architecture): MachineImage {
    const known = this.found.get(architecture);
    if (known) return known;
    const image = aws.ec2.getAmiOutput(
      {
        owners: [canonicalOwnerId],
        mostRecent: true,
        filters: [
          { name: "name", values: [ubuntuImageNamePattern(architecture)] },
          { name: "architecture", values: [architecture] },
          { name: "virtualization-type", values: ["hvm"] },
          { name: "root-device-type", values: ["ebs"] },
        ],
      },
      { provider: this.provider, parent: this.parent },
    );
    const result = { id: image.id, rootDeviceName: image.rootDeviceName };
    this.found.set(architecture, result);
    return result;
  }
}
