import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('an app that ignores SIGINT and SIGTERM is killed after kill_timeout and ends stopped', async () => {
  await tend.ok(['start', join(FIXTURES, 'ignore-sigterm.js'), '--name', 'stubborn', '--kill-timeout', '500ms', '--min-uptime', '200ms']);
  const [running] = await tend.waitForStatus('stubborn', 'online');
  const pid = running?.pid;
  assert.ok(pid);
  const began = performance.now();
  await tend.ok(['stop', 'stubborn']);
  const tookMs = performance.now() - began;
  assert.ok(tookMs >= 450, `stop waited for kill_timeout (took ${tookMs.toFixed(0)} ms)`);
  assert.ok(tookMs < 5000, `stop did not hang (took ${tookMs.toFixed(0)} ms)`);
  assert.equal(isAlive(pid), false, 'the process is gone once stop returns');
  const [stopped] = await tend.jlist();
  assert.equal(stopped?.status, 'stopped');
  assert.equal(stopped?.pid, null);
  const described = await tend.ok(['describe', 'stubborn', '--json']);
  assert.match(described, /"signal": "SIGKILL"/, 'history records the SIGKILL exit');
});
