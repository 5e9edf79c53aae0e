import type { Instance } from './instance.js';
import type { PersistedInstance } from './state-file.js';

/** How many history entries of each instance the state file keeps. */
export const PERSISTED_HISTORY = 20;

/**
 * Each instance's entry in the state file, as the same object while nothing in it changed:
 * the state file caches the encoding of an entry by object (see stateChunks), so a write with
 * 1,000 instances encodes only those that changed since the last one.
 */
export class PersistedInstances {
  private readonly last = new WeakMap<Instance, PersistedInstance>();

  of(instance: Instance): PersistedInstance {
    const previous = this.last.get(instance);
    const proc = instance.process;
    const history = instance.history.tail(PERSISTED_HISTORY);
    if (
      previous !== undefined &&
      previous.id === instance.id &&
      previous.index === instance.index &&
      previous.wanted === instance.wanted &&
      previous.restarts === instance.restarts &&
      previous.process?.pid === proc?.pid &&
      previous.process?.startTimeTicks === proc?.startTimeTicks &&
      previous.holder === (proc?.holder ?? null) &&
      previous.startedAtWallMs === instance.startedAtWallMs &&
      previous.history === history
    ) {
      return previous;
    }
    const entry: PersistedInstance = Object.freeze({
      id: instance.id,
      index: instance.index,
      wanted: instance.wanted,
      restarts: instance.restarts,
      process: proc ? { pid: proc.pid, startTimeTicks: proc.startTimeTicks } : null,
      holder: proc?.holder ?? null,
      startedAtWallMs: instance.startedAtWallMs,
      history,
    });
    this.last.set(instance, entry);
    return entry;
  }
}
