import type { Readable } from 'node:stream';
import type { AppSpec } from '../core/app-spec.js';
import type { Clock } from '../core/clock.js';
import type { AdoptRecord, InstanceDriver, SpawnedInstance } from '../core/driver.js';
import type { HistoryEntry, RestartCause } from '../core/instance-info.js';
import type { InstanceState } from '../core/status.js';
import { BoundedList } from './bounded-list.js';
import { readyContract, readyTimeoutMs } from './lifecycle/readiness.js';
import { ProbeRunner } from './probes/probe-runner.js';
import { type NotifyRelay, parseNotifyAssignment } from './readiness/notify-relay.js';
import { type Effect, type LifecycleEvent, type LifecycleState, type TimerName, type TransitionFacts, coarseState, hasStartPending, isWanted } from './lifecycle/states.js';
import { transition } from './lifecycle/transition.js';
import { captureOutput } from './output-capture.js';
import { ProcessTree } from './process-tree.js';
import { INITIAL_HISTORY, type RestartHistory } from './restart-policy.js';
import { TimerSet } from './timers.js';

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
  /** The delay an automatic restart really waits: the daemon paces crash loops of every app together. */
  paceRestart(delayMs: number): number;
  /** The sockets the app's instances inherit (`listen`), bound by the daemon. */
  listenFds(spec: AppSpec): readonly number[];
  /** The daemon's sd_notify receiver, for `ready: 'notify'` apps. */
  notifyRelay(): NotifyRelay;
  /** Runs a spawn when the daemon's spawn queue gets to it (see spawn-queue.ts). */
  queueSpawn(job: () => Promise<void>): void;
}

const HISTORY_CAPACITY = 100;

interface StartWaiter {
  /** Answered by the first spawn attempt numbered this or later. */
  attempt: number;
  resolve: () => void;
}

/**
 * One managed instance: runs the lifecycle table (lifecycle/transition.ts) and its effects.
 * Only `dispatch` changes the state; commands and driver facts become events. Timers belong
 * to the state that armed them and are released whenever the state's name changes.
 */
export class Instance {
  process: SpawnedInstance | null = null;
  restarts = 0;
  lastExit: { code: number | null; signal: string | null } = { code: null, signal: null };
  startedAtWallMs: number | null = null;
  /** When this daemon adopted the current process from a previous one; null for a process it spawned. */
  adoptedAtWallMs: number | null = null;
  /** The current process listened on a port (cluster mode); a reload then needs its successor to. */
  listened = false;
  /** Shared with a reload's replacement, so the history survives reloads. */
  history = new BoundedList<HistoryEntry>(HISTORY_CAPACITY);
  /** The last STATUS= of an sd_notify app (STOPPING=1 shows as "stopping"). */
  statusText: string | null = null;
  /** Probes of the current process; null when the app has none or no process runs. */
  private probes: ProbeRunner | null = null;
  /** The sd_notify socket of the current process. */
  private notifyKey: string | null = null;

  #state: LifecycleState = { name: 'stopped' };
  private startedAtMonoMs = 0;
  private policyHistory: RestartHistory = INITIAL_HISTORY;
  private readonly tree = new ProcessTree();
  private readonly timers = new TimerSet<TimerName>();
  /** Numbers spawn attempts: driver events of an older process are dropped. */
  private attempt = 0;
  private readonly watchers = new Set<(instance: Instance) => void>();
  private stopWaiters: Array<() => void> = [];
  private startWaiters: StartWaiter[] = [];
  private readonly queue: LifecycleEvent[] = [];
  private dispatching = false;

  constructor(
    readonly id: number,
    readonly index: number,
    public app: AppRecord,
    private readonly host: InstanceHost,
  ) {}

  get spec(): AppSpec {
    return this.app.spec;
  }

  /** The full lifecycle state (readable only). */
  get lifecycle(): LifecycleState {
    return this.#state;
  }

  /** The coarse state the rest of the daemon reads. */
  get state(): InstanceState {
    return coarseState(this.#state);
  }

  /** Whether the user wants it running; what the state file keeps for the next daemon. */
  get wanted(): boolean {
    return isWanted(this.#state);
  }

  get errorReason(): string | null {
    const s = this.#state;
    return s.name === 'errored' || s.name === 'unkillable' || s.name === 'failing' ? s.reason : null;
  }

  get pid(): number | null {
    return this.process?.pid ?? null;
  }

  uptimeMs(): number {
    return this.process !== null && (this.state === 'online' || this.state === 'starting') ? this.host.clock.monotonicMs() - this.startedAtMonoMs : 0;
  }

  /** Starts the instance; resolves once a process exists, starting failed, or it was stopped meanwhile. */
  start(cause: RestartCause | null = null): Promise<void> {
    const attempt = this.#state.name === 'spawning' ? this.attempt : this.attempt + 1;
    return this.command({ type: 'start', cause }, attempt);
  }

  /** Stops the instance gracefully; resolves once it and its process tree are gone. */
  stop(): Promise<void> {
    const stopped = new Promise<void>((resolve) => this.stopWaiters.push(resolve));
    this.dispatch({ type: 'stop' });
    return stopped;
  }

  /** Restart is a stop with a queued start; resolves once the new process exists (or could not). */
  restart(cause: RestartCause = 'manual'): Promise<void> {
    return this.command({ type: 'restart', cause }, this.attempt + 1);
  }

  /**
   * Attaches a process a previous daemon started (recovery found it and its holder alive by pid,
   * start time and owner): same pid, online at once, no restart counted. False when the app's
   * driver cannot adopt.
   */
  adopt(record: AdoptRecord, startedAtWallMs: number): boolean {
    const driver = this.host.driverFor(this.spec);
    if (driver.adopt === undefined) return false;
    const attempt = ++this.attempt;
    const deliver = (event: LifecycleEvent): void => {
      if (attempt === this.attempt) this.dispatch(event);
    };
    const spawned = driver.adopt(record, {
      exited: (code, signal) => deliver({ type: 'exited', code, signal }),
      readyReceived: (kind) => deliver({ type: 'readyReceived', kind }),
      messageReceived: () => undefined,
    });
    this.process = spawned;
    this.startedAtMonoMs = this.host.clock.monotonicMs() - Math.max(0, this.host.clock.wallMs() - startedAtWallMs);
    this.startedAtWallMs = startedAtWallMs;
    this.adoptedAtWallMs = this.host.clock.wallMs();
    this.tree.reset(this.host.buildEnv(this));
    const sink = this.host.openLogs(this);
    if (sink) captureOutput(spawned, sink);
    this.dispatch({ type: 'adopted' });
    return true;
  }

  /** Calls `listener` after every state change until the returned function is called. */
  watch(listener: (instance: Instance) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  /** Notes in the history why a trigger (memory, watch, cron) is about to restart this instance. */
  noteRestartReason(cause: RestartCause, detail: string): void {
    this.record('restart-scheduled', cause, detail);
  }

  resetCounters(): void {
    this.restarts = 0;
    this.policyHistory = INITIAL_HISTORY;
    this.host.changed(this);
  }

  /** A reload's replacement carries on the history and restart count of the instance it replaces. */
  inherit(from: Instance): void {
    this.history = from.history;
    this.restarts = from.restarts + 1;
  }

  /** Recorded when the replacement takes the old instance's place. */
  noteReplaced(old: Instance): void {
    this.record('reloaded', null, `replaced pid ${old.pid ?? '-'}`);
  }

  /** Forgets the process without signalling it (daemon shutdown paths handle the tree). */
  dispose(): void {
    this.timers.clearAll();
    this.releaseHealth();
  }

  /** Whether the instance meets its readiness contract now; null when it does not run. */
  get ready(): boolean | null {
    if (this.state !== 'online' && this.state !== 'starting') return null;
    const probe = this.probes?.readinessPassing();
    if (probe !== undefined && this.state === 'online') return probe !== false;
    return this.state === 'online';
  }

  probeResults(): ReturnType<ProbeRunner['results']> | null {
    return this.probes?.results() ?? null;
  }

  private command(event: LifecycleEvent, attempt: number): Promise<void> {
    const started = new Promise<void>((resolve) => this.startWaiters.push({ attempt, resolve }));
    this.dispatch(event);
    return started;
  }

  /**
   * Runs events through the table one at a time: an effect that produces an event (a tree
   * check) queues it behind the effects of the transition that asked for it.
   */
  private dispatch(event: LifecycleEvent): void {
    this.queue.push(event);
    if (this.dispatching) return;
    this.dispatching = true;
    try {
      for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) this.step(next);
    } finally {
      this.dispatching = false;
    }
  }

  private step(event: LifecycleEvent): void {
    const before = this.#state;
    const listenedBefore = this.listened;
    const { next, effects, rejected } = transition(before, event, this.facts());
    if (rejected !== undefined) {
      this.host.log('warn', `instance ignored ${event.type}: ${rejected}`, { app: this.spec.name, id: this.id, state: before.name });
    }
    if (next.name !== before.name) this.timers.clearAll();
    // Probes run only while the process may serve: starting and online.
    if (next.name !== 'starting' && next.name !== 'online') this.probes?.stop();
    this.#state = next;
    for (const effect of effects) this.run(effect);
    if (next !== before || this.listened !== listenedBefore) {
      this.host.changed(this);
      for (const listener of [...this.watchers]) listener(this);
    }
    this.settleIfAtRest();
  }

  private facts(): TransitionFacts {
    const spec = this.spec;
    return {
      readyKind: readyContract(spec),
      readyTimeoutMs: readyTimeoutMs(spec),
      watchdogMs: spec.watchdogMs ?? 0,
      clusterMode: spec.execMode === 'cluster',
      minUptimeMs: spec.minUptimeMs,
      killTimeoutMs: spec.killTimeoutMs,
      treekill: spec.treekill,
      policy: spec,
      policyHistory: this.policyHistory,
      uptimeMs: this.process === null ? 0 : this.host.clock.monotonicMs() - this.startedAtMonoMs,
    };
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'spawn':
        return this.spawnProcess();
      case 'arm':
        return this.arm(effect.timer, effect.delayMs);
      case 'requestStop':
        return this.requestStop();
      case 'killTree':
        return this.killTree('SIGKILL');
      case 'killLeftovers':
        if (this.spec.treekill && this.isForkMode() && this.process) this.tree.signal(this.process, true, 'SIGKILL');
        return;
      case 'checkTree':
        return this.dispatch({ type: 'treeChecked', gone: this.tree.leftovers(this.process, this.isForkMode()).length === 0 });
      case 'releaseProcess':
        this.process = null;
        this.listened = false;
        this.tree.reset(null);
        this.releaseHealth();
        return;
      case 'startProbes':
        return this.startProbes();
      case 'noteExit':
        this.lastExit = { code: effect.code, signal: effect.signal };
        return;
      case 'noteListened':
        this.listened = true;
        return;
      case 'countRestart':
        this.restarts += 1;
        return;
      case 'setPolicyHistory':
        this.policyHistory = effect.history;
        return;
      case 'record':
        return this.record(effect.event, effect.cause, effect.detail);
      case 'settleStops':
        return this.settleStops();
      case 'log':
        return this.host.log(effect.level, effect.msg, { app: this.spec.name, id: this.id });
    }
  }

  private arm(timer: TimerName, delayMs: number): void {
    const paced = timer === 'restart' ? this.host.paceRestart(delayMs) : delayMs;
    this.timers.arm(timer, paced, () => this.dispatch({ type: TIMER_EVENTS[timer] }));
  }

  private spawnProcess(): void {
    const attempt = ++this.attempt;
    this.host.queueSpawn(() => this.runSpawn(attempt));
  }

  private async runSpawn(attempt: number): Promise<void> {
    if (attempt !== this.attempt) return;
    const s = this.#state;
    // Stopped while it waited in the queue: nothing to spawn, nothing to stop.
    if (s.name === 'spawning' && s.then === 'stop' && s.queued === null) {
      this.dispatch({ type: 'spawnSkipped' });
      this.settleStarts(attempt);
      return;
    }
    // Driver events that come before the spawn call returns wait for the process to be attached.
    let early: LifecycleEvent[] | null = [];
    const deliver = (event: LifecycleEvent): void => {
      if (attempt !== this.attempt) return;
      if (early !== null) early.push(event);
      else this.dispatch(event);
    };
    try {
      const env = this.host.buildEnv(this);
      this.releaseHealth();
      this.statusText = null;
      if (this.spec.readyProtocol === 'notify') env.NOTIFY_SOCKET = await this.openNotify(attempt, deliver);
      this.tree.reset(env);
      const spawned = await this.host.driverFor(this.spec).spawn(
        { spec: this.spec, id: this.id, instance: this.index, env, listenFds: this.host.listenFds(this.spec) },
        {
          exited: (code, signal) => deliver({ type: 'exited', code, signal }),
          readyReceived: (kind) => deliver({ type: 'readyReceived', kind }),
          messageReceived: () => undefined,
        },
      );
      this.attach(spawned);
      this.dispatch({ type: 'spawned' });
    } catch (error) {
      this.dispatch({ type: 'spawnFailed', reason: error instanceof Error ? error.message : String(error) });
    } finally {
      const pending = early ?? [];
      early = null;
      for (const event of pending) this.dispatch(event);
      this.settleStarts(attempt);
    }
  }

  /** A fresh sd_notify socket for the process about to be spawned; its messages become events. */
  private async openNotify(attempt: number, deliver: (event: LifecycleEvent) => void): Promise<string> {
    const { key, path } = await this.host.notifyRelay().open((assignment) => {
      if (attempt !== this.attempt) return;
      const message = parseNotifyAssignment(assignment);
      if (message.type === 'ready') deliver({ type: 'readyReceived', kind: 'notify' });
      else if (message.type === 'watchdog') deliver({ type: 'watchdogPinged' });
      else if (message.type === 'status' || message.type === 'stopping') this.noteStatus(message.type === 'status' ? message.text : 'stopping');
    });
    this.notifyKey = key;
    return path;
  }

  private noteStatus(text: string): void {
    if (this.statusText === text) return;
    this.statusText = text;
    this.host.changed(this);
  }

  private startProbes(): void {
    const spec = this.spec;
    if (!spec.readiness && !spec.liveness) return;
    const attempt = this.attempt;
    const env = { ...this.host.buildEnv(this), TEND_PID: String(this.pid ?? '') };
    const runner = new ProbeRunner({ readiness: spec.readiness, liveness: spec.liveness }, { cwd: spec.cwd, env }, () => this.host.clock.wallMs(), {
      turned: (probe, verdict, detail) => {
        if (attempt !== this.attempt || runner !== this.probes) return;
        if (probe === 'liveness' && verdict === 'failed') return this.dispatch({ type: 'livenessFailed', detail: detail ?? 'failed' });
        if (probe === 'readiness' && verdict === 'passed' && this.state === 'starting') return this.dispatch({ type: 'readyReceived', kind: 'probe' });
        // A readiness change of an online instance changes what jlist shows, not its state.
        this.host.changed(this);
      },
    });
    this.probes = runner;
    runner.start();
  }

  /** Stops the probes and closes the sd_notify socket of the current process. */
  private releaseHealth(): void {
    this.probes?.stop();
    this.probes = null;
    if (this.notifyKey !== null) this.host.notifyRelay().close(this.notifyKey);
    this.notifyKey = null;
  }

  private attach(spawned: SpawnedInstance): void {
    this.process = spawned;
    this.adoptedAtWallMs = null;
    this.listened = false;
    this.startedAtMonoMs = this.host.clock.monotonicMs();
    this.startedAtWallMs = this.host.clock.wallMs();
    const sink = this.host.openLogs(this);
    if (sink) captureOutput(spawned, sink);
  }

  private requestStop(): void {
    const proc = this.process;
    if (!proc) return;
    const spec = this.spec;
    // Seen before signalling: a child that reacts by re-parenting itself is still known.
    this.tree.current(proc, this.isForkMode());
    proc.requestStop(spec.killSignal, spec.shutdownWithMessage);
    if (spec.treekill && !spec.shutdownWithMessage && this.isForkMode()) this.tree.signal(proc, true, spec.killSignal);
  }

  private killTree(signal: NodeJS.Signals): void {
    const proc = this.process;
    if (proc) proc.sendSignal(signal);
    if (this.spec.treekill) this.tree.signal(proc, this.isForkMode(), signal);
  }

  private isForkMode(): boolean {
    return this.spec.execMode === 'fork';
  }

  private record(event: HistoryEntry['event'], cause: RestartCause | null, detail: string | null = null): void {
    const exit = event === 'exited' ? this.lastExit : { code: null, signal: null };
    this.history.push({
      at: this.host.clock.wallMs(),
      event,
      pid: this.process?.pid ?? null,
      exitCode: exit.code,
      signal: exit.signal,
      cause,
      detail,
    });
  }

  private settleStops(): void {
    const waiters = this.stopWaiters;
    this.stopWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Answers start waiters whose spawn attempt has been made (succeeded or failed). */
  private settleStarts(upTo: number): void {
    const [done, pending] = partition(this.startWaiters, (w) => w.attempt <= upTo);
    this.startWaiters = pending;
    for (const waiter of done) waiter.resolve();
  }

  /** Start waiters are answered once no start is on its way; stop waiters once nothing runs. */
  private settleIfAtRest(): void {
    if (!hasStartPending(this.#state)) this.settleStarts(Infinity);
    if (STOP_SETTLED.has(this.#state.name)) this.settleStops();
  }
}

/** States in which a stop has nothing left to wait for. */
const STOP_SETTLED: ReadonlySet<LifecycleState['name']> = new Set(['stopped', 'exited', 'errored', 'unkillable', 'waiting']);

const TIMER_EVENTS = {
  minUptime: 'minUptimeElapsed',
  ready: 'readyTimedOut',
  restart: 'restartTimerFired',
  kill: 'killTimerFired',
  killFailed: 'killFailedTimerFired',
  reap: 'reapTimerFired',
  watchdog: 'watchdogTimerFired',
} as const satisfies Record<TimerName, LifecycleEvent['type']>;

function partition<T>(items: readonly T[], test: (item: T) => boolean): [T[], T[]] {
  const yes: T[] = [];
  const no: T[] = [];
  for (const item of items) (test(item) ? yes : no).push(item);
  return [yes, no];
}
