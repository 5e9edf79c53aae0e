import { constants } from 'node:os';
import { ensureHome } from '../core/home.js';
import type { InstanceInfo } from '../core/instance-info.js';
import { tendPaths } from '../core/paths.js';
import type { LogLineEvent } from '../logs/index.js';
import { createDaemonLogger } from '../logs/index.js';
import { Daemon } from './daemon.js';
import { startHealthEndpoint } from './health-endpoint.js';
import { acquireDaemonLock } from './daemon-lock.js';
import type { StartEntry } from './supervisor.js';

export interface ForegroundOptions {
  /** A private, empty TEND_HOME (its socket lets `TEND_HOME=<it> tend ls` look inside). */
  home: string;
  apps: StartEntry[];
  json: boolean;
  write: (stream: 'out' | 'err', text: string) => void;
  /** After SIGTERM, keep the apps running this long (not ready any more) before stopping them. */
  preStopDelayMs?: number;
  /** Serve /live and /ready on this port. */
  healthPort?: number | null;
}

const STOP_SIGNALS: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'];

/** `<app>-<id> | line`, or the whole event as one JSON line. */
export function formatLogLine(event: LogLineEvent, json: boolean): string {
  if (json) return `${JSON.stringify({ app: event.app, id: event.id, instance: event.instance, stream: event.stream, at: event.at, line: event.line })}\n`;
  return `${event.app}-${event.id} | ${event.line}\n`;
}

/**
 * The exit code of a runtime whose apps all stopped by themselves: the first instance that
 * exited non-zero gives its code (128 + n for a signal, as a shell does), one that gave up
 * without an exit (could not be spawned) gives 1, otherwise 0.
 */
export function runtimeExitCode(instances: readonly InstanceInfo[], signalNumber: (name: string) => number | undefined): number {
  for (const info of [...instances].sort((a, b) => a.id - b.id)) {
    if (info.exit_signal) return 128 + (signalNumber(info.exit_signal) ?? 0);
    if (info.exit_code !== null && info.exit_code !== 0) return info.exit_code;
    if (info.status === 'errored') return 1;
  }
  return 0;
}

/**
 * tend-runtime: the same Daemon and Supervisor as the background daemon, in this process.
 * App output is printed instead of written to files. On SIGTERM/SIGINT it stops being ready,
 * waits `preStopDelayMs` (the time an orchestrator takes to stop routing to it), then stops
 * every app within its kill_timeout and exits 0. When every instance has stopped for good by
 * itself, it exits with the app's exit code.
 */
export async function runForeground(options: ForegroundOptions): Promise<void> {
  const paths = tendPaths(options.home);
  ensureHome(paths);
  const lock = await acquireDaemonLock(paths);
  if (!lock) throw new Error(`another tend daemon already uses ${options.home}`);
  const logger = createDaemonLogger(paths.daemonLog);
  let started = false;
  let draining = false;
  const daemon: Daemon = new Daemon(paths, lock, logger, {
    onLogLine: (event) => options.write(event.stream, formatLogLine(event, options.json)),
    onInstanceChanged: () => {
      if (started) checkAllDone(daemon);
    },
  });
  await daemon.start();
  // The runtime's own stop replaces the daemon's: drain first, then stop for good.
  for (const signal of STOP_SIGNALS) process.removeAllListeners(signal);
  const stop = (): void => {
    if (draining) return void daemon.shutdown({ keepApps: false, exitCode: 0 });
    draining = true;
    setTimeout(() => void daemon.shutdown({ keepApps: false, exitCode: 0 }), options.preStopDelayMs ?? 0);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, stop);
  if (options.healthPort != null) {
    const online = () => daemon.supervisor.list().every((info) => info.status === 'online');
    await startHealthEndpoint(options.healthPort, { isLive: () => true, isReady: () => started && !draining && online() });
  }
  // Files are not kept in a container: stdout/stderr is where its logs belong.
  const apps = options.apps.map((app) => ({ ...app, spec: { ...app.spec, logs: { ...app.spec.logs, outFile: null, errorFile: null, combinedFile: null } } }));
  await daemon.supervisor.startApps(apps);
  started = true;
  checkAllDone(daemon);
}

function checkAllDone(daemon: Daemon): void {
  const states = daemon.supervisor.allInstances().map((i) => i.state);
  if (states.length === 0 || !states.every((s) => s === 'errored' || s === 'exited')) return;
  const exitCode = runtimeExitCode(daemon.supervisor.list(), (name) => (constants.signals as Record<string, number | undefined>)[name]);
  setImmediate(() => void daemon.shutdown({ keepApps: false, exitCode }));
}
