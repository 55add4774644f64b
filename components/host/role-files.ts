// Role -> what its hosts need: packages, files (path, content, mode) and the ordered commands that
// turn them into running services. One plan feeds both deliveries (cloud-init, SSH bootstrap). Pure.
import { type Role, roles } from "../spec/hosts";
import { hostCount } from "../spec/layout";
import type { RegionSpec } from "../spec/schema";
import {
  ACME_DEPLOY_HOOK,
  ACME_PACKAGES,
  ACME_TOOL,
  ACME_UNIT,
  CERTBOT_CONFIG_PATH,
  renderAcmeDeployHook,
  renderAcmeTool,
  renderAcmeUnits,
  renderCertbotConfig,
} from "./acme";
import {
  CHOCON_INSTALL_TOOL,
  CHOCON_UNIT_PATH,
  renderChoconInstallTool,
  renderChoconUnit,
} from "./chocon";
import { ARTIFACT_BUCKET_KEY } from "./chocon-build";
import {
  CONSUL_CONFIG_PATH,
  CONSUL_NODE_PATH,
  CONSUL_SECRETS_TEMPLATE_PATH,
  consulPolicyName,
  DNS_READ_POLICY,
  MYSQL_ROLE_CHECK,
  renderConsulConfig,
  renderConsulNodeTemplate,
  renderConsulSecretsTemplate,
  renderConsulServiceTemplate,
  renderDnsReadPolicy,
  renderRolePolicy,
  roleServices,
} from "./consul";
import {
  CONSUL_ACL_TOOL,
  CONSUL_POLICY_DIR,
  CONSUL_SECRETS_TOOL,
  CONSUL_SNAPSHOT_TOOL,
  renderConsulAclTool,
  renderConsulAclUnit,
  renderConsulSecretsTool,
  renderConsulSnapshotTool,
  renderConsulSnapshotUnits,
} from "./consul-boot";
import {
  APP_PLACEHOLDER_UNIT_PATH,
  appPlaceholderHealthFile,
  MEMCACHED_DROP_IN_PATH,
  MYSQL_CONF_PATH,
  MYSQL_DATA_LABEL,
  MYSQL_DATA_MOUNT,
  MYSQL_DROP_IN_PATH,
  MYSQL_SECURE_TOOL,
  renderAppPlaceholderUnit,
  renderMemcachedDropIn,
  renderMysqlConf,
  renderMysqlDropIn,
  renderMysqlSecureTool,
} from "./daemons";
import { hostSignalCommands, hostSignalFiles } from "./host-signals";
import { type HostFile, type HostPlan, hostFile } from "./model";
import {
  MYSQL_PROMOTE_TOOL,
  MYSQL_REPLICATION_TOOL,
  MYSQL_REPLICATION_UNIT,
  renderMysqlPromoteTool,
  renderMysqlReplicationTool,
  renderMysqlReplicationUnit,
  renderMysqlRoleCheck,
} from "./mysql-replication";
import {
  MYSQL_RESTORE_TOOL,
  MYSQL_RESTORE_UNIT,
  mysqlRestoreSource,
  renderMysqlRestoreTool,
  renderMysqlRestoreUnit,
} from "./mysql-restore";
import {
  MYSQL_SNAPSHOT_POINT_TOOL,
  MYSQL_SNAPSHOT_POINT_UNIT,
  recordsSnapshotPoint,
  renderMysqlSnapshotPointTool,
  renderMysqlSnapshotPointUnit,
} from "./mysql-snapshot-point";
import {
  NGINX_CONF_PATH,
  NGINX_UPSTREAMS_TOOL,
  renderNginxConf,
  renderNginxUpstreamsTool,
  renderNginxUpstreamsUnits,
} from "./nginx";
import {
  MYSQL_DUMP_TOOL,
  OFFSITE_UPLOAD_TOOL,
  renderMysqlDumpTool,
  renderMysqlDumpUnits,
  renderOffsiteUploadTool,
} from "./offsite";
import {
  APT_TOOL,
  DATA_DISK_TOOL,
  HASHICORP_LIST_PATH,
  HASHICORP_TOOL,
  HOST_FACTS_TOOL,
  renderAptTool,
  renderConsulInstallTool,
  renderDataDiskTool,
  renderHashicorpList,
  renderHostFactsTool,
  renderServiceTool,
  renderUseUnboundTool,
  SERVICE_TOOL,
  USE_UNBOUND_TOOL,
} from "./scripts";
import type { SiteFacts } from "./site-facts";
import { withoutCommentLines } from "./tool-text";
import {
  RESOLV_CONF_PATH,
  RESOLVED_DROP_IN_PATH,
  renderResolvConf,
  renderResolvedDropIn,
  renderUnboundConf,
  UNBOUND_CONF_PATH,
  UNBOUND_FORMER_DROP_IN_PATH,
} from "./unbound";

/** Packages every host installs from Ubuntu before anything else. */
export const BASE_PACKAGES = [
  "unbound",
  // The root key unbound's trust anchor starts from (a Recommends of unbound: made explicit).
  "dns-root-data",
  "bind9-dnsutils",
  "curl",
  "jq",
  "gnupg",
  "ca-certificates",
];

const ROLE_PACKAGES: Record<Role, readonly string[]> = {
  nginx: ["nginx"],
  app: [],
  // mysql-server is installed by a command, after its data disk is mounted.
  mysql: [],
  memcached: ["memcached"],
  util: [],
  chocon: [],
};

const UNIT_DIR = "/etc/systemd/system";
const TEMPLATE_DIR = "/etc/multicloud/templates";
/** Units that read the host facts file (restarted when the host's address changes). */
const ENV_UNITS: Record<Role, readonly string[]> = {
  nginx: [],
  app: ["app-placeholder"],
  mysql: ["mysql"],
  memcached: ["memcached"],
  util: [],
  chocon: ["chocon"],
};

const tool = (path: string, content: string) =>
  hostFile(path, withoutCommentLines(content), { mode: "0755" });

export function hostPlan(spec: RegionSpec, role: Role, facts: SiteFacts): HostPlan {
  const services = roleServices(spec, role);
  const serviceTemplate = `${TEMPLATE_DIR}/consul-service-${role}.json`;
  const serviceTarget = `/etc/consul.d/service-${role}.json`;
  const nodeTemplate = `${TEMPLATE_DIR}/consul-node.json`;

  const files: HostFile[] = [
    tool(SERVICE_TOOL, renderServiceTool()),
    tool(APT_TOOL, renderAptTool()),
    tool(USE_UNBOUND_TOOL, renderUseUnboundTool(RESOLV_CONF_PATH)),
    tool(HOST_FACTS_TOOL, renderHostFactsTool(facts.networkCidr, ENV_UNITS[role], role)),
    tool(HASHICORP_TOOL, renderConsulInstallTool()),
    tool(CONSUL_SECRETS_TOOL, renderConsulSecretsTool(spec, facts.secretSource, role)),
    hostFile(UNBOUND_CONF_PATH, renderUnboundConf(facts), { units: ["unbound"] }),
    hostFile(RESOLVED_DROP_IN_PATH, renderResolvedDropIn(), { units: ["systemd-resolved"] }),
    hostFile(RESOLV_CONF_PATH, renderResolvConf(facts)),
    hostFile(HASHICORP_LIST_PATH, renderHashicorpList()),
    hostFile(CONSUL_CONFIG_PATH, renderConsulConfig(spec, facts, role), { units: ["consul"] }),
    hostFile(CONSUL_SECRETS_TEMPLATE_PATH, renderConsulSecretsTemplate(role)),
    hostFile(nodeTemplate, renderConsulNodeTemplate()),
    ...(services.length > 0
      ? [hostFile(serviceTemplate, renderConsulServiceTemplate(services))]
      : []),
    ...roleFiles(spec, role, facts),
    ...hostSignalFiles(spec, role),
  ];

  const commands: string[] = [
    // unbound.conf includes nothing, so the old drop-in is inert; removed so nobody is misled.
    `rm -f ${UNBOUND_FORMER_DROP_IN_PATH}`,
    `${SERVICE_TOOL} apply unbound`,
    USE_UNBOUND_TOOL,
    HASHICORP_TOOL,
    [
      HOST_FACTS_TOOL,
      `${nodeTemplate} ${CONSUL_NODE_PATH} consul`,
      ...(services.length > 0 ? [`${serviceTemplate} ${serviceTarget} consul`] : []),
    ].join(" "),
    CONSUL_SECRETS_TOOL,
    `${SERVICE_TOOL} apply consul`,
    ...roleCommands(spec, role, facts),
    ...hostSignalCommands(spec, role),
  ];

  const units = [...new Set(files.flatMap((file) => file.units))].sort();
  return {
    role,
    region: spec.name,
    packages: [
      ...BASE_PACKAGES,
      ...ROLE_PACKAGES[role],
      ...(role === "nginx" && facts.frontCertificates ? ACME_PACKAGES : []),
    ],
    files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
    units,
    commands,
  };
}

function roleFiles(spec: RegionSpec, role: Role, facts: SiteFacts): HostFile[] {
  switch (role) {
    case "nginx": {
      const units = renderNginxUpstreamsUnits();
      const certificates = facts.frontCertificates;
      return [
        hostFile(NGINX_CONF_PATH, renderNginxConf(spec, facts.front, certificates), {
          units: ["nginx"],
        }),
        tool(NGINX_UPSTREAMS_TOOL, renderNginxUpstreamsTool()),
        hostFile(`${UNIT_DIR}/multicloud-nginx-upstreams.service`, units.service),
        hostFile(`${UNIT_DIR}/multicloud-nginx-upstreams.timer`, units.timer, {
          units: ["multicloud-nginx-upstreams.timer"],
        }),
        ...(certificates ? acmeFiles(certificates) : []),
      ];
    }
    case "app":
      return [
        hostFile(APP_PLACEHOLDER_UNIT_PATH, renderAppPlaceholderUnit(), {
          units: ["app-placeholder"],
        }),
        hostFile(appPlaceholderHealthFile(spec), "ok"),
      ];
    case "mysql": {
      const dump = renderMysqlDumpUnits();
      const restore = mysqlRestoreSource(spec);
      return [
        // A rebuild's hosts load the lost region's newest dump before replication starts.
        ...(restore
          ? [
              tool(MYSQL_RESTORE_TOOL, renderMysqlRestoreTool(restore)),
              hostFile(`${UNIT_DIR}/${MYSQL_RESTORE_UNIT}.service`, renderMysqlRestoreUnit()),
            ]
          : []),
        // A rebuild's hosts whose data disk comes from a snapshot record its time.
        ...(recordsSnapshotPoint(spec)
          ? [
              tool(MYSQL_SNAPSHOT_POINT_TOOL, renderMysqlSnapshotPointTool(spec.cloud)),
              hostFile(
                `${UNIT_DIR}/${MYSQL_SNAPSHOT_POINT_UNIT}.service`,
                renderMysqlSnapshotPointUnit(),
              ),
            ]
          : []),
        tool(DATA_DISK_TOOL, renderDataDiskTool()),
        tool(MYSQL_SECURE_TOOL, renderMysqlSecureTool()),
        tool(MYSQL_ROLE_CHECK, renderMysqlRoleCheck()),
        tool(MYSQL_REPLICATION_TOOL, renderMysqlReplicationTool(spec, facts.secretSource)),
        tool(MYSQL_PROMOTE_TOOL, renderMysqlPromoteTool()),
        hostFile(`${UNIT_DIR}/${MYSQL_REPLICATION_UNIT}.service`, renderMysqlReplicationUnit()),
        hostFile(MYSQL_CONF_PATH, renderMysqlConf(), { units: ["mysql"] }),
        hostFile(MYSQL_DROP_IN_PATH, renderMysqlDropIn(), { units: ["mysql"] }),
        tool(OFFSITE_UPLOAD_TOOL, renderOffsiteUploadTool(facts.offsiteStore, role)),
        tool(MYSQL_DUMP_TOOL, renderMysqlDumpTool()),
        hostFile(`${UNIT_DIR}/multicloud-mysql-dump.service`, dump.service),
        hostFile(`${UNIT_DIR}/multicloud-mysql-dump.timer`, dump.timer, {
          units: ["multicloud-mysql-dump.timer"],
        }),
      ];
    }
    case "memcached":
      return [hostFile(MEMCACHED_DROP_IN_PATH, renderMemcachedDropIn(), { units: ["memcached"] })];
    case "util": {
      const snapshot = renderConsulSnapshotUnits();
      return [
        hostFile(`${CONSUL_POLICY_DIR}/${DNS_READ_POLICY}.hcl`, renderDnsReadPolicy()),
        ...roles.map((each) =>
          hostFile(
            `${CONSUL_POLICY_DIR}/${consulPolicyName(each)}.hcl`,
            renderRolePolicy(spec, each),
          ),
        ),
        tool(CONSUL_ACL_TOOL, renderConsulAclTool()),
        hostFile(`${UNIT_DIR}/consul-acl-init.service`, renderConsulAclUnit()),
        tool(CONSUL_SNAPSHOT_TOOL, renderConsulSnapshotTool()),
        tool(OFFSITE_UPLOAD_TOOL, renderOffsiteUploadTool(facts.offsiteStore, role)),
        hostFile(`${UNIT_DIR}/consul-snapshot.service`, snapshot.service),
        hostFile(`${UNIT_DIR}/consul-snapshot.timer`, snapshot.timer, {
          units: ["consul-snapshot.timer"],
        }),
      ];
    }
    case "chocon":
      return [
        tool(
          CHOCON_INSTALL_TOOL,
          renderChoconInstallTool(facts.chocon, facts.artifactStore, ARTIFACT_BUCKET_KEY),
        ),
        hostFile(CHOCON_UNIT_PATH, renderChoconUnit(spec), { units: ["chocon"] }),
      ];
  }
}

/** The front's own certificate: certbot's settings, the tool, its deploy hook and timer. */
function acmeFiles(certificates: NonNullable<SiteFacts["frontCertificates"]>): HostFile[] {
  const units = renderAcmeUnits();
  return [
    hostFile(CERTBOT_CONFIG_PATH, renderCertbotConfig(certificates)),
    tool(ACME_TOOL, renderAcmeTool(certificates)),
    tool(ACME_DEPLOY_HOOK, renderAcmeDeployHook()),
    hostFile(`${UNIT_DIR}/${ACME_UNIT}.service`, units.service),
    hostFile(`${UNIT_DIR}/${ACME_UNIT}.timer`, units.timer, { units: [`${ACME_UNIT}.timer`] }),
  ];
}

function roleCommands(spec: RegionSpec, role: Role, facts: SiteFacts): string[] {
  switch (role) {
    case "nginx": {
      const tls = facts.frontCertificates !== undefined;
      return [
        `if [ -e /etc/nginx/sites-enabled/default ]; then rm -f /etc/nginx/sites-enabled/default && ${SERVICE_TOOL} mark nginx; fi`,
        `${NGINX_UPSTREAMS_TOOL} --no-reload`,
        // nginx needs a certificate to start: a stand-in until the timer's first order.
        ...(tls ? [`${ACME_TOOL} --stand-in-only`] : []),
        "nginx -t -q",
        `${SERVICE_TOOL} apply nginx multicloud-nginx-upstreams.timer${tls ? ` ${ACME_UNIT}.timer` : ""}`,
        // One schedule for certbot: the package's own timer would renew outside the host's slot.
        ...(tls ? ["systemctl disable --now certbot.timer"] : []),
      ];
    }
    case "app":
      return [`${SERVICE_TOOL} apply app-placeholder`];
    case "mysql":
      return [
        `${DATA_DISK_TOOL} ${MYSQL_DATA_MOUNT} ${MYSQL_DATA_LABEL} auto /var/lib/mysql`,
        ...(recordsSnapshotPoint(spec)
          ? [
              `systemctl enable --quiet ${MYSQL_SNAPSHOT_POINT_UNIT}.service`,
              `systemctl start --no-block ${MYSQL_SNAPSHOT_POINT_UNIT}.service`,
            ]
          : []),
        `${APT_TOOL} mysql-server`,
        `${SERVICE_TOOL} apply mysql`,
        MYSQL_SECURE_TOOL,
        // Enabled first: its RequiredBy= makes the replication unit's start wait for the load.
        ...(mysqlRestoreSource(spec)
          ? [`systemctl enable --quiet ${MYSQL_RESTORE_UNIT}.service`]
          : []),
        // Retried by systemd until it succeeds: a replica waits for the primary.
        `systemctl enable --quiet ${MYSQL_REPLICATION_UNIT}.service`,
        `systemctl start --no-block ${MYSQL_REPLICATION_UNIT}.service`,
        `${SERVICE_TOOL} apply multicloud-mysql-dump.timer`,
      ];
    case "memcached":
      return [`${SERVICE_TOOL} apply memcached`];
    case "util":
      return [
        `${SERVICE_TOOL} apply consul-snapshot.timer`,
        "systemctl enable --quiet consul-acl-init.service",
        "systemctl start --no-block consul-acl-init.service",
      ];
    case "chocon":
      return [CHOCON_INSTALL_TOOL, `${SERVICE_TOOL} apply chocon`];
  }
}

/** Roles whose hosts exist in the region (a count above zero; util hosts are the Consul servers). */
export function rolesPresent(spec: RegionSpec): Role[] {
  return roles.filter((role) => hostCount(spec, role) > 0);
}
