// chocon's version, the one every chocon host installs and every GKE cluster runs, in one place; and
// how the estate names a call through chocon (`http://<name>.<suffix>[:port]`).
import { z } from "zod";

/** The chocon release (github.com/kazeburo/chocon) of the whole estate. */
export const CHOCON_VERSION = "0.12.6";

/** chocon's Go module: the build verifies its source against the Go checksum database. */
export const CHOCON_MODULE = "github.com/kazeburo/chocon";

/**
 * The suffixes that send a call to chocon, and the scheme chocon then uses upstream: `.ccnproxy`
 * plain HTTP, the others HTTPS. chocon strips the suffix and keeps the rest, the port included.
 */
export const CCNPROXY_SCHEMES = {
  ccnproxy: "http",
  "ccnproxy-https": "https",
  "ccnproxy-secure": "https",
  "ccnproxy-ssl": "https",
} as const;
export type CcnproxySuffix = keyof typeof CCNPROXY_SCHEMES;

/** A call through chocon, taken apart. */
export interface ChoconCall {
  /** The name chocon calls (the URL's host without the suffix), e.g. `app.service.consul`. */
  readonly target: string;
  readonly suffix: CcnproxySuffix;
  /** The port chocon calls: the URL's, else the upstream scheme's default. */
  readonly port: number;
  /** The port written in the URL, if any (chocon keeps it in the Host header). */
  readonly explicitPort?: number;
  /** `http` or `https`: what chocon speaks to the target. */
  readonly upstreamScheme: "http" | "https";
}

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const CALL_PATTERN = new RegExp(
  `^http://((?:${LABEL}\\.)*${LABEL})\\.(ccnproxy|ccnproxy-https|ccnproxy-secure|ccnproxy-ssl)(?::(\\d{1,5}))?$`,
);

/** `http://app.service.consul.ccnproxy:8080` -> its parts; undefined when it is not such a URL. */
export function parseChoconCall(url: string): ChoconCall | undefined {
  const match = CALL_PATTERN.exec(url);
  if (!match) return undefined;
  const [, target = "", suffixText = "", portText] = match;
  const suffix = suffixText as CcnproxySuffix;
  const upstreamScheme = CCNPROXY_SCHEMES[suffix];
  const explicitPort = portText === undefined ? undefined : Number(portText);
  if (explicitPort !== undefined && (explicitPort < 1 || explicitPort > 65535)) return undefined;
  return {
    target,
    suffix,
    port: explicitPort ?? (upstreamScheme === "https" ? 443 : 80),
    upstreamScheme,
    ...(explicitPort === undefined ? {} : { explicitPort }),
  };
}

/** A URL that reaches its target through chocon; the schema's form of parseChoconCall. */
export const choconCallUrl = z
  .string({
    error: "expected a URL through chocon such as http://app.service.consul.ccnproxy:8080",
  })
  .refine((value) => parseChoconCall(value) !== undefined, {
    error:
      "expected a URL through chocon: http://<name>.ccnproxy[:port] (plain HTTP upstream) or " +
      "http://<name>.ccnproxy-https[:port] (HTTPS upstream), with no path, such as " +
      "http://app.service.consul.ccnproxy:8080",
  });
