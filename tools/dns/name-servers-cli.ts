// `npm run name-servers -- --stack us`: prints the name servers of the stack's public zone, one a
// line, for the registrar of a new domain (README, "A new domain"). It reads them from
// `pulumi stack export`, which works while the first `pulumi up` is still running.
import { execFile } from "node:child_process";
import { exitWhenDrained } from "../exit-when-drained";
import { NameServersError, publicZoneNameServers } from "./name-servers";

const USAGE = "usage: npm run name-servers -- --stack <name>";

function stackArgument(argv: readonly string[]): string {
  const [flag, stack, ...rest] = argv;
  if (flag !== "--stack" || !stack || stack.startsWith("-") || rest.length > 0)
    throw new NameServersError(USAGE);
  return stack;
}

function exportStack(stack: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    execFile(
      "pulumi",
      ["stack", "export", "--stack", stack],
      { encoding: "utf8", maxBuffer: 256 << 20 },
      (error, stdout, stderr) => {
        if (error) {
          reject(
            new NameServersError(
              `pulumi stack export --stack ${stack} failed: ${stderr.trim() || error.message}`,
            ),
          );
          return;
        }
        try {
          resolve(JSON.parse(stdout) as unknown);
        } catch {
          reject(new NameServersError(`pulumi stack export --stack ${stack} printed no JSON`));
        }
      },
    );
  });
}

async function main(): Promise<number> {
  const stack = stackArgument(process.argv.slice(2));
  for (const name of publicZoneNameServers(await exportStack(stack), stack)) console.log(name);
  return 0;
}

main().then(
  (code) => exitWhenDrained(code),
  (error: unknown) => {
    if (!(error instanceof NameServersError)) throw error;
    console.error(error.message);
    exitWhenDrained(1);
  },
);
