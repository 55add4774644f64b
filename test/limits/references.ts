// The vendors' references as installed by tools/ci/references.sh (pinned in
// tools/ci/references.txt): botocore's service models and googleapiclient's discovery documents.
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

const root = join(__dirname, "..", "..");

let sitePackages: string | undefined;

/** The venv's site-packages; fails with the command to run when the references are missing. */
export function referencesDir(): string {
  sitePackages ??= execFileSync("bash", [join(root, "tools", "ci", "references.sh"), "--print"], {
    encoding: "utf8",
  }).trim();
  return sitePackages;
}

// A JSON document read as data: its shape is checked where it is used.
// biome-ignore lint/suspicious/noExplicitAny: walked by the tests, which assert what they read
export type Json = any;

const models = new Map<string, Json>();

/** A botocore service model: the newest API version the package carries, as botocore loads it. */
export function botocoreModel(service: string): Json {
  const known = models.get(service);
  if (known) return known;
  const serviceDir = join(referencesDir(), "botocore", "data", service);
  const version = readdirSync(serviceDir).sort().at(-1);
  if (!version) throw new Error(`botocore has no model of ${service}`);
  const file = join(serviceDir, version, "service-2.json.gz");
  const model: Json = JSON.parse(gunzipSync(readFileSync(file)).toString("utf8"));
  models.set(service, model);
  return model;
}

const documents = new Map<string, Json>();

/** A Google discovery document as googleapiclient ships it, e.g. "compute.v1". */
export function discoveryDocument(name: string): Json {
  const known = documents.get(name);
  if (known) return known;
  const file = join(
    referencesDir(),
    "googleapiclient",
    "discovery_cache",
    "documents",
    `${name}.json`,
  );
  const document: Json = JSON.parse(readFileSync(file, "utf8"));
  documents.set(name, document);
  return document;
}

/** The value at a dotted JSON path, or undefined. */
export function atPath(document: Json, path: string): Json {
  let current: Json = document;
  for (const key of path.split(".")) current = current?.[key];
  return current;
}

/** Documentation as a reader sees it: no HTML tags, entities decoded, whitespace collapsed. */
export function plainText(text: string): string {
  return text
    .replace(/<[^>]*>/g, "")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}
