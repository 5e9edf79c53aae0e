import type { SpawnedInstance } from '../core/driver.js';
import { randomBytes } from 'node:crypto';
import { readProcStat } from '../metrics/proc-stat.js';
import { appCgroupMembers, removeAppCgroup } from './app-cgroup.js';
import { type ProcessIdentity, collectTree, filterAlive, mergeIdentities, readEnviron, signalProcesses } from './kill-tree.js';
import { type ProcSnapshot, sharedProcSnapshot } from './proc-snapshot.js';

/**
 * The processes that belong to one running instance: its descendants, its process group (fork
 * mode), processes carrying its environment marker and the members of its cgroup (app-cgroup.ts).
 * What was seen once is remembered, so a child that is re-parented or leaves the group before the
 * kill is still found.
 *
 * A fork-mode root once seen in its own cgroup was put there at its start gate, before it ran
 * any code, so everything it starts is born in that cgroup: its members are the whole tree, and
 * the table of every process in /proc (~60 ms to read with 2,000 processes on 2 busy cores, once
 * per turn of a `delete all`) is not needed. Only a process with the right to move itself to
 * another cgroup (root) can leave it; systemd's units draw the same line.
 */
export class ProcessTree {
  private remembered: ProcessIdentity[] = [];
  private environMarker: string[] = [];
  /** The holder folder that names the instance's cgroup, once a root under a holder was seen. */
  private cgroupOf: string | null = null;
  /** Whether the root was seen in its cgroup (see above). */
  private cgroupHoldsTree = false;

  constructor(private readonly proc: ProcSnapshot = sharedProcSnapshot) {}

  /** Starts tracking a new process, spawned with `env`. */
  reset(env: Readonly<Record<string, string>> | null): void {
    if (this.cgroupOf !== null) removeAppCgroup(this.cgroupOf);
    this.cgroupOf = null;
    this.cgroupHoldsTree = false;
    this.remembered = [];
    this.environMarker = env ? environMarkerOf(env) : [];
  }

  /** Starts tracking an adopted process: its invocation id is read from its environment. */
  resetAdopted(env: Readonly<Record<string, string>>, pid: number): void {
    const entry = readEnviron(pid)?.find((e) => e.startsWith(`${INVOCATION_VARIABLE}=`));
    const { [INVOCATION_VARIABLE]: _stale, ...rest } = env;
    this.reset(entry === undefined ? rest : { ...rest, [INVOCATION_VARIABLE]: entry.slice(INVOCATION_VARIABLE.length + 1) });
  }

  /** The tree as known now (the root excluded), merged with what was seen before. */
  current(root: SpawnedInstance | null, forkMode: boolean): ProcessIdentity[] {
    if (root?.holder) this.cgroupOf = root.holder.dir;
    const pids = this.cgroupOf === null ? [] : appCgroupMembers(this.cgroupOf);
    if (forkMode && root && pids.includes(root.pid)) this.cgroupHoldsTree = true;
    const members = identities(pids, root?.pid ?? 0);
    if (!root) return filterAlive(mergeIdentities(this.remembered, members));
    if (this.cgroupHoldsTree) {
      this.remembered = mergeIdentities(this.remembered, members);
      return this.remembered;
    }
    const identity = { pid: root.pid, startTimeTicks: root.startTimeTicks };
    const options = { group: forkMode, environMarker: forkMode ? this.environMarker : [] };
    const live = collectTree(identity, options, this.proc.all(), (stat) => this.proc.environ(stat));
    this.remembered = mergeIdentities(this.remembered, mergeIdentities(live, members));
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

/** The processes of a cgroup's pids, the root excepted. */
function identities(pids: readonly number[], rootPid: number): ProcessIdentity[] {
  return pids.flatMap((pid) => {
    const stat = pid === rootPid ? null : readProcStat(pid);
    return stat ? [{ pid, startTimeTicks: stat.startTimeTicks }] : [];
  });
}

/**
 * Set afresh for every run of an instance (systemd's INVOCATION_ID is the same idea): the
 * replacement a reload starts under the same id carries the same TEND_APP_NAME, TEND_ID and
 * TEND_HOME, and without it was taken for an escaped child of the run it replaces, and
 * signalled with it.
 */
const INVOCATION_VARIABLE = 'TEND_INVOCATION_ID';

/** The variable that names a new run of an instance. */
export function newInvocation(): Record<string, string> {
  return { [INVOCATION_VARIABLE]: randomBytes(16).toString('hex') };
}

/** The variables that tie a process to one run of one instance of one home (see TreeOptions.environMarker). */
function environMarkerOf(env: Readonly<Record<string, string>>): string[] {
  return ['TEND_APP_NAME', 'TEND_ID', 'TEND_HOME', INVOCATION_VARIABLE]
    .filter((name) => env[name] !== undefined)
    .map((name) => `${name}=${env[name]}`);
}
