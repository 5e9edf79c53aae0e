/**
 * Instance count and exec mode, PM2's way: 0 or 'max' = one per CPU, -n = CPUs minus n (at
 * least one), and cluster mode is implied when instances is given for a Node app.
 */
import type { ExecMode } from '../core/app-spec.js';
import { describeLocation, type AppLocation } from './messages.js';

export function resolveInstances(value: number | 'max' | undefined, cpuCount: number): number {
  if (value === undefined) return 1;
  if (value === 'max' || value === 0) return Math.max(1, cpuCount);
  if (value < 0) return Math.max(1, cpuCount + value);
  return value;
}

/**
 * cluster runs the script through node:cluster, so it needs node itself. An app that asks for
 * cluster but runs through another interpreter (ts-node, a shell) runs in fork mode, each
 * instance its own process, as PM2 does; the warning says so.
 */
export function chooseExecMode(
  explicit: ExecMode | undefined,
  instancesGiven: boolean,
  isNode: boolean,
  interpreter: string | null,
  at: AppLocation,
): { mode: ExecMode; warning: string | null } {
  const mode = explicit ?? (instancesGiven && isNode ? 'cluster' : 'fork');
  if (mode === 'cluster' && !isNode) {
    const runner = interpreter ?? 'the script itself';
    return { mode: 'fork', warning: `${describeLocation(at)} exec_mode "cluster" needs node, but the app runs with ${runner}: running it in fork mode (each instance its own process, no shared port)` };
  }
  return { mode, warning: null };
}
