// `--out DIR`: each role's host files at the path they have on the host, with its cloud-init
// document and bootstrap, for people to read. Rendered by the same pure functions the program
// uses; secrets are placeholders there, so none can land here.
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { type ChoconBuild, renderRegionHosts, siteFacts } from "../../components/host";
import type { RegionSpec } from "../../components/spec/schema";
import { makeDirectory } from "./cli-paths";

/** Writes DIR/hosts/<role>/...; returns how many files were written. */
export function writeHostFiles(spec: RegionSpec, outDir: string, chocon: ChoconBuild): number {
  let written = 0;
  const write = (path: string, content: string) => {
    makeDirectory(dirname(path));
    writeFileSync(path, content);
    written++;
  };
  for (const artifacts of Object.values(renderRegionHosts(spec, { ...siteFacts(spec), chocon }))) {
    if (!artifacts) continue;
    const roleDir = join(outDir, "hosts", artifacts.role);
    for (const file of artifacts.files) write(join(roleDir, file.path), file.content);
    write(join(roleDir, "cloud-init.yaml"), artifacts.cloudInit);
    write(join(roleDir, "bootstrap.sh"), artifacts.bootstrap);
  }
  return written;
}
