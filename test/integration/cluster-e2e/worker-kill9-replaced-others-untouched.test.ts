import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { findFreePort, httpGet, instancesOf } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('kill -9 of a worker: it is replaced with a new pid and the other worker is untouched', async () => {
  const port = await findFreePort();
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'k9', '-i', '2', '-p', String(port)]);
  const [first, second] = instancesOf(await tend.waitForStatus('k9', 'online', 2), 'k9');
  assert.ok(first?.pid && second?.pid);

  process.kill(first.pid, 'SIGKILL');
  const list = await tend.waitFor((l) => {
    const again = instancesOf(l, 'k9');
    return again[0]?.status === 'online' && again[0].pid !== first.pid;
  }, 'worker 0 replaced');
  const [replaced, other] = instancesOf(list, 'k9');
  assert.equal(replaced?.restarts, 1);
  assert.equal(replaced?.instance, 0);
  assert.equal(other?.pid, second.pid);
  assert.equal(other?.restarts, 0);
  assert.equal(other?.status, 'online');
  assert.equal((await httpGet(port)).status, 200);

  // The sampler follows worker pids, so jlist shows each worker's own memory.
  // A replacement sampled in its first moments (forked, not yet Node) has well under 1 MB.
  // It fails by its deadline when a worker's memory never passes 1 MB.
  await tend.waitFor((l) => instancesOf(l, 'k9').every((i) => i.memory > 1_000_000), 'memory sampled for both workers, past their start');
});
