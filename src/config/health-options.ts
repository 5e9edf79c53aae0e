/** The socket, readiness and probe options of one app, checked against each other and its mode. */
import { resolve } from 'node:path';
import type { AppSpec, ExecMode } from '../core/app-spec.js';
import { configError, type AppLocation } from './messages.js';
import type { ParsedOptions } from './option-table.js';

type HealthFields = Pick<AppSpec, 'listen' | 'readyProtocol' | 'watchdogMs' | 'readiness' | 'liveness'>;

export function resolveHealthOptions(options: ParsedOptions, execMode: ExecMode, cwd: string, at: AppLocation): HealthFields {
  const listen = (options.listen ?? []).map((entry) => (entry.kind === 'unix' ? { ...entry, path: resolve(cwd, entry.path) } : entry));
  const readyProtocol = options.ready ?? null;
  if (execMode === 'cluster' && listen.length > 0) throw configError(at, 'listen hands sockets to fork-mode instances; a cluster app shares its port through its cluster host');
  if (execMode === 'cluster' && readyProtocol !== null) throw configError(at, `ready: '${readyProtocol}' is for fork mode; a cluster worker uses wait_ready`);
  const contracts = [options.wait_ready === true ? 'wait_ready' : null, readyProtocol !== null ? 'ready' : null, options.readiness ? 'readiness' : null].filter((c) => c !== null);
  if (contracts.length > 1) throw configError(at, `${contracts.join(' and ')} each say when the app is ready; give only one`);
  const watchdogMs = options.watchdog_ms ?? 0;
  if (watchdogMs > 0 && readyProtocol !== 'notify') throw configError(at, "watchdog_ms needs ready: 'notify' (the app pings with sd_notify WATCHDOG=1)");
  return { listen, readyProtocol, watchdogMs, readiness: options.readiness ?? null, liveness: options.liveness ?? null };
}
