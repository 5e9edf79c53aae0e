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

test('after kill -9 of the daemon the next one adopts the host and its workers (same pids, no restart); kill ends them', async () => {
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

  const after = instancesOf(await tend.waitFor((l) => instancesOf(l, 'survive').every((i) => i.adopted_at !== null), 'workers adopted'), 'survive');
  assert.deepEqual(after.map((i) => [i.pid, i.status, i.restarts]), before.map((i) => [i.pid, 'online', 0]));
  assert.deepEqual(clusterHosts(), [oldHost], 'the same host');
  const answer = await httpGet(port);
  assert.ok(after.some((i) => answer.body === `hello ${i.pid}`), answer.body);

  // The adopted host still forks: a restarted worker is a new process of the same host.
  await tend.ok(['restart', String(after[0]?.id)]);
  const restarted = instancesOf(await tend.waitFor((l) => instancesOf(l, 'survive').filter((i) => i.status === 'online').length === 2 && !instancesOf(l, 'survive').some((i) => i.pid === after[0]?.pid), 'worker restarted'), 'survive');
  assert.deepEqual(clusterHosts(), [oldHost]);

  await tend.ok(['kill']);
  await until(() => clusterHosts().length === 0, 'no host after kill', 10_000);
  for (const instance of restarted) assert.ok(!isAlive(instance.pid as number), `worker ${instance.pid} ended by kill`);
});
