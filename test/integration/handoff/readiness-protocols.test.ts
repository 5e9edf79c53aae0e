import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-notify-');
});
after(() => tend.cleanup());

async function describe(name: string): Promise<DescribeResult> {
  const [described] = JSON.parse(await tend.ok(['describe', name, '--json'])) as DescribeResult[];
  assert.ok(described);
  return described;
}

test('ready: notify: launching until READY=1 (2 s), then online, with its STATUS= text in describe', async () => {
  const began = performance.now();
  await tend.ok(['start', join(FIXTURES, 'notify-ready.py'), '--name', 'notify', '--ready', 'notify', '--listen-timeout', '20s']);
  const early = await tend.waitFor((l) => l.some((i) => i.name === 'notify' && i.status_text === 'warming up'), 'STATUS=warming up');
  if (performance.now() - began < 2000) assert.equal(early.find((i) => i.name === 'notify')?.status, 'launching');
  await tend.waitForStatus('notify', 'online');
  assert.ok(performance.now() - began >= 2000, 'online only after READY=1');
  const described = await describe('notify');
  assert.equal(described.info.status_text, 'serving requests');
  assert.equal(described.info.ready, true);
  assert.match(await tend.ok(['describe', 'notify']), /status text\s+serving requests/);
});

test('ready: notify with watchdog_ms: an app that stops sending WATCHDOG=1 is restarted with cause watchdog', async () => {
  await tend.ok(['start', join(FIXTURES, 'notify-ready.py'), '--name', 'dog', '--ready', 'notify', '--watchdog-ms', '600'], {
    env: { READY_AFTER_MS: '100', WATCHDOG_PING_MS: '100', STOP_PINGING_AFTER_MS: '1500' },
  });
  await tend.waitForStatus('dog', 'online');
  await tend.waitFor((l) => (l.find((i) => i.name === 'dog')?.restarts ?? 0) >= 1, 'a watchdog restart');
  const described = await describe('dog');
  const scheduled = described.history.find((h) => h.event === 'restart-scheduled');
  assert.equal(scheduled?.cause, 'watchdog');
  assert.match(scheduled?.detail ?? '', /no WATCHDOG=1 within watchdog_ms \(600 ms\)/);
  assert.ok(described.env.WATCHDOG_USEC !== undefined, 'WATCHDOG_USEC is set');
});

test('ready: fd: online once the app writes a newline to READY_FD', async () => {
  await tend.ok(['start', join(FIXTURES, 'ready-fd.sh'), '--name', 'fdready', '--ready', 'fd', '--min-uptime', '60s']);
  // With min_uptime at 60 s only the READY_FD line can make it online this soon.
  await tend.waitForStatus('fdready', 'online', 1, 10_000);
});
