import { TendError } from '../core/errors.js';
import type { RestartCause } from '../core/instance-info.js';
import type { Instance } from './instance.js';
import type { Supervisor } from './supervisor.js';

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
 * A fork-mode instance cannot start beside its old process (they would share its port), so it
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

async function replaceInstance(supervisor: Supervisor, old: Instance, cause: RestartCause): Promise<void> {
  const replacement = supervisor.createReplacement(old);
  const outcome = waitUntilSettled(replacement);
  await replacement.start(cause).catch(() => undefined);
  const failure = await outcome;
  if (failure !== null) {
    await replacement.stop();
    replacement.dispose();
    throw new TendError('RELOAD_ABORTED', `reload of ${old.spec.name} (id ${old.id}) aborted: ${failure}; the old instance keeps serving`);
  }
  supervisor.swap(replacement);
  await old.stop();
  old.dispose();
}

async function restartUntilOnline(instance: Instance, cause: RestartCause): Promise<void> {
  await instance.restart(cause).catch(() => undefined);
  if (instance.state === 'online') return;
  const failure = instance.state === 'starting' ? await waitUntilSettled(instance) : describeFailure(instance);
  if (failure === null) return;
  throw new TendError('RELOAD_ABORTED', `reload of ${instance.spec.name} (id ${instance.id}) aborted: ${failure}; instances not reloaded yet keep running`);
}

/** Resolves null once the instance is online, or the reason it never got there. */
function waitUntilSettled(instance: Instance): Promise<string | null> {
  return new Promise((resolve) => {
    const stopWatching = instance.watch((current) => {
      if (current.state === 'online') {
        stopWatching();
        resolve(null);
      } else if (current.state !== 'starting') {
        stopWatching();
        resolve(describeFailure(current));
      }
    });
  });
}

function describeFailure(instance: Instance): string {
  if (instance.errorReason) return instance.errorReason;
  const { code, signal } = instance.lastExit;
  if (signal) return `the new instance was killed by ${signal}`;
  if (code !== null) return `the new instance exited with code ${code}`;
  return `the new instance is ${instance.state}`;
}
