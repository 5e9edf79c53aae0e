import type { InstanceInfo } from '../core/instance-info.js';
import { isRunningState, toPublicStatus } from '../core/status.js';
import type { Instance } from './instance.js';
import { countRecentRestarts } from './recent-restarts.js';

/** The row `list` shows for one instance, with its measured usage (null when not measured). */
export function instanceRow(instance: Instance, usage: { cpuPercent: number; memoryBytes: number } | null, nowWallMs: number): InstanceInfo {
  const running = isRunningState(instance.state);
  const measured = running ? usage : null;
  const blocked = instance.lifecycle.name === 'blocked' ? instance.lifecycle : null;
  // One object literal, no spread: `list` makes 1,000 of these and encodes them (see withPm2Fields).
  return {
    id: instance.id,
    name: instance.spec.name,
    namespace: instance.spec.namespace,
    pid: running ? instance.pid : null,
    status: toPublicStatus(instance.state),
    mode: instance.spec.execMode,
    instance: instance.index,
    restarts: instance.restarts,
    uptime_ms: Math.round(instance.uptimeMs()),
    cpu: measured ? Math.round(measured.cpuPercent * 10) / 10 : 0,
    memory: measured?.memoryBytes ?? 0,
    exit_code: instance.lastExit.code,
    exit_signal: instance.lastExit.signal,
    error: instance.state === 'errored' ? instance.errorReason : null,
    started_at: instance.startedAtWallMs,
    ready: instance.ready,
    status_text: instance.statusText,
    probes: instance.probeResults(),
    adopted_at: instance.adoptedAtWallMs,
    waiting_for: blocked?.on ?? null,
    waiting_reason: blocked?.reason ?? null,
    recent_restarts: countRecentRestarts(instance.history, nowWallMs),
  };
}
