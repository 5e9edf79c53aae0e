import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { ListText, type RowText } from '../../../src/daemon/list-text.js';

function encode(list: ListText<object>, rows: RowText[]): string {
  const { bytes, release } = list.encode(rows, (r) => r);
  const text = bytes.toString('utf8');
  release();
  return text;
}

/** One row as the list would have it. */
function decoded(list: ListText<object>, r: RowText): unknown {
  return (JSON.parse(encode(list, [r])) as unknown[])[0];
}

/** A probe's last result: the same object until the probe runs again, as in the daemon. */
const READY = { ok: true, at: 1, detail: 'é' } as never;

function row(overrides: Partial<InstanceInfo> = {}): InstanceInfo {
  return {
    id: 3,
    name: 'api "v2"',
    namespace: 'default',
    pid: 4242,
    status: 'online',
    mode: 'fork',
    instance: 0,
    restarts: 1,
    uptime_ms: 1500,
    cpu: 2.5,
    memory: 1048576,
    exit_code: null,
    exit_signal: null,
    error: null,
    started_at: 1_700_000_000_000,
    ready: true,
    status_text: null,
    probes: { readiness: READY, liveness: null },
    adopted_at: null,
    waiting_for: null,
    waiting_reason: null,
    recent_restarts: 0,
    ...overrides,
  };
}

/** The PM2 fields as the daemon adds them (shape only: a spec field and the live monit). */
function pm2(spec: { script: string }): (r: InstanceInfo) => InstanceInfo {
  return (r) => {
    r.pm_id = r.id;
    r.pm2_env = { pm_exec_path: spec.script, status: r.status } as never;
    r.monit = { memory: r.memory, cpu: r.cpu };
    return r;
  };
}

/** What the list row was before rows were kept as text: the full row, encoded. */
function expected(r: InstanceInfo, spec: { script: string }): unknown {
  return JSON.parse(JSON.stringify(pm2(spec)({ ...r })));
}

test('ListText: a row decodes to the full row with its PM2 fields, live fields included', () => {
  const list = new ListText<object>();
  const key = {};
  const spec = { script: '/srv/app.js' };
  const text = list.row(key, row(), [spec], pm2(spec));
  assert.deepEqual(decoded(list, text), expected(row(), spec));
  assert.deepEqual(JSON.parse(encode(list, [text, text])), [expected(row(), spec), expected(row(), spec)]);
  assert.equal(encode(list, []), '[]');
});

test('ListText: live fields move without encoding the row again; anything else encodes it again', () => {
  const list = new ListText<object>();
  const key = {};
  const spec = { script: '/srv/app.js' };
  let encodings = 0;
  const counted = (r: InstanceInfo): InstanceInfo => {
    encodings += 1;
    return pm2(spec)(r);
  };
  list.row(key, row(), [spec], counted);
  const live = row({ uptime_ms: 99_000, cpu: 41.2, memory: 7, recent_restarts: 2 });
  assert.deepEqual(decoded(list, list.row(key, live, [spec], counted)), expected(live, spec));
  assert.equal(encodings, 1, 'only the live fields changed');

  const changes: Array<[string, Partial<InstanceInfo>]> = [
    ['status', { status: 'stopping' }],
    ['pid', { pid: 4243 }],
    ['restarts', { restarts: 2 }],
    ['exit code', { exit_code: 1 }],
    ['a probe result (one level down)', { probes: { readiness: { ok: false, at: 2, detail: 'x' } as never, liveness: null } }],
    ['probes gone', { probes: null }],
    ['waiting reason', { waiting_reason: 'waiting for db (launching)' }],
  ];
  for (const [what, change] of changes) {
    const before: number = encodings;
    const changed = row({ ...change, uptime_ms: 5 });
    assert.deepEqual(decoded(list, list.row(key, changed, [spec], counted)), expected(changed, spec), what);
    assert.equal(encodings, before + 1, `${what}: encoded again`);
  }
});

test('ListText: a fact behind the PM2 fields that is another object encodes the row again', () => {
  const list = new ListText<object>();
  const key = {};
  const spec = { script: '/srv/app.js' };
  list.row(key, row(), [spec, 'entry-1'], pm2(spec));
  const moved = { script: '/srv/next.js' };
  const text = list.row(key, row(), [moved, 'entry-1'], pm2(moved));
  assert.equal((decoded(list, text) as { pm2_env: { pm_exec_path: string } }).pm2_env.pm_exec_path, '/srv/next.js');
  const again = list.row(key, row(), [moved, 'entry-2'], pm2({ script: '/srv/third.js' }));
  assert.equal((decoded(list, again) as { pm2_env: { pm_exec_path: string } }).pm2_env.pm_exec_path, '/srv/third.js', 'a new history entry');
});

test('ListText: each key keeps its own row; numbers that are not finite are written as null', () => {
  const list = new ListText<object>();
  const spec = { script: '/srv/app.js' };
  const [a, b] = [{}, {}];
  const ta = list.row(a, row({ id: 1, name: 'a' }), [spec], pm2(spec));
  const tb = list.row(b, row({ id: 2, name: 'b', cpu: Number.NaN, uptime_ms: Number.POSITIVE_INFINITY }), [spec], pm2(spec));
  assert.equal((decoded(list, ta) as InstanceInfo).name, 'a');
  const parsed = decoded(list, tb) as InstanceInfo;
  assert.equal(parsed.name, 'b');
  assert.equal(parsed.cpu, null);
  assert.equal(parsed.uptime_ms, null);
  assert.deepEqual(parsed.monit, { memory: 1048576, cpu: null });
});

test('ListText: the list buffer is reused once released, never while a reply still holds it', () => {
  const list = new ListText<object>();
  const spec = { script: '/srv/app.js' };
  const keys = Array.from({ length: 50 }, () => ({}));
  const rows = (name: string): RowText[] => keys.map((key, k) => list.row(key, row({ id: k, name: `${name}-${k}` }), [spec], pm2(spec)));
  const first = list.encode(rows('first'), (r) => r);
  const firstText = first.bytes.toString('utf8');
  // Not released yet: the next list must not write over it.
  const second = list.encode(rows('second'), (r) => r);
  assert.notEqual(second.bytes.buffer, first.bytes.buffer);
  assert.equal(first.bytes.toString('utf8'), firstText, 'the held reply is intact');
  assert.equal((JSON.parse(second.bytes.toString('utf8')) as InstanceInfo[])[49]!.name, 'second-49');
  second.release();
  const third = list.encode(rows('third'), (r) => r);
  assert.equal(third.bytes.buffer, second.bytes.buffer, 'the released buffer is used again');
  assert.equal((JSON.parse(third.bytes.toString('utf8')) as InstanceInfo[])[0]!.name, 'third-0');
  third.release();
  assert.equal(encode(list, []), '[]', 'a much shorter list');
});

test('ListText: rows longer than the room first made for them grow the buffer, every byte kept', () => {
  const list = new ListText<object>();
  const spec = { script: '/srv/app.js' };
  // Each row ~3,000 bytes of multi-byte text: three of them overflow the first 4 KiB twice.
  const long = (k: number): string => `${'é'.repeat(1400)}-${k}`;
  const keys = [{}, {}, {}];
  const rows = keys.map((key, k) => list.row(key, row({ id: k, status_text: long(k) }), [spec], pm2(spec)));
  const parsed = JSON.parse(encode(list, rows)) as InstanceInfo[];
  assert.deepEqual(
    parsed.map((r) => r.status_text),
    keys.map((_, k) => long(k)),
  );
  assert.deepEqual(parsed[2], expected(row({ id: 2, status_text: long(2) }), spec));
});

test('ListText: a reply much smaller than the buffer is a copy of its own size; the buffer stays for the next list', () => {
  const list = new ListText<object>();
  const spec = { script: '/srv/app.js' };
  const keys = Array.from({ length: 50 }, () => ({}));
  const rows = keys.map((key, k) => list.row(key, row({ id: k }), [spec], pm2(spec)));
  const long = list.encode(rows, (r) => r);
  const buffer = long.bytes.buffer;
  long.release();
  // A client that never reads holds every reply: each may cost only its own bytes.
  const held = Array.from({ length: 100 }, () => list.encode([rows[0]!], (r) => r));
  for (const reply of held) {
    assert.equal(reply.bytes.buffer.byteLength, reply.bytes.length);
    assert.notEqual(reply.bytes.buffer, buffer);
  }
  assert.equal((JSON.parse(held[99]!.bytes.toString('utf8')) as InstanceInfo[])[0]!.id, 0);
  const again = list.encode(rows, (r) => r);
  assert.equal(again.bytes.buffer, buffer, 'the long list writes into the kept buffer again');
  assert.equal((JSON.parse(again.bytes.toString('utf8')) as InstanceInfo[]).length, 50);
});

test('ListText: replies of an empty list held by a client that never reads cost a few bytes each', () => {
  const list = new ListText<object>();
  const held = Array.from({ length: 1000 }, () => list.encode([], (r: RowText) => r));
  const bytes = held.reduce((sum, reply) => sum + reply.bytes.buffer.byteLength, 0);
  assert.equal(bytes, 2 * 1000);
});
