import type { SpawnedInstance } from '../core/driver.js';
import { type ProcessIdentity, collectTree, filterAlive, mergeIdentities, signalProcesses } from './kill-tree.js';
import { type ProcSnapshot, sharedProcSnapshot } from './proc-snapshot.js';

/**
 * The processes that belong to one running instance: its descendants, its process group (fork
 * mode) and processes carrying its environment marker. What was seen once is remembered, so a
 * child that is re-parented or leaves the group before the kill is still found.
 */
export class ProcessTree {
  private remembered: ProcessIdentity[] = [];
  private environMarker: string[] = [];

  constructor(private readonly proc: ProcSnapshot = sharedProcSnapshot) {}

  /** Starts tracking a new process, spawned with `env`. */
  reset(env: Readonly<Record<string, string>> | null): void {
    this.remembered = [];
    this.environMarker = env ? environMarkerOf(env) : [];
  }

  /** The tree as known now (the root excluded), merged with what was seen before. */
  current(root: SpawnedInstance | null, forkMode: boolean): ProcessIdentity[] {
    if (!root) return filterAlive(this.remembered);
    const identity = { pid: root.pid, startTimeTicks: root.startTimeTicks };
    const options = { group: forkMode, environMarker: forkMode ? this.environMarker : [] };
    const live = collectTree(identity, options, this.proc.all(), (stat) => this.proc.environ(stat));
    this.remembered = mergeIdentities(this.remembered, live);
    return this.remembered;
  }

  /** Signals every member still alive (never a reused pid). */
  signal(root: SpawnedInstance | null, forkMode: boolean, signal: NodeJS.Signals): void {
    signalProcesses(this.current(root, forkMode), signal);
  }

  /** Members still alive. */
  leftovers(root: SpawnedInstance | null, forkMode: boolean): ProcessIdentity[] {
    return filterAlive(this.current(root, forkMode));
  }
}

/** The variables that tie a process to one instance of one home (see TreeOptions.environMarker). */
function environMarkerOf(env: Readonly<Record<string, string>>): string[] {
  return ['TEND_APP_NAME', 'TEND_ID', 'TEND_HOME'].filter((name) => env[name] !== undefined).map((name) => `${name}=${env[name]}`);
}
