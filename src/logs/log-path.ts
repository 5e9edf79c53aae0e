/** Where one instance's log lines go. */
import { isAbsolute, join } from 'node:path';

export interface LogPathRoute {
  id: number;
  instances: number;
  logs: { mergeLogs: boolean };
}

/**
 * Inserts `-<id>` before the extension (`api-out.log` -> `api-out-3.log`) when the app has
 * several instances and does not merge logs, so each instance gets its own file. A name
 * without extension gets the suffix at the end. Relative paths are resolved against `logsDir`.
 */
export function resolveLogPath(base: string, route: LogPathRoute, logsDir?: string): string {
  const absolute = logsDir !== undefined && !isAbsolute(base) ? join(logsDir, base) : base;
  // Devices (`/dev/null`, `/dev/stdout`) are shared by nature: never suffix them.
  if (route.instances <= 1 || route.logs.mergeLogs || absolute.startsWith('/dev/')) return absolute;
  const slash = absolute.lastIndexOf('/');
  const dot = absolute.lastIndexOf('.');
  if (dot <= slash + 1) return `${absolute}-${route.id}`;
  return `${absolute.slice(0, dot)}-${route.id}${absolute.slice(dot)}`;
}
