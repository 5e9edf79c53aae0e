import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findFreePort, helloSource, httpGet, instancesOf, pidsOf, watchStatuses, useTendWithAppDir } from './support.js';

const { tend, dir } = useTendWithAppDir();

test('a reload to code that never listens aborts with RELOAD_ABORTED and the old workers keep serving', async () => {
  const port = await findFreePort();
  const script = dir.write('app.cjs', helloSource('old'));
  await tend.ok(['start', script, '--name', 'stuck', '-i', '2', '-p', String(port), '--listen-timeout', '1s']);
  const before = await tend.waitForStatus('stuck', 'online', 2);

  dir.write('app.cjs', "setInterval(() => {}, 1000);\nconsole.log('never listening');\n");
  const statuses = await watchStatuses(tend, 'stuck', 2);
  const reload = await tend.run(['reload', 'stuck']).finally(() => statuses.stop());
  const watched = await statuses.stop();

  assert.notEqual(reload.code, 0, reload.stdout);
  assert.match(reload.stderr, /RELOAD_ABORTED|aborted/i);
  assert.match(reload.stderr, /listen_timeout/);
  assert.match(reload.stderr, /old instance keeps serving/);
  // The unready worker was never listed, so both old workers stayed online throughout.
  assert.deepEqual(watched.violations, []);
  const afterAbort = instancesOf(await tend.jlist(), 'stuck');
  assert.deepEqual(afterAbort.map((i) => i.status), ['online', 'online']);
  assert.deepEqual(pidsOf(afterAbort, 'stuck'), pidsOf(before, 'stuck'));
  const answer = await httpGet(port);
  assert.equal(answer.status, 200);
  assert.match(answer.body, /^old \d+$/);
});
