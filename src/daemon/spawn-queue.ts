import type { Clock } from '../core/clock.js';
import { afterPollThen } from './timers.js';

/**
 * How long the daemon may spend spawning before it serves its sockets again. A spawn blocks
 * the event loop (~2-5 ms: the daemon process is forked), and spawns awaited one after the
 * other never leave the microtask queue: 1,000 apps in one `start` kept `ping` waiting 11.8 s.
 * On a busy machine each ms of the daemon's work takes several of wall time: with 25 ms slices
 * the slowest ping during a 1,000-app start was ~290 ms, with 10 ms ~180 ms, the start no slower.
 */
export const SPAWN_SLICE_MS = 10;

/**
 * How many spawns may be under way at once. A spawn is mostly waiting: for the new holder to
 * make its FIFOs and fork the app's process (a few ms of its own CPU, more on a busy machine);
 * one at a time, 1,000 apps waited on 1,000 such round trips in a row. Each holder setting up
 * competes with the daemon for the CPU: with 8 at once the slowest ping during a 1,000-app
 * start on 2 cores was ~1.5x that with 4, and the start no faster.
 */
export const SPAWN_CONCURRENCY = 4;

/**
 * Runs spawns in the order asked, at most SPAWN_CONCURRENCY at once, with a turn of the event
 * loop every SPAWN_SLICE_MS of starting them. Every instance asks here, so a start, restart or
 * resurrect of any number of apps leaves the control socket, the log pipes and the timers
 * served throughout.
 */
export class SpawnQueue {
  private readonly jobs: Array<() => Promise<void>> = [];
  private running = 0;
  private resumeScheduled = false;
  private sliceStartedMs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly concurrency = SPAWN_CONCURRENCY,
  ) {}

  add(job: () => Promise<void>): void {
    this.jobs.push(job);
    this.pump();
  }

  private pump(): void {
    if (this.resumeScheduled) return;
    while (this.running < this.concurrency && this.jobs.length > 0) {
      // A slice is over (or began long ago: the queue was idle): a turn of the event loop first.
      if (this.clock.monotonicMs() - this.sliceStartedMs >= SPAWN_SLICE_MS) return this.resumeAfterTurn();
      const job = this.jobs.shift() as () => Promise<void>;
      this.running += 1;
      void job()
        .catch(() => undefined)
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }

  private resumeAfterTurn(): void {
    this.resumeScheduled = true;
    afterPollThen(() => {
      this.resumeScheduled = false;
      this.sliceStartedMs = this.clock.monotonicMs();
      this.pump();
    });
  }
}

/**
 * The turn of the event loop a blocking spawn runs in. A spawn job first does its asynchronous
 * part (the holder's folder, the cgroup, checks as another user), so SpawnQueue's slices end
 * before the spawns themselves run: the completions of SPAWN_CONCURRENCY jobs land in one
 * turn, and their spawns (~6 ms each on a busy machine) ran back to back in it. `take()`
 * resolves at once while the current slice has time left; otherwise in a later turn, one
 * waiter per turn, each opening a new slice, so sockets and timers are served in between.
 */
export class SpawnTurns {
  private readonly waiting: Array<() => void> = [];
  private sliceStartedMs = Number.NEGATIVE_INFINITY;
  private scheduled = false;

  constructor(
    private readonly clock: Clock,
    private readonly sliceMs = SPAWN_SLICE_MS,
  ) {}

  take(): Promise<void> {
    if (this.waiting.length === 0 && this.clock.monotonicMs() - this.sliceStartedMs < this.sliceMs) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    // One waiter per turn, with the sockets polled before each.
    afterPollThen(() => {
      this.scheduled = false;
      this.sliceStartedMs = this.clock.monotonicMs();
      this.waiting.shift()?.();
      if (this.waiting.length > 0) this.schedule();
    });
  }
}
