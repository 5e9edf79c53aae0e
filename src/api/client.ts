import { existsSync } from 'node:fs';
import type { AppSpec } from '../core/app-spec.js';
import type { InstanceInfo } from '../core/instance-info.js';
import { resolveTendHome, tendPaths } from '../core/paths.js';
import type { IpcClient } from '../ipc/client.js';
import type { EventArgs, EventName } from '../ipc/methods.js';
import type { HelloResult } from '../ipc/protocol.js';
import { connectOrStart, endLeftovers } from './daemon-launcher.js';
import { findGuardians, guardianOf, waitGone } from './daemon-process.js';
import type { DescribeResult, LogLine, LogsTailResult, ReloadResult } from './types.js';
import type { HostMetrics, MetricsPoint, PrometheusPage, WebStartOptions, WebStatus } from './web-types.js';
import type { ClearDumpResult, DumpAddResult, ResurrectResult, SaveResult } from '../core/persistence.js';

/** After its socket closed, the daemon only has to exit; its guardian follows at once. */
const KILL_EXIT_DEADLINE_MS = 10_000;

/** Events a client may ask for (`dropped` comes unasked). */
export type SubscribableEvent = Exclude<EventName, 'dropped'>;

export interface ConnectOptions {
  /** TEND_HOME to use; defaults to $TEND_HOME or ~/.tend. */
  home?: string;
  /** Start the daemon when none answers (default true). */
  autoStart?: boolean;
}

export interface RestartOptions {
  /** Replace the env snapshot with this one (`--update-env`); removed variables are gone. */
  baseEnv?: Record<string, string>;
  /** New specs and snapshots for the apps (a config file given again). */
  apps?: Array<{ spec: AppSpec; baseEnv: Record<string, string> }>;
}

/**
 * The programmatic API: one connection to the daemon, a typed promise per command, and the
 * daemon's event stream. The CLI is a thin layer over this class.
 */
export class TendClient {
  private constructor(
    private readonly ipc: IpcClient,
    readonly home: string,
  ) {}

  static async connect(options: ConnectOptions = {}): Promise<TendClient> {
    const home = options.home ?? resolveTendHome();
    const ipc = await connectOrStart(tendPaths(home), options.autoStart ?? true);
    return new TendClient(ipc, home);
  }

  /** What the daemon said when connecting: its version, pid and protocol. */
  get daemon(): HelloResult {
    return this.ipc.hello as HelloResult;
  }

  ping(): Promise<{ pong: true; pid: number; version: string }> {
    return this.ipc.request('ping');
  }

  list(): Promise<InstanceInfo[]> {
    return this.ipc.request('list');
  }

  /** The spec of every registered app (configured env included; not the env snapshot). */
  specs(): Promise<AppSpec[]> {
    return this.ipc.request('specs');
  }

  /** Starts resolved apps, each with the environment snapshot it runs with. */
  start(apps: Array<{ spec: AppSpec; baseEnv: Record<string, string> }>): Promise<InstanceInfo[]> {
    return this.ipc.request('start', { apps });
  }

  stop(targets: string[]): Promise<InstanceInfo[]> {
    return this.ipc.request('stop', { targets });
  }

  restart(targets: string[], options: RestartOptions = {}): Promise<InstanceInfo[]> {
    return this.ipc.request('restart', { targets, ...options });
  }

  reload(targets: string[], options: RestartOptions = {}): Promise<ReloadResult> {
    return this.ipc.request('reload', { targets, ...options });
  }

  delete(targets: string[]): Promise<InstanceInfo[]> {
    return this.ipc.request('delete', { targets });
  }

  reset(targets: string[]): Promise<InstanceInfo[]> {
    return this.ipc.request('reset', { targets });
  }

  sendSignal(signal: string, targets: string[]): Promise<InstanceInfo[]> {
    return this.ipc.request('signal', { signal, targets });
  }

  scale(name: string, count: string | number): Promise<InstanceInfo[]> {
    return this.ipc.request('scale', { name, count: String(count) });
  }

  describe(targets: string[], options: { env?: boolean } = {}): Promise<DescribeResult[]> {
    return this.ipc.request('describe', { targets, env: options.env === true });
  }

  /** The environment an instance received. */
  env(target: string): Promise<Record<string, string>> {
    return this.ipc.request('env', { targets: [target] });
  }

  logsTail(targets: string[], lines: number, stream: 'out' | 'err' | 'both' = 'both'): Promise<LogsTailResult[]> {
    return this.ipc.request('logsTail', { targets, lines, stream });
  }

  flush(targets?: string[]): Promise<string[]> {
    return this.ipc.request('flush', targets ? { targets } : {});
  }

  reloadLogs(): Promise<{ reopened: true }> {
    return this.ipc.request('reloadLogs');
  }

  /** Writes the process list to TEND_HOME/dump.json; an empty list needs `force`. */
  save(options: { force?: boolean } = {}): Promise<SaveResult> {
    return this.ipc.request('save', { force: options.force === true });
  }

  /** Starts every saved app that is not registered, with its saved env, instance count and ids. */
  resurrect(): Promise<ResurrectResult> {
    return this.ipc.request('resurrect');
  }

  /** Adds apps to the saved list without starting them; `resurrect` (or boot) starts them. */
  addToDump(apps: Array<{ spec: AppSpec; baseEnv: Record<string, string> }>): Promise<DumpAddResult> {
    return this.ipc.request('dump.add', { apps });
  }

  clearDump(): Promise<ClearDumpResult> {
    return this.ipc.request('cleardump');
  }

  /**
   * `kill` with no daemon answering: stops the guardians of `home` (one may be about to start a
   * crashed daemon again), kills a daemon one of them started meanwhile, and ends the apps a
   * crashed daemon left running (they would otherwise run on, unsupervised, until the next
   * daemon ends them). Nothing is started.
   */
  static async cleanUpWithoutDaemon(home: string = resolveTendHome()): Promise<{ guardians: number; ended: number }> {
    const guardians = findGuardians(home);
    for (const pid of guardians) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // Already gone.
      }
    }
    await waitGone(guardians, KILL_EXIT_DEADLINE_MS, 'the guardian');
    const late = await TendClient.connect({ home, autoStart: false }).catch(() => null);
    if (late !== null) {
      const killed = await late.kill().then(
        () => true,
        () => false,
      );
      late.close();
      if (killed) return { guardians: guardians.length, ended: 0 };
    }
    const paths = tendPaths(home);
    // No state file, no daemon ever ran here: nothing to end (and no home to create).
    if (!existsSync(paths.stateFile)) return { guardians: guardians.length, ended: 0 };
    return { guardians: guardians.length, ended: (await endLeftovers(paths)) ?? 0 };
  }

  /** Stops every app gracefully, then the daemon; resolves once the daemon (and its guardian) are gone. */
  async kill(): Promise<void> {
    const pids = [this.daemon.pid];
    const guardian = guardianOf(this.daemon.pid);
    if (guardian !== null) pids.push(guardian);
    await this.ipc.request('kill');
    await this.ipc.closed();
    await waitGone(pids, KILL_EXIT_DEADLINE_MS, 'the daemon');
  }

  /**
   * Receives `instance` (state changes), `log` (lines) and `metrics` (cpu and memory that
   * changed, see MetricsEvent) events until the returned function is called. The listener's
   * `(event, data)` narrow together: `if (event === 'log') data.line`.
   */
  async subscribe<E extends SubscribableEvent>(events: E[], listener: (...args: EventArgs<E>) => void): Promise<() => void> {
    const wanted = new Set<string>(events);
    const off = this.ipc.onEvent((...args) => {
      if (wanted.has(args[0])) (listener as (...all: EventArgs) => void)(...args);
    });
    await this.ipc.request('subscribe', { events });
    return off;
  }

  /** Starts the dashboard (or returns the running one) and says where it listens. */
  webStart(options: WebStartOptions = {}): Promise<WebStatus> {
    return this.ipc.request('web.start', options);
  }

  webStop(): Promise<WebStatus> {
    return this.ipc.request('web.stop');
  }

  webStatus(): Promise<WebStatus> {
    return this.ipc.request('web.status');
  }

  /** The sampler's recent samples of one instance, oldest first (about 10 minutes). */
  metricsHistory(id: number): Promise<MetricsPoint[]> {
    return this.ipc.request('metrics.history', { id });
  }

  metricsHost(): Promise<HostMetrics | null> {
    return this.ipc.request('metrics.host');
  }

  /** The `/metrics` page in the Prometheus text format. */
  prometheus(): Promise<PrometheusPage> {
    return this.ipc.request('metrics.prometheus');
  }

  /** Resolves when the daemon closes the connection. */
  closed(): Promise<void> {
    return this.ipc.closed();
  }

  close(): void {
    this.ipc.close();
  }
}

export type { LogLine };
