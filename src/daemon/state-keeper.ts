import { type PersistedState, durableShape, sameDurableShape, writeState } from './state-file.js';

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

  constructor(
    private readonly path: string,
    private readonly snapshot: () => PersistedState,
  ) {}

  schedule(): void {
    if (this.scheduled || this.stopped) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (!this.stopped) this.writeNow(this.snapshot());
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
  }
}
