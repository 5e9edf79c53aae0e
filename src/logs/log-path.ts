/** Where one instance's log lines go. */
import { isAbsolute, join } from 'node:path';

export interface LogPathRoute {
  id: number;
  instances: number;
  logs: { mergeLogs: boolean; perInstanceFiles?: boolean };
}

/**
 * Inserts `-<id>` before the extension (`api-out.log` -> `api-out-3.log`) when the app was
 * started with several instances and does not merge logs, so each instance gets its own file.
 * That choice is made at start (`perInstanceFiles`) and kept when the app scales, so the names
 * never change under `tend logs` (specs from older versions decide by the current count). A
 * name without extension gets the suffix at the end. Relative paths resolve against `logsDir`.
 */
export function resolveLogPath(base: string, route: LogPathRoute, logsDir?: string): string {
  const absolute = logsDir !== undefined && !isAbsolute(base) ? join(logsDir, base) : base;
  // Devices (`/dev/null`, `/dev/stdout`) are shared by nature: never suffix them.
  const perInstance = route.logs.perInstanceFiles ?? route.instances > 1;
  if (!perInstance || route.logs.mergeLogs || absolute.startsWith('/dev/')) return absolute;
  const slash = absolute.lastIndexOf('/');
  const dot = absolute.lastIndexOf('.');
  if (dot <= slash + 1) return `${absolute}-${route.id}`;
  return `${absolute.slice(0, dot)}-${route.id}${absolute.slice(dot)}`;
}
