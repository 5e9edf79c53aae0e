import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import type { MetricsEvent } from '../../../src/core/web.js';
import { METRICS_EVENT_MIN_GAP_MS, MetricsEvents, type MetricsSnapshot, diffMetrics, snapshotOf } from '../../../src/daemon/metrics-events.js';

const MB = 1024 * 1024;

function snap(rows: Array<[id: number, cpu: number, memory: number]>): MetricsSnapshot {
  return { ids: rows.map((r) => r[0]), cpu: rows.map((r) => r[1]), memory: rows.map((r) => r[2]) };
}

test('the first event after subscribing, and any after instances came or went, names every instance', () => {
  const before = snap([[0, 0, MB], [1, 0, MB]]);
  const cases: Array<[string, MetricsSnapshot | null, MetricsSnapshot]> = [
    ['no earlier event', null, before],
    ['an instance added', before, snap([[0, 0, MB], [1, 0, MB], [2, 0, MB]])],
    ['an instance removed', before, snap([[0, 0, MB]])],
    ['the last one removed', before, snap([])],
    ['one replaced by another id', before, snap([[0, 0, MB], [2, 0, MB]])],
  ];
  for (const [what, previous, current] of cases) assert.deepEqual(diffMetrics(previous, current, 5), { at: 5, ...current, listChanged: true }, what);
});

test('otherwise an event names only the instances whose cpu or memory changed, and none is sent when nothing did', () => {
  const previous = snap([[0, 0, MB], [1, 2.5, 2 * MB], [2, 0, 3 * MB]]);
  const cases: Array<[string, MetricsSnapshot, MetricsEvent | null]> = [
    ['nothing changed', snap([[0, 0, MB], [1, 2.5, 2 * MB], [2, 0, 3 * MB]]), null],
    ['cpu of one', snap([[0, 0, MB], [1, 0.1, 2 * MB], [2, 0, 3 * MB]]), { at: 5, ids: [1], cpu: [0.1], memory: [2 * MB], listChanged: false }],
    ['memory of two', snap([[0, 0, MB + 4096], [1, 2.5, 2 * MB], [2, 0, 0]]), { at: 5, ids: [0, 2], cpu: [0, 0], memory: [MB + 4096, 0], listChanged: false }],
  ];
  for (const [what, current, event] of cases) assert.deepEqual(diffMetrics(previous, current, 5), event, what);
});

test('a snapshot is the list figures in list order', () => {
  const info = (id: number, cpu: number, memory: number): InstanceInfo => ({ id, cpu, memory }) as InstanceInfo;
  assert.deepEqual(snapshotOf([info(3, 1.5, MB), info(7, 0, 0)]), { ids: [3, 7], cpu: [1.5, 0], memory: [MB, 0] });
});

/** A daemon's view as MetricsEvents sees it: a list, whether anyone listens, and a clock. */
function world() {
  const state = { rows: [{ id: 0, cpu: 0, memory: MB }] as InstanceInfo[], subscribed: true, nowMs: 0, lists: 0 };
  const sent: MetricsEvent[] = [];
  const events = new MetricsEvents({
    list: () => {
      state.lists += 1;
      return state.rows;
    },
    hasSubscribers: () => state.subscribed,
    send: (event) => sent.push(event),
    clock: { monotonicMs: () => state.nowMs, wallMs: () => 1_000_000 + state.nowMs },
  });
  const tickAt = (ms: number): void => {
    state.nowMs = ms;
    events.sampled();
  };
  return { state, sent, tickAt };
}

test('without subscribers a tick reads nothing and sends nothing', () => {
  const { state, sent, tickAt } = world();
  state.subscribed = false;
  for (let ms = 0; ms < 10_000; ms += 1000) tickAt(ms);
  assert.equal(state.lists, 0);
  assert.deepEqual(sent, []);
});

test('with a subscriber: every other 1 s tick is looked at, and only changes are sent', () => {
  const { state, sent, tickAt } = world();
  assert.ok(METRICS_EVENT_MIN_GAP_MS > 1000 && METRICS_EVENT_MIN_GAP_MS <= 2000);
  tickAt(0);
  assert.deepEqual(sent, [{ at: 1_000_000, ids: [0], cpu: [0], memory: [MB], listChanged: true }]);
  tickAt(1000); // too soon after the last look
  tickAt(2000); // nothing changed
  assert.equal(state.lists, 2);
  assert.equal(sent.length, 1);
  state.rows = [{ id: 0, cpu: 12.5, memory: MB } as InstanceInfo];
  tickAt(3000); // changed, but too soon after the last look
  tickAt(4000);
  assert.deepEqual(sent[1], { at: 1_004_000, ids: [0], cpu: [12.5], memory: [MB], listChanged: false });
});

test('after the last subscriber left, the next one starts with every instance again', () => {
  const { state, sent, tickAt } = world();
  tickAt(0);
  state.subscribed = false;
  tickAt(2000);
  state.subscribed = true;
  tickAt(4000);
  assert.deepEqual(sent.map((e) => e.listChanged), [true, true]);
});
