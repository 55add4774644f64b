// Pushing host secrets over SSH: the values travel on the command's standard input (kept secret
// in state), never in its command line, and land as root-only files. Pure text.
/** The remote command: reads "id value" lines and writes each to <dir>/<id>, mode 0600. */
export function secretsPushCommand(dir: string): string {
  return [
    "sudo sh -c 'umask 077",
    `mkdir -p ${dir}`,
    `while read -r id value; do case "$id" in *[!a-z0-9-]*|"") exit 3;; esac; printf %s "$value" > ${dir}/"$id".new && mv ${dir}/"$id".new ${dir}/"$id"; done'`,
  ].join("; ");
}

/** One "name value" line per secret; names are the secret store names. */
export function secretsPushInput(values: Record<string, string>): string {
  return `${Object.entries(values)
    .map(([id, value]) => `${id} ${value}`)
    .join("\n")}\n`;
}
