/**
 * A JavaScript config is code, and code can loop forever: the CLI's event loop is then stuck,
 * so no timer of its own can fire. A sleeping `/bin/sh` beside it (a fork, no second Node)
 * prints one line naming the file and ends the CLI when loading outlives the deadline; it is
 * killed (with its `sleep`) as soon as loading finishes. It checks the CLI's start time first, so a reused pid
 * (the CLI killed meanwhile) is never signalled.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const DEFAULT_CONFIG_DEADLINE_MS = 10_000;

const WATCHDOG_SCRIPT = [
  'sleep "$1" 2>/dev/null',
  's=$(sed "s/.*) //" "/proc/$3/stat" 2>/dev/null | cut -d" " -f20)',
  '[ "$s" = "$4" ] || exit 0',
  'printf "%s\\n" "$2" >&2',
  'kill -TERM "$3"',
].join('\n');

/** Arms the watchdog for loading `label`; returns the function that disarms it. */
export function armLoadWatchdog(label: string, env: NodeJS.ProcessEnv = process.env): () => void {
  const configured = Number(env.TEND_CONFIG_DEADLINE_MS);
  const deadlineMs = Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_CONFIG_DEADLINE_MS;
  const startTime = ownStartTime();
  if (startTime === null) return () => undefined;
  const message = `tend: ${label}: loading the config did not finish within ${deadlineMs / 1000} s (an endless loop, or a wait that never ends?)`;
  try {
    const child = spawn('/bin/sh', ['-c', WATCHDOG_SCRIPT, 'tend-config-watchdog', String(deadlineMs / 1000), message, String(process.pid), startTime], {
      // Only the shell holds the CLI's stderr (for its line), never its `sleep`: a process
      // left holding it would keep a pipe reading the CLI open after the CLI exits.
      stdio: ['ignore', 'ignore', 'inherit'],
      detached: true,
    });
    child.on('error', () => undefined);
    child.unref();
    return () => {
      try {
        // The group: `sleep` too, not only the shell.
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
  } catch {
    return () => undefined; // No /bin/sh (a distroless image): no watchdog.
  }
}

/** Field 22 of /proc/self/stat (after the command name, which may hold spaces). */
function ownStartTime(): string | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    return stat.slice(stat.lastIndexOf(') ') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
