// A stack file read twice in one process is parsed once, and each reader still gets a value of its
// own; a file whose text changed is read as it is now.
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseStackFile } from "../../components/spec/stack-yaml";

const text = "config:\n  multicloud:region:\n    name: jp\n    tags: { owner: sre }\n";

describe("parseStackFile", () => {
  it("gives each reader a copy: changing one leaves the next reading as the file says", () => {
    const first = parseStackFile(text, "Pulumi.jp.yaml").config;
    assert.deepEqual(first, { "multicloud:region": { name: "jp", tags: { owner: "sre" } } });
    (first["multicloud:region"] as { tags: Record<string, string> }).tags.owner = "changed";
    const second = parseStackFile(text, "Pulumi.jp.yaml").config;
    assert.deepEqual(second, { "multicloud:region": { name: "jp", tags: { owner: "sre" } } });
  });

  it("reads an edited text as edited, under the same file name", () => {
    parseStackFile(text, "Pulumi.jp.yaml");
    const edited = parseStackFile(text.replace("name: jp", "name: jp2"), "Pulumi.jp.yaml");
    assert.deepEqual(edited.config, {
      "multicloud:region": { name: "jp2", tags: { owner: "sre" } },
    });
  });

  it("names the file of a text it cannot read, every time it is asked", () => {
    for (let i = 0; i < 2; i++) {
      assert.throws(
        () => parseStackFile("config: [1, 2", "Pulumi.bad.yaml"),
        /^StackFileError: Pulumi\.bad\.yaml: not valid YAML/,
      );
    }
  });
});
