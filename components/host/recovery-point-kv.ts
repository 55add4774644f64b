// The one way a restored MySQL host reports its recovery point to Consul KV
// (multicloud/mysql/recovery-point): a PUT with the host's role token over the agent's HTTPS API, a
// JSON object naming the host, the point and what it was restored from. Shared by the dump restore
// and the snapshot step, so that readers of the key see one form. Pure.

import { CONSUL_API, CONSUL_CA_FILE, CONSUL_PRIVATE_DIR, MYSQL_RECOVERY_POINT_KEY } from "./consul";

/**
 * Shell lines (a function body's, indented) that PUT
 * `{"host":"<short host name>","recoveryPoint":POINT,"<sourceField>":SOURCE}` to the key; POINT and
 * SOURCE are shell words expanded inside double quotes ("$1", "$PREFIX$2"). Fails (curl -f) when
 * Consul refuses it.
 */
export function recoveryPointPutLines(
  point: string,
  sourceField: string,
  source: string,
): string[] {
  if (!/^[a-zA-Z]+$/.test(sourceField))
    throw new Error(`recovery point source field ${sourceField} is not a plain word`);
  return [
    `  curl -fsS --max-time 10 --cacert ${CONSUL_CA_FILE} -X PUT -H "X-Consul-Token: $(cat ${CONSUL_PRIVATE_DIR}/consul-role.token)" \\`,
    `    --data "{\\"host\\":\\"$(hostname -s)\\",\\"recoveryPoint\\":\\"${point}\\",\\"${sourceField}\\":\\"${source}\\"}" \\`,
    `    '${CONSUL_API}/v1/kv/${MYSQL_RECOVERY_POINT_KEY}' >/dev/null`,
  ];
}
