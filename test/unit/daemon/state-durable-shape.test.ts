import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppSpec } from '../../../src/core/app-spec.js';
import { type PersistedState, durableShape, sameDurableShape as same, serializeState } from '../../../src/daemon/state-file.js';

const spec = { name: 'web' } as AppSpec;
const baseEnv = { A: '1' };

function state(overrides: { wanted?: boolean; pid?: number; restarts?: number; spec?: AppSpec; nextId?: number } = {}): PersistedState {
  return {
    version: 1,
    nextId: overrides.nextId ?? 1,
    extraProcesses: [],
    apps: [
      {
        spec: overrides.spec ?? spec,
        baseEnv,
        instances: [{ id: 0, index: 0, wanted: overrides.wanted ?? true, restarts: overrides.restarts ?? 0, process: { pid: overrides.pid ?? 10, startTimeTicks: 5 } }],
      },
    ],
  };
}

test('durableShape: pids, restarts and statuses are not worth an fsync; apps, specs and wanted are', () => {
  const base = durableShape(state());
  assert.ok(same(base, durableShape(state({ pid: 11, restarts: 3 }))), 'a restart (new pid) is not durable');
  assert.ok(!same(base, durableShape(state({ wanted: false }))), 'stopping an app is');
  assert.ok(!same(base, durableShape(state({ spec: { ...spec } }))), 'a replaced spec is');
  assert.ok(!same(base, durableShape(state({ nextId: 2 }))), 'a new id is');
  assert.ok(!same(base, durableShape({ ...state(), apps: [] })), 'a deleted app is');
});

test('serializeState writes what JSON.stringify writes, and the cached texts follow a replaced spec', () => {
  const first = state();
  assert.deepEqual(JSON.parse(serializeState(first)), JSON.parse(JSON.stringify(first)));
  const replaced = state({ spec: { ...spec, name: 'api' } as AppSpec, pid: 12 });
  assert.deepEqual(JSON.parse(serializeState(replaced)), JSON.parse(JSON.stringify(replaced)));
});
