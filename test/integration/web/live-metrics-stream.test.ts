import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { TendClient } from '../../../src/api/client.js';
import type { MetricsEvent, MetricsPoint } from '../../../src/api/web-types.js';
import { FIXTURES, TendHarness, until } from '../../helpers/tend-harness.js';
import { startWeb } from './web-support.js';

// The dashboard stream as a page sees it, read by a plain SSE client: the whole list first,
// then compact `metrics` events with the figures that changed, and the whole list again when
// instances come or go. And the daemon's `metrics` events as an API client sees them.
const tend = new TendHarness('tend-webfeed-');
const abort = new AbortController();
const events: Array<{ event: string; data: unknown }> = [];
let base = '';
let token = '';

/** Reads the stream in the background into `events`, one entry per SSE event. */
async function openStream(): Promise<void> {
  const response = await fetch(`${base}api/events?app=grower`, { headers: { Authorization: `Bearer ${token}` }, signal: abort.signal });
  assert.equal(response.status, 200);
  assert.ok(response.body);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  void (async () => {
    let buffered = '';
    for (;;) {
      const chunk = await reader.read().catch(() => ({ done: true as const, value: undefined }));
      if (chunk.done) return;
      buffered += chunk.value;
      let end: number;
      while ((end = buffered.indexOf('\n\n')) !== -1) {
        const block = buffered.slice(0, end);
        buffered = buffered.slice(end + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1];
        const data = /^data: (.*)$/m.exec(block)?.[1];
        if (event !== undefined && data !== undefined) events.push({ event, data: JSON.parse(data) as unknown });
      }
    }
  })();
}

function framesSince(index: number): MetricsEvent[] {
  return events.slice(index).flatMap((e) => (e.event === 'metrics' ? [e.data as MetricsEvent] : []));
}

function listsSince(index: number): InstanceInfo[][] {
  return events.slice(index).flatMap((e) => (e.event === 'processes' ? [(e.data as { list: InstanceInfo[] }).list] : []));
}

before(async () => {
  // Grows by 2 MB every 500 ms for about 50 s: its memory changes at every tick.
  await tend.ok(['start', join(FIXTURES, 'memory-grow.js'), '--name', 'grower'], { env: { STEP_MB: '2', STEP_MS: '500', MAX_MB: '200' } });
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'quiet']);
  await tend.waitForStatus('grower', 'online');
  await tend.waitForStatus('quiet', 'online');
  const web = await startWeb(tend);
  base = web.url ?? '';
  token = web.token;
  await openStream();
});

after(async () => {
  abort.abort();
  await tend.cleanup();
});

test('the stream opens with the whole list', async () => {
  const first = await until(() => listsSince(0)[0], 'the first processes event');
  assert.equal(events[0]?.event, 'processes', 'the list is the first event');
  assert.deepEqual(first.map((i) => i.name).sort(), ['grower', 'quiet']);
});

test('metrics events carry the growing app\'s memory, as the sampler measured it', async () => {
  const [grower] = await tend.jlist().then((list) => list.filter((i) => i.name === 'grower'));
  assert.ok(grower);
  const greeted = listsSince(0)[0]?.find((i) => i.id === grower.id)?.memory ?? 0;
  const frame = await until(
    () => framesSince(0).find((f) => f.ids.some((id, k) => id === grower.id && (f.memory[k] ?? 0) > greeted)),
    'a metrics event with more memory for the growing app',
    20_000,
  );
  assert.equal(frame.listChanged, false, 'a change of figures only');
  assert.equal(frame.cpu.length, frame.ids.length);
  assert.equal(frame.memory.length, frame.ids.length);
  const k = frame.ids.indexOf(grower.id);
  const history = (await (await fetch(`${base}api/history/${grower.id}`, { headers: { Authorization: `Bearer ${token}` } })).json()) as MetricsPoint[];
  const sample = history.find((p) => p.memoryBytes === frame.memory[k]);
  assert.ok(sample, 'the figure is one of the sampler\'s samples');
  assert.equal(frame.cpu[k], Math.round(sample.cpuPercent * 10) / 10, 'cpu as list rounds it');
  const times = framesSince(0).map((f) => f.at);
  assert.deepEqual(times, [...times].sort((a, b) => a - b), 'events come in time order');
});

test('an API client subscribed to metrics gets the changed figures after its baseline list', async () => {
  const client = await TendClient.connect({ home: tend.home, autoStart: false });
  try {
    const received: MetricsEvent[] = [];
    await client.subscribe(['metrics'], (event: string, data: unknown) => {
      if (event === 'metrics') received.push(data as MetricsEvent);
    });
    const baseline = await client.list();
    const grower = baseline.find((i) => i.name === 'grower');
    assert.ok(grower);
    const event = await until(
      () => received.find((e) => e.ids.some((id, k) => id === grower.id && (e.memory[k] ?? 0) > grower.memory)),
      'a metrics event with more memory than the baseline',
      20_000,
    );
    assert.equal(event.cpu.length, event.ids.length);
    assert.equal(event.memory.length, event.ids.length);
  } finally {
    client.close();
  }
});

test('an app that starts or is deleted while the page is open comes with a new whole list', async () => {
  const mark = events.length;
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'late']);
  await until(() => listsSince(mark).some((list) => list.some((i) => i.name === 'late')), 'a processes event listing the new app');
  const removed = events.length;
  await tend.ok(['delete', 'quiet']);
  const list = await until(() => listsSince(removed).find((l) => !l.some((i) => i.name === 'quiet')), 'a processes event without the deleted app');
  assert.deepEqual(list.map((i) => i.name).sort(), ['grower', 'late']);
});
