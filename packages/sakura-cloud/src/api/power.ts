// Power changes of anything the API boots and stops: servers (`server/:id/power`) and
// appliances such as VPC routers (`appliance/:id/power`), driven the same way Sakura's own
// helper drives them (iaas-api-go helper/power/power.go: BootServer and BootVPCRouter share
// one `boot`, ShutdownServer and ShutdownVPCRouter one `shutdown`).
import type { SakuraClient } from "./client";
import { hasErrorCode, isConflict, isStillCreating } from "./errors";
import { withPowerLock } from "./power-lock";
import type { InstanceStatus, ShutdownRequest } from "./types";
import { type PollPolicy, pollUntil } from "./wait";

/** What is powered: its API path (`server/:id`, `appliance/:id`) and how to read its state. */
export interface PowerTarget<T extends { Instance?: { Status?: InstanceStatus } }> {
  client: SakuraClient;
  /** For messages, e.g. `server 113000000001`. */
  what: string;
  path: string;
  read: () => Promise<T>;
}

/**
 * How a power change is driven, after Sakura's own helper (iaas-api-go helper/power/power.go):
 * the first request is repeated while the API answers 409 `still_creating` (the disks are still
 * being copied, or the appliance is still being built); then the state is read until it is
 * reached, and while it still reads the old state the request is sent again every
 * `resendAfterMs` (20 s there, defaults.DefaultPowerHelperBootRetrySpan); a 409 to a request
 * means one is already under way (libsacloud issue #742: booting a running or booting server
 * answers 409 `conflict`).
 */
export interface PowerTimings {
  stillCreating: PollPolicy;
  /** Reads of the power state; the bound of the whole wait. */
  poll: PollPolicy;
  resendAfterMs: number;
}

/** Powers on (PUT `<path>/power`) and waits until it is up. */
export function boot<T extends { Instance?: { Status?: InstanceStatus } }>(
  target: PowerTarget<T>,
  timings: PowerTimings,
): Promise<T> {
  return changePower(target, "up", timings, () => target.client.put(`${target.path}/power`));
}

/** Shuts down (ACPI, or cut with `force`: DELETE `<path>/power`) and waits until it is down. */
export function shutdown<T extends { Instance?: { Status?: InstanceStatus } }>(
  target: PowerTarget<T>,
  force: boolean,
  timings: PowerTimings,
): Promise<T> {
  const body: ShutdownRequest = { Force: force };
  return changePower(target, "down", timings, () =>
    target.client.delete(`${target.path}/power`, body),
  );
}

/** Sends `send` and reads until the state is `wanted`, sending again as Sakura's helper does. */
export async function changePower<T extends { Instance?: { Status?: InstanceStatus } }>(
  target: PowerTarget<T>,
  wanted: InstanceStatus,
  timings: PowerTimings,
  send: () => Promise<unknown>,
): Promise<T> {
  const { client } = target;
  let underWay = (await firstRequest(client, timings.stillCreating, send)) === "under way";
  let readsSinceSent = 0;
  const resendReads = Math.max(1, Math.ceil(timings.resendAfterMs / timings.poll.intervalMs));
  const opposite: InstanceStatus = wanted === "up" ? "down" : "up";
  return pollUntil(client.sleep, timings.poll, {
    what: `${target.what} waiting for power state "${wanted}"`,
    read: async () => {
      const current = await target.read();
      const status = current.Instance?.Status;
      if (status !== wanted && status === opposite && !underWay && readsSinceSent >= resendReads) {
        readsSinceSent = 0;
        try {
          await withPowerLock(send);
        } catch (e) {
          if (!isConflict(e)) throw e;
          underWay = true; // the API took an earlier request: stop repeating it
        }
      }
      readsSinceSent++;
      return current;
    },
    done: (s) => s.Instance?.Status === wanted,
    describe: (s) => `"${s.Instance?.Status ?? "unknown"}"`,
  });
}

/**
 * The first power request, repeated while the API says it cannot take it yet (409
 * `still_creating`; 409 `server_is_cleaning` right after a stop). A 409 `conflict` means a
 * request is already under way, e.g. this one sent again after its answer was lost.
 */
async function firstRequest(
  client: SakuraClient,
  policy: PollPolicy,
  send: () => Promise<unknown>,
): Promise<"sent" | "under way"> {
  for (let attempt = 1; ; attempt++) {
    try {
      await withPowerLock(send);
      return "sent";
    } catch (e) {
      if (hasErrorCode(e, 409, "conflict")) return "under way";
      const notYet = isStillCreating(e) || hasErrorCode(e, 409, "server_is_cleaning");
      if (!notYet || attempt >= policy.maxAttempts) throw e;
      await client.sleep(policy.intervalMs);
    }
  }
}

/** Reads until the state is `wanted`, without sending anything. */
export function waitPowerStatus<T extends { Instance?: { Status?: InstanceStatus } }>(
  target: PowerTarget<T>,
  wanted: InstanceStatus,
  policy: PollPolicy,
): Promise<T> {
  return pollUntil(target.client.sleep, policy, {
    what: `${target.what} waiting for power state "${wanted}"`,
    read: target.read,
    done: (s) => s.Instance?.Status === wanted,
    describe: (s) => `"${s.Instance?.Status ?? "unknown"}"`,
  });
}

/**
 * Stops and waits until down. With `graceful`, an ACPI shutdown comes first (sent again while
 * the OS is still up, which ignores a request that comes while it boots) and the power is cut
 * only when the OS has not stopped within that bound; without it the power is cut at once.
 * Returns at once when already down; waits out `cleaning`.
 */
export async function powerOff<T extends { Instance?: { Status?: InstanceStatus } }>(
  target: PowerTarget<T>,
  graceful: PollPolicy | undefined,
  timings: PowerTimings,
): Promise<void> {
  const status = (await target.read()).Instance?.Status;
  if (status === "down") return;
  if (status === "cleaning") {
    await waitPowerStatus(target, "down", timings.poll);
    return;
  }
  if (graceful !== undefined) {
    try {
      await shutdown(target, false, { ...timings, poll: graceful });
      return;
    } catch {
      // the OS ignored the ACPI requests (or the request failed): cut the power below
    }
  }
  await shutdown(target, true, timings);
}
