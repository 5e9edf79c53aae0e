import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('wait_ready: an app that sends ready after 300 ms becomes online, not before', async () => {
  const began = performance.now();
  await tend.ok(['start', join(FIXTURES, 'slow-ready.js'), '--name', 'slow', '--wait-ready', '--listen-timeout', '5s'], { env: { READY_AFTER_MS: '300' } });
  const [launching] = await tend.jlist();
  if (performance.now() - began < 300) assert.equal(launching?.status, 'launching');
  await tend.waitForStatus('slow', 'online');
  assert.ok(performance.now() - began >= 300);
});

test('wait_ready: an app that never sends ready is never online and ends errored after max_restarts, waiting longer each time', async () => {
  await tend.ok(['start', join(FIXTURES, 'never-ready.js'), '--name', 'mute', '--wait-ready', '--listen-timeout', '500ms', '--max-restarts', '3']);
  const seen = new Set<InstanceInfo['status']>();
  const list = await tend.waitFor((l) => {
    const mute = l.find((i) => i.name === 'mute');
    if (mute) seen.add(mute.status);
    return mute?.status === 'errored';
  }, 'mute errored');
  assert.ok(!seen.has('online'), `statuses seen: ${[...seen].join(', ')}`);
  const mute = list.find((i) => i.name === 'mute');
  assert.equal(mute?.restarts, 3);
  assert.match(mute?.error ?? '', /did not send "ready" within listen_timeout \(500 ms\).*3 times/);
  const [described] = JSON.parse(await tend.ok(['describe', 'mute', '--json'])) as Array<{ history: Array<{ event: string; cause: string | null; detail: string | null }> }>;
  const scheduled = described?.history.filter((h) => h.event === 'restart-scheduled') ?? [];
  assert.ok(scheduled.every((h) => h.cause === 'ready-timeout'));
  assert.deepEqual(
    scheduled.map((h) => /^in (\d+) ms/.exec(h.detail ?? '')?.[1]),
    ['0', '100', '200'],
    'a start that never gets ready is unstable, so the delays grow',
  );
  assert.ok(!described?.history.some((h) => (h.event as string) === 'online'));
});
