import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { encodeEvent } from '../../../src/web/sse.js';
import { applyMetrics, mergeInstance, uptimeAt, withUptimes } from '../../../src/web/ui/live-merge.js';

const MB = 1024 * 1024;

function row(id: number, overrides: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id,
    name: `app${id}`,
    namespace: 'default',
    pid: 1000 + id,
    status: 'online',
    mode: 'fork',
    instance: 0,
    restarts: 0,
    uptime_ms: 0,
    cpu: 0,
    memory: 10 * MB,
    exit_code: null,
    exit_signal: null,
    error: null,
    started_at: 1_000_000,
    adopted_at: null,
    ...overrides,
  };
}

test('a metrics event changes cpu and memory of the rows it names; the others stay the same objects', () => {
  const table = [row(0, { cpu: 1, memory: MB }), row(1, { cpu: 3, memory: 2 * MB }), row(2)];
  const merged = applyMetrics(table, { at: 1_005_000, ids: [1, 9], cpu: [7.5, 1], memory: [5 * MB, 1], listChanged: false });
  assert.deepEqual(
    merged.map((r) => [r.id, r.cpu, r.memory]),
    [
      [0, 1, MB],
      [1, 7.5, 5 * MB],
      [2, 0, 10 * MB],
    ],
    'an id the table does not hold adds no row',
  );
  assert.equal(merged[0], table[0]);
  assert.equal(merged[2], table[2]);
  assert.deepEqual(merged[1] && { ...merged[1], cpu: 3, memory: 2 * MB }, table[1], 'nothing but the figures changes');
});

test('uptime follows list: time since the last start while launching or online, else 0', () => {
  const cases: Array<[Partial<InstanceInfo>, number]> = [
    [{ status: 'online' }, 2500],
    [{ status: 'launching' }, 2500],
    [{ status: 'stopping' }, 0],
    [{ status: 'waiting' }, 0],
    [{ status: 'errored' }, 0],
    [{ status: 'stopped', started_at: 1_000_000 }, 0],
    [{ status: 'online', started_at: null }, 0],
    [{ status: 'online', started_at: 1_010_000 }, 0],
  ];
  for (const [overrides, expected] of cases) assert.equal(uptimeAt(row(0, overrides), 1_002_500), expected, JSON.stringify(overrides));
});

test('the page tick moves every uptime on; rows whose uptime stays keep their object', () => {
  const table = [row(0, { uptime_ms: 1000 }), row(1, { status: 'stopped', pid: null })];
  const ticked = withUptimes(table, 1_004_000);
  assert.deepEqual(ticked.map((r) => r.uptime_ms), [4000, 0]);
  assert.equal(ticked[1], table[1]);
});

test('an instance event replaces its row, or adds it in id order', () => {
  const table = [row(0), row(2)];
  assert.deepEqual(mergeInstance(table, row(1)).map((r) => r.id), [0, 1, 2]);
  assert.equal(mergeInstance(table, row(2, { status: 'stopped' }))[1]?.status, 'stopped');
});

test('an SSE event is one id, one event name and one line of JSON', () => {
  assert.equal(encodeEvent(7, 'metrics', { at: 1, ids: [0], text: 'a\nb' }), 'id: 7\nevent: metrics\ndata: {"at":1,"ids":[0],"text":"a\\nb"}\n\n');
});
