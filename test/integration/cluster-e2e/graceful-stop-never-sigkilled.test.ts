import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { DescribeResult } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort, instancesOf } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

const KILL_TIMEOUT_MS = 5000;

test('stop of a cluster app that closes its server on SIGINT exits 0 well before kill_timeout, never SIGKILLed', async () => {
  const port = await findFreePort();
  await tend.ok(['start', join(FIXTURES, 'http-drain-sigint.js'), '--name', 'drain', '-i', '2', '-p', String(port), '-k', `${KILL_TIMEOUT_MS}ms`]);
  await tend.waitForStatus('drain', 'online', 2);

  const startedAt = Date.now();
  await tend.ok(['stop', 'drain']);
  const tookMs = Date.now() - startedAt;
  assert.ok(tookMs < KILL_TIMEOUT_MS, `stop took ${tookMs} ms`);

  const list = instancesOf(await tend.waitForStatus('drain', 'stopped', 2), 'drain');
  assert.deepEqual(list.map((i) => [i.exit_code, i.exit_signal]), [[0, null], [0, null]]);
  const described = JSON.parse(await tend.ok(['describe', 'drain', '--json'])) as DescribeResult[];
  for (const result of described) {
    const exits = result.history.filter((h) => h.event === 'exited');
    assert.equal(exits.at(-1)?.exitCode, 0, JSON.stringify(result.history));
    assert.ok(result.history.every((h) => h.signal !== 'SIGKILL'), JSON.stringify(result.history));
  }
  const out = await tend.ok(['logs', 'drain', '--nostream', '--raw', '--out']);
  assert.equal(out.split('\n').filter((l) => l === 'SIGINT received').length, 2, out);
});
