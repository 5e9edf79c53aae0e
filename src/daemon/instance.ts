import type { Readable } from 'node:stream';
import type { AppSpec } from '../core/app-spec.js';
import type { Clock } from '../core/clock.js';
import type { InstanceDriver, SpawnedInstance } from '../core/driver.js';
import type { HistoryEntry, RestartCause } from '../core/instance-info.js';
import type { InstanceState } from '../core/status.js';
import { BoundedList } from './bounded-list.js';
import { captureOutput } from './output-capture.js';
import { ProcessTree } from './process-tree.js';
import { type ExitFacts, INITIAL_HISTORY, type RestartHistory, decideOnExit } from './restart-policy.js';
import { TimerSet } from './timers.js';
import { Waiters } from './waiters.js';

/** The app an instance belongs to; shared by its instances and replaced on `--update-env`. */
export interface AppRecord {
  spec: AppSpec;
  baseEnv: Record<string, string>;
}

export interface LogSinkLike {
  attach(stream: 'out' | 'err', source: Readable): void;
  close(): Promise<void>;
}

/** What an instance needs from the supervisor around it. */
export interface InstanceHost {
  clock: Clock;
  driverFor(spec: AppSpec): InstanceDriver;
  buildEnv(instance: Instance): Record<string, string>;
  openLogs(instance: Instance): LogSinkLike | null;
  changed(instance: Instance): void;
  log(level: 'info' | 'warn' | 'error', msg: string, fields?: Record<string, unknown>): void;
}

type TimerName = 'ready' | 'minUptime' | 'restart' | 'kill' | 'killFailed' | 'leftovers';

/** How often a stopping instance checks whether its process tree is gone. */
const STOP_POLL_MS = 100;
const HISTORY_CAPACITY = 100;

/**
 * One managed instance and its state machine (DESIGN.md §3). Only this class writes `state`;
 * everything else sends it commands (start, stop, restart) or driver events (exited, ready).
 */
export class Instance {
  state: InstanceState = 'stopped';
  process: SpawnedInstance | null = null;
  restarts = 0;
  lastExit: { code: number | null; signal: string | null } = { code: null, signal: null };
  errorReason: string | null = null;
  startedAtWallMs: number | null = null;
  readonly history = new BoundedList<HistoryEntry>(HISTORY_CAPACITY);

  private startedAtMonoMs = 0;
  private policyHistory: RestartHistory = INITIAL_HISTORY;
  private readonly tree = new ProcessTree();
  private readonly timers = new TimerSet<TimerName>();
  private pendingStart = false;
  private pendingCause: RestartCause | null = null;
  private spawning = false;
  private stopRequestedWhileSpawning = false;
  private failedStart = false;
  private generation = 0;
  private readonly watchers = new Set<(instance: Instance) => void>();
  private readonly stopWaiters = new Waiters();
  private readonly startWaiters = new Waiters();

  constructor(
    readonly id: number,
    readonly index: number,
    public app: AppRecord,
    private readonly host: InstanceHost,
  ) {}

  get spec(): AppSpec {
    return this.app.spec;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  uptimeMs(): number {
    return this.state === 'online' || this.state === 'starting' ? this.host.clock.monotonicMs() - this.startedAtMonoMs : 0;
  }

  /** Starts the instance; resolves once a process exists or starting failed. */
  start(cause: RestartCause | null = null): Promise<void> {
    switch (this.state) {
      case 'starting':
      case 'online':
        return Promise.resolve();
      case 'stopping':
        this.pendingStart = true;
        this.pendingCause = cause;
        return this.waitForStart();
      case 'waiting':
        this.timers.clear('restart');
        return this.spawnProcess(cause);
      default:
        this.policyHistory = INITIAL_HISTORY;
        return this.spawnProcess(cause);
    }
  }

  /** Stops the instance gracefully; resolves once it and its process tree are gone. */
  stop(): Promise<void> {
    this.pendingStart = false;
    switch (this.state) {
      case 'stopped':
      case 'exited':
      case 'errored':
        return Promise.resolve();
      case 'waiting':
        this.timers.clear('restart');
        this.setState('stopped');
        this.record('stopped', null);
        return Promise.resolve();
      case 'stopping':
        return this.waitForStop();
      default:
        if (this.spawning) {
          this.stopRequestedWhileSpawning = true;
          return this.waitForStop();
        }
        this.beginStop();
        return this.waitForStop();
    }
  }

  /** Restart is a stop with a queued start. */
  async restart(cause: RestartCause = 'manual'): Promise<void> {
    if (this.state === 'starting' || this.state === 'online' || this.state === 'stopping') {
      this.pendingStart = true;
      this.pendingCause = cause;
      const started = this.waitForStart();
      if (this.state !== 'stopping') {
        if (this.spawning) this.stopRequestedWhileSpawning = true;
        else this.beginStop();
      }
      this.restarts += 1;
      return started;
    }
    if (this.state === 'waiting') this.restarts += 1;
    return this.start(cause);
  }

  /** Calls `listener` after every state change until the returned function is called. */
  watch(listener: (instance: Instance) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Notes in the history why a trigger (memory, watch, cron) is about to restart this instance. */
  noteRestartReason(cause: RestartCause, detail: string): void {
    this.record('restart-scheduled', cause, { detail });
  }

  resetCounters(): void {
    this.restarts = 0;
    this.policyHistory = INITIAL_HISTORY;
    this.host.changed(this);
  }

  /** Forgets the process without signalling it (daemon shutdown paths handle the tree). */
  dispose(): void {
    this.timers.clearAll();
  }

  private async spawnProcess(cause: RestartCause | null): Promise<void> {
    this.timers.clearAll();
    this.spawning = true;
    this.failedStart = false;
    this.errorReason = null;
    this.setState('starting');
    const generation = ++this.generation;
    try {
      const env = this.host.buildEnv(this);
      this.tree.reset(env);
      const spawned = await this.host.driverFor(this.spec).spawn(
        { spec: this.spec, id: this.id, instance: this.index, env },
        {
          exited: (code, signal) => this.onExited(generation, code, signal),
          readyReceived: (kind) => this.onReady(generation, kind),
          messageReceived: () => undefined,
        },
      );
      this.spawning = false;
      this.attachProcess(spawned, cause);
      if (this.stopRequestedWhileSpawning) {
        this.stopRequestedWhileSpawning = false;
        this.beginStop();
      }
    } catch (error) {
      this.spawning = false;
      this.stopRequestedWhileSpawning = false;
      const reason = error instanceof Error ? error.message : String(error);
      this.errorReason = reason;
      this.record('spawn-failed', null, { detail: reason });
      this.setState('errored');
      this.resolveWaiters();
      throw error;
    }
  }

  private attachProcess(spawned: SpawnedInstance, cause: RestartCause | null): void {
    this.process = spawned;
    this.startedAtMonoMs = this.host.clock.monotonicMs();
    this.startedAtWallMs = this.host.clock.wallMs();
    const sink = this.host.openLogs(this);
    if (sink) captureOutput(spawned, sink);
    this.record('started', cause, {});
    this.armReadiness();
    this.host.changed(this);
    this.resolveStartWaiters();
  }

  private armReadiness(): void {
    const spec = this.spec;
    if (spec.waitReady || spec.execMode === 'cluster') {
      this.timers.arm('ready', spec.listenTimeoutMs, () => this.onReadyTimeout());
    } else {
      this.timers.arm('minUptime', spec.minUptimeMs, () => {
        if (this.state === 'starting') this.setState('online');
      });
    }
  }

  private onReady(generation: number, kind: 'ready' | 'listening'): void {
    if (generation !== this.generation || this.state !== 'starting') return;
    const expected = this.spec.waitReady ? 'ready' : 'listening';
    if (kind !== expected) return;
    this.timers.clear('ready');
    this.setState('online');
  }

  private onReadyTimeout(): void {
    if (this.state !== 'starting' || !this.process) return;
    const what = this.spec.waitReady ? 'send "ready"' : 'listen';
    this.failedStart = true;
    this.errorReason = `did not ${what} within listen_timeout (${this.spec.listenTimeoutMs} ms)`;
    this.host.log('warn', 'readiness timeout', { app: this.spec.name, id: this.id });
    this.killTree('SIGKILL');
  }

  private onExited(generation: number, code: number | null, signal: NodeJS.Signals | null): void {
    if (generation !== this.generation) return;
    this.timers.clear('ready');
    this.timers.clear('minUptime');
    this.lastExit = { code, signal };
    const uptimeMs = this.host.clock.monotonicMs() - this.startedAtMonoMs;
    const pid = this.process?.pid ?? null;
    this.record('exited', null, { pid, exitCode: code, signal });
    if (this.state === 'stopping') {
      this.finishStopWhenTreeGone();
      return;
    }
    // The app died on its own: whatever it left in its group must not outlive it (it may hold the port).
    if (this.spec.treekill && this.isForkMode() && this.process) this.tree.signal(this.process, true, 'SIGKILL');
    this.process = null;
    this.decideAfterCrash({ code, signal, uptimeMs, failedStart: this.failedStart });
  }

  private decideAfterCrash(exit: ExitFacts): void {
    const decision = decideOnExit(this.spec, this.policyHistory, exit);
    this.policyHistory = decision.history;
    if (decision.action === 'restart') {
      this.setState('waiting');
      this.record('restart-scheduled', this.failedStart ? 'ready-timeout' : 'crash', { detail: `in ${decision.delayMs} ms` });
      this.timers.arm('restart', decision.delayMs, () => {
        this.restarts += 1;
        this.spawnProcess(this.failedStart ? 'ready-timeout' : 'crash').catch(() => undefined);
      });
      return;
    }
    if (decision.action === 'give-up') {
      this.errorReason = this.describeGiveUp(decision.reason);
      this.record('errored', null, { detail: this.errorReason });
      this.setState('errored');
    } else {
      this.setState('exited');
    }
    this.resolveWaiters();
  }

  private describeGiveUp(reason: string): string {
    const exit = this.lastExit.signal ? `signal ${this.lastExit.signal}` : `code ${this.lastExit.code}`;
    const base = this.failedStart && this.errorReason ? `${this.errorReason}; ` : '';
    return `${base}${reason}; last exit: ${exit}`;
  }

  private beginStop(): void {
    const proc = this.process;
    if (!proc) return;
    this.timers.clear('ready');
    this.timers.clear('minUptime');
    this.setState('stopping');
    const spec = this.spec;
    // Seen before signalling: a child that reacts by re-parenting itself is still known.
    this.tree.current(proc, this.isForkMode());
    proc.requestStop(spec.killSignal, spec.shutdownWithMessage);
    if (spec.treekill && !spec.shutdownWithMessage && this.isForkMode()) this.tree.signal(proc, true, spec.killSignal);
    this.timers.arm('kill', spec.killTimeoutMs, () => this.onKillTimer());
  }

  private onKillTimer(): void {
    if (this.state !== 'stopping') return;
    this.host.log('warn', 'kill_timeout passed, sending SIGKILL', { app: this.spec.name, id: this.id });
    this.killTree('SIGKILL');
    this.timers.arm('killFailed', Math.max(this.spec.killTimeoutMs, 1000), () => {
      if (this.state !== 'stopping') return;
      this.timers.clear('leftovers');
      this.errorReason = 'could not be stopped: still alive after SIGKILL';
      this.setState('errored');
      this.resolveWaiters();
    });
  }

  private killTree(signal: NodeJS.Signals): void {
    const proc = this.process;
    if (proc) proc.sendSignal(signal);
    if (this.spec.treekill) this.tree.signal(proc, this.isForkMode(), signal);
  }

  private isForkMode(): boolean {
    return this.spec.execMode === 'fork';
  }

  private finishStopWhenTreeGone(): void {
    const leftovers = this.spec.treekill ? this.tree.leftovers(this.process, this.isForkMode()) : [];
    if (leftovers.length > 0) {
      this.timers.arm('leftovers', STOP_POLL_MS, () => this.finishStopWhenTreeGone());
      return;
    }
    this.timers.clearAll();
    this.process = null;
    this.tree.reset(null);
    this.setState('stopped');
    this.record('stopped', null, {});
    this.resolveStopWaiters();
    if (this.pendingStart) {
      this.pendingStart = false;
      const cause = this.pendingCause;
      this.pendingCause = null;
      this.policyHistory = INITIAL_HISTORY;
      this.spawnProcess(cause).catch(() => undefined);
    }
  }

  private setState(state: InstanceState): void {
    if (this.state === state) return;
    this.state = state;
    this.host.changed(this);
    for (const listener of [...this.watchers]) listener(this);
  }

  private record(event: HistoryEntry['event'], cause: RestartCause | null, extra: Partial<HistoryEntry> = {}): void {
    this.history.push({
      at: this.host.clock.wallMs(),
      event,
      pid: extra.pid ?? this.process?.pid ?? null,
      exitCode: extra.exitCode ?? null,
      signal: extra.signal ?? null,
      cause,
      detail: extra.detail ?? null,
    });
  }

  private waitForStop(): Promise<void> {
    return this.stopWaiters.wait();
  }

  private waitForStart(): Promise<void> {
    return this.startWaiters.wait();
  }

  private resolveStopWaiters(): void {
    this.stopWaiters.resolveAll();
  }

  private resolveStartWaiters(): void {
    this.startWaiters.resolveAll();
  }

  private resolveWaiters(): void {
    this.resolveStopWaiters();
    this.resolveStartWaiters();
  }
}
