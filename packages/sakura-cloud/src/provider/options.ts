import type { Sleep } from "../api/client";
import type { RetryPolicy } from "../api/retry";
import type { PowerTimings } from "../api/servers";
import type { PollPolicy } from "../api/wait";

/**
 * Timing knobs of the providers. Production uses the defaults (the provider process makes each
 * provider without options); tests inject `sleep` and small bounds.
 */
export interface SakuraProviderOptions {
  sleep?: Sleep;
  retry?: Partial<RetryPolicy>;
  requestTimeoutMs?: number;
  /** Waiting for a disk to leave `migrating` (copying an archive can take many minutes). */
  diskPoll?: PollPolicy;
  /**
   * Waiting for a new VPC router to be built (`migrating` until `available`); Sakura's Terraform
   * provider gives a create 60 minutes (resource_sakuracloud_vpc_router.go Timeouts).
   */
  vpcRouterPoll?: PollPolicy;
  /** Waiting for a server to reach `up` or `down`. */
  powerPoll?: PollPolicy;
  /** Repeating power-on while the API answers 409 `still_creating`. */
  stillCreating?: PollPolicy;
  /** How long a graceful shutdown may take before the power is cut. */
  gracefulShutdown?: PollPolicy;
  /**
   * How long a server may keep reading the old power state before the boot or shutdown is sent
   * again (iaas-api-go defaults.DefaultPowerHelperBootRetrySpan, 20 s).
   */
  powerResendMs?: number;
}

export const defaultTimings = {
  requestTimeoutMs: 60_000,
  diskPoll: { intervalMs: 5_000, maxAttempts: 720 },
  vpcRouterPoll: { intervalMs: 5_000, maxAttempts: 720 },
  powerPoll: { intervalMs: 5_000, maxAttempts: 120 },
  stillCreating: { intervalMs: 10_000, maxAttempts: 90 },
  gracefulShutdown: { intervalMs: 5_000, maxAttempts: 24 },
  powerResendMs: 20_000,
} as const;

export function timings(
  options: SakuraProviderOptions,
): Required<
  Pick<
    SakuraProviderOptions,
    "diskPoll" | "vpcRouterPoll" | "powerPoll" | "stillCreating" | "gracefulShutdown"
  >
> & { power: PowerTimings } {
  const powerPoll = options.powerPoll ?? defaultTimings.powerPoll;
  const stillCreating = options.stillCreating ?? defaultTimings.stillCreating;
  return {
    diskPoll: options.diskPoll ?? defaultTimings.diskPoll,
    vpcRouterPoll: options.vpcRouterPoll ?? defaultTimings.vpcRouterPoll,
    powerPoll,
    stillCreating,
    gracefulShutdown: options.gracefulShutdown ?? defaultTimings.gracefulShutdown,
    power: {
      poll: powerPoll,
      stillCreating,
      resendAfterMs: options.powerResendMs ?? defaultTimings.powerResendMs,
    },
  };
}
