import type { Clock } from '../core/clock.js';

/**
 * How long the daemon may spend spawning before it serves its sockets again. A spawn blocks
 * the event loop (~2-5 ms: the daemon process is forked), and spawns awaited one after the
 * other never leave the microtask queue: 1,000 apps in one `start` kept `ping` waiting 11.8 s.
 */
export const SPAWN_SLICE_MS = 25;

/**
 * Runs spawns one at a time, in the order asked, with a turn of the event loop every
 * SPAWN_SLICE_MS. Every instance asks here, so a start, restart or resurrect of any number of
 * apps leaves the control socket, the log pipes and the timers served throughout.
 */
export class SpawnQueue {
  private readonly jobs: Array<() => Promise<void>> = [];
  private draining = false;

  constructor(private readonly clock: Clock) {}

  add(job: () => Promise<void>): void {
    this.jobs.push(job);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    let sliceStartedMs = this.clock.monotonicMs();
    try {
      for (let job = this.jobs.shift(); job !== undefined; job = this.jobs.shift()) {
        await job().catch(() => undefined);
        if (this.jobs.length > 0 && this.clock.monotonicMs() - sliceStartedMs >= SPAWN_SLICE_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          sliceStartedMs = this.clock.monotonicMs();
        }
      }
    } finally {
      this.draining = false;
    }
  }
}
