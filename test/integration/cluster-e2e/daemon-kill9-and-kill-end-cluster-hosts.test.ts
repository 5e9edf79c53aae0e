import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive, until } from '../../helpers/tend-harness.js';
import { findFreePort, httpGet, instancesOf } from './support.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

function clusterHosts(): number[] {
  return tend.processesOfThisHome().filter((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('cluster-host.js');
    } catch {
      return false;
    }
  });
}

test('after kill -9 of the daemon the next one ends the old host and workers and runs one fresh host; kill ends it', async () => {
  const port = await findFreePort();
  await tend.ok(['start', join(FIXTURES, 'http-hello.js'), '--name', 'survive', '-i', '2', '-p', String(port)]);
  const before = instancesOf(await tend.waitForStatus('survive', 'online', 2), 'survive');
  const [oldHost] = clusterHosts();
  assert.ok(oldHost, 'one cluster host runs');
  assert.equal(clusterHosts().length, 1);
  const state = JSON.parse(readFileSync(join(tend.home, 'state.json'), 'utf8')) as { extraProcesses: Array<{ pid: number }> };
  assert.deepEqual(state.extraProcesses.map((p) => p.pid), [oldHost]);

  const daemon = tend.daemonPid();
  assert.ok(daemon);
  process.kill(daemon, 'SIGKILL');
  await until(() => !isAlive(daemon), 'daemon gone');
  // The host does not carry traffic for the daemon: the app still answers without one.
  assert.equal((await httpGet(port)).status, 200);

  const after = instancesOf(
    await tend.waitFor((l) => instancesOf(l, 'survive').filter((i) => i.status === 'online' && !before.some((b) => b.pid === i.pid)).length === 2, 'fresh workers online'),
    'survive',
  );
  for (const old of before) assert.ok(!isAlive(old.pid as number), `old worker ${old.pid} ended`);
  assert.ok(!isAlive(oldHost), 'old host ended');
  const hosts = clusterHosts();
  assert.equal(hosts.length, 1, `one host, got ${hosts.join(', ')}`);
  assert.notEqual(hosts[0], oldHost);
  const answer = await httpGet(port);
  assert.ok(after.some((i) => answer.body === `hello ${i.pid}`), answer.body);

  await tend.ok(['kill']);
  await until(() => clusterHosts().length === 0, 'no host after kill', 10_000);
  for (const instance of after) assert.ok(!isAlive(instance.pid as number), `worker ${instance.pid} ended by kill`);
});
