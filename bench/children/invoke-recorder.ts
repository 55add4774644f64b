// The data-source calls (invokes) a plan's program makes, named by the plan's URNs: the floor makes
// the same calls, since any program that builds these resources has to ask the same questions.
// The engine's own reads (`pulumi:pulumi:*`, such as a stack reference's) are left out: the floor
// replays those as the resources that read them.

/** Fields of the engine's ResourceInvokeRequest read here (a protobuf message). */
interface InvokeRequest {
  getTok(): string;
  getArgs(): { toJavaScript(): Record<string, unknown> } | undefined;
  /** `<provider URN>::<provider id>`, or "" for the default provider. */
  getProvider(): string;
}
type Invoke = (this: unknown, req: InvokeRequest, callback: unknown) => Promise<void>;

/** One call: its token, its arguments, and the provider it went through (plan URN form). */
export interface RecordedInvoke {
  readonly token: string;
  readonly args: Record<string, unknown>;
  readonly provider?: string;
}

export interface InvokeRecorder {
  /** The calls so far, their providers named by the plan's (engine) URNs. */
  inPlanForm(): RecordedInvoke[];
}

interface EngineNamer {
  engineUrnOf(mockUrn: string): string;
}

/** Wraps `invoke` of a mock monitor's prototype, observing each call without changing it. */
export function recordInvokes(prototype: object): InvokeRecorder {
  const calls: RecordedInvoke[] = [];
  let monitor: Partial<EngineNamer> | undefined;
  const target = prototype as { invoke: Invoke };
  const invoke = target.invoke;
  target.invoke = function (this: unknown, req, callback) {
    monitor ??= this as Partial<EngineNamer>;
    const token = req.getTok();
    if (!token.startsWith("pulumi:pulumi:")) {
      const reference = req.getProvider();
      const provider = reference ? reference.slice(0, reference.lastIndexOf("::")) : undefined;
      calls.push({
        token,
        args: req.getArgs()?.toJavaScript() ?? {},
        ...(provider ? { provider } : {}),
      });
    }
    return invoke.call(this, req, callback);
  };
  return {
    inPlanForm() {
      if (calls.length === 0) return [];
      const namer = monitor?.engineUrnOf?.bind(monitor);
      if (!namer) throw new Error("the plan's monitor does not name resources by engine URNs");
      return calls.map((call) =>
        call.provider ? { ...call, provider: namer(call.provider) } : call,
      );
    },
  };
}
