// Ends a command with an exit code once Node's event loop has drained, instead of `process.exit()`,
// which drops writes still in flight: tsx writes its transform cache asynchronously, and a cut
// write leaves a 0-byte file, so the next run transforms every module again.
// Should a handle keep the loop alive (an open socket or timer), the process exits after `graceMs`.
export function exitWhenDrained(code: number, graceMs = 5000): void {
  process.exitCode = code;
  setTimeout(() => process.exit(code), graceMs).unref();
}
