// Runs the TypeScript program under plain Node: `node --require ./tools/ts-loader.cjs file.ts`, as
// Pulumi.yaml's nodeargs, `npm run plan`, `npm run dr`, the benchmark and the tests load it.
// Each `.ts` file is transformed to CommonJS by esbuild when it is first required, and the result
// is kept in node_modules/.cache/multicloud-ts under the file's path, stamped with a hash of its
// text: an edited file is transformed again on its next load, an unchanged one never, so there is
// no build step to run and none to forget. Types are checked by `npm test`, not here. esbuild is
// pinned in package.json.
// Unlike a general-purpose loader it leaves node_modules' JavaScript alone (tsx inspects every
// `.js` file a program loads, thousands for the provider SDKs) and resolves only what Node does,
// plus `.ts` first for extensionless relative imports from TypeScript, as tsc resolves them.
// Node's compile cache (below) keeps V8's code for the SDKs' modules and ours between runs too.
// Stack traces point into the transformed code unless Node maps them (`--enable-source-maps`,
// which costs a third of a plan's time): each file carries its source map inline for that.
"use strict";
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

/** Bumped whenever the transform's options change, so older cached output is not reused. */
const FORMAT = "2";
const cacheDir =
  process.env.MULTICLOUD_TS_CACHE ||
  path.join(__dirname, "..", "node_modules", ".cache", "multicloud-ts");

/** @type {typeof import("esbuild") | undefined} loaded only when a file must be transformed */
let esbuild;

function transform(source, filename) {
  esbuild ??= require("esbuild");
  return esbuild.transformSync(source, {
    loader: "ts",
    format: "cjs",
    // tsconfig.json's target: class fields keep their define semantics.
    target: "es2022",
    tsconfigRaw: { compilerOptions: { target: "ES2022", esModuleInterop: true } },
    sourcefile: filename,
    sourcemap: "inline",
    // `import()` becomes a `require`, so what it loads goes through this loader too (Node's ESM
    // resolver neither finds extensionless paths nor runs TypeScript).
    supported: { "dynamic-import": false },
  }).code;
}

/** The stamp that ends a cached file: transform format, esbuild's version and the source's hash. */
function stampOf(source) {
  const version = esbuildVersion();
  const hash = createHash("sha1").update(source).digest("hex");
  return `\n//# multicloud-ts ${FORMAT} ${version} ${hash}\n`;
}

let knownVersion;
function esbuildVersion() {
  knownVersion ??= require("esbuild/package.json").version;
  return knownVersion;
}

function compiled(filename) {
  const source = fs.readFileSync(filename, "utf8");
  const stamp = stampOf(source);
  const cached = path.join(
    cacheDir,
    `${createHash("sha1").update(filename).digest("hex")}-${path.basename(filename, ".ts")}.js`,
  );
  try {
    const text = fs.readFileSync(cached, "utf8");
    if (text.endsWith(stamp)) return text;
  } catch {
    // Not cached yet.
  }
  const code = transform(source, filename) + stamp;
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    // Written whole under another name, then renamed: a reader never sees part of a file.
    const partial = `${cached}.${process.pid}.partial`;
    fs.writeFileSync(partial, code);
    fs.renameSync(partial, cached);
  } catch {
    // A read-only checkout still runs; it transforms on every load.
  }
  return code;
}

Module._extensions[".ts"] = (module, filename) => {
  module._compile(compiled(filename), filename);
};

// An extensionless relative import in TypeScript means the `.ts` file first, as tsc resolves it,
// where Node would try `.js` and `.json` before it (`./facts` beside facts.ts and facts.json).
// Node caches each resolution per directory and request, so this runs once for each.
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  if (parent?.filename?.endsWith(".ts") && /^\.\.?\//.test(request)) {
    const candidate = path.resolve(path.dirname(parent.filename), `${request}.ts`);
    if (fs.statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
  }
  return resolveFilename.call(this, request, parent, isMain, options);
};

// V8's compiled code for every module loaded from here on, ours and the SDKs', kept by Node
// itself (module.enableCompileCache, Node 22.1) and checked against each file's text and Node's
// version: a run after the first compiles next to nothing. A read-only checkout runs without it.
Module.enableCompileCache?.(path.join(__dirname, "..", "node_modules", ".cache", "multicloud-v8"));
