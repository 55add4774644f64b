// NetworkPolicy specs used by the namespaces of this program. Pure. Dataplane V2 enforces them.
import type * as k8s from "../../sdk/kubernetes";
import { NODE_LOCAL_DNS, selectorLabels } from "../contract";

type NetworkPolicySpec = k8s.types.input.networking.v1.NetworkPolicySpec;
type Peer = k8s.types.input.networking.v1.NetworkPolicyPeer;

/** Selects every pod and allows nothing, in and out. */
export function denyAll(): NetworkPolicySpec {
  return { podSelector: {}, policyTypes: ["Ingress", "Egress"] };
}

/** DNS for every pod: to kube-dns and to NodeLocal DNSCache on the pod's node. */
export function allowDns(): NetworkPolicySpec {
  const ports = [
    { protocol: "UDP", port: 53 },
    { protocol: "TCP", port: 53 },
  ];
  return {
    podSelector: {},
    policyTypes: ["Egress"],
    egress: [
      {
        to: [
          {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
            podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
          },
          { ipBlock: { cidr: NODE_LOCAL_DNS } },
        ],
        ports,
      },
    ],
  };
}

/** Ingress to one workload's port from address ranges (the load balancer's). */
export function allowIngressFromRanges(
  app: string,
  port: number,
  ranges: readonly string[],
): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: selectorLabels(app) },
    policyTypes: ["Ingress"],
    ingress: [
      {
        from: ranges.map((cidr) => ({ ipBlock: { cidr } })),
        ports: [{ protocol: "TCP", port }],
      },
    ],
  };
}

/** Ingress to one workload's port from pods of the given namespaces (by name or by label). */
export function allowIngressFromNamespaces(
  app: string,
  port: number,
  namespaces: readonly string[],
  clientLabel: string,
): NetworkPolicySpec {
  const from: Peer[] = [{ namespaceSelector: { matchLabels: { [clientLabel]: "true" } } }];
  if (namespaces.length > 0) {
    from.unshift({
      namespaceSelector: {
        matchExpressions: [
          { key: "kubernetes.io/metadata.name", operator: "In", values: [...namespaces] },
        ],
      },
    });
  }
  return {
    podSelector: { matchLabels: selectorLabels(app) },
    policyTypes: ["Ingress"],
    ingress: [{ from, ports: [{ protocol: "TCP", port }] }],
  };
}

/** Egress from one workload to the given ports of pods in each namespace. */
export function allowEgressToNamespaces(
  app: string,
  targets: readonly { namespace: string; ports: readonly number[] }[],
): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: selectorLabels(app) },
    policyTypes: ["Egress"],
    egress: targets.map((target) => ({
      to: [
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": target.namespace } } },
      ],
      ports: target.ports.map((port) => ({ protocol: "TCP", port })),
    })),
  };
}

/** Egress from one workload to any address outside the excepted ranges, on the given ports. */
export function allowEgressToInternet(
  app: string,
  ports: readonly number[],
  except: readonly string[],
): NetworkPolicySpec {
  return {
    podSelector: { matchLabels: selectorLabels(app) },
    policyTypes: ["Egress"],
    egress: [
      {
        to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...except] } }],
        ports: ports.map((port) => ({ protocol: "TCP", port })),
      },
    ],
  };
}
