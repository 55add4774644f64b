// Which pushed keys reach which roles beyond their hosts' own secrets: the key that publishes the
// host signals goes to the roles that publish them (the contract, components/alerts/signals.ts),
// the key that writes ACME challenge records to the front hosts, and in a rebuild the key that reads
// the lost region's dumps to the MySQL hosts. Pure.
import { HOST_SIGNALS } from "../../alerts/signals";
import type { Role } from "../../spec/hosts";
import type {
  AcmeSecretId,
  PushedSecretId,
  RestoreReaderSecretId,
  SignalsSecretId,
} from "../../spec/secrets";

export type RoleSecrets<T> = Partial<Record<Role, Partial<Record<PushedSecretId, T>>>>;

export function sakuraRoleSecrets<T>(keys: {
  signals: Record<SignalsSecretId, T>;
  acme?: Record<AcmeSecretId, T>;
  restore?: Record<RestoreReaderSecretId, T>;
}): RoleSecrets<T> {
  const publishers = [...new Set(Object.values(HOST_SIGNALS).map((s) => s.publisher))];
  const secrets: RoleSecrets<T> = {};
  for (const role of publishers) secrets[role] = { ...secrets[role], ...keys.signals };
  if (keys.acme) secrets.nginx = { ...secrets.nginx, ...keys.acme };
  if (keys.restore) secrets.mysql = { ...secrets.mysql, ...keys.restore };
  return secrets;
}
