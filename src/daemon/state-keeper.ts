import { type PersistedState, writeState } from './state-file.js';

/**
 * Writes the state file after changes, at most once per event-loop turn: a burst of state
 * changes (50 apps starting) costs one write, and no change waits longer than a tick.
 */
export class StateKeeper {
  private scheduled = false;
  private stopped = false;

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

  writeNow(state: PersistedState): void {
    writeState(this.path, state);
  }

  /** No more scheduled writes (the daemon is exiting and wrote its last state). */
  stop(): void {
    this.stopped = true;
  }
}
