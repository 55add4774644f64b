// One power request at a time per process. Sakura's Go library serialises Boot, Shutdown and
// Reset process-wide (iaas-api-go internal/define/ops/operations.go `LockLevelGlobal`, taken as
// apiLocker.Lock("GlobalLock") around the request in zz_api_ops.go); libsacloud moved that lock
// from its callers, Terraform included, into the library (libsacloud PR #428).
//
// The queue lives on globalThis, not in a module variable: one provider process may run several
// copies of this module (a state written before this package existed carries a serialized copy
// in each resource's provider, which still deletes those resources), and they must take turns.

const slot = "__multicloudSakuraPowerQueue";

type Holder = Record<string, Promise<void> | undefined>;

/** Runs `request` after every power request started before it in this process has finished. */
export function withPowerLock<T>(request: () => Promise<T>): Promise<T> {
  const holder = globalThis as unknown as Holder;
  const before = holder[slot] ?? Promise.resolve();
  const run = before.then(request);
  holder[slot] = run.then(
    () => undefined,
    () => undefined,
  );
  return run;
}
