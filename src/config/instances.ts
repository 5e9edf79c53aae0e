/**
 * Instance count and exec mode, PM2's way: 0 or 'max' = one per CPU, -n = CPUs minus n (at
 * least one), and cluster mode is implied when instances is given for a Node app.
 */
import type { ExecMode } from '../core/app-spec.js';
import { configError, type AppLocation } from './messages.js';

export function resolveInstances(value: number | 'max' | undefined, cpuCount: number): number {
  if (value === undefined) return 1;
  if (value === 'max' || value === 0) return Math.max(1, cpuCount);
  if (value < 0) return Math.max(1, cpuCount + value);
  return value;
}

export function chooseExecMode(
  explicit: ExecMode | undefined,
  instancesGiven: boolean,
  isNode: boolean,
  interpreter: string | null,
  at: AppLocation,
): ExecMode {
  const mode = explicit ?? (instancesGiven && isNode ? 'cluster' : 'fork');
  if (mode === 'cluster' && !isNode) {
    const runner = interpreter ?? 'the script itself';
    throw configError(at, `exec_mode "cluster" needs a Node.js app, but it runs with ${runner}; use exec_mode "fork"`);
  }
  return mode;
}
