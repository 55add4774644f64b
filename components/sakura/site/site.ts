// The Sakura Internet site of a region: a private switch, Sakura Cloud servers (disk + server
// through our dynamic provider) with packet filters on their public NIC, dedicated servers
// configured over SSH, and the DNS round-robin front on Route53.

import { messageOf } from "@multicloud/sakura-cloud";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import type { SakuraWatch } from "../../alerts";
import { DnsRoundRobin } from "../../dns/round-robin";
import { sakuraResolvers, siteFacts } from "../../host/site-facts";
import { hostRoutes } from "../../links/sakura-router-plan";
import type * as aws from "../../sdk/aws";
import { rebuildPrefix } from "../../spec/dr";
import type { Role } from "../../spec/hosts";
import { fixedHosts, type HostPlan, networkLayout } from "../../spec/layout";
import { resolvedLinks } from "../../spec/links";
import type { SakuraRegionSpec } from "../../spec/schema";
import {
  type HostSecretId,
  hostSecretIds,
  type PushedSecretId,
  secretName,
  secretsForRole,
} from "../../spec/secrets";
import { awsTags } from "../../tags";
import { SakuraDisk, SakuraPacketFilter, SakuraServer, SakuraSwitch } from "../provider";
import { hostCloudConfig } from "./cloud-config";
import { type FilterFacts, frontFilterRules, hostFilterRules } from "./packet-filter-rules";
import {
  PRIVATE_NETPLAN_COMMAND,
  type PrivateInterface,
  privateNetplan,
} from "./private-interface";
import { secretsPushCommand, secretsPushInput } from "./secrets-push";
import { sakuraDiskSize, sakuraPlan } from "./sizes";

/**
 * The SSH steps keep the deploy key they were created with: a preview runs without the key (it
 * connects nowhere), and a rotated key reaches them through `pulumi up --replace` (docs/delivery.md).
 */
const DEPLOY_KEY_KEPT = ["connection.privateKey"];

export interface SakuraSiteArgs {
  spec: SakuraRegionSpec;
  /** The region's public Route53 zone, for the round-robin front. */
  publicZoneId: pulumi.Input<string>;
  dnsProvider: aws.Provider;
  /** The host layer's cloud-init document per role (no secrets in it). */
  userData: Partial<Record<Role, pulumi.Input<string>>>;
  /** The host layer's idempotent bootstrap per role, run over SSH on dedicated servers. */
  bootstrap: Partial<Record<Role, pulumi.Input<string>>>;
  /** Secret values that every host receives over SSH as root-only files. */
  hostSecrets: Record<HostSecretId, pulumi.Input<string>>;
  /** Secret values that only the hosts of one role receive, beside those (the front's ACME key). */
  roleSecrets?: Partial<Record<Role, Partial<Record<PushedSecretId, pulumi.Input<string>>>>>;
  /** Where hosts read those files (the host layer's convention). */
  secretsDir: string;
  /** The private key that logs in to every host (a config secret). */
  sshPrivateKey: pulumi.Input<string>;
}

/** The login user of Ubuntu archives on Sakura Cloud. */
const CLOUD_SSH_USER = "ubuntu";
/** Hosts whose loss loses data or quorum: never replaced or deleted without a deliberate step. */
const protectedRoles: readonly Role[] = ["mysql", "util"];

export class SakuraSite extends pulumi.ComponentResource {
  readonly switchId: pulumi.Output<string>;
  /** Packet filter IDs of the shared segment: `front` for nginx hosts, `hosts` for the rest. */
  readonly packetFilterIds: { front: pulumi.Output<string>; hosts: pulumi.Output<string> };
  /** Host name -> address that SSH and health checks use. */
  readonly publicAddresses: Record<string, pulumi.Output<string>>;
  /** What the region's alerts watch. */
  readonly watch: SakuraWatch;

  constructor(name: string, args: SakuraSiteArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:sakura:Site", name, {}, opts);
    const { spec } = args;
    const zone = spec.sakura.zone;
    const tags = Object.entries(awsTags(spec)).map(([key, value]) => `${key}=${value}`);
    const layout = networkLayout(spec);
    const privateSwitch = new SakuraSwitch(
      `${name}-private`,
      {
        zone,
        name: `${spec.name}-private`,
        description: `Private network ${spec.network.cidr} of ${spec.name}`,
        tags,
      },
      { parent: this },
    );
    const filters = this.packetFilters(name, args.spec);
    const commandProvider = new command.Provider(`${name}-command`, {}, { parent: this });
    // Files are named as the secret store names them, which is where the host layer looks. Each
    // host gets the secrets its role may read (secretsForRole), the off-site backup key, and the
    // secrets of its role alone (roleSecrets: the front's ACME key).
    const pushes = new Map<Role, pulumi.Output<string>>();
    const pushFor = (role: Role): pulumi.Output<string> => {
      const known = pushes.get(role);
      if (known) return known;
      const wanted: readonly string[] = secretsForRole(role);
      const push = pulumi.secret(
        pulumi.all({ ...args.hostSecrets, ...args.roleSecrets?.[role] }).apply((values) =>
          secretsPushInput(
            Object.fromEntries(
              Object.entries(values)
                .filter(
                  ([id]) =>
                    wanted.includes(id) || !(hostSecretIds as readonly string[]).includes(id),
                )
                .map(([id, value]) => [secretName(spec, id as PushedSecretId), value]),
            ),
          ),
        ),
      );
      pushes.set(role, push);
      return push;
    };
    this.publicAddresses = {};
    const fronts: { id: string; address: pulumi.Output<string> }[] = [];
    // What the links reach through the VPC router on the switch.
    const routes = hostRoutes(resolvedLinks(spec));
    for (const host of fixedHosts(spec, layout)) {
      const nic: PrivateInterface = {
        device: "eth1",
        address: host.address,
        prefixLength: layout.network.prefix,
        routes,
      };
      const address =
        host.placement === "dedicated"
          ? pulumi.output(host.ssh?.host ?? host.address)
          : this.cloudServer(name, args, host, {
              privateSwitch,
              nic,
              tags,
              packetFilter: host.role === "nginx" ? filters.front : filters.hosts,
            });
      this.publicAddresses[host.name] = address;
      const connection: command.types.input.remote.ConnectionArgs = {
        host: address,
        user: host.ssh?.user ?? CLOUD_SSH_USER,
        port: host.ssh?.port ?? 22,
        privateKey: args.sshPrivateKey,
        dialErrorLimit: 30,
      };
      const secrets = new command.remote.Command(
        `${name}-${host.name}-secrets`,
        {
          connection,
          create: secretsPushCommand(args.secretsDir),
          stdin: pushFor(host.role),
          logging: "none",
        },
        {
          parent: this,
          provider: commandProvider,
          additionalSecretOutputs: ["stdin"],
          ignoreChanges: DEPLOY_KEY_KEPT,
        },
      );
      if (host.placement === "cloud" && routes.length > 0) {
        // Runs again whenever the file changes: a host older than a link gets its routes.
        new command.remote.Command(
          `${name}-${host.name}-routes`,
          {
            connection,
            create: PRIVATE_NETPLAN_COMMAND,
            stdin: privateNetplan(nic),
            logging: "stdoutAndStderr",
          },
          { parent: this, provider: commandProvider, ignoreChanges: DEPLOY_KEY_KEPT },
        );
      }
      const script = args.bootstrap[host.role];
      if (host.placement === "dedicated" && script !== undefined) {
        // Runs again whenever the script changes (it is the command's input), never otherwise.
        new command.remote.Command(
          `${name}-${host.name}-bootstrap`,
          { connection, create: "sudo bash -s", stdin: script, logging: "stdoutAndStderr" },
          {
            parent: this,
            provider: commandProvider,
            dependsOn: [secrets],
            ignoreChanges: DEPLOY_KEY_KEPT,
          },
        );
      }
      if (host.role === "nginx") fronts.push({ id: host.name, address });
    }
    const roundRobin = new DnsRoundRobin(
      `${name}-front`,
      {
        zoneId: args.publicZoneId,
        domain: spec.domain,
        names: spec.front.names,
        targets: fronts,
        healthCheckPath: spec.front.healthCheckPath,
        tags: awsTags(spec, { role: "nginx" }),
        provider: args.dnsProvider,
        setIdentifierPrefix: rebuildPrefix(spec),
      },
      { parent: this },
    );
    this.watch = {
      cloud: "sakura",
      route53Checks: fronts.flatMap((front, index) => {
        const healthCheckId = roundRobin.healthCheckIds[index];
        return healthCheckId
          ? [
              {
                subject: front.id,
                healthCheckId,
                what: `${front.id} answering ${spec.front.healthCheckPath} over HTTP`,
              },
            ]
          : [];
      }),
    };
    this.switchId = privateSwitch.id;
    this.packetFilterIds = { front: filters.front.id, hosts: filters.hosts.id };
    this.registerOutputs({
      switchId: this.switchId,
      publicAddresses: this.publicAddresses,
      packetFilterIds: this.packetFilterIds,
    });
  }

  /**
   * The two filters of the shared segment. Replies to DNS queries are let in from the resolvers
   * the hosts use: Sakura's own (the OS before unbound runs) and unbound's upstreams.
   */
  private packetFilters(
    name: string,
    spec: SakuraRegionSpec,
  ): { front: SakuraPacketFilter; hosts: SakuraPacketFilter } {
    const facts: FilterFacts = {
      adminCidrs: spec.operations.cidrs,
      resolvers: [
        ...new Set([...sakuraResolvers(spec.sakura.zone), ...siteFacts(spec).upstreamResolvers]),
      ],
    };
    const opts = { parent: this };
    const front = new SakuraPacketFilter(
      `${name}-front-filter`,
      {
        zone: spec.sakura.zone,
        name: `${spec.name}-front`,
        description: `Public NIC of the nginx hosts of ${spec.name}: HTTP(S), SSH from admin networks`,
        expressions: frontFilterRules(facts),
      },
      opts,
    );
    const hosts = new SakuraPacketFilter(
      `${name}-hosts-filter`,
      {
        zone: spec.sakura.zone,
        name: `${spec.name}-hosts`,
        description: `Public NIC of the other hosts of ${spec.name}: SSH from admin networks only`,
        expressions: hostFilterRules(facts),
      },
      opts,
    );
    return { front, hosts };
  }

  /**
   * A Sakura Cloud server for a host: its boot disk, copied from a cloud-init archive, then the
   * server on both segments. The host is set up by cloud-init alone (host name, SSH keys,
   * password login off, the private NIC, the role): Sakura runs user data only on its cloud-init
   * images, and such a host takes no disk edit, so the shared NIC gets its address by DHCP.
   */
  private cloudServer(
    name: string,
    args: SakuraSiteArgs,
    host: HostPlan,
    network: {
      privateSwitch: SakuraSwitch;
      /** The host's NIC on the switch: its address and the links' routes. */
      nic: PrivateInterface;
      tags: string[];
      /** Applied to the shared-segment NIC before the server first boots. */
      packetFilter: SakuraPacketFilter;
    },
  ): pulumi.Output<string> {
    const { spec } = args;
    const { privateSwitch, nic, tags } = network;
    const role = spec.hosts[host.role];
    const keep = protectedRoles.includes(host.role);
    const hostTags = [...tags, `role=${host.role}`];
    const where = `Pulumi.${pulumi.getStack()}.yaml: multicloud:region.hosts.${host.role}`;
    const diskGb = host.role === "mysql" && "dataDiskGb" in role ? role.dataDiskGb : role.diskGb;
    const userData = args.userData[host.role];
    if (userData === undefined) {
      throw new pulumi.RunError(
        `${where}: the host layer gave no cloud-init document for this role`,
      );
    }
    let plan: { cpu: number; memoryGb: number };
    let sizeGb: number;
    try {
      plan = sakuraPlan(role.size, role.machineType, where);
      sizeGb = sakuraDiskSize(diskGb, where);
    } catch (e) {
      throw new pulumi.RunError(messageOf(e));
    }
    const disk = new SakuraDisk(
      `${name}-${host.name}-disk`,
      {
        zone: spec.sakura.zone,
        name: `${host.name}.${spec.name}`,
        tags: hostTags,
        plan: spec.sakura.diskPlan,
        sizeGb,
        sourceArchiveTags: spec.sakura.archiveTags,
      },
      { parent: this, protect: keep },
    );
    const server = new SakuraServer(
      `${name}-${host.name}`,
      {
        zone: spec.sakura.zone,
        name: `${host.name}.${spec.name}`,
        tags: hostTags,
        ...plan,
        interfaces: ["shared", privateSwitch.id],
        // The private switch stays unfiltered: hosts talk to each other there.
        packetFilterIds: [network.packetFilter.id, null],
        diskIds: [disk.id],
        powerOn: true,
        cloudInitUserData: pulumi.output(userData).apply((text) =>
          hostCloudConfig(text, nic, {
            hostName: host.name,
            sshPublicKeys: spec.sakura.sshPublicKeys,
          }),
        ),
        deleteDisksOnDelete: false,
      },
      // A new cloud-init document applies to new servers only: an edit must not replace a host.
      { parent: this, protect: keep, ignoreChanges: ["cloudInitUserData"] },
    );
    return server.ipAddress.apply((ip) => ip ?? "");
  }
}
