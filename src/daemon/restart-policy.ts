import {
  type AppSpec,
  EXP_BACKOFF_MAX_DELAY_MS,
  EXP_BACKOFF_MULTIPLIER,
  EXP_BACKOFF_RESET_UPTIME_MS,
} from '../core/app-spec.js';

/** What the policy remembers between exits of one instance. */
export interface RestartHistory {
  /** Consecutive exits that came sooner than `min_uptime` after their start. */
  unstableRestarts: number;
  /** The delay used for the last exponential-backoff restart; 0 when none. */
  lastBackoffDelayMs: number;
}

export interface ExitFacts {
  code: number | null;
  signal: string | null;
  /** How long the process ran, monotonic ms. */
  uptimeMs: number;
  /** True when the exit is a failed start (readiness timeout, spawn failure). */
  failedStart: boolean;
}

export type ExitDecision =
  | { action: 'restart'; delayMs: number; history: RestartHistory }
  | { action: 'done'; reason: string; history: RestartHistory }
  | { action: 'give-up'; reason: string; history: RestartHistory };

export type PolicySpec = Pick<
  AppSpec,
  'autorestart' | 'stopExitCodes' | 'minUptimeMs' | 'maxRestarts' | 'restartDelayMs' | 'expBackoffRestartDelayMs'
>;

export const INITIAL_HISTORY: RestartHistory = { unstableRestarts: 0, lastBackoffDelayMs: 0 };

/** Decides what happens after an instance exits on its own (not when stopped). */
export function decideOnExit(spec: PolicySpec, history: RestartHistory, exit: ExitFacts): ExitDecision {
  if (!exit.failedStart && exit.code !== null && spec.stopExitCodes.includes(exit.code)) {
    return { action: 'done', reason: `exited with code ${exit.code}, listed in stop_exit_codes`, history };
  }
  if (!spec.autorestart) {
    return { action: 'done', reason: 'autorestart is off', history };
  }
  const unstable = exit.failedStart || exit.uptimeMs < spec.minUptimeMs;
  const unstableRestarts = unstable ? history.unstableRestarts + 1 : 0;
  if (unstable && unstableRestarts > spec.maxRestarts) {
    const reason = `restarted ${spec.maxRestarts} times in a row, each time ran less than min_uptime (${spec.minUptimeMs} ms)`;
    return { action: 'give-up', reason, history: { ...history, unstableRestarts } };
  }
  const backoff = nextBackoffDelayMs(spec.expBackoffRestartDelayMs, history.lastBackoffDelayMs, exit.uptimeMs);
  const delayMs = Math.max(spec.restartDelayMs, backoff, crashLoopDelayMs(unstableRestarts));
  return { action: 'restart', delayMs, history: { unstableRestarts, lastBackoffDelayMs: backoff } };
}

/** The first delay of a crash loop, doubled per unstable restart up to the cap. */
export const CRASH_LOOP_BASE_DELAY_MS = 100;
export const CRASH_LOOP_MAX_DELAY_MS = 2000;

/**
 * However the app is configured, a crash loop slows down: the first unstable restart is
 * immediate, the next ones wait 100 ms, 200 ms, ... up to 2 s. Without it a large
 * `max_restarts` spun ~76 restarts a second and half a core of the daemon; with it one
 * crash-looping app costs one spawn every 2 s, and a single crash still restarts at once.
 */
export function crashLoopDelayMs(unstableRestarts: number): number {
  if (unstableRestarts <= 1) return 0;
  return Math.min(CRASH_LOOP_BASE_DELAY_MS * 2 ** (unstableRestarts - 2), CRASH_LOOP_MAX_DELAY_MS);
}

/** Exponential backoff: the initial delay, then x1.5 per exit up to 15 s; a 30 s run resets it. */
export function nextBackoffDelayMs(initialMs: number, lastMs: number, uptimeMs: number): number {
  if (initialMs <= 0) return 0;
  if (lastMs <= 0 || uptimeMs >= EXP_BACKOFF_RESET_UPTIME_MS) return initialMs;
  return Math.min(Math.round(lastMs * EXP_BACKOFF_MULTIPLIER), Math.max(EXP_BACKOFF_MAX_DELAY_MS, initialMs));
}
