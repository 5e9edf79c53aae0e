import { ensureHome } from '../core/home.js';
import { tendPaths } from '../core/paths.js';
import type { LogLineEvent } from '../logs/index.js';
import { createDaemonLogger } from '../logs/index.js';
import { Daemon } from './daemon.js';
import { acquireDaemonLock } from './daemon-lock.js';
import type { StartEntry } from './supervisor.js';

export interface ForegroundOptions {
  /** A private, empty TEND_HOME (its socket lets `TEND_HOME=<it> tend ls` look inside). */
  home: string;
  apps: StartEntry[];
  json: boolean;
  write: (stream: 'out' | 'err', text: string) => void;
}

/** `<app>-<id> | line`, or the whole event as one JSON line. */
export function formatLogLine(event: LogLineEvent, json: boolean): string {
  if (json) return `${JSON.stringify({ app: event.app, id: event.id, instance: event.instance, stream: event.stream, at: event.at, line: event.line })}\n`;
  return `${event.app}-${event.id} | ${event.line}\n`;
}

/**
 * tend-runtime: the same Daemon and Supervisor as the background daemon, in this process.
 * App output is printed instead of written to files; SIGTERM/SIGINT go through the daemon's
 * own graceful shutdown (each app within its kill_timeout, then exit 0); when every instance
 * has stopped for good, the process exits (1 if any gave up as errored).
 */
export async function runForeground(options: ForegroundOptions): Promise<void> {
  const paths = tendPaths(options.home);
  ensureHome(paths);
  const lock = await acquireDaemonLock(paths);
  if (!lock) throw new Error(`another tend daemon already uses ${options.home}`);
  const logger = createDaemonLogger(paths.daemonLog);
  let started = false;
  const daemon: Daemon = new Daemon(paths, lock, logger, {
    onLogLine: (event) => options.write(event.stream, formatLogLine(event, options.json)),
    onInstanceChanged: () => {
      if (started) checkAllDone(daemon);
    },
  });
  await daemon.start();
  // Files are not kept in a container: stdout/stderr is where its logs belong.
  const apps = options.apps.map((app) => ({ ...app, spec: { ...app.spec, logs: { ...app.spec.logs, outFile: null, errorFile: null, combinedFile: null } } }));
  await daemon.supervisor.startApps(apps);
  started = true;
  checkAllDone(daemon);
}

function checkAllDone(daemon: Daemon): void {
  const states = daemon.supervisor.allInstances().map((i) => i.state);
  if (states.length === 0 || !states.every((s) => s === 'errored' || s === 'exited')) return;
  const exitCode = states.includes('errored') ? 1 : 0;
  setImmediate(() => void daemon.shutdown({ keepApps: false, exitCode }));
}
