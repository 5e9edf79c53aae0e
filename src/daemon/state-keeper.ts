import { type Clock, systemClock } from '../core/clock.js';
import { type PersistedState, durableShape, sameDurableShape, writeState } from './state-file.js';

const STATE_RETRY_MS = 1000;

/**
 * A scheduled write waits until the daemon has spent at least this many times the last write's
 * duration on other work: a small state file is still written on the next event-loop turn,
 * while with 1,000 apps (a 2-3 MB file, 20-40 ms a write) a start is not spent writing it
 * after every turn (it was 21 s of a 34 s start of 1,000 apps).
 */
export const STATE_WRITE_SPACING = 4;

/**
 * And a scheduled write waits until the file's size at this rate has passed since the last
 * one: 1,000 apps (3 MB) are written at most ~7 times a second, a home of 50 apps (150 kB) after
 * 7 ms. Writes that are fast (the page cache) were otherwise made 100 times a second during a
 * large start, 300 MB a second of file data and garbage.
 */
export const STATE_WRITE_BYTES_PER_MS = 20_000;

/**
 * Writes the state file after changes, coalesced: a burst of state changes (50 apps starting)
 * costs one write, writes take at most 1/(1+STATE_WRITE_SPACING) of the daemon's time, and
 * write about STATE_WRITE_BYTES_PER_MS at most.
 * The write is fsynced only when what must survive a power loss changed (apps, specs,
 * environments, ids, wanted): a status or pid change is atomic for a daemon crash, which is
 * what the file is for, without the 10-50 ms an fsync blocks the daemon on a busy disk
 * (starting 50 apps made ~30 of them).
 *
 * `recorded()` lets a caller wait until what it changed is in the file: a new app is let boot
 * only then (see ForkDriver), so a daemon killed at any moment never leaves a running app that
 * its state file does not name.
 */
export class StateKeeper {
  /** Cancels the scheduled write; null when none is scheduled. */
  private cancelScheduled: (() => void) | null = null;
  private stopped = false;
  private durable: unknown[] = [];
  private retry: NodeJS.Timeout | null = null;
  private failing = false;
  private nextWriteAtMs = 0;
  private lastBytes = 0;
  private waiters: Array<() => void> = [];

  constructor(
    private readonly path: string,
    private readonly snapshot: () => PersistedState,
    /** A scheduled write failed (full disk...); it is tried again every second until it works. */
    private readonly onWriteFailed: (error: unknown) => void = () => undefined,
    private readonly clock: Clock = systemClock,
  ) {}

  schedule(): void {
    if (this.cancelScheduled !== null || this.stopped) return;
    const delayMs = this.nextWriteAtMs - this.clock.monotonicMs();
    if (delayMs > 0) {
      const timer = setTimeout(() => this.writeScheduled(), delayMs);
      this.cancelScheduled = () => clearTimeout(timer);
    } else {
      const immediate = setImmediate(() => this.writeScheduled());
      this.cancelScheduled = () => clearImmediate(immediate);
    }
  }

  /**
   * Resolves once a write that began after this call was made (or tried: a failing write, a
   * full disk, does not hold anything back; it is retried every second) or the keeper stopped.
   */
  recorded(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    this.schedule();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `durable`: fsync even when nothing durable changed (the file may be gone). */
  writeNow(state: PersistedState, { durable = false }: { durable?: boolean } = {}): void {
    const waiters = this.waiters.splice(0);
    const startedMs = this.clock.monotonicMs();
    try {
      const shape = durableShape(state);
      const changed = !sameDurableShape(shape, this.durable);
      this.lastBytes = writeState(this.path, state, changed || durable);
      if (changed) this.durable = shape;
    } finally {
      this.spaceNextWrite(startedMs);
      for (const resolve of waiters) resolve();
    }
  }

  /** The next scheduled write waits STATE_WRITE_SPACING times as long as this one took, and the time its size is worth. */
  private spaceNextWrite(startedMs: number): void {
    const endedMs = this.clock.monotonicMs();
    this.nextWriteAtMs = endedMs + Math.max(STATE_WRITE_SPACING * (endedMs - startedMs), this.lastBytes / STATE_WRITE_BYTES_PER_MS);
  }

  /** No more scheduled writes (the daemon is exiting and wrote its last state). */
  stop(): void {
    this.stopped = true;
    if (this.retry !== null) clearTimeout(this.retry);
    this.cancelScheduled?.();
    this.cancelScheduled = null;
    for (const resolve of this.waiters.splice(0)) resolve();
  }

  private writeScheduled(): void {
    this.cancelScheduled = null;
    if (this.stopped) return;
    const startedMs = this.clock.monotonicMs();
    try {
      this.writeNow(this.snapshot());
      this.failing = false;
    } catch (error) {
      // Said once per failing spell, not every second.
      if (!this.failing) this.onWriteFailed(error);
      this.failing = true;
      this.retry ??= setTimeout(() => {
        this.retry = null;
        this.schedule();
      }, STATE_RETRY_MS);
    } finally {
      // Taking the snapshot is part of the cost.
      this.spaceNextWrite(startedMs);
    }
  }
}
