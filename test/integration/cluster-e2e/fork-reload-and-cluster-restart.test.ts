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

test('reload of a fork-mode app restarts it and says so on stdout', async () => {
  const port = await findFreePort();
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'forked', '-p', String(port)]);
  const [before] = await tend.waitForStatus('forked', 'online');
  assert.equal(before?.mode, 'fork');
  const out = await tend.ok(['reload', 'forked']);
  assert.match(out, /forked runs in fork mode: restarted/);
  const [after] = await tend.waitFor((l) => instancesOf(l, 'forked')[0]?.status === 'online' && instancesOf(l, 'forked')[0]?.pid !== before?.pid, 'forked restarted');
  assert.equal(after?.restarts, 1);
  assert.equal((await httpGet(port)).status, 200);
});

test('restart of a cluster app replaces both workers and they serve', async () => {
  const port = await findFreePort();
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'clustered', '-i', '2', '-p', String(port)]);
  const before = instancesOf(await tend.waitForStatus('clustered', 'online', 2), 'clustered');
  await tend.ok(['restart', 'clustered']);
  const after = instancesOf(
    await tend.waitFor((l) => instancesOf(l, 'clustered').every((i) => i.status === 'online' && !before.some((b) => b.pid === i.pid)), 'both workers replaced'),
    'clustered',
  );
  assert.deepEqual(after.map((i) => i.restarts), [1, 1]);
  const answer = await httpGet(port);
  assert.equal(answer.status, 200);
  assert.ok(after.some((i) => answer.body === `hello ${i.pid}`), answer.body);
});
