// `npm run dr -- --stack us --to us-east-1 [...]`: writes Pulumi.us-dr.yaml, the stack file of a
// rebuild of the us region in us-east-1; `--rehearse` plans one offline and writes nothing
// (docs/disaster-recovery.md).
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { printable } from "../../components/spec/errors";
import { exitWhenDrained } from "../exit-when-drained";
import { type DrArgs, parseDrArgs, USAGE } from "./args";
import { DrInputError } from "./errors";
import { type DrRequest, drStackName, makeDrStackFile } from "./make-dr-spec";
import { findProjectDir, readJson, readLostConfig, readLostSpec } from "./project";
import { rehearse } from "./rehearse";
import { renderDrStackFile } from "./render";
import { retire } from "./retire-cli";
import { summary } from "./summary";

function request(args: DrArgs, dir: string, to: string): DrRequest {
  return {
    stack: args.stack,
    config: readLostConfig(dir, args.stack),
    to,
    snapshots: args.snapshots,
    now: new Date(),
    ...(args.restoreTime !== undefined ? { restoreTime: args.restoreTime } : {}),
    ...(args.backups !== undefined
      ? { backups: readJson(args.backups, "--backups", "`pulumi stack output drBackups --json`") }
      : {}),
    ...(args.restoreWindow !== undefined
      ? {
          restoreWindows: {
            file: args.restoreWindow,
            document: readJson(
              args.restoreWindow,
              "--restore-window",
              "`aws rds describe-db-instance-automated-backups --output json`",
            ),
          },
        }
      : {}),
    ...(args.zones !== undefined ? { zones: args.zones } : {}),
    ...(args.backupLocation !== undefined ? { backupLocation: args.backupLocation } : {}),
    ...(args.gkeRegion !== undefined ? { gkeRegion: args.gkeRegion } : {}),
  };
}

async function main(): Promise<number> {
  const args = parseDrArgs(process.argv.slice(2));
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const dir = findProjectDir(process.cwd());
  if (args.retire) return retire(dir, args.stack, readLostSpec(dir, args.stack));
  if (args.rehearse) {
    const to = args.to || defaultRehearsalLocation(dir, args.stack);
    return rehearse(dir, makeDrStackFile(request(args, dir, to)));
  }
  const target = join(dir, `Pulumi.${drStackName(args.stack)}.yaml`);
  if (existsSync(target) && !args.force) {
    throw new DrInputError(
      `Pulumi.${drStackName(args.stack)}.yaml exists already: not overwriting it (add --force to replace it)`,
    );
  }
  const file = makeDrStackFile(request(args, dir, args.to));
  writeFileSync(target, renderDrStackFile(file));
  for (const line of summary(file, { restoreWindowChecked: args.restoreWindow !== undefined }))
    console.log(line);
  return 0;
}

/** A rehearsal rebuilds where the region keeps its backups, unless told otherwise. */
function defaultRehearsalLocation(dir: string, stack: string): string {
  return readLostSpec(dir, stack).dr.backupLocation;
}

/** The exit code; errors a user can fix are one line, anything else is a bug of the tool. */
async function run(): Promise<number> {
  try {
    return await main();
  } catch (error) {
    if (error instanceof DrInputError) {
      const rehearsal = process.argv.includes("--rehearse") || process.argv.includes("--retire");
      // One line whatever the user typed: line breaks and terminal escapes are printed escaped.
      console.error(`dr: ${printable(error.message)}${rehearsal ? "" : " (nothing written)"}`);
      return 2;
    }
    console.error("dr: internal error (a bug in the tool, not in your request):");
    console.error(error);
    return 1;
  }
}

run().then(exitWhenDrained);
