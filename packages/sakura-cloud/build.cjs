// Builds src/ (TypeScript) into plain JavaScript under dist/<hash of the sources>/: the provider
// process runs plain `node`, with no TypeScript loader. `npm ci` runs this as the package's
// `prepare`; index.cjs runs it again whenever the sources differ from every build, so code that
// was changed without a build is never what runs. Transpiled only: the project's
// `npm run typecheck` checks the types of src/ along with the program's.
const crypto = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const srcDir = path.join(__dirname, "src");
const distDir = path.join(__dirname, "dist");

/** Every TypeScript source under src/, relative and sorted, so the hash is stable. */
function sourceFiles(dir = "") {
  const found = [];
  for (const entry of fs.readdirSync(path.join(srcDir, dir), { withFileTypes: true })) {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...sourceFiles(relative));
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(relative);
  }
  return found.sort();
}

/** Names a build by its inputs: the sources, and this file (which holds the compiler options). */
function sourceHash() {
  const hash = crypto.createHash("sha256");
  hash.update(fs.readFileSync(__filename));
  for (const file of sourceFiles()) {
    hash.update(`\0${file}\0`);
    hash.update(fs.readFileSync(path.join(srcDir, file)));
  }
  return hash.digest("hex").slice(0, 16);
}

function loadTypeScript() {
  try {
    return require("typescript");
  } catch {
    throw new Error(
      "@multicloud/sakura-cloud: its JavaScript is missing or older than src/, and the TypeScript " +
        "compiler that builds it is not installed: run `npm ci` in the project",
    );
  }
}

/**
 * Writes the build into a directory of its own and renames it into place: a rename is atomic,
 * so processes that build at the same moment (parallel test files) never see half a build.
 */
function build(outDir) {
  const ts = loadTypeScript();
  const scratch = `${outDir}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
  for (const file of sourceFiles()) {
    const fileName = path.join(srcDir, file);
    const { outputText } = ts.transpileModule(fs.readFileSync(fileName, "utf8"), {
      fileName,
      compilerOptions: {
        target: ts.ScriptTarget.ES2022,
        module: ts.ModuleKind.CommonJS,
        esModuleInterop: true,
      },
    });
    const target = path.join(scratch, file.replace(/\.ts$/, ".js"));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, outputText);
  }
  try {
    fs.renameSync(scratch, outDir);
  } catch (e) {
    fs.rmSync(scratch, { recursive: true, force: true });
    // Another process put the same build in place first.
    if (!fs.existsSync(path.join(outDir, "index.js"))) throw e;
  }
}

/** The entry of the build for the sources as they are now, building it when there is none. */
function ensureBuilt() {
  const outDir = path.join(distDir, sourceHash());
  if (!fs.existsSync(path.join(outDir, "index.js"))) build(outDir);
  return path.join(outDir, "index.js");
}

/** Removes every other build (run by `npm ci`, when nothing else is loading the package). */
function pruneExcept(keep) {
  for (const name of fs.readdirSync(distDir)) {
    if (name !== keep) fs.rmSync(path.join(distDir, name), { recursive: true, force: true });
  }
}

module.exports = { ensureBuilt, sourceHash };

if (require.main === module) {
  const entry = ensureBuilt();
  pruneExcept(path.basename(path.dirname(entry)));
  console.log(`@multicloud/sakura-cloud: built ${path.relative(__dirname, entry)}`);
}
