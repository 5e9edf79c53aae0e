import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { renderMiniList, renderTable, sortInstances } from '../../../src/cli/render.js';
import { TendError } from '../../../src/core/errors.js';

function row(id: number, name: string, extra: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id, name, namespace: 'default', pid: 123456 + id, status: 'online', mode: 'cluster', instance: 0, restarts: 12, uptime_ms: 3_600_000,
    cpu: 12.5, memory: 123 * 1024 * 1024, exit_code: null, exit_signal: null, error: null, started_at: 0, adopted_at: null, ...extra,
  };
}

const lines = (text: string) => text.split('\n');
const widest = (text: string) => Math.max(...lines(text).map((l) => [...l].length));

test('renderTable: the whole table when there is room', async () => {
  const text = await renderTable([row(0, 'api'), row(1, 'worker-with-a-long-name', { namespace: 'jobs' })], Infinity);
  for (const head of ['namespace', 'mode', 'pid', 'restarts']) assert.ok(text.includes(head), head);
});

const cases: Array<[string, InstanceInfo[], number]> = [
  ['80 columns, default namespace', [row(0, 'api'), row(1, 'worker')], 80],
  ['80 columns, namespaces and long names', [row(0, 'api-gateway-service', { namespace: 'web-frontends' }), row(10, 'billing-reconciliation-worker', { namespace: 'jobs' })], 80],
  ['64 columns', [row(0, 'api-gateway-service'), row(1, 'w')], 64],
];
for (const [name, instances, width] of cases) {
  test(`renderTable: fits ${name}`, async () => {
    const text = await renderTable(instances, width);
    assert.ok(widest(text) <= width, `${widest(text)} > ${width}:\n${text}`);
    for (const i of instances) assert.ok(text.includes(String(i.id)) && text.includes(i.status));
  });
}

test('sortInstances: by a field, descending, ties in id order; a bad field is a usage error', () => {
  const list = [row(0, 'b', { memory: 5 }), row(1, 'a', { memory: 9 }), row(2, 'c', { memory: 5 })];
  assert.deepEqual(sortInstances(list, 'name').map((i) => i.id), [1, 0, 2]);
  assert.deepEqual(sortInstances(list, 'memory:desc').map((i) => i.id), [1, 0, 2]);
  assert.deepEqual(sortInstances(list, 'memory').map((i) => i.id), [0, 2, 1]);
  assert.throws(() => sortInstances(list, 'colour'), (e: unknown) => e instanceof TendError && e.code === 'INVALID_ARGUMENT');
});

test('renderMiniList: one line per instance', () => {
  assert.equal(lines(renderMiniList([row(0, 'a'), row(1, 'b')])).length, 2);
});

test('an instance held back by depends_on shows what it waits for, in the table and the short list', async () => {
  const waiting = row(1, 'api', { status: 'waiting', pid: null, waiting_for: 'db', waiting_reason: 'waiting for db (launching)' });
  const text = await renderTable([row(0, 'db', { status: 'launching' }), waiting], 80);
  assert.match(text, /│ api .*│ waiting for db │/);
  assert.ok(widest(text) <= 80, text);
  assert.match(renderMiniList([waiting]), /^1 api waiting for db pid -/);
  assert.doesNotMatch(renderMiniList([row(2, 'crashy', { status: 'waiting', waiting_for: null })]), /for/);
});
