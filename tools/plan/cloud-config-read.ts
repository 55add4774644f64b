// A host's cloud-config document from its user data as the plan holds it. The texts the program
// rendered in this process are known with the documents they were written from (the host layer's
// per role, Sakura's per host), so the plan's checks read those without parsing them again;
// any other text (a plan read from a file) is parsed.
import { gunzipSync } from "node:zlib";
import { parse } from "yaml";
import { renderedCloudInit } from "../../components/host/cloud-init";
import { writtenHostCloudConfig } from "../../components/sakura/site/cloud-config";

/** The `#cloud-config` text of user data: plain, or gzip, either base64-encoded; else undefined. */
export function cloudConfigText(userData: string | undefined): string | undefined {
  if (!userData) return undefined;
  let body = userData;
  if (!body.startsWith("#cloud-config")) {
    const bytes = Buffer.from(body, "base64");
    body = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
  }
  return body.startsWith("#cloud-config") ? body : undefined;
}

/** The document of user data (see cloudConfigText), as YAML reads it; undefined if none. */
export function readCloudConfig(userData: string | undefined): unknown {
  const body = cloudConfigText(userData);
  if (body === undefined) return undefined;
  return renderedCloudInit(body)?.document ?? writtenHostCloudConfig(body) ?? parse(body);
}
