import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, delay } from '../../helpers/tend-harness.js';
import { findFreePort, httpGet } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('a slow request in flight during reload and during stop completes with 200', async () => {
  const port = await findFreePort();
  // kill_timeout well above the 1.5 s answer, so only a lost drain could cut the request.
  await tend.ok(['start', join(FIXTURES, 'http-slow.js'), '--name', 'slow', '-i', '2', '-p', String(port), '-k', '6s']);
  await tend.waitForStatus('slow', 'online', 2);

  const duringReload = httpGet(port, '/slow');
  await delay(200);
  await tend.ok(['reload', 'slow']);
  const reloaded = await duringReload;
  assert.equal(reloaded.status, 200);
  assert.match(reloaded.body, /^slow \d+$/);

  const duringStop = httpGet(port, '/slow');
  await delay(200);
  const stopStartedAt = Date.now();
  await tend.ok(['stop', 'slow']);
  const stopped = await duringStop;
  assert.equal(stopped.status, 200);
  assert.match(stopped.body, /^slow \d+$/);
  // The worker left once its request was answered, not at kill_timeout.
  assert.ok(Date.now() - stopStartedAt < 5000, `stop took ${Date.now() - stopStartedAt} ms`);
  const list = await tend.waitForStatus('slow', 'stopped', 2);
  assert.ok(list.every((i) => i.exit_signal !== 'SIGKILL'), JSON.stringify(list));
});
