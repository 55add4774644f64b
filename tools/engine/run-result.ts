// What one engine operation reported, kept from its event stream: the steps with the inputs the
// engine saw, policy violations, which policies ran and the errors it reported. Written as JSON by operation.ts.
import type { EngineEvent } from "@pulumi/pulumi/automation";

export interface EngineStep {
  readonly urn: string;
  /** same, create, update, replace, delete, read, ... */
  readonly op: string;
  readonly type: string;
  /** The inputs the engine holds for the step's new state (secrets as the engine shows them). */
  readonly inputs?: Record<string, unknown>;
}

export interface EnginePolicyViolation {
  readonly rule: string;
  readonly urn: string;
  /** The engine's word: mandatory, advisory, ... */
  readonly level: string;
  readonly message: string;
}

export interface EngineRunResult {
  changeSummary: Record<string, number>;
  readonly steps: EngineStep[];
  readonly policyViolations: EnginePolicyViolation[];
  /** Names of the policies the engine reports as run (passed or failed), sorted. */
  policiesRun: string[];
  /** The messages of the engine's error diagnostics, as many as it reported. */
  readonly errors: string[];
  error?: string;
}

export function emptyRunResult(): EngineRunResult {
  return { changeSummary: {}, steps: [], policyViolations: [], policiesRun: [], errors: [] };
}

/** The policy summaries, newer than the event types the SDK declares. */
interface PolicySummaries {
  readonly policyAnalyzeSummaryEvent?: { passed?: string[]; failed?: string[] };
  readonly policyAnalyzeStackSummaryEvent?: { passed?: string[]; failed?: string[] };
}

export function recordEvent(result: EngineRunResult, event: EngineEvent): void {
  const step = event.resourcePreEvent?.metadata;
  if (step) {
    const inputs = step.new?.inputs;
    result.steps.push({
      urn: step.urn,
      op: step.op,
      type: step.type,
      ...(inputs ? { inputs } : {}),
    });
  }
  const violation = event.policyEvent;
  if (violation) {
    result.policyViolations.push({
      rule: violation.policyName,
      urn: violation.resourceUrn ?? "",
      level: violation.enforcementLevel,
      message: violation.message,
    });
  }
  const diagnostic = event.diagnosticEvent;
  if (diagnostic?.severity === "error") result.errors.push(diagnostic.message.trim());
  const summaries = event as PolicySummaries;
  for (const summary of [
    summaries.policyAnalyzeSummaryEvent,
    summaries.policyAnalyzeStackSummaryEvent,
  ]) {
    if (!summary) continue;
    const names = new Set([
      ...result.policiesRun,
      ...(summary.passed ?? []),
      ...(summary.failed ?? []),
    ]);
    result.policiesRun = [...names].sort();
  }
}
