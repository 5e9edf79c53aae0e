import type { SpawnedInstance } from '../core/driver.js';
import { readProcStat } from '../metrics/proc-stat.js';
import { appCgroupMembers, removeAppCgroup } from './app-cgroup.js';
import { type ProcessIdentity, collectTree, filterAlive, mergeIdentities, signalProcesses } from './kill-tree.js';
import { type ProcSnapshot, sharedProcSnapshot } from './proc-snapshot.js';

/**
 * The processes that belong to one running instance: its descendants, its process group (fork
 * mode), processes carrying its environment marker and the members of its cgroup (app-cgroup.ts).
 * What was seen once is remembered, so a child that is re-parented or leaves the group before the
 * kill is still found.
 */
export class ProcessTree {
  private remembered: ProcessIdentity[] = [];
  private environMarker: string[] = [];
  /** The holder folder that names the instance's cgroup, once a root under a holder was seen. */
  private cgroupOf: string | null = null;

  constructor(private readonly proc: ProcSnapshot = sharedProcSnapshot) {}

  /** Starts tracking a new process, spawned with `env`. */
  reset(env: Readonly<Record<string, string>> | null): void {
    if (this.cgroupOf !== null) removeAppCgroup(this.cgroupOf);
    this.cgroupOf = null;
    this.remembered = [];
    this.environMarker = env ? environMarkerOf(env) : [];
  }

  /** The tree as known now (the root excluded), merged with what was seen before. */
  current(root: SpawnedInstance | null, forkMode: boolean): ProcessIdentity[] {
    if (root?.holder) this.cgroupOf = root.holder.dir;
    const members = this.cgroupMembers(root?.pid ?? 0);
    if (!root) return filterAlive(mergeIdentities(this.remembered, members));
    const identity = { pid: root.pid, startTimeTicks: root.startTimeTicks };
    const options = { group: forkMode, environMarker: forkMode ? this.environMarker : [] };
    const live = collectTree(identity, options, this.proc.all(), (stat) => this.proc.environ(stat));
    this.remembered = mergeIdentities(this.remembered, mergeIdentities(live, members));
    return this.remembered;
  }

  /** The processes in the instance's cgroup, the root excepted. */
  private cgroupMembers(rootPid: number): ProcessIdentity[] {
    if (this.cgroupOf === null) return [];
    return appCgroupMembers(this.cgroupOf).flatMap((pid) => {
      const stat = pid === rootPid ? null : readProcStat(pid);
      return stat ? [{ pid, startTimeTicks: stat.startTimeTicks }] : [];
    });
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
  return ['TEND_APP_NAME', 'TEND_ID', 'TEND_HOME']
    .filter((name) => env[name] !== undefined)
    .map((name) => `${name}=${env[name]}`);
}
