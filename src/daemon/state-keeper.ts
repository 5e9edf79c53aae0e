import { type PersistedState, durableShape, sameDurableShape, writeState } from './state-file.js';

const STATE_RETRY_MS = 1000;

/**
 * Writes the state file after changes, at most once per event-loop turn: a burst of state
 * changes (50 apps starting) costs one write, and no change waits longer than a tick.
 * The write is fsynced only when what must survive a power loss changed (apps, specs,
 * environments, ids, wanted): a status or pid change is atomic for a daemon crash, which is
 * what the file is for, without the 10-50 ms an fsync blocks the daemon on a busy disk
 * (starting 50 apps made ~30 of them).
 */
export class StateKeeper {
  private scheduled = false;
  private stopped = false;
  private durable: unknown[] = [];
  private retry: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly path: string,
    private readonly snapshot: () => PersistedState,
    /** A scheduled write failed (full disk...); it is tried again every second until it works. */
    private readonly onWriteFailed: (error: unknown) => void = () => undefined,
  ) {}

  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.stopped) return;
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
      }
    });
  }

  /** `durable`: fsync even when nothing durable changed (the file may be gone). */
  writeNow(state: PersistedState, { durable = false }: { durable?: boolean } = {}): void {
    const shape = durableShape(state);
    const changed = !sameDurableShape(shape, this.durable);
    writeState(this.path, state, changed || durable);
    if (changed) this.durable = shape;
  }

  /** No more scheduled writes (the daemon is exiting and wrote its last state). */
  stop(): void {
    this.stopped = true;
    if (this.retry !== null) clearTimeout(this.retry);
  }
}
