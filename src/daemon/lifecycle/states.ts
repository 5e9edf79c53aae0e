import type { ReadyKind } from '../../core/driver.js';
import type { HistoryEntry, RestartCause } from '../../core/instance-info.js';
import type { InstanceState } from '../../core/status.js';
import type { Blocker } from '../dependencies.js';
import type { PolicySpec, RestartHistory } from '../restart-policy.js';

/**
 * The states of one managed instance (DESIGN.md §3). Each carries what it must remember, so
 * nothing of the instance's life hides in flags: a stop asked for during a spawn is
 * `spawning.then = 'stop'`, a restart is a stop with `queued` set.
 */
export type LifecycleState =
  | { name: 'stopped' }
  /**
   * The driver is creating the process. `origin: 'policy'` is an automatic restart. `then:
   * 'stop'` is a stop asked for meanwhile, done once the process exists; `queued` a start after it.
   */
  | {
      name: 'spawning';
      origin: 'command' | 'policy';
      cause: RestartCause | null;
      then: 'run' | 'stop';
      queued: RestartCause | null;
    }
  /** The process runs and is not ready yet. */
  | { name: 'starting' }
  | { name: 'online' }
  /**
   * The start failed (no readiness in time): the process is being stopped (its kill signal,
   * SIGKILL after kill_timeout), then the policy decides.
   */
  | { name: 'failing'; reason: string }
  /**
   * Stop signal sent, `kill_timeout` armed; `exited` once the main process is gone (its tree may
   * live on). `failed`: the daemon stops it because a health check failed (liveness, watchdog);
   * once it is gone the restart policy decides, as after a crash.
   */
  | { name: 'stopping'; queued: RestartCause | null; exited: boolean; failed: HealthFailure | null }
  /** SIGKILL sent to the tree after `kill_timeout`; a last timer decides it could not be stopped. */
  | { name: 'killing'; queued: RestartCause | null; exited: boolean; failed: HealthFailure | null }
  /** A restart is scheduled by the policy. */
  | { name: 'waiting'; cause: RestartCause }
  /**
   * A start held back by depends_on: `on` is the first dependency not online, `reason` what
   * list and describe show. Once every dependency is online it spawns as `origin` and `cause` say
   * (an automatic restart counts as one only then). Reported as `waiting`.
   */
  | { name: 'blocked'; on: string; reason: string; stuck?: true; origin: 'command' | 'policy'; cause: RestartCause | null }
  /** Ended on its own and the policy does not restart it (autorestart off, stop_exit_codes). */
  | { name: 'exited' }
  | { name: 'errored'; reason: string }
  /** Still alive after SIGKILL: shown as errored; when it finally dies it stays errored. */
  | { name: 'unkillable'; reason: string };

/** Why the daemon stopped a running instance on its own. */
export interface HealthFailure {
  cause: Extract<RestartCause, 'liveness' | 'watchdog'>;
  reason: string;
}

export type StateName = LifecycleState['name'];
export type StateOf<N extends StateName> = Extract<LifecycleState, { name: N }>;

/** Everything that happens to an instance: commands, driver facts, timers. Past tense for facts. */
export type LifecycleEvent =
  | { type: 'start'; cause: RestartCause | null }
  | { type: 'stop' }
  | { type: 'restart'; cause: RestartCause }
  /** A process found running (a previous daemon's) was attached to this instance. */
  | { type: 'adopted' }
  | { type: 'spawned' }
  | { type: 'spawnFailed'; reason: string }
  /** A spawn waiting in the daemon's queue was not made: the instance was stopped meanwhile. */
  | { type: 'spawnSkipped' }
  | { type: 'readyReceived'; kind: ReadyKind }
  /** The liveness probe failed failure_threshold times in a row. */
  | { type: 'livenessFailed'; detail: string }
  /** An sd_notify WATCHDOG=1 arrived. */
  | { type: 'watchdogPinged' }
  | { type: 'exited'; code: number | null; signal: string | null }
  | { type: 'minUptimeElapsed' }
  | { type: 'readyTimedOut' }
  | { type: 'restartTimerFired' }
  | { type: 'killTimerFired' }
  | { type: 'killFailedTimerFired' }
  | { type: 'reapTimerFired' }
  /** No WATCHDOG=1 within watchdog_ms. */
  | { type: 'watchdogTimerFired' }
  /** The answer to a `checkTree` effect: whether anything of the stopped process tree lives on. */
  | { type: 'treeChecked'; gone: boolean }
  /** One of the app's dependencies changed (status, readiness, deleted): `facts.blocker` says whether it may start now. */
  | { type: 'dependenciesChanged' };

export type EventType = LifecycleEvent['type'];
export type EventOf<T extends EventType> = Extract<LifecycleEvent, { type: T }>;

/** Timers a state may arm; every one is released when the state is left. */
export type TimerName = 'minUptime' | 'ready' | 'restart' | 'kill' | 'killFailed' | 'reap' | 'watchdog';

export type HistoryEvent = Exclude<HistoryEntry['event'], 'reloaded'>;

/** What the instance runner does for a transition, in order. */
export type Effect =
  | { type: 'spawn' }
  | { type: 'arm'; timer: TimerName; delayMs: number }
  /** The graceful stop: shutdown message or kill signal, to the tree where treekill says so. */
  | { type: 'requestStop' }
  | { type: 'killTree' }
  /** After a crash: what the app left in its process group must not outlive it (it may hold the port). */
  | { type: 'killLeftovers' }
  | { type: 'checkTree' }
  | { type: 'releaseProcess' }
  | { type: 'noteExit'; code: number | null; signal: string | null }
  | { type: 'noteListened' }
  /** Readiness and liveness probes run from now until the process is released. */
  | { type: 'startProbes' }
  | { type: 'countRestart' }
  | { type: 'setPolicyHistory'; history: RestartHistory }
  | { type: 'record'; event: HistoryEvent; cause: RestartCause | null; detail: string | null }
  /** Callers of stop() are answered: no process of this instance is left. */
  | { type: 'settleStops' }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string };

/** Read-only facts a transition decides on; gathered by the runner, never read from a clock here. */
export interface TransitionFacts {
  /** The app's explicit readiness contract (wait_ready, ready: notify|fd, a readiness probe), or null: min_uptime / listening. */
  readyKind: Exclude<ReadyKind, 'listening'> | null;
  /** How long the contract has to be met before the start fails. */
  readyTimeoutMs: number;
  /** sd_notify watchdog period; 0 = none. */
  watchdogMs: number;
  clusterMode: boolean;
  minUptimeMs: number;
  killTimeoutMs: number;
  treekill: boolean;
  policy: PolicySpec;
  policyHistory: RestartHistory;
  /** How long the current process has run (monotonic ms); 0 without one. */
  uptimeMs: number;
  /** The first dependency (depends_on) not online now, or null: a start from rest waits for it. */
  blocker: Blocker | null;
}

export interface Transition {
  next: LifecycleState;
  effects: Effect[];
  /** Set when the pair is refused (not merely ignored): why, for the caller. */
  rejected?: string;
}

/** The coarse state the rest of the daemon reads (statuses, sampling, triggers). */
const COARSE: Record<StateName, InstanceState> = {
  stopped: 'stopped',
  spawning: 'starting',
  starting: 'starting',
  online: 'online',
  failing: 'starting',
  stopping: 'stopping',
  killing: 'stopping',
  waiting: 'waiting',
  blocked: 'waiting',
  exited: 'exited',
  errored: 'errored',
  unkillable: 'errored',
};

export function coarseState(state: LifecycleState): InstanceState {
  return COARSE[state.name];
}

/** Whether the user wants this instance running: what the state file keeps across a daemon crash. */
export function isWanted(state: LifecycleState): boolean {
  switch (state.name) {
    case 'spawning':
      return state.then === 'run' || state.queued !== null;
    case 'starting':
    case 'online':
    case 'failing':
    case 'waiting':
    case 'blocked':
      return true;
    case 'stopping':
    case 'killing':
      return state.queued !== null || state.failed !== null;
    default:
      return false;
  }
}

/** Whether a start is still to come (a spawn in progress or queued behind a stop). */
export function hasStartPending(state: LifecycleState): boolean {
  if (state.name === 'spawning') return true;
  return (state.name === 'stopping' || state.name === 'killing') && state.queued !== null;
}

/** Whether a process of this instance may exist. */
export function hasProcess(state: LifecycleState): boolean {
  switch (state.name) {
    case 'starting':
    case 'online':
    case 'failing':
    case 'unkillable':
      return true;
    case 'stopping':
    case 'killing':
      return !state.exited;
    default:
      return false;
  }
}

/** The event each timer dispatches when it fires. */
export const TIMER_EVENTS = {
  minUptime: 'minUptimeElapsed',
  ready: 'readyTimedOut',
  restart: 'restartTimerFired',
  kill: 'killTimerFired',
  killFailed: 'killFailedTimerFired',
  reap: 'reapTimerFired',
  watchdog: 'watchdogTimerFired',
} as const satisfies Record<TimerName, LifecycleEvent['type']>;

