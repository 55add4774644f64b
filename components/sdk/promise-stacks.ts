// The Pulumi SDK tags each promise it makes (four per output property of every resource, some
// 31,000 in a plan of stack us) with a formatted stack trace of where it was made. The trace is
// read only by the SDK's report of promises still pending when the program exits, which prints
// only when PULUMI_DEBUG_PROMISE_LEAKS is set; formatting them all is about a third of the
// program's CPU time. The program leaves them out unless that switch is set.
// Nothing else changes: errors keep their stack traces, and the source positions the SDK sends
// with each resource are taken by its own code, which sets its own depth for them.

/**
 * The SDK's module that tags promises (`runtime/debuggable`). Internal to the SDK, so its typings
 * leave it out; the SDK's callers reach the function through the module's exports at each call,
 * which is why replacing the export reaches them all.
 */
interface PromiseTagger {
  debuggablePromise: (promise: Promise<unknown>, context: unknown) => Promise<unknown>;
}

const WRAPPED = Symbol.for("multicloud.promiseStacksLeftOut");

/**
 * Makes the SDK's promise tags carry no stack trace (unless `PULUMI_DEBUG_PROMISE_LEAKS` is set
 * in `env`). Returns whether the tags are now left without a trace. Calling it again is harmless.
 */
export function leavePromiseStacksOut(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.PULUMI_DEBUG_PROMISE_LEAKS) return false;
  const tagger = require("@pulumi/pulumi/runtime/debuggable") as Partial<PromiseTagger> &
    Record<symbol, unknown>;
  const tag = tagger.debuggablePromise;
  // A later SDK may tag differently: the program then runs as before (a test pins this SDK's form).
  if (typeof tag !== "function") return false;
  if (tagger[WRAPPED]) return true;
  tagger.debuggablePromise = (promise, context) => {
    const depth = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    try {
      return tag(promise, context);
    } finally {
      Error.stackTraceLimit = depth;
    }
  };
  tagger[WRAPPED] = true;
  return true;
}
