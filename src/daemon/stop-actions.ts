import type { AppSpec } from '../core/app-spec.js';
import type { SpawnedInstance } from '../core/driver.js';
import type { ProcessTree } from './process-tree.js';

/**
 * What the stop ladder's effects do to an instance's process and the processes that belong to
 * it (process-tree.ts): ask it to stop, kill it, kill what it left behind, check that all of
 * it is gone. The tree is counted only where the app's spec says so (`treekill`), and its
 * process group only in fork mode (cluster workers share the daemon's).
 */
export class StopActions {
  constructor(private readonly tree: ProcessTree) {}

  /** The app's kill signal (or its shutdown message), and the signal to its tree too. */
  requestStop(proc: SpawnedInstance | null, spec: AppSpec): void {
    if (!proc) return;
    const forkMode = isForkMode(spec);
    // Seen before signalling: a child that reacts by re-parenting itself is still known.
    this.tree.current(proc, forkMode);
    proc.requestStop(spec.killSignal, spec.shutdownWithMessage);
    if (spec.treekill && !spec.shutdownWithMessage && forkMode) this.tree.signal(proc, true, spec.killSignal);
  }

  /** SIGKILL to the process and its tree. */
  kill(proc: SpawnedInstance | null, spec: AppSpec): void {
    if (proc) proc.sendSignal('SIGKILL');
    if (spec.treekill) this.tree.signal(proc, isForkMode(spec), 'SIGKILL');
  }

  /** SIGKILL to what is left of a fork-mode tree once its root has exited. */
  killLeftovers(proc: SpawnedInstance | null, spec: AppSpec): void {
    if (spec.treekill && isForkMode(spec) && proc) this.tree.signal(proc, true, 'SIGKILL');
  }

  /** Whether nothing of the tree is left. */
  treeGone(proc: SpawnedInstance | null, spec: AppSpec): boolean {
    return this.tree.leftovers(proc, isForkMode(spec)).length === 0;
  }
}

function isForkMode(spec: AppSpec): boolean {
  return spec.execMode === 'fork';
}
