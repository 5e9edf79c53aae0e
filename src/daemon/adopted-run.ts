import { CLOCK_TICKS_PER_SECOND } from '../metrics/proc-stat.js';

/**
 * How long an adopted process has run. From its /proc start time against /proc/uptime when
 * known: both count from boot, so a wall-clock step while no daemon ran changes nothing. Else
 * from the wall clock the previous daemon recorded (never negative). Pure.
 */
export function adoptedRunMs(startTimeTicks: number, uptimeSeconds: number | null, wallElapsedMs: number): number {
  if (startTimeTicks > 0 && uptimeSeconds !== null) {
    const ranMs = (uptimeSeconds - startTimeTicks / CLOCK_TICKS_PER_SECOND) * 1000;
    if (ranMs >= 0) return ranMs;
  }
  return Math.max(0, wallElapsedMs);
}
