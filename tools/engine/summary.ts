// The lines `npm run test:engine` prints. Pure.

export interface StackSummary {
  readonly stack: string;
  readonly resources: number;
  readonly secondPreviewChanges: number;
  readonly urnsMatched: number;
  readonly urnsTotal: number;
  readonly destroyRefused: boolean;
  readonly policiesRun: number;
}

const yesNo = (value: boolean): string => (value ? "yes" : "no");

export function stackLine(summary: StackSummary): string {
  return (
    `engine ${summary.stack}: up ${summary.resources} resources; ` +
    `second preview ${summary.secondPreviewChanges} changes; ` +
    `urns match ${summary.urnsMatched}/${summary.urnsTotal}; ` +
    `destroy refused ${yesNo(summary.destroyRefused)}; ` +
    `policy ${summary.policiesRun} rules run`
  );
}

export function drLine(stack: string, readBackups: boolean): string {
  return `engine dr: ${stack} read drBackups ${yesNo(readBackups)}`;
}
