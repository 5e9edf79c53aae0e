import { existsSync } from 'node:fs';
import type { AppSpec } from '../core/app-spec.js';
import type { InstanceInfo } from '../core/instance-info.js';
import { resolveTendHome, tendPaths } from '../core/paths.js';
import type { IpcClient } from '../ipc/client.js';
import type { EventArgs, EventName } from '../ipc/methods.js';
import type { HelloResult } from '../ipc/protocol.js';
import { connectOrStart, endLeftovers } from './daemon-launcher.js';
import { endGuardians, guardianOf, isAlive, waitGone } from './daemon-process.js';
import { TendError } from '../core/errors.js';
import type { StartEntry } from '../ipc/methods.js';
import { packStartEntries } from '../ipc/start-envs.js';
import { resolveConfigAgain } from './config-again.js';
import { type AppConfigValue, type ResolvedStart, resolveStart } from './resolve-start.js';
import { type NoteListener, type StartBehaviour, spawnFailures, startOrUpdate, startResolvedApps } from './start-apps.js';
import { type TargetOptions, type Verb, actOnTargets } from './targets.js';
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

export interface StartOptions {
  /** env_<name> of the config (`--env`). */
  env?: string;
  /** Only these apps of the config (`--only`). */
  only?: string[];
  /** Resolve only once every started instance is online; otherwise fail with its reason (`--wait`). */
  wait?: boolean;
  /** A script target's ecosystem options (PM2 names, as the start flags give them). */
  options?: Record<string, unknown>;
  /** A script target's arguments. */
  args?: string[];
  /** Registered apps restart with this start's options and environment (`--update-env`). */
  updateEnv?: boolean;
  /** Where relative paths are read from; default process.cwd(). */
  cwd?: string;
  /** The environment the apps inherit (filtered by their filter_env); default process.env. */
  processEnv?: NodeJS.ProcessEnv;
  /** Remarks made on the way (an app left running, which env applies...). */
  onNote?: NoteListener;
}

export interface StartResult {
  /** The instances started or restarted. */
  instances: InstanceInfo[];
  /** Config warnings (options tend ignores...). */
  warnings: string[];
}

export interface RestartOptions extends TargetOptions {
  /** A new env snapshot for every targeted app (no target resolution; see `updateEnv`). */
  baseEnv?: Record<string, string>;
  /** New specs and snapshots for the named apps (no target resolution). */
  apps?: StartEntry[];
}

/** What `start` takes: a script, binary or config file path, or apps as values (`defineConfig`'s shapes). */
export type StartTarget = string | AppConfigValue;

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

  /**
   * Starts what a user would name on the command line: a script or binary (with `options`), a
   * config file, or apps as values. New apps start; a config's registered apps that are
   * stopped start again and running ones are left alone; a script already running under
   * another name is refused (APP_EXISTS) unless its options say `force` or give a `name`.
   * An instance that could not be spawned (or, with `wait`, never got online) fails the call
   * with START_FAILED and its reason.
   */
  async start(target: StartTarget, options: StartOptions = {}): Promise<StartResult> {
    const onNote = options.onNote ?? (() => undefined);
    const resolved = await resolveStart({
      ...(typeof target === 'string' ? { target } : { config: target }),
      appOptions: options.options,
      args: options.args,
      envName: options.env,
      only: options.only,
      cwd: options.cwd,
      home: this.home,
      processEnv: options.processEnv,
    });
    const fromScript = typeof target === 'string' && resolved.configFile === null;
    const explicitName = typeof options.options?.name === 'string';
    const instances = await this.startResolved(resolved, { fromScript, explicitName, updateEnv: options.updateEnv === true, onNote, wait: options.wait === true });
    failOnSpawnErrors(instances);
    return { instances, warnings: resolved.warnings };
  }

  /** `start` of apps already resolved (see `resolveStart`); spawn failures are left to the caller. */
  startResolved(resolved: ResolvedStart, how: Partial<StartBehaviour> = {}): Promise<InstanceInfo[]> {
    return startResolvedApps(this.ipc, resolved, { fromScript: false, explicitName: false, updateEnv: false, wait: false, onNote: () => undefined, ...how });
  }

  /** Starts resolved apps as they are, each with the environment snapshot it runs with. */
  startApps(apps: StartEntry[]): Promise<InstanceInfo[]> {
    return this.ipc.request('start', packStartEntries(apps));
  }

  /** The apps of a config file that are not registered start; the others restart with the file as it is now. */
  startOrRestart(configFile: string, options: Omit<StartOptions, 'options' | 'args'> = {}): Promise<ReloadResult> {
    return this.startOrUpdate(configFile, 'restart', options);
  }

  /** The apps of a config file that are not registered start; the others reload with the file as it is now. */
  startOrReload(configFile: string, options: Omit<StartOptions, 'options' | 'args'> = {}): Promise<ReloadResult> {
    return this.startOrUpdate(configFile, 'reload', options);
  }

  private async startOrUpdate(configFile: string, action: 'restart' | 'reload', options: Omit<StartOptions, 'options' | 'args'>): Promise<ReloadResult> {
    const onNote = options.onNote ?? (() => undefined);
    const input = { target: configFile, envName: options.env, only: options.only, cwd: options.cwd, processEnv: options.processEnv, home: this.home };
    const checked = await resolveStart(input);
    if (checked.configFile === null) throw new TendError('INVALID_ARGUMENT', `${configFile} is not an ecosystem file`);
    return startOrUpdate(this.ipc, (await resolveConfigAgain(this.ipc, input, onNote, checked)).apps, action, options.wait === true);
  }

  /** Stops apps gracefully: names, ids, namespaces, `all`, /regular expressions/, script paths or a config file. */
  async stop(targets: string | readonly string[], options: TargetOptions = {}): Promise<InstanceInfo[]> {
    return (await this.act('stop', targets, options)).instances;
  }

  /** Stop then start; targets as `stop`. A config file also starts its apps not registered. */
  async restart(targets: string | readonly string[], options: RestartOptions = {}): Promise<InstanceInfo[]> {
    if (options.baseEnv !== undefined || options.apps !== undefined) {
      return this.ipc.request('restart', { targets: [...toList(targets)], baseEnv: options.baseEnv, apps: options.apps, wait: options.wait });
    }
    return (await this.act('restart', targets, options)).instances;
  }

  /** Replaces instances one at a time, each once its replacement is online; targets as `restart`. */
  reload(targets: string | readonly string[], options: RestartOptions = {}): Promise<ReloadResult> {
    if (options.baseEnv !== undefined || options.apps !== undefined) {
      return this.ipc.request('reload', { targets: [...toList(targets)], baseEnv: options.baseEnv, apps: options.apps });
    }
    return this.act('reload', targets, options);
  }

  /** Stops apps and removes them from the list; targets as `stop`. Replies the instances as they were. */
  async delete(targets: string | readonly string[], options: TargetOptions = {}): Promise<InstanceInfo[]> {
    return (await this.act('delete', targets, options)).instances;
  }

  private act(verb: Verb, targets: string | readonly string[], options: TargetOptions): Promise<ReloadResult> {
    return actOnTargets(this.ipc, this.home, verb, toList(targets), options);
  }

  /** Resets restart counters; targets as `stop`. */
  async reset(targets: string | readonly string[], options: TargetOptions = {}): Promise<InstanceInfo[]> {
    return (await this.act('reset', targets, options)).instances;
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
  addToDump(apps: StartEntry[]): Promise<DumpAddResult> {
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
  static async cleanUpWithoutDaemon(home: string = resolveTendHome()): Promise<{ guardians: number; stoppedRestart: boolean; ended: number }> {
    const { guardians, daemons } = endGuardians(home);
    await waitGone(guardians, KILL_EXIT_DEADLINE_MS, 'the guardian');
    // A daemon the guardian had started already outlives it: stopped as `kill` stops one once
    // it answers, or killed if it never does (its apps are then ended below, as a crash's are).
    const late = await connectWhileStarting(home, daemons);
    if (late !== null) {
      const killed = await late.kill().then(
        () => true,
        () => false,
      );
      late.close();
      if (killed) return { guardians: guardians.length, stoppedRestart: true, ended: 0 };
    }
    const paths = tendPaths(home);
    // No state file, no daemon ever ran here: nothing to end (and no home to create).
    if (!existsSync(paths.stateFile)) return { guardians: guardians.length, stoppedRestart: false, ended: 0 };
    return { guardians: guardians.length, stoppedRestart: false, ended: (await endLeftovers(paths)) ?? 0 };
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

function toList(targets: string | readonly string[]): readonly string[] {
  return typeof targets === 'string' ? [targets] : targets;
}

/** START_FAILED naming the first instance that could not be spawned (and how many more). */
function failOnSpawnErrors(instances: readonly InstanceInfo[]): void {
  const failures = spawnFailures(instances);
  if (failures.length === 0) return;
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more)` : '';
  throw new TendError('START_FAILED', `${failures[0] ?? ''}${more}`);
}

/** How long a daemon a guardian started may take to answer before it is killed instead. */
const STARTING_DAEMON_DEADLINE_MS = 15_000;

/**
 * A client of the daemon of `home` if one answers: at once, or, while one of `starting` (daemons
 * a guardian started just before it was ended) is still coming up, once that one does. One that
 * never answers is killed. Null when no daemon answers.
 */
async function connectWhileStarting(home: string, starting: readonly number[]): Promise<TendClient | null> {
  const deadline = performance.now() + STARTING_DAEMON_DEADLINE_MS;
  for (;;) {
    const client = await TendClient.connect({ home, autoStart: false }).catch(() => null);
    if (client !== null) return client;
    const alive = starting.filter(isAlive);
    if (alive.length === 0) return null;
    if (performance.now() > deadline) {
      for (const pid of alive) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
      await waitGone(alive, KILL_EXIT_DEADLINE_MS, 'the daemon');
      return null;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
