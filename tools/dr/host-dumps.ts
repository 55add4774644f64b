// Where a rebuilt MySQL primary finds the lost region's nightly dumps (dr.restore.mysqlDumps):
// the off-site bucket the lost region shipped them to, named through its drBackups output (read
// when the rebuild is deployed) or taken from a saved copy (--backups), and the lost primary whose
// dumps are loaded. Pure.
import { offsiteAwsRegion } from "../../components/spec/dr";
import type { RegionSpec } from "../../components/spec/schema";
import { DrInputError } from "./errors";
import type { Raw } from "./rebuild-context";

/** The lost region's primary: its first MySQL host (a dedicated server's own name on metal). */
export function lostPrimary(spec: RegionSpec): string {
  if (spec.cloud === "sakura" && spec.hosts.mysql.placement === "dedicated") {
    const first = spec.sakura.dedicated.find((server) => server.role === "mysql");
    if (first) return first.name;
  }
  return "mysql-1";
}

export function mysqlDumps(spec: RegionSpec, stack: string, backups: unknown): Raw {
  const location = spec.cloud === "gcp" ? spec.dr.backupLocation : (offsiteAwsRegion(spec) ?? "");
  const source =
    backups === undefined ? { fromStack: stack } : { ...savedOffsite(backups, stack, spec) };
  return {
    store: spec.cloud === "gcp" ? "gcs" : "s3",
    location,
    ...source,
    primary: lostPrimary(spec),
  };
}

/** The bucket (and on S3 its key) from a saved drBackups output. */
function savedOffsite(backups: unknown, stack: string, spec: RegionSpec): Raw {
  const keyArn = (backups as { offsite?: { keyArn?: unknown } } | null)?.offsite?.keyArn;
  const bucket = offsiteBucket(backups, stack);
  if (spec.cloud === "gcp") return { bucket };
  if (typeof keyArn !== "string" || keyArn === "") {
    throw new DrInputError(
      `--backups: no offsite.keyArn (expected the output of \`pulumi stack output -s ${stack} drBackups --json\`): the rebuild's MySQL hosts need it to decrypt the dumps`,
    );
  }
  return { bucket, keyArn };
}

function offsiteBucket(backups: unknown, stack: string): string {
  const bucket = (backups as { offsite?: { bucket?: unknown } } | null)?.offsite?.bucket;
  if (typeof bucket !== "string" || bucket === "") {
    throw new DrInputError(
      `--backups: no offsite.bucket (expected the output of \`pulumi stack output -s ${stack} drBackups --json\`)`,
    );
  }
  return bucket;
}
