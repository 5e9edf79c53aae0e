import { rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { systemClock } from '../core/clock.js';
import type { InstanceDriver } from '../core/driver.js';
import type { TendPaths } from '../core/paths.js';
import { IpcServer } from '../ipc/server.js';
import { PROTOCOL_VERSION } from '../ipc/protocol.js';
import { LogManager, type LogLineEvent, createDaemonLogger } from '../logs/index.js';
import { AppLogs } from './app-logs.js';
import { restartForTrigger } from './trigger-restarts.js';
import { Sampler } from '../metrics/sampler.js';
import { ClusterDriver } from '../cluster/cluster-driver.js';
import { ForkDriver } from './fork-driver.js';
import { NotifyRelay } from './readiness/notify-relay.js';
import { holdersDirOf } from './holder-files.js';
import { findHolderTools } from './holder-script.js';
import { releaseAppCgroups, setUpAppCgroups } from './app-cgroup.js';
import { keepHoldersForNextDaemon } from './held-instance.js';
import { startWebFromConfig } from './handlers-web.js';
import type { WebController } from './web-controller.js';
import { resurrect } from './handlers-persistence.js';
import { ensureHome } from '../core/home.js';
import { acquireDaemonLock, isLockInPlace } from './daemon-lock.js';
import { buildInstanceEnv } from './instance-env.js';
import type { Instance } from './instance.js';
import { adoptableHosts, endSurvivors, endWorkersOfLostHosts, holdersOf, planAll, releaseOtherHolders, waitGone } from './recovery.js';
import { type PersistedState, emptyState, readState } from './state-file.js';
import { StateKeeper } from './state-keeper.js';
import { Supervisor } from './supervisor.js';
import { TriggerManager } from './triggers/app-triggers.js';
import { createMinorGc, createSpawnReclaim } from './minor-gc.js';
import { buildHandlerTable } from './handler-table.js';
import { fanOutChange } from './instance-fanout.js';
import { MetricsEvents } from './metrics-events.js';
import { type OptimizerGate, holdOptimizer } from './optimizer-gate.js';
import { readLogDefaults } from './log-defaults.js';
import { TEND_VERSION } from '../core/version.js';
import { DEFAULT_MAX_INSTANCES, readMaxInstances } from '../core/limits.js';

export type DaemonLogger = ReturnType<typeof createDaemonLogger>;

/** How long `kill` waits for the apps' holders to exit once their apps are gone. */
export const HOLDERS_EXIT_BOUND_MS = 2000;
/** A cluster worker no saved instance knows drains this long after recovery, then is SIGKILLed. */
const STRAY_WORKER_GRACE_MS = 5000;

/** What a foreground host (tend-runtime) adds to a daemon: its own log sink and status watch. */
export interface DaemonHooks {
  onLogLine?: (event: LogLineEvent) => void;
  onInstanceChanged?: (instance: Instance) => void;
  /** The dashboard server, built by src/bin because the daemon may not import src/web. */
  web?: WebController;
}

export class Daemon {
  private readonly sampler = new Sampler({});
  private readonly logs: LogManager;
  private readonly appLogs: AppLogs;
  private readonly cluster: ClusterDriver;
  readonly supervisor: Supervisor;
  /** Started on the first `ready: 'notify'` spawn only. */
  private readonly notifyRelay: NotifyRelay;
  private readonly state: StateKeeper;
  private readonly triggers: TriggerManager;
  private server: IpcServer | null = null;
  private shuttingDown = false;
  private restoringSocket = false;
  /** Set once started; log floods and sampler ticks ask it whether the daemon runs busy. */
  private optimizer: OptimizerGate | null = null;

  constructor(
    private readonly paths: TendPaths,
    private lock: Server,
    private readonly logger: DaemonLogger,
    private readonly hooks: DaemonHooks = {},
  ) {
    const minorGc = createMinorGc();
    this.logs = new LogManager({
      logsDir: paths.logsDir,
      onLine: (event) => {
        this.server?.broadcast('log', event);
        this.hooks.onLogLine?.(event);
      },
      hasListeners: () => this.hooks.onLogLine !== undefined || (this.server?.hasSubscribers('log') ?? false),
      reclaim: (bytes) => {
        minorGc();
        this.optimizer?.noteOutput(bytes);
        this.optimizer?.check();
      },
      defaults: this.readLogDefaults(),
    });
    this.appLogs = new AppLogs(this.logs, paths.logsDir);
    this.notifyRelay = new NotifyRelay(join(paths.home, 'notify'));
    const tools = findHolderTools();
    setUpAppCgroups(paths.home);
    this.cluster = new ClusterDriver(tools ? { adoptable: { holdersDir: holdersDirOf(paths.home), hostsDir: join(paths.home, 'hosts'), mkfifo: tools.mkfifo } } : {});
    const drivers: { fork: InstanceDriver; cluster: InstanceDriver } = { fork: new ForkDriver({ holdersDir: holdersDirOf(paths.home), recorded: () => this.state.recorded(), afterSpawn: createSpawnReclaim() }), cluster: this.cluster };
    this.supervisor = new Supervisor({
      clock: systemClock,
      tendHome: paths.home,
      drivers,
      openLogs: (instance) => this.appLogs.open(instance),
      usage: (instance) => this.sampler.latest(instance.id),
      onInstanceChanged: (instance, listed) =>
        fanOutChange(instance, listed, {
          sampler: this.sampler,
          scheduleStateWrite: () => this.state.schedule(),
          announce: (info) => this.server?.broadcast('instance', info),
          info: (i) => this.supervisor.info(i),
          hook: this.hooks.onInstanceChanged,
        }),
      log: (level, msg, fields) => this.logger[level](msg, fields),
      notifyRelay: () => this.notifyRelay,
      onAppsChanged: () => {
        this.triggers.sync(this.supervisor.specs());
        this.sampler.forgetAllBut(new Set(this.supervisor.allInstances().map((i) => i.id)));
      },
    });
    this.triggers = new TriggerManager({
      instancesOf: (name) => [...(this.supervisor.app(name)?.instances.values() ?? [])],
      restartInstances: (instances, cause, detail) => restartForTrigger(this.supervisor, instances, cause, detail, (msg, fields) => this.logger.warn(msg, fields)),
      log: (level, msg, fields) => this.logger[level](msg, fields),
    });
    this.sampler.onSample((tick) => this.triggers.checkMemory(tick, this.supervisor.allInstances()));
    // Live figures for the dashboard, pushed only while a connection subscribes to them.
    const metricsEvents = new MetricsEvents({
      list: () => this.supervisor.list(),
      hasSubscribers: () => this.server?.hasSubscribers('metrics') ?? false,
      send: (event) => this.server?.broadcast('metrics', event),
      clock: systemClock,
    });
    this.sampler.onSample(() => metricsEvents.sampled());
    this.sampler.onSample(() => this.optimizer?.check());
    this.sampler.onSample(() => void this.restoreSocketIfGone());
    this.state = new StateKeeper(
      paths.stateFile,
      () => this.supervisor.snapshot(this.cluster.hostProcesses()),
      (error) => this.logger.error('could not write the state file; trying again every second', { err: error }),
    );
  }

  async start(): Promise<void> {
    const previous = readState(this.paths.stateFile);
    if (previous) await this.recover(previous);
    this.sampler.start();
    await this.listen();
    await this.startWebFromConfig();
    writeFileSync(this.paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
    process.on('SIGTERM', () => this.shutdown({ keepApps: true }));
    process.on('SIGINT', () => this.shutdown({ keepApps: true }));
    process.on('SIGHUP', () => undefined);
    // `tend update`: the next daemon adopts the apps, none is stopped.
    process.on('SIGUSR2', () => void this.handOver());
    // Last: Node's modules for the work above are loaded by now (see optimizer-gate.ts).
    this.optimizer = holdOptimizer();
    this.logger.info('daemon started', { pid: process.pid, version: TEND_VERSION, home: this.paths.home });
  }

  /**
   * Takes over from the previous daemon: adopts the instances still running under their
   * holders (same pids, nothing restarted), ends what nothing could watch, and starts again
   * what was wanted and is not running.
   */
  private async recover(previous: PersistedState): Promise<void> {
    const plans = planAll(previous);
    const adoptedHosts = await this.cluster.adoptHosts(adoptableHosts(previous));
    endWorkersOfLostHosts(previous, plans, adoptedHosts);
    const ended = await endSurvivors(previous, plans, adoptedHosts);
    if (ended.length > 0) this.logger.warn('ended processes left by a previous daemon', { count: ended.length });
    const adoptedDirs = new Set(previous.apps.flatMap((app) => app.instances.flatMap((i) => (plans.get(i.id) === 'adopt' && i.holder ? [i.holder.dir] : []))));
    releaseOtherHolders(holdersDirOf(this.paths.home), adoptedDirs);
    const adopted = await this.supervisor.restore(previous, (saved) => plans.get(saved.id) === 'adopt');
    const strays = this.cluster.endUnadoptedWorkers(STRAY_WORKER_GRACE_MS);
    if (strays > 0) this.logger.warn('ended cluster workers no saved instance knew', { count: strays });
    for (const instance of adopted) this.logger.info('adopted a running instance', { app: instance.spec.name, id: instance.id, pid: instance.pid });
    this.logger.info('restored apps from the state file', { apps: previous.apps.length, adopted: adopted.length });
  }

  async resurrect(): Promise<void> {
    try {
      const result = await resurrect(this.supervisor, this.paths.dumpFile);
      if (result.warning) this.logger.warn(result.warning);
      this.logger.info('resurrected the saved apps', { started: result.started.length, skipped: result.skipped.length });
    } catch (error) {
      this.logger.error('could not resurrect the saved apps', { err: error });
    }
  }

  private async listen(): Promise<void> {
    const handlers = buildHandlerTable({
      core: {
        supervisor: this.supervisor,
        version: TEND_VERSION,
        logFiles: (instance) => this.appLogs.files(instance),
        logStats: (instance) => this.logs.stats(instance.id),
        tailLogs: (instance, lines, stream, maxBytes) => this.appLogs.tail(instance, lines, stream, maxBytes),
        flushLogs: (instances) => this.logs.flush(instances ? (route) => instances.some((i) => i.id === route.id) : undefined),
        reopenLogs: () => this.reopenLogFiles(),
        envOf: (instance) => buildInstanceEnv(instance.app.baseEnv, instance.spec, instance.id, instance.index),
        shutdown: () => setImmediate(() => this.shutdown({ keepApps: false })),
        maxInstances: this.readMaxInstances(),
        persistState: () => this.state.writeNow(this.supervisor.snapshot(this.cluster.hostProcesses()), { durable: true }),
      },
      web: this.webDeps(),
      persistence: { supervisor: this.supervisor, dumpFile: this.paths.dumpFile, version: TEND_VERSION },
      persist: () => this.state.writeNow(this.supervisor.snapshot(this.cluster.hostProcesses())),
    });
    const server = new IpcServer({
      handlers,
      hello: () => ({ protocol: PROTOCOL_VERSION, version: TEND_VERSION, pid: process.pid, home: this.paths.home }),
      onProtocolError: (reason) => this.logger.warn('bad frame from a client', { reason }),
    });
    await server.listen(this.paths.socket);
    this.server = server;
  }

  /** Every app log file and daemon.log, opened again at their paths. */
  private async reopenLogFiles(): Promise<void> {
    await Promise.all([this.logs.reopenAll(), this.logger.reopen()]);
  }

  /**
   * Creates TEND_HOME, the socket, the pid and state files again when the socket is gone (the
   * folder deleted under the running daemon, a cleaner sweeping /tmp). Without it no command
   * could reach this daemon, and no other could start for this home (this one holds the lock),
   * while its apps run on. Checked on every sampler tick.
   */
  private async restoreSocketIfGone(): Promise<void> {
    const server = this.server;
    if (server === null || this.shuttingDown || this.restoringSocket || server.isListeningAt(this.paths.socket)) return;
    this.restoringSocket = true;
    try {
      ensureHome(this.paths);
      await this.restoreLockIfGone();
      // Log files deleted with the folder would take lines into unlinked files until reopened.
      await this.reopenLogFiles();
      await server.listen(this.paths.socket);
      writeFileSync(this.paths.pidFile, `${process.pid}\n`, { mode: 0o600 });
      this.state.writeNow(this.supervisor.snapshot(this.cluster.hostProcesses()), { durable: true });
      this.logger.warn('the control socket was removed; created it again', { socket: this.paths.socket });
    } catch (error) {
      this.logger.error('the control socket was removed and could not be created again', { err: error });
    } finally {
      this.restoringSocket = false;
    }
  }

  /** The lock went with the folder: bound again, or another daemon could start for this home. */
  private async restoreLockIfGone(): Promise<void> {
    if (isLockInPlace(this.paths)) return;
    // Closed first: closing a path socket unlinks its path, which would remove the new lock.
    this.lock.close();
    const lock = await acquireDaemonLock(this.paths);
    if (lock === null) throw new Error(`another daemon took the lock of ${this.paths.home}`);
    this.lock = lock;
  }

  private webDeps() {
    const sampler = this.sampler;
    return { home: this.paths.home, supervisor: this.supervisor, web: this.hooks.web ?? null, history: (id: number) => sampler.history(id), host: () => sampler.host() };
  }

  /** A broken web config must not keep the daemon (and every app) down: log it and go on. */
  private async startWebFromConfig(): Promise<void> {
    try {
      const started = await startWebFromConfig(this.webDeps());
      if (started) this.logger.info('web dashboard started from config.json', { url: started.url });
    } catch (error) {
      this.logger.error('could not start the web dashboard from config.json', { err: error });
    }
  }

  /** A broken `limits` section must not keep the daemon down: the default, logged. */
  private readMaxInstances(): number {
    try {
      return readMaxInstances(this.paths.home);
    } catch (error) {
      this.logger.error('ignored the limits section of config.json', { err: error });
      return DEFAULT_MAX_INSTANCES;
    }
  }

  /** A broken `logs` section must not keep the daemon down either: no defaults, logged. */
  private readLogDefaults(): ReturnType<typeof readLogDefaults> {
    try {
      return readLogDefaults(this.paths.home);
    } catch (error) {
      this.logger.error('ignored the logs section of config.json', { err: error });
      return {};
    }
  }

  /** `kill` forgets the apps; SIGTERM (e.g. systemd stopping the daemon) keeps them for the next daemon. */
  async shutdown({ keepApps, exitCode = 0 }: { keepApps: boolean; exitCode?: number }): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.logger.info('daemon stopping', { keepApps });
    const snapshot = this.supervisor.snapshot([]);
    const instances = this.supervisor.allInstances();
    // Every step is tried whatever happened to the one before, and the daemon always exits:
    // a TEND_HOME deleted under it, or a full disk, must not leave it (or its apps) running.
    await this.shutdownStep('stop the apps', async () => {
      await this.supervisor.stopInstances(instances);
    });
    await this.shutdownStep('stop the cluster hosts', () => this.cluster.releaseAll());
    await this.shutdownStep('close the listen sockets and the sd_notify relay', () => {
      this.supervisor.sockets.closeAll();
      this.notifyRelay.stop();
    });
    // Released once their app's pipes were read to the end, the holders exit by themselves.
    await this.shutdownStep('let the holders exit', () => waitGone(holdersOf(snapshot), HOLDERS_EXIT_BOUND_MS));
    releaseAppCgroups();
    this.sampler.stop();
    this.triggers.closeAll();
    await this.shutdownStep('write the state file', () => {
      this.state.writeNow(keepApps ? snapshot : emptyState());
    });
    this.state.stop();
    await this.shutdownStep('close the log files', () => this.logs.closeAll());
    await this.closeAndExit(exitCode);
  }

  /** The last steps of every exit: dashboard, control socket, pid file, lock, daemon log. */
  private async closeAndExit(exitCode: number): Promise<void> {
    await this.hooks.web?.stop().catch(() => undefined);
    this.server?.closeAll();
    await this.shutdownStep('remove the socket and pid file', () => {
      rmSync(this.paths.socket, { force: true });
      rmSync(this.paths.pidFile, { force: true });
    });
    this.lock.close();
    await this.shutdownStep('close the daemon log', () => this.logger.close());
    process.exit(exitCode);
  }

  /**
   * Exits leaving every app running for the next daemon (`tend update`): the state file keeps
   * their processes and holders, the log files get what was read, and what is still in the
   * pipes waits there. Cluster hosts are not adopted yet: the next daemon replaces them.
   */
  async handOver(): Promise<void> {
    if (this.shuttingDown) return;
    this.shuttingDown = true;
    this.logger.info('daemon handing its apps over to the next one');
    keepHoldersForNextDaemon();
    for (const instance of this.supervisor.allInstances()) instance.dispose();
    this.sampler.stop();
    this.triggers.closeAll();
    await this.shutdownStep('write the state file', () => {
      this.state.writeNow(this.supervisor.snapshot(this.cluster.hostProcesses()), { durable: true });
    });
    this.state.stop();
    await this.shutdownStep('hand over the log pipes', () => this.logs.handOverAll());
    await this.closeAndExit(0);
  }

  private async shutdownStep(what: string, step: () => unknown): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.logger.error(`shutdown: could not ${what}`, { err: error });
    }
  }

}
