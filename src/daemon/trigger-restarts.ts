import type { RestartCause } from '../core/instance-info.js';
import type { Instance } from './instance.js';
import { reloadInstances } from './reload.js';
import type { Supervisor } from './supervisor.js';

/**
 * What a restart trigger (memory, watch, cron) does: notes why in each instance's history,
 * then replaces a cluster instance over its memory limit gracefully (as `reload`) and restarts
 * everything else. A failure is logged; the trigger keeps running.
 */
export async function restartForTrigger(
  supervisor: Supervisor,
  instances: Instance[],
  cause: RestartCause,
  detail: string,
  warn: (msg: string, fields: Record<string, unknown>) => void,
): Promise<void> {
  for (const instance of instances) instance.noteRestartReason(cause, detail);
  try {
    if (cause === 'memory') await reloadInstances(supervisor, instances, cause);
    else await Promise.all(instances.map((i) => i.restart(cause)));
  } catch (error) {
    warn('restart by trigger failed', { cause, err: error });
  }
}
