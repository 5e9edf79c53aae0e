import { readFileSync } from 'node:fs';
import { type ProcStat, findDescendants, readAllProcStats, readProcStat } from '../metrics/proc-stat.js';

/** A pid together with its start time: names one process for good, even after pid reuse. */
export interface ProcessIdentity {
  pid: number;
  startTimeTicks: number;
}

export interface TreeOptions {
  /** Include every member of the root's process group (fork-mode apps lead their own group). */
  group: boolean;
  /**
   * `NAME=value` entries the instance's environment carries (TEND_APP_NAME, TEND_ID, ...).
   * A process started after the root whose environment holds all of them is the root's too:
   * that is the only trace a double-forked, setsid() grandchild leaves once its parent exited
   * and it was re-parented to init, outside the group.
   */
  environMarker?: readonly string[];
}

/**
 * The processes that belong to `root` right now: its descendants by parent link, plus members
 * of its process group (children re-parented to init that stayed in the group), plus processes
 * carrying the instance's environment marker. Processes started before the root are not its
 * own, whatever their ids say.
 */
export function collectTree(
  root: ProcessIdentity,
  options: TreeOptions,
  stats: readonly ProcStat[] = readAllProcStats(),
  environOf: (stat: ProcStat) => ReadonlySet<string> | null = (stat) => environSet(readEnviron(stat.pid)),
): ProcessIdentity[] {
  const found = new Map<number, ProcessIdentity>();
  const rootStat = stats.find((s) => s.pid === root.pid);
  const rootAlive = rootStat !== undefined && rootStat.startTimeTicks === root.startTimeTicks;
  if (rootAlive) {
    for (const child of findDescendants(stats, root.pid)) found.set(child.pid, identityOf(child));
  }
  // A live process of another start time holds the root's pid now: the group of that number is
  // the newcomer's, never the root's leftovers.
  const pidReused = rootStat !== undefined && !rootAlive;
  if (options.group && !pidReused) {
    for (const stat of stats) {
      if (stat.pgid === root.pid && stat.pid !== root.pid && stat.startTimeTicks >= root.startTimeTicks) {
        found.set(stat.pid, identityOf(stat));
      }
    }
  }
  const marker = options.environMarker ?? [];
  if (marker.length > 0) {
    for (const stat of stats) {
      if (stat.pid === root.pid || found.has(stat.pid) || stat.startTimeTicks < root.startTimeTicks) continue;
      const entries = environOf(stat);
      if (entries !== null && marker.every((entry) => entries.has(entry))) found.set(stat.pid, identityOf(stat));
    }
  }
  // The root's parent (a fork-mode app's holder) carries its environment marker too, and may
  // have started within the same clock tick; it is never part of the root's tree.
  if (rootAlive) found.delete(rootStat.ppid);
  return [...found.values()];
}

/**
 * Entries as a set: every instance a stop looks at asks every younger process for its marker,
 * and with 1,000 apps (2,000 processes) array scans of their environments held `tend kill`
 * ~6 s on 2 cores.
 */
export function environSet(entries: readonly string[] | null): ReadonlySet<string> | null {
  return entries === null ? null : new Set(entries);
}

/** A process's environment as `NAME=value` entries, or null when it is gone or not ours to read. */
export function readEnviron(pid: number): string[] | null {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0');
  } catch {
    // Gone, or another user's process: not ours to signal either way.
    return null;
  }
}

/** Signals each process that is still the one identified; returns how many were signalled. */
export function signalProcesses(processes: readonly ProcessIdentity[], signal: NodeJS.Signals): number {
  let signalled = 0;
  for (const target of processes) {
    if (signalIfSame(target, signal)) signalled += 1;
  }
  return signalled;
}

/** Sends `signal` to `target` only if its pid still names the same process (never a reused pid). */
export function signalIfSame(target: ProcessIdentity, signal: NodeJS.Signals | 0): boolean {
  const stat = readProcStat(target.pid);
  if (!stat || stat.startTimeTicks !== target.startTimeTicks || stat.state === 'Z') return false;
  try {
    process.kill(target.pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The processes of `processes` that are still alive (and not zombies). */
export function filterAlive(processes: readonly ProcessIdentity[]): ProcessIdentity[] {
  return processes.filter((p) => {
    const stat = readProcStat(p.pid);
    return stat !== null && stat.startTimeTicks === p.startTimeTicks && stat.state !== 'Z';
  });
}

/** Merges two lists of identities without duplicates. */
export function mergeIdentities(a: readonly ProcessIdentity[], b: readonly ProcessIdentity[]): ProcessIdentity[] {
  const merged = new Map<string, ProcessIdentity>();
  for (const p of [...a, ...b]) merged.set(`${p.pid}:${p.startTimeTicks}`, p);
  return [...merged.values()];
}

function identityOf(stat: ProcStat): ProcessIdentity {
  return { pid: stat.pid, startTimeTicks: stat.startTimeTicks };
}
