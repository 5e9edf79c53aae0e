import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { AppSpec } from '../../../src/core/app-spec.js';
import type { Clock } from '../../../src/core/clock.js';
import type { HistoryEntry } from '../../../src/core/instance-info.js';
import { BoundedList } from '../../../src/daemon/bounded-list.js';
import { STATE_WRITE_SPACING, StateKeeper } from '../../../src/daemon/state-keeper.js';
import type { Instance } from '../../../src/daemon/instance.js';
import { PersistedInstances } from '../../../src/daemon/persisted-instances.js';
import { type PersistedInstance, type PersistedState, serializeState, writeState } from '../../../src/daemon/state-file.js';

function entry(at: number): HistoryEntry {
  return { at, event: 'started', pid: at, exitCode: null, signal: null, cause: null, detail: null };
}

function stateWith(history: readonly HistoryEntry[], nextId = 1): PersistedState {
  return {
    version: 1,
    nextId,
    extraProcesses: [],
    apps: [{ spec: { name: 'web' } as AppSpec, baseEnv: { A: '1' }, instances: [{ id: 0, index: 0, wanted: true, restarts: 0, process: null, history }] }],
  };
}

/** A clock the test moves by hand. */
function manualClock(): Clock & { advance(ms: number): void } {
  let now = 1000;
  return { monotonicMs: () => now, wallMs: () => now, advance: (ms) => (now += ms) };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

test('BoundedList.tail: the same frozen array until the list changes, a new one after', () => {
  const list = new BoundedList<number>(5);
  for (let k = 0; k < 7; k++) list.push(k);
  const tail = list.tail(3);
  assert.deepEqual(tail, [4, 5, 6]);
  assert.equal(list.tail(3), tail, 'unchanged: the same array');
  assert.ok(Object.isFrozen(tail));
  list.push(7);
  assert.deepEqual(list.tail(3), [5, 6, 7]);
  list.clear();
  assert.deepEqual(list.tail(3), []);
});

test('serializeState writes what JSON.stringify writes with histories, and follows a changed history', () => {
  const list = new BoundedList<HistoryEntry>(20);
  list.push(entry(1));
  const first = stateWith(list.tail(20));
  assert.deepEqual(JSON.parse(serializeState(first)), JSON.parse(JSON.stringify(first)));
  list.push(entry(2));
  const second = stateWith(list.tail(20));
  const parsed = JSON.parse(serializeState(second)) as PersistedState;
  assert.deepEqual(parsed, JSON.parse(JSON.stringify(second)));
  assert.equal(parsed.apps[0]?.instances[0]?.history?.length, 2);
  const without = stateWith([]);
  delete without.apps[0]?.instances[0]?.history;
  assert.deepEqual(JSON.parse(serializeState(without)), JSON.parse(JSON.stringify(without)));
});

test('StateKeeper: a burst of changes is one write; after a slow write the next waits; recorded() resolves after a write that follows it', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-state-'));
  try {
    const clock = manualClock();
    let nextId = 1;
    let snapshots = 0;
    const path = join(home, 'state.json');
    const keeper = new StateKeeper(
      path,
      () => {
        snapshots += 1;
        clock.advance(10); // every write "takes" 10 ms
        return stateWith([], nextId);
      },
      () => undefined,
      clock,
    );
    for (let k = 0; k < 50; k++) keeper.schedule();
    await turn();
    assert.equal(snapshots, 1, 'one write for the burst');
    // The write took 10 ms: the next one waits STATE_WRITE_SPACING times that.
    nextId = 2;
    let recorded = false;
    const waiting = keeper.recorded().then(() => (recorded = true));
    await turn();
    await turn();
    assert.equal(recorded, false, 'not before the spaced write');
    assert.equal(snapshots, 1);
    await waiting;
    assert.equal(snapshots, 2);
    assert.equal((JSON.parse(readFileSync(path, 'utf8')) as PersistedState).nextId, 2, 'the file holds what was changed before recorded()');
    assert.ok(STATE_WRITE_SPACING >= 1);
    keeper.stop();
    let afterStop = false;
    await keeper.recorded().then(() => (afterStop = true));
    assert.ok(afterStop, 'a stopped keeper holds nothing back');
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('StateKeeper: a write that fails still lets recorded() go (a full disk holds no app back), and is retried', async () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-state-'));
  try {
    const failures: unknown[] = [];
    // A path in a folder that does not exist: every write fails.
    const keeper = new StateKeeper(join(home, 'missing', 'state.json'), () => stateWith([]), (error) => failures.push(error));
    await keeper.recorded();
    assert.equal(failures.length, 1);
    keeper.stop();
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('writeState: a file of more chunks than one writev takes (3,000 instances) holds exactly the JSON of the state', () => {
  const home = mkdtempSync(join(tmpdir(), 'tend-state-'));
  try {
    const list = new BoundedList<HistoryEntry>(20);
    list.push(entry(1));
    const state = stateWith(list.tail(20));
    const app = state.apps[0];
    assert.ok(app);
    app.instances = Array.from({ length: 3000 }, (_, id) => ({ id, index: id, wanted: true, restarts: id % 3, process: { pid: 1000 + id, startTimeTicks: 7 }, history: list.tail(20) }));
    const path = join(home, 'state.json');
    writeState(path, state, false);
    assert.equal(readFileSync(path, 'utf8'), `${JSON.stringify(state)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
});

test('PersistedInstances: the same frozen entry while nothing in it changed, a new one after any change', () => {
  const history = new BoundedList<HistoryEntry>(100);
  const instance = { id: 3, index: 0, wanted: true, restarts: 0, process: { pid: 10, startTimeTicks: 5, holder: null } as { pid: number; startTimeTicks: number; holder: null } | null, startedAtWallMs: 1, history };
  const persisted = new PersistedInstances();
  const of = (): PersistedInstance => persisted.of(instance as unknown as Instance);
  const first = of();
  assert.equal(of(), first);
  assert.ok(Object.isFrozen(first));
  const changes: Array<() => void> = [
    () => history.push(entry(2)),
    () => (instance.restarts = 1),
    () => (instance.wanted = false),
    () => (instance.process = { pid: 11, startTimeTicks: 6, holder: null }),
    () => (instance.process = null),
    () => (instance.startedAtWallMs = 2),
  ];
  let previous = first;
  for (const change of changes) {
    change();
    const next = of();
    assert.notEqual(next, previous, change.toString());
    assert.equal(of(), next);
    previous = next;
  }
  assert.deepEqual(previous, { id: 3, index: 0, wanted: false, restarts: 1, process: null, holder: null, startedAtWallMs: 2, history: [entry(2)] });
});
