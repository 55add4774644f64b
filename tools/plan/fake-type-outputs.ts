// Outputs that a real provider returns for every resource of a type and that the program reads:
// the names providers give resources created without one, generated ids and keys, certificate
// validation records, a cluster's endpoint. Without them a run under mocks sees `undefined`
// where a real `pulumi up` sees a value, and a real preview sees an unknown that it reports as a
// change. Values are stable per resource name, shaped like the real ones and marked as fakes.
import { createHash } from "node:crypto";

function digest(seed: string): Buffer {
  return createHash("sha256").update(seed).digest();
}

/** A UUID-shaped value, stable per seed. */
function fakeUuid(seed: string): string {
  const hex = digest(seed).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-8${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Outputs every provider-managed resource may carry (the providers' autonaming and ids). */
export function commonTypeOutputs(type: string, name: string): Record<string, unknown> {
  const seed = `${type}::${name}`;
  const hex = digest(seed).toString("hex");
  return {
    // AWS, GCP and Kubernetes name a resource `<logical name>-<7 random hex>` when not told.
    name: `${name}-${hex.slice(0, 7)}`,
    keyId: fakeUuid(seed),
    allocationId: `eipalloc-${hex.slice(0, 17)}`,
  };
}

type TypeOutputs = (name: string, inputs: Record<string, unknown>) => Record<string, unknown>;

/** What follows the resource type in an ELB ARN (app/<name>/<id>), CloudWatch's dimension value. */
function elbArnSuffix(type: string, kind: string, name: string, inputs: Record<string, unknown>) {
  const given = typeof inputs.name === "string" ? inputs.name : commonTypeOutputs(type, name).name;
  return {
    arnSuffix: `${kind}/${given}/${digest(`arn-suffix::${name}`).toString("hex").slice(0, 16)}`,
  };
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];

export const typeOutputs: Readonly<Record<string, TypeOutputs>> = {
  // ACM asks for one CNAME per name of the certificate.
  "aws:acm/certificate:Certificate": (name, inputs) => {
    const names = [
      ...(typeof inputs.domainName === "string" ? [inputs.domainName] : []),
      ...strings(inputs.subjectAlternativeNames),
    ];
    return {
      domainValidationOptions: [...new Set(names)].map((domainName) => {
        const token = digest(`${name}::${domainName}`).toString("hex").slice(0, 32);
        return {
          domainName,
          resourceRecordName: `_${token}.${domainName}.`,
          resourceRecordType: "CNAME",
          resourceRecordValue: `_${token.split("").reverse().join("")}.fake.acm-validations.aws.`,
        };
      }),
    };
  },
  // The secret half of an access key, 40 characters as AWS makes them.
  "aws:iam/accessKey:AccessKey": (name) => ({
    secret: digest(`access-key::${name}`).subarray(0, 30).toString("base64"),
  }),
  // Route53 reports the record's name, without the final dot.
  "aws:route53/record:Record": (_name, inputs) =>
    typeof inputs.name === "string" ? { fqdn: inputs.name.replace(/\.$/, "").toLowerCase() } : {},
  "aws:ec2/launchTemplate:LaunchTemplate": () => ({ latestVersion: 1, defaultVersion: 1 }),
  "aws:lb/loadBalancer:LoadBalancer": (name, inputs) =>
    elbArnSuffix("aws:lb/loadBalancer:LoadBalancer", "app", name, inputs),
  "aws:lb/targetGroup:TargetGroup": (name, inputs) =>
    elbArnSuffix("aws:lb/targetGroup:TargetGroup", "targetgroup", name, inputs),
  // Certificate Manager asks for one CNAME under the authorized domain.
  "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": (name, inputs) => {
    const domain = typeof inputs.domain === "string" ? inputs.domain : name;
    return {
      dnsResourceRecords: [
        {
          name: `_acme-challenge.${domain}.`,
          type: "CNAME",
          data: `${fakeUuid(`dns-auth::${name}`)}.4.fake.authorize.certificatemanager.goog.`,
        },
      ],
    };
  },
  // The managed instance group's URL, which load balancer backends name.
  "gcp:compute/regionInstanceGroupManager:RegionInstanceGroupManager": (name, inputs) => {
    const text = (key: string, fallback: string) =>
      typeof inputs[key] === "string" ? (inputs[key] as string) : fallback;
    const project = text("project", "fake-project");
    const region = text("region", "fake-region");
    return {
      instanceGroup: `https://www.googleapis.com/compute/v1/projects/${project}/regions/${region}/instanceGroups/${text("name", name)}`,
    };
  },
  "gcp:container/cluster:Cluster": (name, inputs) => ({
    endpoint: `192.0.2.${(digest(name)[0] ?? 0) % 250}`,
    masterAuth: {
      ...(typeof inputs.masterAuth === "object" ? inputs.masterAuth : {}),
      clusterCaCertificate: Buffer.from(
        `-----BEGIN CERTIFICATE-----\nfake-cluster-ca-${name}\n-----END CERTIFICATE-----\n`,
      ).toString("base64"),
    },
  }),
  // An HA VPN gateway's two public addresses (TEST-NET-2), one per interface.
  "gcp:compute/haVpnGateway:HaVpnGateway": (name) => ({
    vpnInterfaces: [0, 1].map((id) => ({
      id,
      ipAddress: `198.51.100.${((digest(name)[0] ?? 0) % 100) + 2 * id + 1}`,
    })),
  }),
  // An AWS VPN connection's two tunnel outside addresses (TEST-NET-3).
  "aws:ec2/vpnConnection:VpnConnection": (name) => {
    const base = (digest(name)[0] ?? 0) % 120;
    return { tunnel1Address: `203.0.113.${base + 1}`, tunnel2Address: `203.0.113.${base + 2}` };
  },
  // The public address Sakura gives a standard VPC router on the shared segment (TEST-NET-3).
  "pulumi-nodejs:dynamic/sakuracloud:VpcRouter": (name) => ({
    publicIpAddress: `203.0.113.${((digest(name)[0] ?? 0) % 120) + 130}`,
    publicNetworkMaskLen: 24,
  }),
  // random: the values the program turns into secrets, stable per name.
  "random:index/randomPassword:RandomPassword": (name, inputs) => {
    const length = typeof inputs.length === "number" ? inputs.length : 16;
    const letters = digest(`random-password::${name}`)
      .toString("base64")
      .replace(/[^A-Za-z]/g, "");
    return {
      result: letters.repeat(Math.ceil(length / Math.max(1, letters.length))).slice(0, length),
    };
  },
  "random:index/randomBytes:RandomBytes": (name, inputs) => {
    const length = typeof inputs.length === "number" ? inputs.length : 32;
    const bytes = digest(`random-bytes::${name}`).subarray(0, Math.min(length, 32));
    return { base64: bytes.toString("base64"), hex: bytes.toString("hex") };
  },
  "random:index/randomUuid:RandomUuid": (name) => ({ result: fakeUuid(`random-uuid::${name}`) }),
  // tls: keys and certificates the program stores as host secrets, PEM-shaped and marked as fakes.
  "tls:index/privateKey:PrivateKey": (name) => ({
    privateKeyPem: fakePem("PRIVATE KEY", `tls-key::${name}`),
    publicKeyPem: fakePem("PUBLIC KEY", `tls-public::${name}`),
  }),
  "tls:index/selfSignedCert:SelfSignedCert": (name) => ({
    certPem: fakePem("CERTIFICATE", `tls-ca::${name}`),
  }),
  "tls:index/certRequest:CertRequest": (name) => ({
    certRequestPem: fakePem("CERTIFICATE REQUEST", `tls-csr::${name}`),
  }),
  "tls:index/locallySignedCert:LocallySignedCert": (name) => ({
    certPem: fakePem("CERTIFICATE", `tls-cert::${name}`),
  }),
};

/** A PEM block whose body says it is a fake, stable per seed. */
function fakePem(label: string, seed: string): string {
  return `-----BEGIN ${label}-----\nfake-${digest(seed).toString("hex").slice(0, 32)}\n-----END ${label}-----\n`;
}
