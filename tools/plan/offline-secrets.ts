// Secrets that a real stack holds encrypted in its stack file (`pulumi config set --secret ...`).
// The offline plan cannot decrypt anything, so when a stack file does not carry one, the plan
// gives the program a marked placeholder instead; the plan JSON shows it as "[secret]".

export const offlineSecretKeys: Record<string, string> = {
  // Logs in to Sakura hosts (dedicated and cloud) to push the bootstrap and host secrets.
  "multicloud:sshPrivateKey":
    "-----BEGIN OPENSSH PRIVATE KEY-----\noffline-placeholder\n-----END OPENSSH PRIVATE KEY-----\n",
};
