// IAM conditions evaluated by Google's CEL implementation (cel-go, the `cel` peer built by
// tools/peers/build.sh): the test supplies each request's resource and API attributes as the
// service would, and learns what the condition admits without reading its text.
import { execFileSync } from "node:child_process";
import { peerBinary } from "./peers";

/** One request as IAM sees it: its resource (name, type) and the service's API attributes. */
export interface ConditionRequest {
  readonly resource: { readonly name: string; readonly type: string };
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Whether `expression` admits each request, in order; throws when it does not compile. */
export function conditionAdmits(
  expression: string,
  requests: readonly ConditionRequest[],
): boolean[] {
  const answer = execFileSync(peerBinary("cel", "cel"), [], {
    input: JSON.stringify({ expression, requests }),
    encoding: "utf8",
  });
  const admitted: unknown = JSON.parse(answer);
  if (!Array.isArray(admitted) || admitted.length !== requests.length)
    throw new Error(`cel answered ${answer}`);
  return admitted.map((value) => value === true);
}
