// schema-facts, the reader of providers' Go schema sources, over a made-up provider written in
// the shapes real ones use (fixtures/schema-facts): what it must find, and what it must refuse.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import path from "node:path";
import { describe, it } from "node:test";
import { peerBinary } from "../support/peers";

const fixture = path.join(__dirname, "fixtures", "schema-facts");

function read(args: string[]): unknown {
  const binary = peerBinary("schema-facts", "schema-facts");
  return JSON.parse(execFileSync(binary, args, { cwd: fixture, encoding: "utf8" }));
}

interface Resource {
  name: string;
  framework: boolean;
  replace: { path: string[]; kind: string; how: string }[];
  conditional: { attribute: string; how: string; condition: string }[];
  unread: string[];
}

function terraform(resources: string[]): { resources: Resource[]; missing: string[] } {
  return read([
    "terraform",
    "--root",
    fixture,
    "--dirs",
    "widgets",
    "--provider",
    "demo",
    "--resources",
    resources.join(","),
  ]) as { resources: Resource[]; missing: string[] };
}

const facts = (r: Resource | undefined) =>
  (r?.replace ?? []).map((f) => `${f.path.join(".")} ${f.kind} ${f.how}`);

describe("schema-facts terraform", () => {
  // Read inside the tests, so that a reader that fails fails them.
  let read: { resources: Resource[]; missing: string[] } | undefined;
  const out = () => {
    read ??= terraform(["demo_widget", "demo_widget_member", "demo_gadget", "demo_missing"]);
    return read;
  };
  const byName = { get: (name: string) => out().resources.find((r) => r.name === name) };

  it("reads ForceNew through constants, merged maps, helper functions and nested blocks", () => {
    assert.deepEqual(facts(byName.get("demo_widget")), [
      "disk block ForceNew",
      "disk.kind value ForceNew",
      "name value ForceNew",
      "rule.port value ForceNew",
      "zone value ForceNew",
    ]);
    assert.deepEqual(byName.get("demo_widget")?.unread, []);
  });

  it("keeps CustomizeDiff rules as conditional", () => {
    assert.deepEqual(
      byName.get("demo_widget")?.conditional.map((c) => [c.attribute, c.how, c.condition]),
      [
        ["size", "ForceNewIfChange", "isShrink"],
        ["ports", "ForceNew call in CustomizeDiff", "see the function"],
      ],
    );
  });

  it("binds a schema function's parameters to the registration's arguments", () => {
    assert.deepEqual(facts(byName.get("demo_widget_member")), [
      "member value ForceNew",
      "role value ForceNew",
      "widget value ForceNew",
    ]);
  });

  it("reads plugin-framework RequiresReplace modifiers, not the ephemeral twin's", () => {
    const gadget = byName.get("demo_gadget");
    assert.equal(gadget?.framework, true);
    assert.deepEqual(facts(gadget), [
      "keepers value RequiresReplaceIfValuesNotNull",
      "length value RequiresReplace",
      "rule.port value RequiresReplace",
    ]);
  });

  it("names what it cannot find or read instead of reading it empty", () => {
    assert.deepEqual(out().missing, ["demo_missing"]);
    const filled = terraform(["demo_filled"]).resources[0];
    assert.deepEqual(filled?.replace, []);
    assert.match(filled?.unread[0] ?? "", /fields is filled by statements/);
  });
});

describe("schema-facts kubernetes", () => {
  it("evaluates the replacement table, its helpers and the special cases", () => {
    const out = read([
      "kubernetes",
      "--root",
      fixture,
      "--kinds",
      "apps/v1/Deployment,v1/Service,v1/Pod,v1/Namespace",
    ]) as {
      metadata: string[];
      kinds: { kind: string; properties: string[] }[];
      branches: { condition: string; properties: string[] }[];
    };
    assert.deepEqual(out.metadata, [".metadata.name", ".metadata.namespace"]);
    assert.deepEqual(
      out.kinds.map((k) => [k.kind, k.properties]),
      [
        ["apps/v1/Deployment", [".spec.selector", ".spec.selector.matchLabels"]],
        ["v1/Service", [".spec.clusterIP"]],
        [
          "v1/Pod",
          [".spec.nodeName", ".spec.containers[*].image", ".spec.initContainers[*].image"],
        ],
        ["v1/Namespace", []],
      ],
    );
    assert.deepEqual(out.branches, [
      {
        condition: "clients.IsConfigMap(obj) && !k.enableConfigMapMutable",
        properties: [".data"],
        file: "pkg/provider/diff.go",
        line: 10,
      },
    ]);
  });
});
