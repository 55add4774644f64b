// What lets a region be built in parts: a pause that hands control back to the event loop.
// Pulumi's SDK sends a resource to the engine only from the asynchronous half of its constructor,
// so nothing reaches the engine while a program runs synchronously. Pausing between parts lets
// the registrations queued so far run (and, with the real engine, be written to its socket and
// answered) before the next part is built.

/** Resolves on the event loop's next turn, after pending I/O and the promises already settled. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
