import type { HolderRef, ProcessRef } from '../core/driver.js';

/** What /proc says of a saved process: alive and still the same (pid and start time), with its owner and parent. */
export interface LiveProcess {
  uid: number;
  ppid: number;
}

/** What a saved instance ran, as the previous daemon wrote it. */
export interface SavedRun {
  /** Whether the instance should be running. */
  wanted: boolean;
  /** Who the app runs as: the daemon's user, or the app's `uid`. */
  appUid: number;
  process: ProcessRef | null;
  holder: HolderRef | null;
}

/** The saved run's processes as found now; null when gone, reused or not readable. */
export interface FoundRun {
  app: LiveProcess | null;
  holder: LiveProcess | null;
}

/**
 * What a new daemon does with one saved instance:
 * - `adopt`: its holder is alive and ours and the app is its child (or already gone: the
 *   holder reports its exit, which the restart policy then handles);
 * - `end`: a process of ours is alive but nothing can report its exit (no holder, as for a
 *   cluster worker or an app run as another user; its holder is gone), or it is not wanted:
 *   end it, then start again what is wanted;
 * - `start`: nothing of it runs; start it if it is wanted.
 * A process that is not ours (the app's user, the daemon's for a holder) is never adopted and
 * never signalled.
 */
export type RecoveryAction = 'adopt' | 'end' | 'start';

export function planRecovery(saved: SavedRun, found: FoundRun, ownUid: number): RecoveryAction {
  const app = found.app !== null && found.app.uid === saved.appUid ? found.app : null;
  if (saved.process === null) return 'start';
  if (saved.wanted && saved.holder !== null && found.holder !== null && found.holder.uid === ownUid) {
    if (found.app === null) return 'adopt';
    if (app !== null && app.ppid === saved.holder.pid) return 'adopt';
  }
  return app !== null ? 'end' : 'start';
}
