import { type LifecycleState, hasStartPending } from './states.js';

/** States in which a stop has nothing left to wait for. */
const STOP_SETTLED: ReadonlySet<LifecycleState['name']> = new Set(['stopped', 'exited', 'errored', 'unkillable', 'waiting', 'blocked']);

interface StartWaiter {
  /** Answered by the first spawn attempt numbered this or later. */
  attempt: number;
  resolve: () => void;
}

/**
 * The callers of an instance's start, restart and stop, each answered at its moment: a start
 * once its own spawn attempt was made (or none will come), a stop once nothing of it runs.
 */
export class CommandWaiters {
  private stops: Array<() => void> = [];
  private starts: StartWaiter[] = [];

  waitStop(): Promise<void> {
    return new Promise((resolve) => this.stops.push(resolve));
  }

  waitStart(attempt: number): Promise<void> {
    return new Promise((resolve) => this.starts.push({ attempt, resolve }));
  }

  settleStops(): void {
    const waiters = this.stops;
    this.stops = [];
    for (const resolve of waiters) resolve();
  }

  /** Answers start waiters whose spawn attempt has been made (succeeded or failed). */
  settleStarts(upTo: number): void {
    const done = this.starts.filter((w) => w.attempt <= upTo);
    this.starts = this.starts.filter((w) => w.attempt > upTo);
    for (const waiter of done) waiter.resolve();
  }

  /** Start waiters are answered once no start is on its way; stop waiters once nothing runs. */
  settleAtRest(state: LifecycleState): void {
    if (!hasStartPending(state)) this.settleStarts(Infinity);
    if (STOP_SETTLED.has(state.name)) this.settleStops();
  }
}
