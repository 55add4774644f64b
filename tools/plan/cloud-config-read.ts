// A host's cloud-config document from its user data as the plan holds it. The texts the program
// rendered in this process are known with the documents they were written from (the host layer's
// per role, Sakura's per host), so the plan's checks read those without parsing them again;
// any other text (a plan read from a file) is parsed.
import { parse } from "yaml";
import { ec2UserDataDocument } from "../../components/aws/user-data";
import { renderedCloudInit } from "../../components/host/cloud-init";
import { writtenHostCloudConfig } from "../../components/sakura/site/cloud-config";

/** The `#cloud-config` text of user data: plain, or gzip, either base64-encoded; else undefined. */
export function cloudConfigText(userData: string | undefined): string | undefined {
  if (!userData) return undefined;
  // Base64 text is decoded (and gunzipped when gzip) as cloud-init reads EC2's user data.
  const body = userData.startsWith("#cloud-config") ? userData : ec2UserDataDocument(userData);
  return body.startsWith("#cloud-config") ? body : undefined;
}

/** The document of user data (see cloudConfigText), as YAML reads it; undefined if none. */
export function readCloudConfig(userData: string | undefined): unknown {
  const body = cloudConfigText(userData);
  if (body === undefined) return undefined;
  return renderedCloudInit(body)?.document ?? writtenHostCloudConfig(body) ?? parse(body);
}
