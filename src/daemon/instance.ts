import type { AppSpec } from '../core/app-spec.js';
import type { AdoptRecord, SpawnedInstance } from '../core/driver.js';
import type { HistoryEntry, RestartCause } from '../core/instance-info.js';
import type { InstanceState } from '../core/status.js';
import { readUptimeSeconds } from '../metrics/host-stats.js';
import { adoptedRunMs } from './adopted-run.js';
import { BoundedList } from './bounded-list.js';
import { readyContract, readyTimeoutMs } from './lifecycle/readiness.js';
import { type HealthEvents, InstanceHealth } from './instance-health.js';
import { type Effect, type LifecycleEvent, type LifecycleState, type TimerName, type TransitionFacts, coarseState, isWanted, TIMER_EVENTS } from './lifecycle/states.js';
import { CommandWaiters } from './lifecycle/command-waiters.js';
import { transition } from './lifecycle/transition.js';
import { captureOutput } from './output-capture.js';
import { ProcessTree, newInvocation } from './process-tree.js';
import { INITIAL_HISTORY, type RestartHistory } from './restart-policy.js';
import { StopActions } from './stop-actions.js';
import { RunClock } from './run-clock.js';

import type { AppRecord, InstanceHost } from './instance-host.js';
export type { AppRecord, InstanceHost, LogSinkLike } from './instance-host.js';

const HISTORY_CAPACITY = 100;

/** The timers that measure the app's own run: they start once it has left its start gate. */
const RUN_CLOCKS: ReadonlySet<TimerName> = new Set<TimerName>(['minUptime', 'ready', 'watchdog']);

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
  /** sd_notify and probes of the current process. */
  private readonly health: InstanceHealth;

  #state: LifecycleState = { name: 'stopped' };
  private policyHistory: RestartHistory = INITIAL_HISTORY;
  private readonly tree = new ProcessTree();
  private readonly stopping = new StopActions(this.tree);
  private readonly runClock: RunClock<TimerName>;
  /** Numbers spawn attempts: driver events of an older process are dropped. */
  private attempt = 0;
  private readonly watchers = new Set<(instance: Instance) => void>();
  private readonly waiters = new CommandWaiters();
  private readonly queue: LifecycleEvent[] = [];
  private dispatching = false;

  constructor(
    readonly id: number,
    readonly index: number,
    public app: AppRecord,
    private readonly host: InstanceHost,
  ) {
    this.health = new InstanceHealth(() => host.notifyRelay());
    this.runClock = new RunClock(host.clock);
  }

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

  /** Resolves once its process left its start gate (at once when it has none or no process). */
  leftGate(): Promise<void> {
    return this.process?.released ?? Promise.resolve();
  }

  uptimeMs(): number {
    return this.process !== null && (this.state === 'online' || this.state === 'starting') ? this.runClock.runMs() : 0;
  }

  /** Starts the instance; resolves once a process exists, starting failed, or it was stopped meanwhile. */
  start(cause: RestartCause | null = null): Promise<void> {
    const attempt = this.#state.name === 'spawning' ? this.attempt : this.attempt + 1;
    return this.command({ type: 'start', cause }, attempt);
  }

  /** Stops the instance gracefully; resolves once it and its process tree are gone. */
  stop(): Promise<void> {
    const stopped = this.waiters.waitStop();
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
    this.runClock.resume(adoptedRunMs(spawned.startTimeTicks, readUptimeSeconds(), this.host.clock.wallMs() - startedAtWallMs));
    this.startedAtWallMs = startedAtWallMs;
    this.adoptedAtWallMs = this.host.clock.wallMs();
    this.tree.resetAdopted(this.host.buildEnv(this), spawned.pid);
    const sink = this.host.openLogs(this);
    captureOutput(spawned, sink);
    this.dispatch({ type: 'adopted' });
    return true;
  }

  /** One of the app's dependencies changed: a start waiting for them looks again. */
  dependenciesChanged(): void {
    this.dispatch({ type: 'dependenciesChanged' });
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
    this.runClock.clearAll();
    this.health.release();
  }

  /** Whether the instance meets its readiness contract now; null when it does not run. */
  get ready(): boolean | null {
    if (this.state !== 'online' && this.state !== 'starting') return null;
    const probe = this.health.readinessPassing();
    if (probe !== undefined && this.state === 'online') return probe !== false;
    return this.state === 'online';
  }

  probeResults(): ReturnType<InstanceHealth['probeResults']> {
    return this.health.probeResults();
  }

  /** The last STATUS= of an sd_notify app. */
  get statusText(): string | null {
    return this.health.statusText;
  }

  private command(event: LifecycleEvent, attempt: number): Promise<void> {
    const started = this.waiters.waitStart(attempt);
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
    if (next.name !== before.name) this.runClock.clearAll();
    // Probes run only while the process may serve: starting and online.
    if (next.name !== 'starting' && next.name !== 'online') this.health.stopProbes();
    this.#state = next;
    for (const effect of effects) this.run(effect);
    if (next !== before || this.listened !== listenedBefore) {
      this.host.changed(this);
      for (const listener of [...this.watchers]) listener(this);
    }
    this.waiters.settleAtRest(this.#state);
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
      uptimeMs: this.process === null ? 0 : this.runClock.runMs(),
      blocker: (spec.dependsOn ?? []).length === 0 ? null : this.host.blockerOf(this),
    };
  }

  private run(effect: Effect): void {
    switch (effect.type) {
      case 'spawn':
        return this.spawnProcess();
      case 'arm': {
        const { timer, delayMs } = effect;
        return RUN_CLOCKS.has(timer) ? this.runClock.whenRunning(() => this.arm(timer, delayMs)) : this.arm(timer, delayMs);
      }
      case 'requestStop':
        return this.stopping.requestStop(this.process, this.spec);
      case 'killTree':
        return this.stopping.kill(this.process, this.spec);
      case 'killLeftovers':
        return this.stopping.killLeftovers(this.process, this.spec);
      case 'checkTree':
        return this.dispatch({ type: 'treeChecked', gone: this.stopping.treeGone(this.process, this.spec) });
      case 'releaseProcess':
        this.process = null;
        this.runClock.end();
        this.listened = false;
        this.tree.reset(null);
        this.health.release();
        return;
      case 'startProbes':
        return this.runClock.whenRunning(() => this.startProbes());
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
        return this.waiters.settleStops();
      case 'log':
        return this.host.log(effect.level, effect.msg, { app: this.spec.name, id: this.id });
    }
  }

  private arm(timer: TimerName, delayMs: number): void {
    const paced = timer === 'restart' ? this.host.paceRestart(delayMs) : delayMs;
    this.runClock.arm(timer, paced, () => this.dispatch({ type: TIMER_EVENTS[timer] }));
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
      this.waiters.settleStarts(attempt);
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
      // A new run, a new invocation id: what ties an escaped child to this run, and not to the
      // replacement a reload starts under the same id (process-tree.ts).
      const env = { ...this.host.buildEnv(this), ...newInvocation() };
      this.health.release(true);
      if (this.spec.readyProtocol === 'notify') env.NOTIFY_SOCKET = await this.health.openNotify(this.healthEvents(attempt, deliver));
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
      this.waiters.settleStarts(attempt);
    }
  }

  private healthEvents(attempt: number, deliver: (event: LifecycleEvent) => void = (event) => this.dispatch(event)): HealthEvents {
    return {
      isCurrent: () => attempt === this.attempt,
      deliver,
      changed: () => this.host.changed(this),
      isStarting: () => this.state === 'starting',
    };
  }

  private startProbes(): void {
    const env = { ...this.host.buildEnv(this), TEND_PID: String(this.pid ?? '') };
    this.health.startProbes(this.spec, env, () => this.host.clock.wallMs(), this.healthEvents(this.attempt));
  }

  private attach(spawned: SpawnedInstance): void {
    this.process = spawned;
    this.adoptedAtWallMs = null;
    this.listened = false;
    this.runClock.begin(spawned.released);
    this.startedAtWallMs = this.host.clock.wallMs();
    const sink = this.host.openLogs(this);
    captureOutput(spawned, sink);
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
}
