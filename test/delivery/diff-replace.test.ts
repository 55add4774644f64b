// Replacements the providers' schemas force and updates the clouds refuse, as the plan diff
// reports them. Expected values are the providers' and clouds' documented behaviour.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { diffPlans, type ResourceChange } from "../../tools/plan/diff";
import { renderDiffText } from "../../tools/plan/diff-tree";
import { renderDiffMarkdown } from "../../tools/plan/markdown";
import type { PlannedResource } from "../../tools/plan/plan";
import { plan, resource } from "./plans";

function change(before: PlannedResource, after: PlannedResource): ResourceChange {
  const changes = diffPlans(plan(before), plan(after)).changes;
  assert.equal(changes.length, 1, JSON.stringify(changes.map((c) => c.kind)));
  return changes[0] as ResourceChange;
}

const withInputs = (r: PlannedResource, inputs: Record<string, unknown>): PlannedResource => ({
  ...r,
  inputs: { ...r.inputs, ...inputs },
});

const vpc = resource("aws:ec2/vpc:Vpc", "us-vpc", {
  inputs: { cidrBlock: "10.20.0.0/16", enableDnsHostnames: true },
});
const subnet = resource("aws:ec2/subnet:Subnet", "us-app-a", {
  inputs: { cidrBlock: "10.20.0.0/20", vpcId: "vpc-1", availabilityZone: "us-west-2a" },
});
const volume = resource("aws:ebs/volume:Volume", "us-mysql-1-data", {
  protect: true,
  inputs: { availabilityZone: "us-west-2a", size: 500, type: "gp3", encrypted: true },
});
const database = resource("aws:rds/instance:Instance", "us-db-accounts", {
  protect: true,
  inputs: { engine: "mysql", allocatedStorage: 100, instanceClass: "db.m7g.large" },
});

describe("replacements from the providers' schemas", () => {
  it("a VPC's CIDR change is a replacement", () => {
    const c = change(vpc, withInputs(vpc, { cidrBlock: "10.30.0.0/16" }));
    assert.equal(c.kind, "replace");
    assert.equal(c.replaceReason, "inputs");
    assert.deepEqual(c.replacingInputs, ["cidrBlock"]);
    assert.deepEqual(c.warnings, [
      "re-created: cidrBlock forces replacement (aws_vpc.cidr_block: ForceNew)",
    ]);
    const dns = change(vpc, withInputs(vpc, { enableDnsHostnames: false }));
    assert.equal(dns.kind, "update");
  });

  it("a subnet's CIDR change is a replacement", () => {
    const c = change(subnet, withInputs(subnet, { cidrBlock: "10.20.16.0/20" }));
    assert.equal(c.kind, "replace");
    assert.deepEqual(c.replacingInputs, ["cidrBlock"]);
    const zone = change(subnet, withInputs(subnet, { availabilityZone: "us-west-2b" }));
    assert.deepEqual(zone.replacingInputs, ["availabilityZone"]);
    const publicIp = change(subnet, withInputs(subnet, { mapPublicIpOnLaunch: true }));
    assert.equal(publicIp.kind, "update");
  });

  it("a GCP subnetwork's range may widen in place; narrowing or moving it re-creates it", () => {
    const sub = resource("gcp:compute/subnetwork:Subnetwork", "uk-app", {
      inputs: { ipCidrRange: "10.40.0.0/20", network: "uk-net", region: "europe-west2" },
    });
    const wider = change(sub, withInputs(sub, { ipCidrRange: "10.40.0.0/19" }));
    assert.equal(wider.kind, "update");
    const narrower = change(sub, withInputs(sub, { ipCidrRange: "10.40.0.0/21" }));
    assert.equal(narrower.kind, "replace");
    const moved = change(sub, withInputs(sub, { ipCidrRange: "10.41.0.0/20" }));
    assert.equal(moved.kind, "replace");
  });

  it("a protected volume re-created by a new zone is a danger", () => {
    const c = change(volume, withInputs(volume, { availabilityZone: "us-west-2b" }));
    assert.equal(c.kind, "replace");
    assert.match(c.danger ?? "", /^re-creates a protected EBS volume: availabilityZone forces/);
  });

  it("Kubernetes: a Deployment's selector and a ConfigMap's data replace; labels update", () => {
    const deployment = resource("kubernetes:apps/v1:Deployment", "api", {
      inputs: {
        metadata: { name: "api", labels: { app: "api" } },
        spec: { selector: { matchLabels: { app: "api" } }, replicas: 2 },
      },
    });
    const selector = change(deployment, {
      ...deployment,
      inputs: {
        metadata: { name: "api", labels: { app: "api" } },
        spec: { selector: { matchLabels: { app: "api2" } }, replicas: 2 },
      },
    });
    assert.equal(selector.kind, "replace");
    assert.deepEqual(selector.replacingInputs, ["spec.selector"]);
    const replicas = change(deployment, {
      ...deployment,
      inputs: {
        metadata: { name: "api", labels: { app: "api" } },
        spec: { selector: { matchLabels: { app: "api" } }, replicas: 3 },
      },
    });
    assert.equal(replicas.kind, "update");
    const renamed = change(deployment, {
      ...deployment,
      inputs: { ...deployment.inputs, metadata: { name: "api-2", labels: { app: "api" } } },
    });
    assert.deepEqual(renamed.replacingInputs, ["metadata.name"]);

    const provider = resource("pulumi:providers:kubernetes", "gke", { inputs: {} });
    const config = resource("kubernetes:core/v1:ConfigMap", "routes", {
      provider: provider.urn,
      inputs: { metadata: { name: "routes" }, data: { "routes.json": "{}" } },
    });
    const edited = { ...config, inputs: { ...config.inputs, data: { "routes.json": "[]" } } };
    const replaced = diffPlans(plan(provider, config), plan(provider, edited)).changes;
    assert.deepEqual(
      replaced.map((c) => [c.kind, c.replacingInputs]),
      [["replace", ["data"]]],
    );
    const mutable = { ...provider, inputs: { enableConfigMapMutable: "true" } };
    const updated = diffPlans(plan(mutable, config), plan(mutable, edited)).changes;
    assert.deepEqual(
      updated.map((c) => c.kind),
      ["update"],
    );
  });

  it("a remote command re-runs from scratch when its triggers change", () => {
    const command = resource("command:remote:Command", "install", {
      inputs: { create: "install.sh", triggers: ["a"] },
    });
    const c = change(command, withInputs(command, { triggers: ["b"] }));
    assert.equal(c.kind, "replace");
    const script = change(command, withInputs(command, { create: "install2.sh" }));
    assert.equal(script.kind, "update");
  });
});

describe("replacements from terraform-provider-aws (read at v6.58.0)", () => {
  const template = resource("aws:ec2/launchTemplate:LaunchTemplate", "us-web-lt", {
    inputs: {
      namePrefix: "us-web-lt-",
      imageId: "ami-1",
      instanceType: "m7i.large",
      userData: "I2Nsb3VkLWNvbmZpZw==",
      updateDefaultVersion: true,
    },
  });

  it("a launch template's image, type or user data is an update (a new version); its name is not", () => {
    const c = change(
      template,
      withInputs(template, { imageId: "ami-2", instanceType: "m7i.xlarge", userData: "eA==" }),
    );
    assert.deepEqual([c.kind, c.replacingInputs, c.warnings], ["update", [], []]);
    const renamed = change(template, withInputs(template, { namePrefix: "us-app-lt-" }));
    assert.equal(renamed.kind, "replace");
    assert.deepEqual(renamed.replacingInputs, ["namePrefix"]);
  });

  it("an auto scaling group follows a new template version in place; a new name re-creates it", () => {
    const group = resource("aws:autoscaling/group:Group", "us-web-asg", {
      inputs: { launchTemplate: { id: "lt-1", version: "3" }, minSize: 2, maxSize: 4 },
    });
    const version = change(
      group,
      withInputs(group, { launchTemplate: { id: "lt-1", version: "4" } }),
    );
    assert.equal(version.kind, "update");
    const renamed = change(group, withInputs(group, { name: "us-web-2" }));
    assert.deepEqual(renamed.replacingInputs, ["name"]);
  });

  it("an S3 bucket's name change is a replacement, a danger for the protected backup bucket", () => {
    const bucket = resource("aws:s3/bucket:Bucket", "us-offsite-bucket", {
      protect: true,
      inputs: { bucketPrefix: "multicloud-us-backups-", forceDestroy: false, tags: { Name: "a" } },
    });
    const c = change(bucket, withInputs(bucket, { bucketPrefix: "multicloud-us-dr-" }));
    assert.equal(c.kind, "replace");
    assert.deepEqual(c.replacingInputs, ["bucketPrefix"]);
    assert.equal(
      c.danger,
      "re-creates a protected Amazon S3 bucket (its objects): bucketPrefix forces replacement (aws_s3_bucket.bucket_prefix: ForceNew)",
    );
    const named = resource("aws:s3/bucket:Bucket", "logs", { inputs: { bucket: "logs-a" } });
    assert.deepEqual(change(named, withInputs(named, { bucket: "logs-b" })).replacingInputs, [
      "bucket",
    ]);
    const tags = change(bucket, withInputs(bucket, { tags: { Name: "b" } }));
    assert.deepEqual([tags.kind, tags.danger], ["update", undefined]);
  });

  it("an ACM certificate's domain change is a replacement; its tags are an update", () => {
    const certificate = resource("aws:acm/certificate:Certificate", "us-www-cert", {
      inputs: {
        domainName: "www.example.com",
        subjectAlternativeNames: ["example.com"],
        validationMethod: "DNS",
        keyAlgorithm: "RSA_2048",
        tags: { Name: "www.example.com" },
      },
    });
    const c = change(certificate, withInputs(certificate, { domainName: "www.example.net" }));
    assert.equal(c.kind, "replace");
    assert.deepEqual(c.replacingInputs, ["domainName"]);
    assert.match(
      c.warnings.join("\n"),
      /aws_acm_certificate\.domain_name: ForceNew in CustomizeDiff/,
    );
    const names = change(
      certificate,
      withInputs(certificate, { subjectAlternativeNames: ["example.com", "api.example.com"] }),
    );
    assert.deepEqual(names.replacingInputs, ["subjectAlternativeNames"]);
    const tags = change(certificate, withInputs(certificate, { tags: { Name: "x" } }));
    assert.equal(tags.kind, "update");
  });

  it("a fixed instance: a new AMI or subnet re-creates it; a new type or monitoring does not", () => {
    const host = resource("aws:ec2/instance:Instance", "us-mysql-1-instance", {
      protect: true,
      inputs: { ami: "ami-1", instanceType: "r7i.large", subnetId: "subnet-a", monitoring: true },
    });
    const resized = change(
      host,
      withInputs(host, { instanceType: "r7i.xlarge", monitoring: false }),
    );
    assert.deepEqual([resized.kind, resized.danger], ["update", undefined]);
    const moved = change(host, withInputs(host, { ami: "ami-2", subnetId: "subnet-b" }));
    assert.deepEqual(moved.replacingInputs, ["ami", "subnetId"]);
    assert.match(
      moved.danger ?? "",
      /^re-creates a protected fixed EC2 instance: ami, subnetId forces/,
    );
  });

  it("a security group rule: a new address is an update, a new kind of source re-creates it", () => {
    const rule = resource("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "https", {
      inputs: {
        securityGroupId: "sg-1",
        ipProtocol: "tcp",
        fromPort: 443,
        toPort: 443,
        cidrIpv4: "10.0.0.0/8",
      },
    });
    const address = change(rule, withInputs(rule, { cidrIpv4: "10.1.0.0/16", toPort: 444 }));
    assert.equal(address.kind, "update");
    const { cidrIpv4: _dropped, ...rest } = rule.inputs;
    const peer = change(rule, { ...rule, inputs: { ...rest, referencedSecurityGroupId: "sg-2" } });
    assert.equal(peer.kind, "replace");
    assert.deepEqual(peer.replacingInputs, ["cidrIpv4", "referencedSecurityGroupId"]);
    const group = change(rule, withInputs(rule, { securityGroupId: "sg-3" }));
    assert.deepEqual(group.replacingInputs, ["securityGroupId"]);
  });

  it("a secret's value is a new version; a resource moved to another region is re-created", () => {
    const version = resource("aws:secretsmanager/secretVersion:SecretVersion", "consul-token", {
      inputs: { secretId: "arn:secret", secretString: "a" },
    });
    const c = change(version, withInputs(version, { secretString: "b" }));
    assert.deepEqual([c.kind, c.replacingInputs], ["replace", ["secretString"]]);
    const group = resource("aws:cloudwatch/logGroup:LogGroup", "flow-logs", {
      inputs: { name: "/multicloud/us/flow", retentionInDays: 30 },
    });
    const retention = change(group, withInputs(group, { retentionInDays: 90 }));
    assert.equal(retention.kind, "update");
    const moved = change(group, withInputs(group, { region: "us-east-1" }));
    assert.deepEqual(moved.replacingInputs, ["region"]);
  });
});

describe("updates the cloud refuses", () => {
  it("shrinking an EBS volume is refused, growing it is an update", () => {
    const shrink = change(volume, withInputs(volume, { size: 400 }));
    assert.equal(shrink.kind, "update");
    assert.equal(shrink.refused.length, 1);
    assert.match(
      shrink.refused[0] ?? "",
      /^size 500 -> 400 GiB: an EBS volume cannot shrink \(EC2 API ModifyVolume/,
    );
    const grow = change(volume, withInputs(volume, { size: 600 }));
    assert.equal(grow.kind, "update");
    assert.deepEqual(grow.refused, []);
    assert.deepEqual(grow.warnings, []);
  });

  it("shrinking RDS storage is refused, unless autoscaling makes the provider ignore it", () => {
    const shrink = change(database, withInputs(database, { allocatedStorage: 50 }));
    assert.equal(shrink.refused.length, 1);
    assert.match(
      shrink.refused[0] ?? "",
      /^allocatedStorage 100 -> 50 GiB: RDS storage cannot shrink/,
    );
    const autoscaled = withInputs(database, { maxAllocatedStorage: 500 });
    const ignored = change(autoscaled, withInputs(autoscaled, { allocatedStorage: 50 }));
    assert.deepEqual(ignored.refused, []);
    assert.match(
      ignored.warnings.join("\n"),
      /allocatedStorage 100 -> 50 GiB is ignored while storage autoscaling is on/,
    );
  });

  it("growing RDS storage is an update; by less than 10% it is rounded up", () => {
    const grow = change(database, withInputs(database, { allocatedStorage: 200 }));
    assert.deepEqual([grow.kind, grow.refused, grow.warnings], ["update", [], []]);
    const small = change(database, withInputs(database, { allocatedStorage: 105 }));
    assert.deepEqual(small.refused, []);
    assert.match(small.warnings.join("\n"), /RDS rounds it up to 110 GiB/);
  });

  it("a storage autoscaling ceiling less than 10% above the storage is refused", () => {
    const low = change(database, withInputs(database, { maxAllocatedStorage: 105 }));
    assert.match(
      low.refused.join("\n"),
      /maxAllocatedStorage 105 GiB is not at least 10% above allocatedStorage 100 GiB/,
    );
    const ok = change(database, withInputs(database, { maxAllocatedStorage: 110 }));
    assert.deepEqual(ok.refused, []);
  });

  it("the text and the Markdown say REFUSED and list the replacement", () => {
    const diff = diffPlans(
      plan(volume, vpc),
      plan(withInputs(volume, { size: 100 }), withInputs(vpc, { cidrBlock: "10.9.0.0/16" })),
    );
    const text = renderDiffText(diff, { color: false, baseName: "base.json" });
    assert.match(text, /^REFUSED: 1 update\(s\) the cloud refuses/m);
    assert.match(text, /^REFUSED +aws:ebs\/volume:Volume us-mysql-1-data: size 500 -> 100 GiB/m);
    assert.match(
      text,
      /\+- └─ aws:ec2\/vpc:Vpc +us-vpc +\[changed: cidrBlock; replaced: cidrBlock\]/,
    );
    assert.match(text, /1 to replace, 1 to update/);
    const markdown = renderDiffMarkdown(diff, { baseName: "base.json" });
    assert.match(
      markdown,
      /^### Stack `t`: 0 to add, 0 to remove, 1 to replace, 1 to update :no_entry: \*\*REFUSED\*\*$/m,
    );
    assert.match(
      markdown,
      /^\| :no_entry: \*\*REFUSED\*\* \| `aws:ebs\/volume:Volume` \| `us-mysql-1-data` \| size 500 -\\> 100 GiB/m,
    );
    assert.match(markdown, /^#### Replaced \(1\)$/m);
    assert.match(
      markdown,
      /`aws:ec2\/vpc:Vpc` \| `us-vpc` \| replaced: cidrBlock; changed: cidrBlock/,
    );
  });
});
