import type { HistoryEntry, RestartCause } from '../core/instance-info.js';

/** How far back `recent_restarts` looks. */
export const RECENT_RESTARTS_WINDOW_MS = 5 * 60_000;

/** Restarts that say something is wrong; `manual`, `watch` and `cron` are asked for. */
const AUTOMATIC_CAUSES: ReadonlySet<RestartCause> = new Set(['crash', 'ready-timeout', 'liveness', 'watchdog', 'memory']);

/**
 * How many automatic restarts the history holds since `nowMs - windowMs`: what tells a
 * crash-looping instance, `online` between two crashes, from a settled one.
 */
export function countRecentRestarts(history: Iterable<HistoryEntry>, nowMs: number, windowMs = RECENT_RESTARTS_WINDOW_MS): number {
  let count = 0;
  for (const entry of history) {
    if (entry.event === 'restart-scheduled' && entry.cause !== null && AUTOMATIC_CAUSES.has(entry.cause) && entry.at >= nowMs - windowMs) count += 1;
  }
  return count;
}
