import { systemClock } from '../core/clock.js';
import { readAllProcStats } from '../metrics/proc-stat.js';
import { type ProcessIdentity, collectTree, filterAlive, signalProcesses } from './kill-tree.js';
import type { PersistedState } from './state-file.js';

const RECOVERY_POLL_MS = 50;

/**
 * Ends every process a previous daemon left behind (instances, their trees, cluster hosts),
 * matched by pid and start time so a reused pid is never touched: first the app's kill
 * signal, then SIGKILL once its kill_timeout has passed.
 */
export async function endSurvivors(state: PersistedState): Promise<ProcessIdentity[]> {
  const stats = readAllProcStats();
  const plan: Array<{ processes: ProcessIdentity[]; signal: NodeJS.Signals; timeoutMs: number }> = [];
  for (const app of state.apps) {
    for (const instance of app.instances) {
      if (!instance.process) continue;
      const root = instance.process;
      const tree = [root, ...collectTree(root, { group: app.spec.execMode === 'fork' }, stats)];
      const alive = filterAlive(tree);
      if (alive.length > 0) plan.push({ processes: alive, signal: app.spec.killSignal, timeoutMs: app.spec.killTimeoutMs });
    }
  }
  for (const extra of state.extraProcesses) {
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

async function waitGoneOrKill(processes: ProcessIdentity[], timeoutMs: number): Promise<void> {
  const deadline = systemClock.monotonicMs() + timeoutMs;
  while (systemClock.monotonicMs() < deadline) {
    if (filterAlive(processes).length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, RECOVERY_POLL_MS));
  }
  signalProcesses(processes, 'SIGKILL');
}
