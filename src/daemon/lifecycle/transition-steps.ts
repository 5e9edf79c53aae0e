import type { RestartCause } from '../../core/instance-info.js';
import type { Blocker } from '../dependencies.js';
import { INITIAL_HISTORY } from '../restart-policy.js';
import { afterExit } from './after-exit.js';
import { describeUnready } from './readiness.js';
import type { Effect, EventOf, HealthFailure, LifecycleState, StateOf, Transition, TransitionFacts } from './states.js';

/**
 * The steps the lifecycle table (transition.ts) is written with: each builds the next state
 * and its effects for one kind of moment (a spawn done, a stop finished, a timer fired).
 */

/** How often a stopped instance checks whether the rest of its process tree is gone. */
export const REAP_POLL_MS = 100;
/** The least time SIGKILL gets before an instance is declared impossible to stop. */
export const MIN_KILL_FAILED_MS = 1000;

export const go = (next: LifecycleState, ...effects: Effect[]): Transition => ({ next, effects });
export const ignore = (state: LifecycleState): Transition => ({ next: state, effects: [] });
export const reject = (state: LifecycleState, why: string): Transition => ({ next: state, effects: [], rejected: why });
export const record = (event: Extract<Effect, { type: 'record' }>['event'], cause: RestartCause | null = null, detail: string | null = null): Effect => ({
  type: 'record',
  event,
  cause,
  detail,
});

export function spawn(origin: 'command' | 'policy', cause: RestartCause | null, ...before: Effect[]): Transition {
  return go({ name: 'spawning', origin, cause, then: 'run', queued: null }, ...before, { type: 'spawn' });
}

/**
 * A start depends_on may hold back: while a dependency is not online the instance is `blocked`
 * (reported as waiting, with the reason), else it spawns. `onSpawn` effects belong to a spawn
 * only (an automatic restart is counted when it happens).
 */
export function gatedSpawn(origin: 'command' | 'policy', cause: RestartCause | null, facts: TransitionFacts, before: Effect[] = [], onSpawn: Effect[] = []): Transition {
  const blocker = facts.blocker;
  if (blocker === null) return spawn(origin, cause, ...before, ...onSpawn);
  return go({ name: 'blocked', ...blockedOn(blocker), origin, cause }, ...before, { type: 'log', level: 'info', msg: blocker.reason });
}

/** A blocked instance looks again at its dependencies: it spawns once all are online, or keeps waiting with the current reason. */
export function unblock(state: StateOf<'blocked'>, facts: TransitionFacts): Transition {
  const blocker = facts.blocker;
  if (blocker === null) return spawn(state.origin, state.cause, ...(state.origin === 'policy' ? [{ type: 'countRestart' } as const] : []));
  // Unchanged: no new state, so no change is announced (two apps waiting on each other must not ping-pong).
  if (blocker.on === state.on && blocker.reason === state.reason && blocker.stuck === state.stuck) return ignore(state);
  const { stuck: _stuck, ...rest } = state;
  return go({ ...rest, ...blockedOn(blocker) });
}

/** A start from rest: the crash-loop history starts over. */
export function freshStart(cause: RestartCause | null, facts: TransitionFacts): Transition {
  return gatedSpawn('command', cause, facts, [{ type: 'setPolicyHistory', history: INITIAL_HISTORY }]);
}

export function beginStop(queued: RestartCause | null, facts: TransitionFacts, ...before: Effect[]): Transition {
  return go({ name: 'stopping', queued, exited: false, failed: null }, ...before, { type: 'requestStop' }, { type: 'arm', timer: 'kill', delayMs: facts.killTimeoutMs });
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
export function healthFailed(failed: HealthFailure, facts: TransitionFacts): Transition {
  return go(
    { name: 'stopping', queued: null, exited: false, failed },
    { type: 'log', level: 'warn', msg: `${failed.reason}; restarting it` },
    { type: 'requestStop' },
    { type: 'arm', timer: 'kill', delayMs: facts.killTimeoutMs },
  );
}

export function armWatchdog(facts: TransitionFacts): Effect[] {
  return facts.watchdogMs > 0 ? [{ type: 'arm', timer: 'watchdog', delayMs: facts.watchdogMs }] : [];
}

export function watchdogMissed(facts: TransitionFacts): Transition {
  return healthFailed({ cause: 'watchdog', reason: `no WATCHDOG=1 within watchdog_ms (${facts.watchdogMs} ms)` }, facts);
}

/** The process exists: run it, or carry out the stop (and restart) asked for meanwhile. */
export function spawned(state: StateOf<'spawning'>, facts: TransitionFacts): Transition {
  const started = record('started', state.cause);
  if (state.then === 'stop') return beginStop(state.queued, facts, started);
  return go({ name: 'starting' }, started, readiness(facts), { type: 'startProbes' });
}

export function spawnFailed(state: StateOf<'spawning'>, event: EventOf<'spawnFailed'>, facts: TransitionFacts): Transition {
  const noted = record('spawn-failed', state.cause, event.reason);
  if (state.then === 'stop' && state.queued === null) return go({ name: 'stopped' }, noted, { type: 'settleStops' });
  // A command's spawn failing is the user's answer; an automatic restart's is a failed run.
  if (state.origin === 'command') return go({ name: 'errored', reason: event.reason }, noted, { type: 'settleStops' });
  const decided = afterExit({ code: null, signal: null }, facts, { failedStart: true, failReason: event.reason, cause: state.cause ?? 'crash' });
  return { next: decided.next, effects: [noted, ...decided.effects] };
}

/** The main process of a stopping instance is gone; its tree may not be. */
export function stopExited(state: StateOf<'stopping'> | StateOf<'killing'>, event: EventOf<'exited'>, facts: TransitionFacts): Transition {
  const noted: Effect[] = [{ type: 'noteExit', code: event.code, signal: event.signal }, record('exited')];
  if (!facts.treekill) return finishStop(state, facts, ...noted);
  return go({ ...state, exited: true }, ...noted, { type: 'checkTree' });
}

export function treeChecked(state: StateOf<'stopping'> | StateOf<'killing'>, event: EventOf<'treeChecked'>, facts: TransitionFacts): Transition {
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
  return gatedSpawn('command', queued, facts, [...done, { type: 'setPolicyHistory', history: INITIAL_HISTORY }]);
}

export function killTimerFired(state: StateOf<'stopping'>, facts: TransitionFacts): Transition {
  return go(
    { name: 'killing', queued: state.queued, exited: state.exited, failed: state.failed },
    { type: 'log', level: 'warn', msg: 'kill_timeout passed, sending SIGKILL' },
    { type: 'killTree' },
    { type: 'arm', timer: 'killFailed', delayMs: killFailedMs(facts) },
    ...(state.exited ? [{ type: 'checkTree' } as const] : []),
  );
}

export function killFailed(state: StateOf<'killing'>): Transition {
  const reason = state.exited
    ? 'could not be stopped: its child processes are still alive after SIGKILL'
    : 'could not be stopped: still alive after SIGKILL';
  const noted: Effect[] = [{ type: 'log', level: 'error', msg: reason }, record('errored', null, reason), { type: 'settleStops' }];
  if (state.exited) return go({ name: 'errored', reason }, { type: 'releaseProcess' }, ...noted);
  return go({ name: 'unkillable', reason }, ...noted);
}

export function readyReceived(state: StateOf<'starting'>, event: EventOf<'readyReceived'>, facts: TransitionFacts): Transition {
  if (event.kind !== 'listening') return event.kind === facts.readyKind ? go({ name: 'online' }, ...armWatchdog(facts)) : ignore(state);
  const listened: Effect = { type: 'noteListened' };
  // Listening is a cluster worker's readiness unless the app promised an explicit contract.
  return facts.clusterMode && facts.readyKind === null ? go({ name: 'online' }, listened) : go(state, listened);
}

/**
 * A start not ready in time has failed, and is stopped as a stop does (its kill signal, SIGKILL
 * after kill_timeout), as systemd stops a unit past TimeoutStartSec: an instance that is not
 * ready may already serve (a `listen` app accepts on the sockets it shares, a cluster worker
 * that listened gets connections), and a SIGKILL would reset what it had accepted.
 */
export function readyTimedOut(facts: TransitionFacts): Transition {
  const reason = `${describeUnready(facts)} within ${facts.readyKind === 'probe' ? 'its probe time or listen_timeout' : 'listen_timeout'} (${facts.readyTimeoutMs} ms)`;
  return go(
    { name: 'failing', reason },
    { type: 'log', level: 'warn', msg: 'readiness timeout' },
    { type: 'requestStop' },
    { type: 'arm', timer: 'kill', delayMs: facts.killTimeoutMs },
  );
}

/** A failed start that outlived its kill signal by kill_timeout: SIGKILL, then the last timer. */
export function failingKillTimerFired(state: StateOf<'failing'>, facts: TransitionFacts): Transition {
  return go(
    state,
    { type: 'log', level: 'warn', msg: 'kill_timeout passed, sending SIGKILL' },
    { type: 'killTree' },
    { type: 'arm', timer: 'killFailed', delayMs: killFailedMs(facts) },
  );
}

/** A stop or restart asked while a failed start is being stopped: the stop it already had goes on. */
export function stopWhileFailing(queued: RestartCause | null, facts: TransitionFacts, ...before: Effect[]): Transition {
  return go({ name: 'stopping', queued, exited: false, failed: null }, ...before, { type: 'arm', timer: 'kill', delayMs: facts.killTimeoutMs });
}

export function crashed(event: EventOf<'exited'>, facts: TransitionFacts, failReason: string | null): Transition {
  return afterExit(event, facts, { failedStart: failReason !== null, failReason, cause: failReason !== null ? 'ready-timeout' : 'crash', running: true });
}

/** The blocked state's account of its blocker (`stuck` only when set). */
function blockedOn(blocker: Blocker): { on: string; reason: string; stuck?: true } {
  return { on: blocker.on, reason: blocker.reason, ...(blocker.stuck ? { stuck: true as const } : {}) };
}
