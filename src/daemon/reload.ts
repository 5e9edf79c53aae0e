import { TendError } from '../core/errors.js';
import type { RestartCause } from '../core/instance-info.js';
import type { Instance } from './instance.js';
import { readyContract } from './lifecycle/readiness.js';
import type { Supervisor } from './supervisor.js';
import { MAX_TIMER_STEP_MS } from './timers.js';

export interface ReloadOutcome {
  /** Fork-mode apps cannot hand over connections, so they were restarted instead, one instance at a time. */
  restartedForkApps: string[];
}

/**
 * Zero-downtime reload (DESIGN.md §3): cluster instances are replaced one at a time. A
 * replacement starts beside the old instance and only once it is online does the old one
 * stop (drained by its cluster host), so N-1 instances serve at every moment. A replacement
 * that crashes or is not ready within listen_timeout aborts the reload and the old instance
 * keeps serving.
 *
 * A fork-mode app with `listen` is replaced the same way: its instances share tend's sockets,
 * so old and new accept side by side and the old one drains (signal, kill_timeout).
 *
 * Any other fork-mode instance cannot start beside its old process (they would share its port), so it
 * is restarted; but one at a time, each only after the previous one is online again, so an
 * app of several instances (one port each behind a proxy, or workers on a queue) never has
 * them all down at once. One that does not come back online aborts the reload: the instances
 * not reached yet keep running the old code.
 */
export async function reloadInstances(
  supervisor: Supervisor,
  instances: readonly Instance[],
  cause: RestartCause = 'manual',
): Promise<ReloadOutcome> {
  const restartedForkApps = new Set<string>();
  for (const instance of instances) {
    const isRunning = instance.state === 'online' || instance.state === 'starting';
    // Instances sharing tend's sockets (`listen`) can run side by side: replaced like cluster workers.
    if (sharesSockets(instance) && instance.state === 'online') {
      await replaceInstance(supervisor, instance, cause);
      continue;
    }
    if (instance.spec.execMode === 'fork' && isRunning) {
      restartedForkApps.add(instance.spec.name);
      await restartUntilOnline(instance, cause);
      continue;
    }
    if (instance.spec.execMode === 'fork' || instance.state !== 'online') {
      await instance.restart(cause);
      continue;
    }
    await replaceInstance(supervisor, instance, cause);
  }
  return { restartedForkApps: [...restartedForkApps] };
}

function sharesSockets(instance: Instance): boolean {
  return instance.spec.execMode === 'fork' && (instance.spec.listen?.length ?? 0) > 0;
}

async function replaceInstance(supervisor: Supervisor, old: Instance, cause: RestartCause): Promise<void> {
  const replacement = supervisor.createReplacement(old);
  const outcome = waitUntilReadyToTakeOver(replacement, old.listened);
  await replacement.start(cause);
  const failure = await outcome;
  if (failure !== null) {
    await replacement.stop();
    replacement.dispose();
    throw new TendError('RELOAD_ABORTED', `reload of ${old.spec.name} (id ${old.id}) aborted: ${failure}; the old instance keeps serving`);
  }
  supervisor.swap(old, replacement);
  await old.stop();
  old.dispose();
}

async function restartUntilOnline(instance: Instance, cause: RestartCause): Promise<void> {
  await instance.restart(cause);
  if (instance.state === 'online') return;
  const failure = instance.state === 'starting' ? await waitUntilReadyToTakeOver(instance, false) : describeFailure(instance);
  if (failure === null) return;
  throw new TendError('RELOAD_ABORTED', `reload of ${instance.spec.name} (id ${instance.id}) aborted: ${failure}; instances not reloaded yet keep running`);
}

/**
 * The reload gate (DESIGN.md §3): resolves null once the new instance may take over, or the
 * reason it may not. It must be online; when the instance it replaces had listened, it must
 * listen too (or be ready, with wait_ready) within listen_timeout, or connections would be
 * refused once the old one is drained.
 */
function waitUntilReadyToTakeOver(instance: Instance, mustListen: boolean): Promise<string | null> {
  const needsListen = mustListen && readyContract(instance.spec) === null;
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const finish = (result: string | null): void => {
      stopWatching();
      if (timer !== undefined) clearTimeout(timer);
      resolve(result);
    };
    // A start that fails (no readiness in time) is killed, then waits for its restart: its reason is kept from the way.
    let reason: string | null = null;
    const check = (current: Instance): void => {
      reason = current.errorReason ?? reason;
      if (current.state === 'online' && (!needsListen || current.listened)) finish(null);
      else if (current.state !== 'starting' && current.state !== 'online') finish(reason ?? describeFailure(current));
    };
    const stopWatching = instance.watch(check);
    // A replacement not started yet is watched from its first state change.
    if (instance.state !== 'stopped') check(instance);
    if (needsListen) {
      const ms = instance.spec.listenTimeoutMs;
      timer = setTimeout(() => finish(`the new instance did not listen within listen_timeout (${ms} ms)`), Math.min(ms, MAX_TIMER_STEP_MS));
    }
  });
}

function describeFailure(instance: Instance): string {
  if (instance.errorReason) return instance.errorReason;
  const { code, signal } = instance.lastExit;
  if (signal) return `the new instance was killed by ${signal}`;
  if (code !== null) return `the new instance exited with code ${code}`;
  return `the new instance is ${instance.state}`;
}
