import type { RestartCause } from '../../core/instance-info.js';
import { INITIAL_HISTORY } from '../restart-policy.js';
import { afterExit } from './after-exit.js';
import { describeUnready } from './readiness.js';
import type {
  Effect,
  EventOf,
  EventType,
  HealthFailure,
  LifecycleEvent,
  LifecycleState,
  StateName,
  StateOf,
  Transition,
  TransitionFacts,
} from './states.js';

/**
 * The life of one managed instance as one table (DESIGN.md §3): for every state, what every
 * event does. A pair that does nothing says so (`ignore`), a pair that must not happen says
 * why (`reject`); a missing pair fails to compile. Pure: the instance runs the effects.
 */
type Row<S extends StateName> = { [E in EventType]: (state: StateOf<S>, event: EventOf<E>, facts: TransitionFacts) => Transition };
type Table = { [S in StateName]: Row<S> };

/** How often a stopped instance checks whether the rest of its process tree is gone. */
export const REAP_POLL_MS = 100;
/** The least time SIGKILL gets before an instance is declared impossible to stop. */
export const MIN_KILL_FAILED_MS = 1000;

const go = (next: LifecycleState, ...effects: Effect[]): Transition => ({ next, effects });
const ignore = (state: LifecycleState): Transition => ({ next: state, effects: [] });
const reject = (state: LifecycleState, why: string): Transition => ({ next: state, effects: [], rejected: why });
const record = (event: Extract<Effect, { type: 'record' }>['event'], cause: RestartCause | null = null, detail: string | null = null): Effect => ({
  type: 'record',
  event,
  cause,
  detail,
});

function spawn(origin: 'command' | 'policy', cause: RestartCause | null, ...before: Effect[]): Transition {
  return go({ name: 'spawning', origin, cause, then: 'run', queued: null }, ...before, { type: 'spawn' });
}

/** A start from rest: the crash-loop history starts over. */
function freshStart(cause: RestartCause | null): Transition {
  return spawn('command', cause, { type: 'setPolicyHistory', history: INITIAL_HISTORY });
}

function beginStop(queued: RestartCause | null, facts: TransitionFacts, ...before: Effect[]): Transition {
  return go({ name: 'stopping', queued, exited: false, failed: null }, ...before, { type: 'requestStop' }, { type: 'arm', timer: 'kill', delayMs: facts.killTimeoutMs });
}

/** Already SIGKILLed (a failed start): only the last timer is left before giving up on it. */
function keepKilling(queued: RestartCause | null, facts: TransitionFacts, ...before: Effect[]): Transition {
  return go({ name: 'killing', queued, exited: false, failed: null }, ...before, { type: 'arm', timer: 'killFailed', delayMs: killFailedMs(facts) });
}

function killFailedMs(facts: TransitionFacts): number {
  return Math.max(facts.killTimeoutMs, MIN_KILL_FAILED_MS);
}

function readiness(facts: TransitionFacts): Effect {
  return facts.readyKind !== null
    ? { type: 'arm', timer: 'ready', delayMs: facts.readyTimeoutMs }
    : { type: 'arm', timer: 'minUptime', delayMs: facts.minUptimeMs };
}

/** A liveness probe or the watchdog gave up on a running instance: stop it, then let the restart policy decide. */
function healthFailed(failed: HealthFailure, facts: TransitionFacts): Transition {
  return go(
    { name: 'stopping', queued: null, exited: false, failed },
    { type: 'log', level: 'warn', msg: `${failed.reason}; restarting it` },
    { type: 'requestStop' },
    { type: 'arm', timer: 'kill', delayMs: facts.killTimeoutMs },
  );
}

function armWatchdog(facts: TransitionFacts): Effect[] {
  return facts.watchdogMs > 0 ? [{ type: 'arm', timer: 'watchdog', delayMs: facts.watchdogMs }] : [];
}

function watchdogMissed(facts: TransitionFacts): Transition {
  return healthFailed({ cause: 'watchdog', reason: `no WATCHDOG=1 within watchdog_ms (${facts.watchdogMs} ms)` }, facts);
}

/** The process exists: run it, or carry out the stop (and restart) asked for meanwhile. */
function spawned(state: StateOf<'spawning'>, facts: TransitionFacts): Transition {
  const started = record('started', state.cause);
  if (state.then === 'stop') return beginStop(state.queued, facts, started);
  return go({ name: 'starting' }, started, readiness(facts), { type: 'startProbes' });
}

function spawnFailed(state: StateOf<'spawning'>, event: EventOf<'spawnFailed'>, facts: TransitionFacts): Transition {
  const noted = record('spawn-failed', state.cause, event.reason);
  if (state.then === 'stop' && state.queued === null) return go({ name: 'stopped' }, noted, { type: 'settleStops' });
  // A command's spawn failing is the user's answer; an automatic restart's is a failed run.
  if (state.origin === 'command') return go({ name: 'errored', reason: event.reason }, noted, { type: 'settleStops' });
  const decided = afterExit({ code: null, signal: null }, facts, { failedStart: true, failReason: event.reason, cause: state.cause ?? 'crash' });
  return { next: decided.next, effects: [noted, ...decided.effects] };
}

/** The main process of a stopping instance is gone; its tree may not be. */
function stopExited(state: StateOf<'stopping'> | StateOf<'killing'>, event: EventOf<'exited'>, facts: TransitionFacts): Transition {
  const noted: Effect[] = [{ type: 'noteExit', code: event.code, signal: event.signal }, record('exited')];
  if (!facts.treekill) return finishStop(state, facts, ...noted);
  return go({ ...state, exited: true }, ...noted, { type: 'checkTree' });
}

function treeChecked(state: StateOf<'stopping'> | StateOf<'killing'>, event: EventOf<'treeChecked'>, facts: TransitionFacts): Transition {
  if (!state.exited) return ignore(state);
  if (event.gone) return finishStop(state, facts);
  return go(state, { type: 'arm', timer: 'reap', delayMs: REAP_POLL_MS });
}

function finishStop(state: StateOf<'stopping'> | StateOf<'killing'>, facts: TransitionFacts, ...before: Effect[]): Transition {
  const { queued, failed } = state;
  if (queued === null && failed !== null) {
    // Stopped for failing a health check: restarted as after a crash (policy, backoff, max_restarts).
    const decided = afterExit({ code: null, signal: null }, facts, { failedStart: false, failReason: failed.reason, cause: failed.cause, ranMs: facts.uptimeMs });
    return { next: decided.next, effects: [...before, { type: 'releaseProcess' }, ...decided.effects] };
  }
  const done: Effect[] = [...before, { type: 'releaseProcess' }, record('stopped'), { type: 'settleStops' }];
  if (queued === null) return go({ name: 'stopped' }, ...done);
  return spawn('command', queued, ...done, { type: 'setPolicyHistory', history: INITIAL_HISTORY });
}

function killTimerFired(state: StateOf<'stopping'>, facts: TransitionFacts): Transition {
  return go(
    { name: 'killing', queued: state.queued, exited: state.exited, failed: state.failed },
    { type: 'log', level: 'warn', msg: 'kill_timeout passed, sending SIGKILL' },
    { type: 'killTree' },
    { type: 'arm', timer: 'killFailed', delayMs: killFailedMs(facts) },
    ...(state.exited ? [{ type: 'checkTree' } as const] : []),
  );
}

function killFailed(state: StateOf<'killing'>): Transition {
  const reason = state.exited
    ? 'could not be stopped: its child processes are still alive after SIGKILL'
    : 'could not be stopped: still alive after SIGKILL';
  const noted: Effect[] = [{ type: 'log', level: 'error', msg: reason }, record('errored', null, reason), { type: 'settleStops' }];
  if (state.exited) return go({ name: 'errored', reason }, { type: 'releaseProcess' }, ...noted);
  return go({ name: 'unkillable', reason }, ...noted);
}

function readyReceived(state: StateOf<'starting'>, event: EventOf<'readyReceived'>, facts: TransitionFacts): Transition {
  if (event.kind !== 'listening') return event.kind === facts.readyKind ? go({ name: 'online' }, ...armWatchdog(facts)) : ignore(state);
  const listened: Effect = { type: 'noteListened' };
  // Listening is a cluster worker's readiness unless the app promised an explicit contract.
  return facts.clusterMode && facts.readyKind === null ? go({ name: 'online' }, listened) : go(state, listened);
}

function readyTimedOut(facts: TransitionFacts): Transition {
  const reason = `${describeUnready(facts)} within ${facts.readyKind === 'probe' ? 'its probe time or listen_timeout' : 'listen_timeout'} (${facts.readyTimeoutMs} ms)`;
  return go(
    { name: 'failing', reason },
    { type: 'log', level: 'warn', msg: 'readiness timeout' },
    { type: 'killTree' },
    { type: 'arm', timer: 'killFailed', delayMs: killFailedMs(facts) },
  );
}

function crashed(event: EventOf<'exited'>, facts: TransitionFacts, failReason: string | null): Transition {
  return afterExit(event, facts, { failedStart: failReason !== null, failReason, cause: failReason !== null ? 'ready-timeout' : 'crash', running: true });
}

const UNKILLABLE = 'it could not be stopped and may still be running; stop it by hand (see describe)';
const NO_PROCESS = 'no process is attached yet';

const stopped: Row<'stopped'> = {
  start: (_s, e) => freshStart(e.cause),
  stop: (s) => ignore(s),
  restart: (_s, e) => freshStart(e.cause),
  adopted: () => go({ name: 'online' }, record('adopted'), { type: 'startProbes' }),
  spawned: (s) => reject(s, NO_PROCESS),
  spawnFailed: (s) => reject(s, NO_PROCESS),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  exited: (s) => ignore(s),
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
};

/** `exited` and `errored` answer commands as `stopped` does; they differ in what they report. */
function atRest<S extends 'exited' | 'errored'>(): Row<S> {
  return {
    start: (_s, e) => freshStart(e.cause),
    stop: (s) => ignore(s),
    restart: (_s, e) => freshStart(e.cause),
    adopted: (s) => reject(s, 'only a stopped instance adopts a process'),
    spawned: (s) => reject(s, NO_PROCESS),
    spawnFailed: (s) => reject(s, NO_PROCESS),
    spawnSkipped: (s) => ignore(s),
    readyReceived: (s) => ignore(s),
    exited: (s) => ignore(s),
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
};

const failing: Row<'failing'> = {
  start: (s) => ignore(s),
  stop: (_s, _e, f) => keepKilling(null, f),
  restart: (_s, e, f) => keepKilling(e.cause, f, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'a process is already attached'),
  spawned: (s) => reject(s, 'a process is already attached'),
  spawnFailed: (s) => reject(s, 'a process is already attached'),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  exited: (s, e, f) => crashed(e, f, s.reason),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => ignore(s),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => go({ name: 'unkillable', reason: `${s.reason}, and could not be killed` }, record('errored', null, s.reason), { type: 'settleStops' }),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
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
};

const waiting: Row<'waiting'> = {
  start: (_s, e) => spawn('command', e.cause),
  stop: () => go({ name: 'stopped' }, record('stopped'), { type: 'settleStops' }),
  restart: (_s, e) => spawn('command', e.cause, { type: 'countRestart' }),
  adopted: (s) => reject(s, 'only a stopped instance adopts a process'),
  spawned: (s) => reject(s, NO_PROCESS),
  spawnFailed: (s) => reject(s, NO_PROCESS),
  spawnSkipped: (s) => ignore(s),
  readyReceived: (s) => ignore(s),
  exited: (s) => ignore(s),
  minUptimeElapsed: (s) => ignore(s),
  readyTimedOut: (s) => ignore(s),
  restartTimerFired: (s) => spawn('policy', s.cause, { type: 'countRestart' }),
  killTimerFired: (s) => ignore(s),
  killFailedTimerFired: (s) => ignore(s),
  reapTimerFired: (s) => ignore(s),
  treeChecked: (s) => ignore(s),
  livenessFailed: (s) => ignore(s),
  watchdogPinged: (s) => ignore(s),
  watchdogTimerFired: (s) => ignore(s),
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
  exited: atRest<'exited'>(),
  errored: atRest<'errored'>(),
  unkillable,
};

export function transition(state: LifecycleState, event: LifecycleEvent, facts: TransitionFacts): Transition {
  const row = TABLE[state.name] as Row<StateName>;
  const handler = row[event.type] as (s: LifecycleState, e: LifecycleEvent, f: TransitionFacts) => Transition;
  return handler(state, event, facts);
}
