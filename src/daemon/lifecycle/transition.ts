import type { EventOf, EventType, LifecycleEvent, LifecycleState, StateName, StateOf, Transition, TransitionFacts } from './states.js';
import {
  go,
  ignore,
  reject,
  record,
  freshStart,
  gatedSpawn,
  unblock,
  beginStop,
  stopWhileFailing,
  failingKillTimerFired,
  healthFailed,
  armWatchdog,
  watchdogMissed,
  spawned,
  spawnFailed,
  stopExited,
  treeChecked,
  killTimerFired,
  killFailed,
  readyReceived,
  readyTimedOut,
  crashed,
} from './transition-steps.js';
import { describeUnready } from './readiness.js';

export { MIN_KILL_FAILED_MS, REAP_POLL_MS } from './transition-steps.js';

/**
 * The life of one managed instance as one table (DESIGN.md §3): for every state, what every
 * event does. A pair that does nothing says so (`ignore`), a pair that must not happen says
 * why (`reject`); a missing pair fails to compile. Pure: the instance runs the effects.
 */
type Row<S extends StateName> = { [E in EventType]: (state: StateOf<S>, event: EventOf<E>, facts: TransitionFacts) => Transition };
type Table = { [S in StateName]: Row<S> };

const UNKILLABLE = 'it could not be stopped and may still be running; stop it by hand (see describe)';
const NO_PROCESS = 'no process is attached yet';

type ProcessEvent = Exclude<EventType, 'start' | 'stop' | 'restart' | 'adopted' | 'restartTimerFired' | 'dependenciesChanged'>;

/** The cells of a state without a process: what a process or its timers report is stale there. */
function processless<S extends StateName>(): Pick<Row<S>, ProcessEvent> {
  return {
    spawned: (s) => reject(s, NO_PROCESS),
    spawnFailed: (s) => reject(s, NO_PROCESS),
    spawnSkipped: (s) => ignore(s),
    readyReceived: (s) => ignore(s),
    exited: (s) => ignore(s),
    minUptimeElapsed: (s) => ignore(s),
    readyTimedOut: (s) => ignore(s),
    killTimerFired: (s) => ignore(s),
    killFailedTimerFired: (s) => ignore(s),
    reapTimerFired: (s) => ignore(s),
    treeChecked: (s) => ignore(s),
    livenessFailed: (s) => ignore(s),
    watchdogPinged: (s) => ignore(s),
    watchdogTimerFired: (s) => ignore(s),
  };
}

const stopped: Row<'stopped'> = {
  start: (_s, e, f) => freshStart(e.cause, f),
  stop: (s) => ignore(s),
  restart: (_s, e, f) => freshStart(e.cause, f),
  adopted: () => go({ name: 'online' }, record('adopted'), { type: 'startProbes' }),
  ...processless<'stopped'>(),
  restartTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

/** `exited` and `errored` answer commands as `stopped` does; they differ in what they report. */
function atRest<S extends 'exited' | 'errored'>(): Row<S> {
  return {
    start: (_s, e, f) => freshStart(e.cause, f),
    stop: (s) => ignore(s),
    restart: (_s, e, f) => freshStart(e.cause, f),
    adopted: (s) => reject(s, 'only a stopped instance adopts a process'),
    ...processless<S>(),
    restartTimerFired: (s) => ignore(s),
    dependenciesChanged: (s) => ignore(s),
  };
}

const spawning: Row<'spawning'> = {
  start: (s, e) => (s.then === 'stop' ? go({ ...s, queued: s.queued ?? e.cause ?? 'manual' }) : ignore(s)),
  stop: (s) => go({ ...s, then: 'stop', queued: null }),
  restart: (s, e) => go({ ...s, then: 'stop', queued: e.cause }, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is being spawned'),
  spawned: (s, _e, f) => spawned(s, f),
  spawnFailed: (s, e, f) => spawnFailed(s, e, f),
  spawnSkipped: (s) => (s.then === 'stop' && s.queued === null ? go({ name: 'stopped' }, { type: 'settleStops' }) : reject(s, 'its spawn is still wanted')),
  readyReceived: (s) => reject(s, NO_PROCESS),
  exited: (s) => reject(s, NO_PROCESS),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => ignore(s),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

const starting: Row<'starting'> = {
  start: (s) => ignore(s),
  stop: (_s, _e, f) => beginStop(null, f),
  restart: (_s, e, f) => beginStop(e.cause, f, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s, e, f) => readyReceived(s, e, f),
  // With a readiness contract, an exit before it is met is a start that failed, however long it ran.
  exited: (_s, e, f) => crashed(e, f, f.readyKind !== null ? `exited before it was ready (it ${describeUnready(f)})` : null),
  minUptimeElapsed: (s, _e, f) => (f.readyKind !== null ? ignore(s) : go({ name: 'online' })),
  readyTimedOut: (s, _e, f) => (f.readyKind !== null ? readyTimedOut(f) : ignore(s)),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => ignore(s),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (_s, e, f) => healthFailed({ cause: 'liveness', reason: `liveness probe failed: ${e.detail}` }, f),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

const online: Row<'online'> = {
  start: (s) => ignore(s),
  stop: (_s, _e, f) => beginStop(null, f),
  restart: (_s, e, f) => beginStop(e.cause, f, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s, e) => (e.kind === 'listening' ? go(s, { type: 'noteListened' }) : ignore(s)),
  exited: (_s, e, f) => crashed(e, f, null),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => ignore(s),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (_s, e, f) => healthFailed({ cause: 'liveness', reason: `liveness probe failed: ${e.detail}` }, f),
  watchdogPinged: (s, _e, f) => go(s, ...armWatchdog(f)),
  watchdogTimerFired: (_s, _e, f) => watchdogMissed(f),
  dependenciesChanged: (s) => ignore(s),
};

const failing: Row<'failing'> = {
  start: (s) => ignore(s),
  stop: (_s, _e, f) => stopWhileFailing(null, f),
  restart: (_s, e, f) => stopWhileFailing(e.cause, f, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  exited: (s, e, f) => crashed(e, f, s.reason),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s, _e, f) => failingKillTimerFired(s, f),
  killFailedTimerFired: (s) => go({ name: 'unkillable', reason: `${s.reason}, and could not be killed` }, record('errored', null, s.reason), { type: 'settleStops' }),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

const stopping: Row<'stopping'> = {
  start: (s, e) => go({ ...s, queued: s.queued ?? e.cause ?? 'manual', failed: null }),
  stop: (s) => go({ ...s, queued: null, failed: null }),
  restart: (s, e) => go({ ...s, queued: e.cause, failed: null }, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  exited: (s, e, f) => (s.exited ? ignore(s) : stopExited(s, e, f)),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s, _e, f) => killTimerFired(s, f),
  killFailedTimerFired: (s) => ignore(s),
  reapTimerFired: (s) => (s.exited ? go(s, { type: 'checkTree' }) : ignore(s)),
  treeChecked: (s, e, f) => treeChecked(s, e, f),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

const killing: Row<'killing'> = {
  start: (s, e) => go({ ...s, queued: s.queued ?? e.cause ?? 'manual', failed: null }),
  stop: (s) => go({ ...s, queued: null, failed: null }),
  restart: (s, e) => go({ ...s, queued: e.cause, failed: null }, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  exited: (s, e, f) => (s.exited ? ignore(s) : stopExited(s, e, f)),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => killFailed(s),
  reapTimerFired: (s) => (s.exited ? go(s, { type: 'checkTree' }) : ignore(s)),
  treeChecked: (s, e, f) => treeChecked(s, e, f),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

const waiting: Row<'waiting'> = {
  start: (_s, e, f) => gatedSpawn('command', e.cause, f),
  stop: () => go({ name: 'stopped' }, record('stopped'), { type: 'settleStops' }),
  restart: (_s, e, f) => gatedSpawn('command', e.cause, f, [{ type: 'countRestart' }]),
  adopted: (s) => reject(s, 'only a stopped instance adopts a process'),
  ...processless<'waiting'>(),
  // A dependency that went down meanwhile holds the restart back instead of letting it crash-loop.
  restartTimerFired: (s, _e, f) => gatedSpawn('policy', s.cause, f, [], [{ type: 'countRestart' }]),
  dependenciesChanged: (s) => ignore(s),
};

const blocked: Row<'blocked'> = {
  start: (s, e, f) => unblock({ ...s, origin: 'command', cause: e.cause }, f),
  stop: () => go({ name: 'stopped' }, record('stopped'), { type: 'settleStops' }),
  restart: (s, e, f) => unblock({ ...s, origin: 'command', cause: e.cause }, f),
  adopted: (s) => reject(s, 'only a stopped instance adopts a process'),
  ...processless<'blocked'>(),
  restartTimerFired: (s) => ignore(s),
  dependenciesChanged: (s, _e, f) => unblock(s, f),
};

const unkillable: Row<'unkillable'> = {
  start: (s) => reject(s, UNKILLABLE),
  stop: (s) => ignore(s),
  restart: (s) => reject(s, UNKILLABLE),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  // It died at last: it stays errored (never restarted), with nothing left to stop.
  exited: (s, e) => go({ name: 'errored', reason: s.reason }, { type: 'noteExit', code: e.code, signal: e.signal }, record('exited'), { type: 'releaseProcess' }),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => ignore(s),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
  dependenciesChanged: (s) => ignore(s),
};

export const TABLE: Table = {
  stopped,
  spawning,
  starting,
  online,
  failing,
  stopping,
  killing,
  waiting,
  blocked,
  exited: atRest<'exited'>(),
  errored: atRest<'errored'>(),
  unkillable,
};

export function transition(state: LifecycleState, event: LifecycleEvent, facts: TransitionFacts): Transition {
  const row = TABLE[state.name] as Row<StateName>;
  const handler = row[event.type] as (s: LifecycleState, e: LifecycleEvent, f: TransitionFacts) => Transition;
  return handler(state, event, facts);
}
