// What disk edit used to write into a Sakura Cloud server's OS, said in its cloud-init document
// instead: the host name, the keys that log in as the image's default user, and password login
// off. Sakura's cloud-init images take one mechanism or the other, and these hosts are set up by
// cloud-init (Sakura's Terraform provider documents the same keys for `user_data` in place of
// `disk_edit_parameter`, website/docs/r/server.md). Pure.
import type { CloudConfig } from "./cloud-config";

export interface HostLogin {
  readonly hostName: string;
  readonly sshPublicKeys: readonly string[];
}

export function withHostLogin(document: CloudConfig, login: HostLogin): CloudConfig {
  const keys = Array.isArray(document.ssh_authorized_keys) ? document.ssh_authorized_keys : [];
  return {
    ...document,
    hostname: login.hostName,
    ssh_authorized_keys: [...new Set([...keys, ...login.sshPublicKeys])],
    // Password login stays off whatever the role's document says: only keys log in.
    ssh_pwauth: false,
  };
}
