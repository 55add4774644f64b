// The topology check (tools/plan/topology.ts) over each stack's whole plan: every name a pod or a
// host must reach has a link, a route back, an opening and a listener. Then the same plans, with
// one link, route, opening or listener taken away at a time, must fail with that gap named.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { Plan } from "../../tools/plan/plan";
import { checkTopology, type ProblemKind, type TopologyReport } from "../../tools/plan/topology";
import { named, ofType, planOf, withCopy, withHostFile, withInputs, without } from "./plan-edits";

const plans = new Map<string, Plan>();

/** The jp stack file's dedicated servers (the plan shows only their bootstraps). */
const JP_DEDICATED = {
  app01: "10.10.192.11",
  app02: "10.10.192.12",
  app03: "10.10.192.13",
  app04: "10.10.192.14",
  db01: "10.10.192.21",
  db02: "10.10.192.22",
};

function check(plan: Plan): TopologyReport {
  return checkTopology(plan, plan.stack === "jp" ? JP_DEDICATED : {});
}

function planned(stack: string): Plan {
  const plan = plans.get(stack);
  assert.ok(plan, `no plan of ${stack}`);
  return plan;
}

/** Problems of a reach and kind, as one text per problem. */
function gaps(report: TopologyReport, reach: string, kind: ProblemKind): string[] {
  return report.problems
    .filter((problem) => problem.reach === reach && problem.kind === kind)
    .map((problem) => problem.message);
}

/** The Consul agent's DNS bound to loopback and the private address, as the host layer will. */
const CONSUL_CONFIG = "/etc/consul.d/multicloud.json";

// One plan per stack for the whole file: making them is what costs.
before(async () => {
  const built = await Promise.all(
    ["us", "jp", "uk"].map(async (stack) => [stack, await planOf(stack)] as const),
  );
  for (const [stack, plan] of built) plans.set(stack, plan);
});

/** How many resources of each type a plan has, for the types named. */
function counts(plan: Plan, types: readonly string[]): Record<string, number> {
  return Object.fromEntries(
    types.map((type) => [type, plan.resources.filter((resource) => resource.type === type).length]),
  );
}

describe("the links each plan builds", () => {
  test("us: two AWS VPN connections and four HA VPN tunnels, each with a BGP session", () => {
    const plan = planned("us");
    assert.deepEqual(
      counts(plan, [
        "aws:ec2/vpnGateway:VpnGateway",
        "aws:ec2/customerGateway:CustomerGateway",
        "aws:ec2/vpnConnection:VpnConnection",
        "gcp:compute/haVpnGateway:HaVpnGateway",
        "gcp:compute/externalVpnGateway:ExternalVpnGateway",
        "gcp:compute/vPNTunnel:VPNTunnel",
        "gcp:compute/routerInterface:RouterInterface",
        "gcp:compute/routerPeer:RouterPeer",
      ]),
      {
        "aws:ec2/vpnGateway:VpnGateway": 1,
        "aws:ec2/customerGateway:CustomerGateway": 2,
        "aws:ec2/vpnConnection:VpnConnection": 2,
        "gcp:compute/haVpnGateway:HaVpnGateway": 1,
        // FOUR_IPS_REDUNDANCY: the AWS topology Google documents
        "gcp:compute/externalVpnGateway:ExternalVpnGateway": 1,
        "gcp:compute/vPNTunnel:VPNTunnel": 4,
        "gcp:compute/routerInterface:RouterInterface": 4,
        "gcp:compute/routerPeer:RouterPeer": 4,
      },
    );
    const peers = plan.resources.filter((r) => r.type === "gcp:compute/routerPeer:RouterPeer");
    assert.deepEqual(
      peers.map((peer) => peer.inputs.peerAsn),
      [64512, 64512, 64512, 64512],
    );
    for (const connection of plan.resources.filter(
      (r) => r.type === "aws:ec2/vpnConnection:VpnConnection",
    )) {
      assert.equal(connection.inputs.staticRoutesOnly, false);
    }
  });

  test("jp: a Sakura VPC router with a site-to-site VPN, and the GCP gateway and tunnel it pairs with", () => {
    const plan = planned("jp");
    assert.deepEqual(
      counts(plan, [
        "pulumi-nodejs:dynamic/sakuracloud:VpcRouter",
        "gcp:compute/vPNGateway:VPNGateway",
        "gcp:compute/vPNTunnel:VPNTunnel",
        "gcp:compute/forwardingRule:ForwardingRule",
        "gcp:compute/route:Route",
      ]),
      {
        "pulumi-nodejs:dynamic/sakuracloud:VpcRouter": 1,
        "gcp:compute/vPNGateway:VPNGateway": 1,
        "gcp:compute/vPNTunnel:VPNTunnel": 1,
        // ESP, UDP 500 and UDP 4500 to the gateway's address
        "gcp:compute/forwardingRule:ForwardingRule": 3,
        "gcp:compute/route:Route": 1,
      },
    );
    const router = plan.resources.find((r) => r.type.endsWith("sakuracloud:VpcRouter"));
    const tunnel = plan.resources.find((r) => r.type === "gcp:compute/vPNTunnel:VPNTunnel");
    assert.ok(router && tunnel);
    // The VPN's settings carry the pre-shared key: a secret, present.
    assert.equal(router.inputs.siteToSiteVpn, "[secret]");
    assert.equal(tunnel.inputs.sharedSecret, "[secret]");
    assert.equal(tunnel.inputs.ikeVersion, 1);
    assert.ok(tunnel.dependencies.includes(router.urn), "the tunnel's peer is the router");
  });

  test("uk builds no link: it has no cluster to reach", () => {
    const plan = planned("uk");
    assert.equal(plan.resources.filter((r) => /vpn|VpcRouter|routerPeer/i.test(r.type)).length, 0);
  });
});

describe("topology of each stack's plan", { concurrency: true }, () => {
  test("us: pods and nodes reach Consul DNS on 3 util hosts, pods reach 2 chocon hosts, every host reaches chocon", () => {
    const report = check(planned("us"));
    assert.deepEqual(report.byReach, {
      // 3 util hosts x (nodes, pods) x (udp, tcp)
      "consul-dns": 12,
      // 2 chocon hosts x pods x tcp
      "chocon-from-pods": 2,
      // (9 instances + 2 launch templates - the chocon host itself) x 2 chocon hosts
      "chocon-from-hosts": 20,
      // the gateway's default route: pods (chocon) x the app tier's launch template x tcp
      "monolith-from-gateway": 1,
    });
    const kinds = new Set(report.problems.map((problem) => problem.kind));
    for (const kind of ["name", "link", "route", "opening", "wide"] as const)
      assert.ok(!kinds.has(kind));
  });

  test("jp: the same reaches over the Sakura VPC router, and from the dedicated servers", () => {
    const report = check(planned("jp"));
    assert.deepEqual(report.byReach, {
      "consul-dns": 12,
      "chocon-from-pods": 2,
      // (10 cloud servers + 6 dedicated - the chocon host itself) x 2 chocon hosts
      "chocon-from-hosts": 30,
    });
    const kinds = new Set(report.problems.map((problem) => problem.kind));
    for (const kind of ["name", "link", "route", "opening", "wide"] as const)
      assert.ok(!kinds.has(kind));
  });

  test("uk (no GKE): every host reaches chocon, and nothing is missing", () => {
    const report = check(planned("uk"));
    assert.deepEqual(report.byReach, { "chocon-from-hosts": 20 });
    assert.deepEqual(report.problems, []);
  });

  test("us and jp: every reach is whole, Consul's DNS answering on the util hosts' private address", () => {
    for (const stack of ["us", "jp"]) assert.deepEqual(check(planned(stack)).problems, [], stack);
  });

  // Each case breaks one thing the reaches need; the check must name the gap, of that kind.
  const cases: {
    stack: string;
    what: string;
    edit: (plan: Plan) => Plan;
    reach: string;
    kind: ProblemKind;
    says: RegExp;
  }[] = [
    // us: HA VPN with BGP.
    {
      stack: "us",
      what: "the HA VPN tunnels",
      edit: (plan) => without(plan, ofType("gcp:compute/vPNTunnel:VPNTunnel")),
      reach: "consul-dns",
      kind: "link",
      says: /GKE pods 10\.24\.0\.0\/14 -> .*util-1.* udp\/8600: no link carries 10\.24\.0\.0\/14/,
    },
    {
      stack: "us",
      what: "the AWS VPN connections",
      edit: (plan) => without(plan, ofType("aws:ec2/vpnConnection:VpnConnection")),
      reach: "chocon-from-pods",
      kind: "link",
      says: /its AWS end is on no VPC holding the host/,
    },
    {
      stack: "us",
      what: "the BGP peers",
      edit: (plan) => without(plan, ofType("gcp:compute/routerPeer:RouterPeer")),
      reach: "consul-dns",
      kind: "link",
      says: /no BGP session on the tunnel/,
    },
    {
      stack: "us",
      what: "BGP on the AWS side (static routes only)",
      edit: (plan) =>
        withInputs(plan, ofType("aws:ec2/vpnConnection:VpnConnection"), (inputs) => ({
          ...inputs,
          staticRoutesOnly: true,
        })),
      reach: "consul-dns",
      kind: "link",
      says: /uses static routes, so BGP learns nothing/,
    },
    {
      stack: "us",
      what: "the peers' ASN (not the virtual private gateway's)",
      edit: (plan) =>
        withInputs(plan, ofType("gcp:compute/routerPeer:RouterPeer"), (inputs) => ({
          ...inputs,
          peerAsn: 64999,
        })),
      reach: "consul-dns",
      kind: "link",
      says: /BGP peer ASN 64999 is not the gateway's 64512/,
    },
    {
      stack: "us",
      what: "the route propagation into the hosts' route tables",
      edit: (plan) =>
        without(plan, ofType("aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation")),
      reach: "consul-dns",
      kind: "route",
      says: /route table .* takes no routes from/,
    },
    {
      stack: "us",
      what: "the pod range among the Cloud Router's announcements",
      edit: (plan) =>
        withInputs(plan, named(/^us-links-gke-router$/), (inputs) => ({
          ...inputs,
          bgp: {
            ...(inputs.bgp as Record<string, unknown>),
            advertiseMode: "CUSTOM",
            advertisedIpRanges: [{ range: "10.21.0.0/20" }],
          },
        })),
      reach: "chocon-from-pods",
      kind: "route",
      says: /does not announce 10\.24\.0\.0\/14 to AWS/,
    },
    {
      stack: "us",
      what: "the security group rules for Consul DNS from the pod range",
      edit: (plan) => without(plan, named(/^us-aws-sg-util-in-(udp|tcp)8600-gke-10-24-0-0-14$/)),
      reach: "consul-dns",
      kind: "opening",
      says: /no security group rule of the host admits 10\.24\.0\.0\/14 on udp\/8600/,
    },
    {
      stack: "us",
      what: "the security group rule for chocon from the pod range",
      edit: (plan) => without(plan, named(/^us-aws-sg-chocon-in-tcp80-gke-10-24-0-0-14$/)),
      reach: "chocon-from-pods",
      kind: "opening",
      says: /admits 10\.24\.0\.0\/14 on tcp\/80/,
    },
    {
      stack: "us",
      what: "the security group rule for chocon from the hosts",
      edit: (plan) => without(plan, named(/^us-aws-sg-chocon-in-tcp80-host$/)),
      reach: "chocon-from-hosts",
      kind: "opening",
      says: /no security group rule of the host admits .* on tcp\/80/,
    },
    {
      stack: "us",
      what: "the security group rule for the monolith from the pod range",
      edit: (plan) => without(plan, named(/^us-aws-sg-app-in-tcp8080-gke-10-24-0-0-14$/)),
      reach: "monolith-from-gateway",
      kind: "opening",
      says: /GKE pods 10\.24\.0\.0\/14 -> us-aws-fleet-app-lt tcp\/8080: no security group rule/,
    },
    {
      stack: "us",
      what: "kube-dns's stub domain for consul.",
      edit: (plan) => without(plan, named(/^us-gke-consul-dns-kube-dns$/)),
      reach: "consul-dns",
      kind: "name",
      says: /kube-dns does not forward consul\. anywhere/,
    },
    {
      stack: "us",
      what: "Consul's DNS on an address off the host (loopback only)",
      edit: (plan) =>
        withHostFile(plan, named(/^us-aws-fleet-util-1-instance$/), CONSUL_CONFIG, (config) => {
          const parsed = JSON.parse(config) as Record<string, unknown>;
          delete parsed.addresses;
          return JSON.stringify(parsed);
        }),
      reach: "consul-dns",
      kind: "listener",
      says: /us-aws-fleet-util-1-instance \(10\.20\.68\.16\): Consul answers DNS \(port 8600\) on 127\.0\.0\.1 only/,
    },
    {
      stack: "us",
      what: "chocon's listener on the private address",
      edit: (plan) =>
        withHostFile(
          plan,
          named(/^us-aws-fleet-chocon-1-instance$/),
          "/etc/systemd/system/chocon.service",
          // The unit's own words: systemd expands the variable, not this test.
          // biome-ignore lint/suspicious/noTemplateCurlyInString: a systemd variable, not a template
          (unit) => unit.replace("--listen ${PRIVATE_ADDRESS}", "--listen 127.0.0.1"),
        ),
      reach: "chocon-from-hosts",
      kind: "listener",
      says: /chocon-1-instance .*listens on 127\.0\.0\.1:80 only/,
    },
    // ... and only there: the same ports admitted from outside the region are a gap.
    {
      stack: "us",
      what: "Consul DNS kept from the internet",
      edit: (plan) =>
        withCopy(
          plan,
          "us-aws-sg-util-in-udp8600-gke-10-24-0-0-14",
          "us-aws-sg-util-in-udp8600-anywhere",
          (inputs) => ({ ...inputs, cidrIpv4: "0.0.0.0/0" }),
        ),
      reach: "consul-dns",
      kind: "wide",
      says: /us-aws-sg-util-in-udp8600-anywhere admits 0\.0\.0\.0\/0 to us-aws-fleet-util-1-instance on udp\/8600/,
    },
    {
      stack: "us",
      what: "chocon kept from another region's cluster (jp's pods)",
      edit: (plan) =>
        withCopy(
          plan,
          "us-aws-sg-chocon-in-tcp80-gke-10-24-0-0-14",
          "us-aws-sg-chocon-in-tcp80-gke-10-12-0-0-14",
          (inputs) => ({ ...inputs, cidrIpv4: "10.12.0.0/14" }),
        ),
      reach: "chocon-from-pods",
      kind: "wide",
      says: /admits 10\.12\.0\.0\/14 to us-aws-fleet-chocon-1-instance on tcp\/80/,
    },
    // jp: IKEv1 from the Sakura VPC router to a Classic VPN gateway.
    {
      stack: "jp",
      what: "the Sakura VPC router",
      edit: (plan) => without(plan, ofType("pulumi-nodejs:dynamic/sakuracloud:VpcRouter")),
      reach: "consul-dns",
      kind: "link",
      says: /its peer is no Sakura VPC router of the plan/,
    },
    {
      stack: "jp",
      what: "the Classic VPN tunnel",
      edit: (plan) => without(plan, ofType("gcp:compute/vPNTunnel:VPNTunnel")),
      reach: "chocon-from-pods",
      kind: "link",
      says: /no link carries 10\.11\.0\.0\/20/,
    },
    {
      stack: "jp",
      what: "the GKE network's route to Sakura through the tunnel",
      edit: (plan) => without(plan, ofType("gcp:compute/route:Route")),
      reach: "consul-dns",
      kind: "link",
      says: /GKE nodes 10\.11\.0\.0\/20 -> .*util-1.*: no link carries/,
    },
    {
      stack: "jp",
      what: "the gateway's ESP forwarding rule",
      edit: (plan) => without(plan, named(/^jp-links-gke-esp$/)),
      reach: "consul-dns",
      kind: "link",
      says: /the gateway receives no ESP/,
    },
    {
      stack: "jp",
      what: "IKEv1 (the tunnel asks IKEv2)",
      edit: (plan) =>
        withInputs(plan, ofType("gcp:compute/vPNTunnel:VPNTunnel"), (inputs) => ({
          ...inputs,
          ikeVersion: 2,
        })),
      reach: "consul-dns",
      kind: "link",
      says: /a Sakura VPC router only IKEv1/,
    },
    {
      stack: "jp",
      what: "the masquerade of pods behind their node (ip-masq-agent)",
      edit: (plan) => without(plan, named(/ip-masq-agent$/)),
      reach: "chocon-from-pods",
      kind: "link",
      says: /local traffic selector \(10\.11\.0\.0\/20\) does not hold/,
    },
    {
      stack: "jp",
      what: "a util host's route to GKE through the router",
      edit: (plan) =>
        withHostFile(
          plan,
          named(/^jp-sakura-util-2$/),
          "/etc/netplan/60-multicloud-private.yaml",
          (netplan) => netplan.replace(/\n\s+routes:\n\s+- to: 10\.11\.0\.0\/20\n\s+via: \S+/, ""),
        ),
      reach: "consul-dns",
      kind: "route",
      says: /util-2 \(10\.10\.68\.17\) udp\/8600: the host has no route to 10\.11\.0\.0\/20 through/,
    },
    {
      stack: "jp",
      what: "the router's firewall rule for Consul DNS over UDP",
      edit: (plan) =>
        withInputs(plan, ofType("pulumi-nodejs:dynamic/sakuracloud:VpcRouter"), (inputs) => ({
          ...inputs,
          firewall: (inputs.firewall as { expressions: Record<string, unknown>[] }[]).map(
            (entry) => ({
              ...entry,
              expressions: entry.expressions.filter(
                (rule) => !(rule.protocol === "udp" && rule.destinationPort === "8600"),
              ),
            }),
          ),
        })),
      reach: "consul-dns",
      kind: "opening",
      says: /firewall on eth1 denies 10\.11\.0\.0\/20 to the host on udp\/8600/,
    },
    {
      stack: "jp",
      what: "the router's firewall rule for chocon",
      edit: (plan) =>
        withInputs(plan, ofType("pulumi-nodejs:dynamic/sakuracloud:VpcRouter"), (inputs) => ({
          ...inputs,
          firewall: (inputs.firewall as { expressions: Record<string, unknown>[] }[]).map(
            (entry) => ({
              ...entry,
              expressions: entry.expressions.filter(
                (rule) => rule.destinationNetwork !== "10.10.69.16",
              ),
            }),
          ),
        })),
      reach: "chocon-from-pods",
      kind: "opening",
      says: /chocon-1 \(10\.10\.69\.16\) tcp\/80: .*firewall on eth1 denies 10\.11\.0\.0\/20/,
    },
    {
      stack: "jp",
      what: "Consul DNS kept from sources the router does not name",
      edit: (plan) =>
        withInputs(plan, ofType("pulumi-nodejs:dynamic/sakuracloud:VpcRouter"), (inputs) => ({
          ...inputs,
          firewall: (inputs.firewall as { expressions: Record<string, unknown>[] }[]).map(
            (entry) => ({
              ...entry,
              expressions: [
                { action: "allow", protocol: "udp", destinationPort: "8600" },
                ...entry.expressions,
              ],
            }),
          ),
        })),
      reach: "consul-dns",
      kind: "wide",
      says: /jp-links-gke-router admits any source to jp-sakura-util-1 on udp\/8600/,
    },
    // uk: inside the site.
    {
      stack: "uk",
      what: "the firewall rule for chocon's clients",
      edit: (plan) => without(plan, named(/^uk-gcp-firewall-chocon-clients$/)),
      reach: "chocon-from-hosts",
      kind: "opening",
      says: /the firewall rule uk-gcp-firewall-deny-all-ingress \(priority \d+\) denies the caller on tcp\/80/,
    },
    {
      stack: "uk",
      what: "chocon kept from the internet",
      edit: (plan) =>
        withCopy(
          plan,
          "uk-gcp-firewall-chocon-clients",
          "uk-gcp-firewall-chocon-anywhere",
          (inputs) => {
            const { sourceServiceAccounts: _, ...rest } = inputs;
            return { ...rest, name: "uk-chocon-anywhere", sourceRanges: ["0.0.0.0/0"] };
          },
        ),
      reach: "chocon-from-hosts",
      kind: "wide",
      says: /uk-gcp-firewall-chocon-anywhere admits 0\.0\.0\.0\/0 to uk-.*chocon.* on tcp\/80/,
    },
    {
      stack: "uk",
      what: "chocon's service registration",
      edit: (plan) =>
        withHostFile(
          plan,
          named(/chocon/),
          "/etc/multicloud/templates/consul-service-chocon.json",
          (definition) => definition.replace('"name": "chocon"', '"name": "chocon-off"'),
        ),
      reach: "chocon-from-hosts",
      kind: "listener",
      says: /no host registers the chocon service/,
    },
  ];

  for (const item of cases) {
    test(`${item.stack}: without ${item.what}, the check names ${item.kind === "opening" ? "an" : "a"} ${item.kind} gap`, () => {
      // Whole, then broken in one place.
      const whole = planned(item.stack);
      assert.deepEqual(gaps(check(whole), item.reach, item.kind), []);
      const found = gaps(check(item.edit(whole)), item.reach, item.kind);
      assert.ok(
        found.some((message) => item.says.test(message)),
        `expected a ${item.kind} gap matching ${item.says}, got:\n${found.join("\n") || "(none)"}`,
      );
    });
  }
});
