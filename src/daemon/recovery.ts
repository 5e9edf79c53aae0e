import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import { readAllProcStats, readProcStat } from '../metrics/proc-stat.js';
import type { HostRecord } from '../cluster/host-process.js';
import { releaseHolder } from './holder-files.js';
import { type ProcessIdentity, collectTree, filterAlive, signalProcesses } from './kill-tree.js';
import { type FoundRun, type LiveProcess, type RecoveryAction, planRecovery } from './recovery-plan.js';
import type { PersistedApp, PersistedInstance, PersistedState } from './state-file.js';

const RECOVERY_POLL_MS = 50;

/** What to do with each saved instance, by id (see planRecovery). */
export type RecoveryPlans = Map<number, RecoveryAction>;

/** Looks at /proc for every saved instance and decides what to do with it. */
export function planAll(state: PersistedState, ownUid = process.getuid?.() ?? 0): RecoveryPlans {
  const plans: RecoveryPlans = new Map();
  for (const app of state.apps) {
    for (const saved of app.instances) {
      const run = { wanted: saved.wanted, appUid: app.spec.uid ?? ownUid, process: saved.process, holder: saved.holder ?? null };
      plans.set(saved.id, planRecovery(run, findRun(saved), ownUid));
    }
  }
  return plans;
}

/** The cluster hosts of a state file that are alive, ours and can be taken over (they have a control socket). */
export function adoptableHosts(state: PersistedState, ownUid = process.getuid?.() ?? 0): HostRecord[] {
  return state.extraProcesses.flatMap((extra) => {
    const live = findLive(extra);
    if (live === null || live.uid !== ownUid || !extra.app || !extra.socket) return [];
    return [{ app: extra.app, pid: extra.pid, startTimeTicks: extra.startTimeTicks, socket: extra.socket }];
  });
}

/** Cluster workers planned for adoption whose host could not be taken over are ended instead. */
export function endWorkersOfLostHosts(state: PersistedState, plans: RecoveryPlans, adoptedHosts: ReadonlySet<number>): void {
  for (const app of state.apps) {
    if (app.spec.execMode !== 'cluster') continue;
    for (const saved of app.instances) {
      if (plans.get(saved.id) === 'adopt' && !adoptedHosts.has(saved.holder?.pid ?? -1)) plans.set(saved.id, 'end');
    }
  }
}

function findRun(saved: PersistedInstance): FoundRun {
  return { app: saved.process ? findLive(saved.process) : null, holder: saved.holder ? findLive(saved.holder) : null };
}

/** The process if it is alive and still the one named (pid and start time), with its owner and parent. */
function findLive(identity: ProcessIdentity): LiveProcess | null {
  const stat = readProcStat(identity.pid);
  if (stat === null || stat.startTimeTicks !== identity.startTimeTicks || stat.state === 'Z') return null;
  try {
    return { uid: statSync(`/proc/${identity.pid}`).uid, ppid: stat.ppid };
  } catch {
    return null;
  }
}

/**
 * Ends the processes a previous daemon left behind that `plans` says to end (instances, their
 * trees), and every cluster host: first the app's kill signal, then SIGKILL once its
 * kill_timeout has passed. Matched by pid and start time, so a reused pid is never touched.
 */
export async function endSurvivors(state: PersistedState, plans: RecoveryPlans, adoptedHosts: ReadonlySet<number> = new Set()): Promise<ProcessIdentity[]> {
  const stats = readAllProcStats();
  const plan: Array<{ processes: ProcessIdentity[]; signal: NodeJS.Signals; timeoutMs: number }> = [];
  for (const app of state.apps) {
    for (const instance of app.instances) {
      if (!instance.process || plans.get(instance.id) !== 'end') continue;
      const alive = treeOf(app, instance.process, stats);
      if (alive.length > 0) plan.push({ processes: alive, signal: app.spec.killSignal, timeoutMs: app.spec.killTimeoutMs });
    }
  }
  for (const extra of state.extraProcesses) {
    if (adoptedHosts.has(extra.pid)) continue;
    const tree = filterAlive([extra, ...collectTree(extra, { group: true }, stats)]);
    if (tree.length > 0) plan.push({ processes: tree, signal: 'SIGTERM', timeoutMs: 2000 });
  }
  const ended: ProcessIdentity[] = [];
  for (const step of plan) {
    signalProcesses(step.processes, step.signal);
    ended.push(...step.processes);
  }
  await Promise.all(plan.map((step) => waitGoneOrKill(step.processes, step.timeoutMs)));
  return ended;
}

function treeOf(app: PersistedApp, root: ProcessIdentity, stats: ReturnType<typeof readAllProcStats>): ProcessIdentity[] {
  return filterAlive([root, ...collectTree(root, { group: app.spec.execMode === 'fork' }, stats)]);
}

/**
 * Lets go every holder in `holdersDir` that no adopted instance uses: the holder of an app that
 * was ended, or one whose daemon died while it was being spawned. Each waits for its `ack`.
 */
export function releaseOtherHolders(holdersDir: string, keep: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(holdersDir);
  } catch {
    return;
  }
  for (const entry of entries) {
    const dir = join(holdersDir, entry);
    if (!keep.has(dir)) releaseHolder(dir);
  }
}

/** Waits (at most `timeoutMs`) until the processes are gone: released holders exit on their own. */
export async function waitGone(processes: readonly ProcessIdentity[], timeoutMs: number): Promise<void> {
  const deadline = systemClock.monotonicMs() + timeoutMs;
  while (filterAlive(processes).length > 0 && systemClock.monotonicMs() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
  }
}

/** The holders a state file names. */
export function holdersOf(state: PersistedState): ProcessIdentity[] {
  return state.apps.flatMap((app) => app.instances.flatMap((i) => (i.holder ? [i.holder] : [])));
}

async function waitGoneOrKill(processes: ProcessIdentity[], timeoutMs: number): Promise<void> {
  const deadline = systemClock.monotonicMs() + timeoutMs;
  while (systemClock.monotonicMs() < deadline) {
    if (filterAlive(processes).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
  }
  signalProcesses(processes, 'SIGKILL');
}
