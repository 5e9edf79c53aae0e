import assert from 'node:assert/strict';
import { test } from 'node:test';
import { delay } from '../../helpers/tend-harness.js';
import { instancesOf, pidsOf, useTendWithAppDir } from '../cluster-e2e/support.js';

const { tend, dir } = useTendWithAppDir();

// A queue consumer run with -i: a cluster app that never opens a port.
const WORKER = ["let jobs = 0;", "setInterval(() => { jobs += 1; }, 200);", "console.log('consuming');", ''].join('\n');

test('-i 2 of a script that never listens is online, keeps the same pids for 10 s, and reloads', async () => {
  const script = dir.write('worker.cjs', WORKER);
  await tend.ok(['start', script, '--name', 'queue', '-i', '2']);
  const online = await tend.waitForStatus('queue', 'online', 2);
  const pids = pidsOf(online, 'queue');
  assert.equal(instancesOf(online, 'queue')[0]?.mode, 'cluster');

  const until = Date.now() + 10_000;
  while (Date.now() < until) {
    const list = instancesOf(await tend.jlist(), 'queue');
    assert.deepEqual(list.map((i) => i.status), ['online', 'online']);
    assert.deepEqual(list.map((i) => i.pid), pids, 'no worker was replaced');
    assert.deepEqual(list.map((i) => i.restarts), [0, 0]);
    await delay(500);
  }

  await tend.ok(['reload', 'queue']);
  const reloaded = instancesOf(await tend.waitForStatus('queue', 'online', 2), 'queue');
  assert.ok(reloaded.every((i) => !pids.includes(i.pid)), 'both workers were replaced');
  assert.deepEqual(reloaded.map((i) => i.restarts), [1, 1]);
  const [described] = JSON.parse(await tend.ok(['describe', String(reloaded[0]?.id), '--json'])) as Array<{ history: Array<{ event: string }> }>;
  const events = described?.history.map((h) => h.event) ?? [];
  assert.ok(events.includes('reloaded'), `describe shows the reload: ${events.join(', ')}`);
  assert.ok(events.indexOf('started') < events.lastIndexOf('reloaded'), 'the history from before the reload is kept');
});
