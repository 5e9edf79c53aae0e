import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toPublicStatus } from '../../../src/core/status.js';
import {
  type Effect,
  type LifecycleEvent,
  type LifecycleState,
  type StateName,
  type TransitionFacts,
  coarseState,
  hasProcess,
  isWanted,
} from '../../../src/daemon/lifecycle/states.js';
import { TABLE, transition } from '../../../src/daemon/lifecycle/transition.js';
import { INITIAL_HISTORY } from '../../../src/daemon/restart-policy.js';

const FACTS: TransitionFacts = {
  readyKind: null,
  readyTimeoutMs: 3000,
  watchdogMs: 0,
  clusterMode: false,
  minUptimeMs: 1000,
  killTimeoutMs: 1600,
  treekill: true,
  policy: { autorestart: true, stopExitCodes: [], minUptimeMs: 1000, maxRestarts: 16, restartDelayMs: 0, expBackoffRestartDelayMs: 0 },
  policyHistory: INITIAL_HISTORY,
  uptimeMs: 5000,
  blocker: null,
};
const facts = (extra: Partial<TransitionFacts> = {}): TransitionFacts => ({ ...FACTS, ...extra });

/** Every state, in each of the shapes it can take. */
const STATES: LifecycleState[] = [
  { name: 'stopped' },
  { name: 'spawning', origin: 'command', cause: null, then: 'run', queued: null },
  { name: 'spawning', origin: 'policy', cause: 'crash', then: 'run', queued: null },
  { name: 'spawning', origin: 'command', cause: null, then: 'stop', queued: null },
  { name: 'spawning', origin: 'command', cause: null, then: 'stop', queued: 'manual' },
  { name: 'starting' },
  { name: 'online' },
  { name: 'failing', reason: 'did not send "ready"' },
  { name: 'stopping', queued: null, exited: false, failed: null },
  { name: 'stopping', queued: 'manual', exited: true, failed: null },
  { name: 'killing', queued: null, exited: false, failed: null },
  { name: 'killing', queued: 'watch', exited: true, failed: null },
  { name: 'stopping', queued: null, exited: false, failed: { cause: 'liveness', reason: 'liveness probe failed: HTTP 500' } },
  { name: 'killing', queued: null, exited: true, failed: { cause: 'watchdog', reason: 'no WATCHDOG=1' } },
  { name: 'waiting', cause: 'crash' },
  { name: 'blocked', on: 'db', reason: 'waiting for db (launching)', origin: 'command', cause: null },
  { name: 'blocked', on: 'db', reason: 'waiting for db (errored)', origin: 'policy', cause: 'crash' },
  { name: 'exited' },
  { name: 'errored', reason: 'gave up' },
  { name: 'unkillable', reason: 'could not be stopped' },
];

const EVENTS: LifecycleEvent[] = [
  { type: 'start', cause: null },
  { type: 'stop' },
  { type: 'restart', cause: 'manual' },
  { type: 'adopted' },
  { type: 'spawned' },
  { type: 'spawnFailed', reason: 'ENOENT' },
  { type: 'spawnSkipped' },
  { type: 'readyReceived', kind: 'ready' },
  { type: 'readyReceived', kind: 'listening' },
  { type: 'readyReceived', kind: 'notify' },
  { type: 'readyReceived', kind: 'fd' },
  { type: 'readyReceived', kind: 'probe' },
  { type: 'livenessFailed', detail: 'HTTP 500' },
  { type: 'watchdogPinged' },
  { type: 'watchdogTimerFired' },
  { type: 'exited', code: 1, signal: null },
  { type: 'minUptimeElapsed' },
  { type: 'readyTimedOut' },
  { type: 'restartTimerFired' },
  { type: 'killTimerFired' },
  { type: 'killFailedTimerFired' },
  { type: 'reapTimerFired' },
  { type: 'treeChecked', gone: true },
  { type: 'treeChecked', gone: false },
  { type: 'dependenciesChanged' },
];

const BLOCKER = { on: 'db', reason: 'waiting for db (launching)' } as const;
const armed = (effects: Effect[]): string[] => effects.flatMap((e) => (e.type === 'arm' ? [e.timer] : []));
const has = (effects: Effect[], type: Effect['type']): boolean => effects.some((e) => e.type === type);

test('the table has a row for every state and a cell for every event', () => {
  const stateNames = new Set(STATES.map((s) => s.name));
  const eventTypes = new Set(EVENTS.map((e) => e.type));
  assert.deepEqual(Object.keys(TABLE).sort(), [...stateNames].sort(), 'every state is walked below');
  for (const name of stateNames) {
    assert.deepEqual(Object.keys(TABLE[name as StateName]).sort(), [...eventTypes].sort(), `row ${name}`);
  }
});

test('every (state, event) pair gives a state whose timers it arms itself and keeps the invariants', () => {
  for (const [readyKind, blocker] of [[null, null], ['ready', null], ['notify', null], ['fd', null], ['probe', null], [null, BLOCKER]] as const) {
    for (const clusterMode of [false, true]) {
      for (const state of STATES) {
        for (const event of EVENTS) {
          const where = `${JSON.stringify(state)} + ${JSON.stringify(event)} (readyKind ${readyKind}, cluster ${clusterMode}, blocker ${blocker?.on ?? null})`;
          const { next, effects } = transition(state, event, facts({ readyKind, clusterMode, watchdogMs: readyKind === 'notify' ? 500 : 0, blocker }));
          const timers = armed(effects);
          // A state that lives by a timer arms it when entered.
          if (next.name === 'waiting' && state.name !== 'waiting') assert.ok(timers.includes('restart'), `${where}: waiting without a restart timer`);
          if (next.name === 'stopping' && state.name !== 'stopping') assert.ok(timers.includes('kill'), `${where}: stopping without kill_timeout`);
          if (next.name === 'killing' && state.name !== 'killing') assert.ok(timers.includes('killFailed'), `${where}: killing without its last timer`);
          if (next.name === 'starting' && state.name !== 'starting') assert.equal(timers.length, 1, `${where}: starting arms exactly one readiness timer`);
          // Probes start only with a process that may serve.
          if (has(effects, 'startProbes')) assert.ok(next.name === 'starting' || next.name === 'online', where);
          // A health failure restarts nothing by itself: it stops the process and lets the policy decide.
          if (event.type === 'livenessFailed' || event.type === 'watchdogTimerFired') assert.ok(!has(effects, 'spawn'), where);
          // A spawn is only asked for when entering spawning.
          if (has(effects, 'spawn')) assert.equal(next.name, 'spawning', where);
          // Never online without a process, and never a process in a state that says there is none.
          if (toPublicStatus(coarseState(next)) === 'online') assert.ok(hasProcess(next), where);
          // A stop is never turned into a restart of a process that could not be stopped.
          if (state.name === 'unkillable') assert.ok(!has(effects, 'spawn'), where);
          // Nothing spawns while a dependency is not online, except a start already past the gate (spawning).
          if (blocker !== null && has(effects, 'spawn')) assert.equal(state.name, 'spawning', where);
          // Only dependencies hold an instance back, and it is reported as waiting.
          if (next.name === 'blocked') assert.ok(toPublicStatus(coarseState(next)) === 'waiting' && isWanted(next), where);
          if (next.name === 'blocked' && state.name !== 'blocked') assert.ok(blocker !== null, where);
          if (next.name === 'blocked' && state.name !== 'blocked') assert.deepEqual(armed(effects), [], `${where}: blocked arms no timer`);
        }
      }
    }
  }
});

// The defects the table was written to end (issue 13), one row each.

test('a cluster worker that never listens is online at min_uptime, and nothing times it out', () => {
  const cluster = facts({ clusterMode: true });
  const spawned = transition({ name: 'spawning', origin: 'command', cause: null, then: 'run', queued: null }, { type: 'spawned' }, cluster);
  assert.equal(spawned.next.name, 'starting');
  assert.deepEqual(armed(spawned.effects), ['minUptime']);
  assert.equal(transition({ name: 'starting' }, { type: 'minUptimeElapsed' }, cluster).next.name, 'online');
  assert.equal(transition({ name: 'starting' }, { type: 'readyTimedOut' }, cluster).next.name, 'starting', 'no readiness timeout without wait_ready');
});

test('a cluster worker that listens is online at once, and listening later is remembered', () => {
  const cluster = facts({ clusterMode: true });
  const listened = transition({ name: 'starting' }, { type: 'readyReceived', kind: 'listening' }, cluster);
  assert.equal(listened.next.name, 'online');
  assert.ok(has(listened.effects, 'noteListened'));
  assert.ok(has(transition({ name: 'online' }, { type: 'readyReceived', kind: 'listening' }, cluster).effects, 'noteListened'));
});

test('with wait_ready only "ready" makes it online; min_uptime does not', () => {
  const ready = facts({ readyKind: 'ready' });
  assert.deepEqual(armed(transition({ name: 'spawning', origin: 'command', cause: null, then: 'run', queued: null }, { type: 'spawned' }, ready).effects), ['ready']);
  assert.equal(transition({ name: 'starting' }, { type: 'minUptimeElapsed' }, ready).next.name, 'starting');
  assert.equal(transition({ name: 'starting' }, { type: 'readyReceived', kind: 'listening' }, facts({ readyKind: 'ready', clusterMode: true })).next.name, 'starting');
  assert.equal(transition({ name: 'starting' }, { type: 'readyReceived', kind: 'ready' }, ready).next.name, 'online');
});

test('a readiness timeout is a failed, unstable start: stopped, then restarted after the policy delay, then errored with the reason', () => {
  const ready = facts({ readyKind: 'ready', uptimeMs: 60_000 });
  const timedOut = transition({ name: 'starting' }, { type: 'readyTimedOut' }, ready);
  assert.equal(timedOut.next.name, 'failing');
  // Stopped as a stop does, for it may already serve: its kill signal, SIGKILL only after kill_timeout.
  assert.ok(has(timedOut.effects, 'requestStop'));
  assert.ok(!has(timedOut.effects, 'killTree'));
  assert.deepEqual(armed(timedOut.effects), ['kill']);
  const overdue = transition(timedOut.next, { type: 'killTimerFired' }, ready);
  assert.equal(overdue.next.name, 'failing');
  assert.ok(has(overdue.effects, 'killTree'));
  assert.deepEqual(armed(overdue.effects), ['killFailed']);
  assert.equal(transition(overdue.next, { type: 'killFailedTimerFired' }, ready).next.name, 'unkillable');
  // A stop asked meanwhile carries the stop on (no second signal) and ends stopped, not restarted.
  const stopped = transition(timedOut.next, { type: 'stop' }, ready);
  assert.deepEqual(stopped.next, { name: 'stopping', queued: null, exited: false, failed: null });
  assert.ok(!has(stopped.effects, 'requestStop'));
  assert.deepEqual(armed(stopped.effects), ['kill']);
  assert.deepEqual(transition(stopped.next, { type: 'exited', code: 0, signal: null }, ready).next, { name: 'stopping', queued: null, exited: true, failed: null }, 'its tree checked, then stopped');
  const exited = transition(timedOut.next, { type: 'exited', code: null, signal: 'SIGINT' }, ready);
  assert.equal(exited.next.name, 'waiting');
  const history = exited.effects.find((e) => e.type === 'setPolicyHistory');
  assert.equal(history?.type === 'setPolicyHistory' ? history.history.unstableRestarts : -1, 1, 'unstable however long it ran');
  const givingUp = transition(timedOut.next, { type: 'exited', code: null, signal: 'SIGKILL' }, { ...ready, policyHistory: { unstableRestarts: 16, lastBackoffDelayMs: 0 } });
  assert.equal(givingUp.next.name, 'errored');
  assert.match(givingUp.next.name === 'errored' ? givingUp.next.reason : '', /did not send "ready" within listen_timeout \(3000 ms\).*16 times/);
});

test('a stop that could not kill the process ends unkillable, and its late death never restarts it', () => {
  const killing: LifecycleState = { name: 'killing', queued: 'manual', exited: false, failed: null };
  const gaveUp = transition(killing, { type: 'killFailedTimerFired' }, FACTS);
  assert.equal(gaveUp.next.name, 'unkillable');
  assert.equal(toPublicStatus(coarseState(gaveUp.next)), 'errored');
  const died = transition(gaveUp.next, { type: 'exited', code: null, signal: 'SIGKILL' }, FACTS);
  assert.equal(died.next.name, 'errored');
  assert.ok(!has(died.effects, 'spawn') && !armed(died.effects).includes('restart'));
  assert.ok(transition(gaveUp.next, { type: 'start', cause: null }, FACTS).rejected, 'a start is refused while it may still run');
});

test('a restart during a spawn stops the new process and starts another', () => {
  const spawning: LifecycleState = { name: 'spawning', origin: 'command', cause: null, then: 'run', queued: null };
  const asked = transition(spawning, { type: 'restart', cause: 'manual' }, FACTS);
  assert.deepEqual(asked.next, { ...spawning, then: 'stop', queued: 'manual' });
  const spawned = transition(asked.next, { type: 'spawned' }, FACTS);
  assert.deepEqual(spawned.next, { name: 'stopping', queued: 'manual', exited: false, failed: null });
  assert.ok(has(spawned.effects, 'requestStop'));
});

test('a spawn error of an automatic restart is a failed run; of a command, an error', () => {
  const policy: LifecycleState = { name: 'spawning', origin: 'policy', cause: 'crash', then: 'run', queued: null };
  const retried = transition(policy, { type: 'spawnFailed', reason: 'cwd /srv/app does not exist' }, FACTS);
  assert.equal(retried.next.name, 'waiting');
  const exhausted = transition(policy, { type: 'spawnFailed', reason: 'cwd /srv/app does not exist' }, { ...FACTS, policyHistory: { unstableRestarts: 16, lastBackoffDelayMs: 0 } });
  assert.equal(exhausted.next.name, 'errored');
  assert.match(exhausted.next.name === 'errored' ? exhausted.next.reason : '', /cwd \/srv\/app does not exist/);
  const command = transition({ ...policy, origin: 'command' }, { type: 'spawnFailed', reason: 'not found' }, FACTS);
  assert.deepEqual(command.next, { name: 'errored', reason: 'not found' });
});

test('an instance stopping for a restart is still wanted, so a daemon crash meanwhile brings it back', () => {
  assert.equal(isWanted({ name: 'stopping', queued: 'manual', exited: false, failed: null }), true);
  assert.equal(isWanted({ name: 'killing', queued: 'watch', exited: true, failed: null }), true);
  assert.equal(isWanted({ name: 'stopping', queued: null, exited: false, failed: null }), false);
  assert.equal(isWanted({ name: 'spawning', origin: 'command', cause: null, then: 'stop', queued: null }), false);
  assert.equal(isWanted({ name: 'waiting', cause: 'crash' }), true);
  assert.equal(isWanted({ name: 'exited' }), false);
});

test('a crash loop waits longer and longer between restarts', () => {
  const delays: number[] = [];
  let policyHistory = INITIAL_HISTORY;
  for (let i = 0; i < 8; i += 1) {
    const { effects } = transition({ name: 'online' }, { type: 'exited', code: 1, signal: null }, facts({ uptimeMs: 10, policyHistory }));
    const arm = effects.find((e) => e.type === 'arm');
    const next = effects.find((e) => e.type === 'setPolicyHistory');
    delays.push(arm?.type === 'arm' ? arm.delayMs : -1);
    if (next?.type === 'setPolicyHistory') policyHistory = next.history;
  }
  assert.deepEqual(delays, [0, 100, 200, 400, 800, 1600, 2000, 2000]);
});

test('a stop of a process that exited leaves its tree to be checked until it is gone', () => {
  const stopping: LifecycleState = { name: 'stopping', queued: null, exited: false, failed: null };
  const exited = transition(stopping, { type: 'exited', code: 0, signal: null }, FACTS);
  assert.deepEqual(exited.next, { ...stopping, exited: true });
  assert.ok(has(exited.effects, 'checkTree'));
  assert.deepEqual(armed(transition(exited.next, { type: 'treeChecked', gone: false }, FACTS).effects), ['reap']);
  const gone = transition(exited.next, { type: 'treeChecked', gone: true }, FACTS);
  assert.equal(gone.next.name, 'stopped');
  assert.ok(has(gone.effects, 'settleStops'));
  const restart = transition({ ...stopping, exited: true, queued: 'manual' }, { type: 'treeChecked', gone: true }, FACTS);
  assert.equal(restart.next.name, 'spawning');
});

// Readiness protocols and health checks (issue 18).

test('each readiness contract is met only by its own signal: notify, fd, probe', () => {
  for (const kind of ['notify', 'fd', 'probe'] as const) {
    const contract = facts({ readyKind: kind });
    for (const other of ['ready', 'notify', 'fd', 'probe', 'listening'] as const) {
      const next = transition({ name: 'starting' }, { type: 'readyReceived', kind: other }, contract).next.name;
      assert.equal(next, other === kind ? 'online' : 'starting', `${kind} contract, ${other} received`);
    }
    assert.equal(transition({ name: 'starting' }, { type: 'minUptimeElapsed' }, contract).next.name, 'starting');
    assert.equal(transition({ name: 'starting' }, { type: 'readyTimedOut' }, contract).next.name, 'failing');
  }
});

test('a readiness probe that never passes fails the start with a reason naming the probe', () => {
  const probe = facts({ readyKind: 'probe', readyTimeoutMs: 4000 });
  const timedOut = transition({ name: 'starting' }, { type: 'readyTimedOut' }, probe);
  assert.match(timedOut.next.name === 'failing' ? timedOut.next.reason : '', /readiness probe.*4000 ms/);
  const exitedEarly = transition({ name: 'starting' }, { type: 'exited', code: 1, signal: null }, probe);
  const scheduled = exitedEarly.effects.find((e) => e.type === 'record' && e.event === 'restart-scheduled');
  assert.equal(scheduled?.type === 'record' ? scheduled.cause : null, 'ready-timeout');
});

test('a liveness failure stops the instance, then the restart policy restarts it with cause liveness', () => {
  const failed = transition({ name: 'online' }, { type: 'livenessFailed', detail: 'HTTP 500' }, FACTS);
  assert.deepEqual(failed.next, { name: 'stopping', queued: null, exited: false, failed: { cause: 'liveness', reason: 'liveness probe failed: HTTP 500' } });
  assert.ok(has(failed.effects, 'requestStop'));
  assert.deepEqual(armed(failed.effects), ['kill']);
  assert.equal(isWanted(failed.next), true, 'a daemon crash meanwhile brings it back');
  const exited = transition(failed.next, { type: 'exited', code: null, signal: 'SIGINT' }, FACTS);
  const gone = transition(exited.next, { type: 'treeChecked', gone: true }, FACTS);
  assert.equal(gone.next.name, 'waiting');
  assert.deepEqual(gone.next, { name: 'waiting', cause: 'liveness' });
  assert.ok(armed(gone.effects).includes('restart'));
  // During a start, too (Kubernetes runs liveness from the start, after initial_delay_ms).
  assert.equal(transition({ name: 'starting' }, { type: 'livenessFailed', detail: 'ECONNREFUSED' }, FACTS).next.name, 'stopping');
});

test('a liveness restart follows the policy: autorestart off leaves it exited, a loop of them errors it', () => {
  const stopped: LifecycleState = { name: 'stopping', queued: null, exited: true, failed: { cause: 'liveness', reason: 'liveness probe failed' } };
  const off = facts({ policy: { ...FACTS.policy, autorestart: false } });
  assert.equal(transition(stopped, { type: 'treeChecked', gone: true }, off).next.name, 'exited');
  const looping = facts({ uptimeMs: 10, policyHistory: { unstableRestarts: 16, lastBackoffDelayMs: 0 } });
  assert.equal(transition(stopped, { type: 'treeChecked', gone: true }, looping).next.name, 'errored');
});

test('a user command during a health stop wins over the automatic restart', () => {
  const stopping: LifecycleState = { name: 'stopping', queued: null, exited: true, failed: { cause: 'watchdog', reason: 'no WATCHDOG=1' } };
  const stopped = transition(stopping, { type: 'stop' }, FACTS);
  assert.deepEqual(stopped.next, { ...stopping, failed: null });
  assert.equal(transition(stopped.next, { type: 'treeChecked', gone: true }, FACTS).next.name, 'stopped');
  const restarted = transition(stopping, { type: 'restart', cause: 'manual' }, FACTS);
  assert.equal(transition(restarted.next, { type: 'treeChecked', gone: true }, FACTS).next.name, 'spawning');
});

test('the watchdog is armed when a notify app is ready, re-armed by each WATCHDOG=1, and a miss restarts it with cause watchdog', () => {
  const notify = facts({ readyKind: 'notify', watchdogMs: 500 });
  const ready = transition({ name: 'starting' }, { type: 'readyReceived', kind: 'notify' }, notify);
  assert.equal(ready.next.name, 'online');
  assert.deepEqual(armed(ready.effects), ['watchdog']);
  assert.deepEqual(armed(transition({ name: 'online' }, { type: 'watchdogPinged' }, notify).effects), ['watchdog']);
  const missed = transition({ name: 'online' }, { type: 'watchdogTimerFired' }, notify);
  assert.equal(missed.next.name === 'stopping' ? missed.next.failed?.cause : null, 'watchdog');
  assert.deepEqual(armed(transition({ name: 'starting' }, { type: 'readyReceived', kind: 'notify' }, facts({ readyKind: 'notify' })).effects), [], 'no watchdog_ms, no timer');
});

// depends_on (issue 19).

test('a start from rest waits, blocked, while a dependency is not online, and keeps the reason up to date', () => {
  for (const rest of [{ name: 'stopped' }, { name: 'exited' }, { name: 'errored', reason: 'gave up' }] as const) {
    const held = transition(rest, { type: 'start', cause: null }, facts({ blocker: BLOCKER }));
    assert.deepEqual(held.next, { name: 'blocked', on: 'db', reason: 'waiting for db (launching)', origin: 'command', cause: null });
    assert.ok(!has(held.effects, 'spawn') && !has(held.effects, 'countRestart'));
  }
  const blocked: LifecycleState = { name: 'blocked', on: 'db', reason: 'waiting for db (launching)', origin: 'command', cause: null };
  const errored = transition(blocked, { type: 'dependenciesChanged' }, facts({ blocker: { on: 'db', reason: 'waiting for db (errored)' } }));
  assert.deepEqual(errored.next, { ...blocked, reason: 'waiting for db (errored)' });
  const same = transition(blocked, { type: 'dependenciesChanged' }, facts({ blocker: BLOCKER }));
  assert.equal(same.next, blocked, 'nothing changed: the same state object, so no change is announced');
  const online = transition(blocked, { type: 'dependenciesChanged' }, FACTS);
  assert.equal(online.next.name, 'spawning');
  assert.ok(has(online.effects, 'spawn') && !has(online.effects, 'countRestart'));
});

test('a crash restart held back by a dependency counts as a restart only when it spawns', () => {
  const timer = transition({ name: 'waiting', cause: 'crash' }, { type: 'restartTimerFired' }, facts({ blocker: BLOCKER }));
  assert.deepEqual(timer.next, { name: 'blocked', on: 'db', reason: 'waiting for db (launching)', origin: 'policy', cause: 'crash' });
  assert.ok(!has(timer.effects, 'countRestart'));
  const freed = transition(timer.next, { type: 'dependenciesChanged' }, FACTS);
  assert.deepEqual(freed.next, { name: 'spawning', origin: 'policy', cause: 'crash', then: 'run', queued: null });
  assert.ok(has(freed.effects, 'countRestart'));
});

test('a restart of a running app waits for its dependencies after the stop', () => {
  const stopping: LifecycleState = { name: 'stopping', queued: 'manual', exited: true, failed: null };
  const gone = transition(stopping, { type: 'treeChecked', gone: true }, facts({ blocker: BLOCKER }));
  assert.equal(gone.next.name, 'blocked');
  assert.ok(has(gone.effects, 'settleStops') && has(gone.effects, 'releaseProcess'));
});

test('a blocked instance stops at once, and a running one ignores its dependencies', () => {
  const blocked: LifecycleState = { name: 'blocked', on: 'db', reason: 'waiting for db (stopped)', origin: 'command', cause: null };
  const stopped = transition(blocked, { type: 'stop' }, FACTS);
  assert.equal(stopped.next.name, 'stopped');
  assert.ok(has(stopped.effects, 'settleStops'));
  assert.equal(isWanted(stopped.next), false);
  for (const state of [{ name: 'online' }, { name: 'starting' }] as const) {
    assert.equal(transition(state, { type: 'dependenciesChanged' }, facts({ blocker: BLOCKER })).next, state);
  }
});
