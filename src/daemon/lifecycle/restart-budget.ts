/**
 * A daemon-wide pace for automatic restarts, so any number of crash-looping apps cost the
 * daemon a bounded share of a core: up to `burst` restarts at once, then `perSecond`. Commands
 * (`restart`, `start`) never wait for it. A generic cell rate algorithm: `nextAtMs` is when the
 * bucket would be empty again; a restart wanted sooner than the burst allows is moved later.
 */
export class RestartBudget {
  private nextAtMs = -Infinity;
  private readonly intervalMs: number;
  private readonly toleranceMs: number;

  constructor(perSecond: number, burst: number) {
    this.intervalMs = 1000 / perSecond;
    this.toleranceMs = this.intervalMs * Math.max(0, burst - 1);
  }

  /** Reserves a slot for a restart wanted `delayMs` after `nowMs`; returns the delay to use. */
  reserve(nowMs: number, delayMs: number): number {
    const wantedAt = nowMs + delayMs;
    const at = Math.max(wantedAt, this.nextAtMs - this.toleranceMs);
    this.nextAtMs = Math.max(this.nextAtMs, at) + this.intervalMs;
    return at - nowMs;
  }
}

/**
 * 4 restarts a second after a burst of 20. One automatic restart costs the daemon ~7 ms of
 * CPU (the spawn, the log files, and a /proc scan for what the crashed app left behind:
 * `npm run bench -- crash-loop` measured 3.3-3.6 % of a core for 5 restarts a second), so at
 * this pace any number of crash-looping apps cost the daemon under 5 % of a core (30 apps
 * exiting at once: 3.95 % over 20 s, measured).
 */
export const AUTOMATIC_RESTARTS_PER_SECOND = 4;
export const AUTOMATIC_RESTART_BURST = 20;
