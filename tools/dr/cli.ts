// `npm run dr -- --stack us --to us-east-1 [...]`: writes Pulumi.us-dr.yaml, the stack file of a
// rebuild of the us region in us-east-1 (docs/disaster-recovery.md).
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { printable } from "../../components/spec/errors";
import { parseStackFile, StackFileError } from "../../components/spec/stack-yaml";
import { exitWhenDrained } from "../exit-when-drained";
import { parseDrArgs, USAGE } from "./args";
import { DrInputError } from "./errors";
import { drStackName, makeDrStackFile } from "./make-dr-spec";
import { renderDrStackFile } from "./render";

/** The nearest directory at or above the working directory that holds Pulumi.yaml. */
function findProjectDir(start: string): string {
  let dir = resolve(start);
  while (!existsSync(join(dir, "Pulumi.yaml"))) {
    const up = dirname(dir);
    if (up === dir) {
      throw new DrInputError(
        `no Pulumi.yaml in ${start} or above: run this in the project directory`,
      );
    }
    dir = up;
  }
  return dir;
}

function stacksIn(dir: string): string[] {
  return readdirSync(dir)
    .map((file) => /^Pulumi\.([A-Za-z0-9_.-]+)\.yaml$/.exec(file)?.[1])
    .filter((stack): stack is string => stack !== undefined)
    .sort();
}

function readConfig(dir: string, stack: string): Record<string, unknown> {
  const file = `Pulumi.${stack}.yaml`;
  const path = join(dir, file);
  if (!/^[A-Za-z0-9_.-]+$/.test(stack) || !existsSync(path)) {
    throw new DrInputError(
      `unknown stack "${printable(stack)}": there is no ${printable(file)} (stacks here: ${stacksIn(dir).join(", ") || "none"})`,
    );
  }
  try {
    return parseStackFile(readFileSync(path, "utf8"), file).config;
  } catch (error) {
    if (error instanceof StackFileError) throw new DrInputError(error.message);
    throw error;
  }
}

function readBackups(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    throw new DrInputError(`--backups ${path}: cannot be read`);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new DrInputError(
      `--backups ${path}: not JSON (expected \`pulumi stack output drBackups --json\`)`,
    );
  }
}

function main(): number {
  const args = parseDrArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = findProjectDir(process.cwd());
  const config = readConfig(dir, args.stack);
  const target = join(dir, `Pulumi.${drStackName(args.stack)}.yaml`);
  if (existsSync(target) && !args.force) {
    throw new DrInputError(
      `Pulumi.${drStackName(args.stack)}.yaml exists already: not overwriting it (add --force to replace it)`,
    );
  }
  const file = makeDrStackFile({
    stack: args.stack,
    config,
    to: args.to,
    snapshots: args.snapshots,
    now: new Date(),
    ...(args.restoreTime !== undefined ? { restoreTime: args.restoreTime } : {}),
    ...(args.backups !== undefined ? { backups: readBackups(args.backups) } : {}),
    ...(args.zones !== undefined ? { zones: args.zones } : {}),
    ...(args.backupLocation !== undefined ? { backupLocation: args.backupLocation } : {}),
  });
  writeFileSync(target, renderDrStackFile(file));
  console.log(
    `Wrote ${file.file}: ${args.stack} rebuilt in ${args.to} as region ${file.spec.name}.`,
  );
  const restore = file.spec.dr.restore;
  for (const [db, entry] of Object.entries(restore?.rds ?? {})) {
    const pointInTime = entry.pointInTime;
    const from =
      entry.snapshotIdentifier ??
      (pointInTime?.fromStack !== undefined
        ? `the replicated backups in stack ${pointInTime.fromStack}'s drBackups output`
        : (pointInTime?.sourceDbInstanceAutomatedBackupsArn ?? pointInTime?.sourceDbiResourceId));
    const when = pointInTime?.restoreTime ?? (pointInTime ? "latest restorable time" : "");
    console.log(`  database ${db}: from ${from}${when ? ` (${when})` : ""}`);
  }
  for (const [host, disk] of Object.entries(restore?.mysqlDisks ?? {})) {
    console.log(
      disk.snapshot !== undefined
        ? `  ${host} data: from snapshot ${disk.snapshot}`
        : `  ${host} data: from the latest snapshot of disk ${disk.latestSnapshotOf}`,
    );
  }
  for (const key of file.secretsToSet)
    console.log(`  set again: pulumi config set --secret ${key} -s ${file.stack}`);
  console.log(`Next: npm run plan -- --stack ${file.stack}, then docs/disaster-recovery.md.`);
  return 0;
}

/** The exit code; errors a user can fix are one line, anything else is a bug of the tool. */
function run(): number {
  try {
    return main();
  } catch (error) {
    if (error instanceof DrInputError) {
      console.error(`dr: ${error.message}`);
      return 2;
    }
    console.error("dr: internal error (a bug in the tool, not in your request):");
    console.error(error);
    return 1;
  }
}

exitWhenDrained(run());
