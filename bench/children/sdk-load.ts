// The floor of start-up: a plain Node process that only loads the provider SDKs the program uses,
// with Node's compile cache in the directory the project's loader keeps it in (any program can
// keep one, so the floor does too). Written as the source of a `node -e` script so that no
// TypeScript loader is involved.
export const SDK_PACKAGES = [
  "@pulumi/pulumi",
  "@pulumi/aws",
  "@pulumi/gcp",
  "@pulumi/kubernetes",
  "@pulumi/random",
  "@pulumi/command",
] as const;

export function sdkLoadScript(marker: string, compileCacheDir: string): string {
  return [
    `require('node:module').enableCompileCache(${JSON.stringify(compileCacheDir)});`,
    "const { performance } = require('node:perf_hooks');",
    "const mainAt = performance.timeOrigin + performance.now();",
    `for (const name of ${JSON.stringify(SDK_PACKAGES)}) require(name);`,
    "const doneAt = performance.timeOrigin + performance.now();",
    "const cpu = process.cpuUsage();",
    `process.stdout.write(${JSON.stringify(marker)} + JSON.stringify({ kind: 'sdk-load', processStartAt: performance.timeOrigin, mainAt, doneAt, cpuMs: (cpu.user + cpu.system) / 1000, maxRssKb: process.resourceUsage().maxRSS }) + '\\n');`,
  ].join("\n");
}
