// Precompiles the program to plain JavaScript (as a build step before `pulumi up` would), so the
// benchmark can time the same plan without a TypeScript loader. Uses the project's TypeScript
// compiler in transpile-only mode: types are checked by `npm test`, not at deploy time.
import {
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join, relative } from "node:path";
import * as ts from "typescript";

/** What the plan needs at run time: the program, the plan tool and the benchmark's children. */
const SOURCES = [
  "index.ts",
  "components",
  "tools/plan",
  "tools/exit-when-drained.ts",
  "bench/children",
];

function tsFiles(root: string, entry: string): string[] {
  const path = join(root, entry);
  if (statSync(path).isFile()) return path.endsWith(".ts") ? [path] : [];
  return readdirSync(path).flatMap((name) => tsFiles(root, join(entry, name)));
}

/** Writes the compiled tree to `outDir` and returns how many files were compiled. */
export function compileProject(projectDir: string, outDir: string): number {
  const files = SOURCES.flatMap((entry) => tsFiles(projectDir, entry)).filter(
    (file) => !file.endsWith(".d.ts"),
  );
  for (const file of files) {
    const output = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
      },
    }).outputText;
    const target = join(outDir, relative(projectDir, file)).replace(/\.ts$/, ".js");
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
  }
  // runPlan requires "<projectDir>/index.ts" by name; Node loads a file with an extension it has
  // no loader for as CommonJS, so the compiled entry is also written under that name.
  copyFileSync(join(outDir, "index.js"), join(outDir, "index.ts"));
  for (const name of readdirSync(projectDir).filter((file) => /^Pulumi.*\.yaml$/.test(file)))
    copyFileSync(join(projectDir, name), join(outDir, name));
  symlinkSync(join(projectDir, "node_modules"), join(outDir, "node_modules"), "dir");
  return files.length;
}
