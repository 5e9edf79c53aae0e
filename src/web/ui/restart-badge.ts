import type { InstanceInfo } from './types.js';

/** The daemon's window for `recent_restarts` (src/daemon/recent-restarts.ts). */
export const RECENT_WINDOW_MS = 5 * 60_000;
/** From this many automatic restarts in the window, an instance is crash-looping. */
export const CRASH_LOOP_RESTARTS = 3;

export interface RestartBadge {
  level: 'settled' | 'unsettled' | 'crash-loop';
  /** What the table says beside the status; empty when settled. */
  text: string;
}

/**
 * Whether an instance that says `online` (or is about to) has been restarting on its own
 * lately, so the table does not paint a crash loop green. A row is only sent when it changes,
 * so its count may be minutes old: an instance up for longer than the window has not
 * restarted within it, whatever the count said.
 */
export function restartBadge(row: Pick<InstanceInfo, 'status' | 'uptime_ms' | 'recent_restarts'>): RestartBadge {
  const count = row.recent_restarts ?? 0;
  const running = row.status === 'online' || row.status === 'launching' || row.status === 'waiting';
  if (count === 0 || !running || row.uptime_ms >= RECENT_WINDOW_MS) return { level: 'settled', text: '' };
  if (count >= CRASH_LOOP_RESTARTS) return { level: 'crash-loop', text: `crash loop: ${count} restarts in 5 min` };
  return { level: 'unsettled', text: `restarted ${count}× in 5 min` };
}
