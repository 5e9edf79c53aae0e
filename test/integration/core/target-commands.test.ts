import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness, isAlive } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

const FAST = ['--min-uptime', '200ms', '--kill-timeout', '500ms'];
const statusOf = (list: InstanceInfo[]): Record<string, string> => Object.fromEntries(list.map((i) => [i.name, i.status]));

async function startAll(): Promise<void> {
  const list = await tend.jlist();
  if (list.length === 0) {
    await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'web-a', '--namespace', 'web', ...FAST]);
    await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'web-b', '--namespace', 'web', ...FAST]);
    await tend.ok(['start', join(FIXTURES, 'log-signals.js'), '--name', 'worker', '--namespace', 'jobs', ...FAST]);
  } else {
    await tend.ok(['restart', 'all']);
  }
  await tend.waitFor((l) => l.length === 3 && l.every((i) => i.status === 'online'), 'all three online');
}

test('stop by id, by name, by namespace, several targets and all', async () => {
  await startAll();
  const ids = Object.fromEntries((await tend.jlist()).map((i) => [i.name, i.id]));
  await tend.ok(['stop', String(ids['web-a'])]);
  assert.deepEqual(statusOf(await tend.jlist()), { 'web-a': 'stopped', 'web-b': 'online', worker: 'online' });
  await tend.ok(['stop', 'worker']);
  assert.deepEqual(statusOf(await tend.jlist()), { 'web-a': 'stopped', 'web-b': 'online', worker: 'stopped' });
  await tend.ok(['restart', 'web', 'worker']);
  assert.deepEqual(statusOf(await tend.waitFor((l) => l.every((i) => i.status === 'online'), 'all online')), { 'web-a': 'online', 'web-b': 'online', worker: 'online' });
  await tend.ok(['stop', 'web']);
  assert.deepEqual(statusOf(await tend.jlist()), { 'web-a': 'stopped', 'web-b': 'stopped', worker: 'online' });
  await tend.ok(['stop', 'all']);
  assert.deepEqual(statusOf(await tend.jlist()), { 'web-a': 'stopped', 'web-b': 'stopped', worker: 'stopped' });
});

test('restart gives new pids and counts; reset clears the counts', async () => {
  await startAll();
  const before = await tend.jlist();
  await tend.ok(['restart', 'web-b', 'jobs']);
  const after = await tend.waitFor((l) => l.every((i) => i.status === 'online'), 'all online');
  const byName = (list: InstanceInfo[], name: string) => list.find((i) => i.name === name);
  assert.equal(byName(after, 'web-a')?.pid, byName(before, 'web-a')?.pid, 'web-a untouched');
  for (const name of ['web-b', 'worker']) {
    assert.notEqual(byName(after, name)?.pid, byName(before, name)?.pid);
    assert.equal(byName(after, name)?.restarts, (byName(before, name)?.restarts ?? 0) + 1);
  }
  await tend.ok(['reset', 'all']);
  assert.ok((await tend.jlist()).every((i) => i.restarts === 0));
});

test('sendSignal reaches the app; pid and ping answer; logs --lines prints the last lines', async () => {
  await startAll();
  const list = await tend.jlist();
  const worker = list.find((i) => i.name === 'worker');
  assert.ok(worker?.pid);
  assert.equal((await tend.ok(['pid', 'worker'])).trim(), String(worker.pid));
  assert.deepEqual((await tend.ok(['pid'])).trim().split('\n').map(Number).sort(), list.map((i) => i.pid).sort());
  const pong = JSON.parse(await tend.ok(['ping'])) as { pong: boolean; pid: number };
  assert.equal(pong.pong, true);
  assert.equal(pong.pid, tend.daemonPid());

  await tend.ok(['sendSignal', 'SIGUSR2', 'worker']);
  let logs = '';
  const deadline = Date.now() + 10_000;
  while (!logs.includes('got SIGUSR2') && Date.now() < deadline) logs = await tend.ok(['logs', 'worker', '--lines', '5', '--nostream']);
  const lines = logs.split('\n').filter((l) => l.length > 0 && !l.startsWith('==>'));
  assert.deepEqual(lines, ['line 17', 'line 18', 'line 19', 'line 20', 'got SIGUSR2']);
  assert.equal((await tend.jlist()).find((i) => i.name === 'worker')?.pid, worker.pid, 'SIGUSR2 did not restart it');
});

test('describe hides env values unless --env', async () => {
  await startAll();
  const env = { SECRET_TOKEN: 'hunter2-value' };
  await tend.ok(['restart', 'web-a', '--update-env'], { env });
  await tend.waitForStatus('web-a', 'online');
  const hidden = await tend.ok(['describe', 'web-a']);
  assert.match(hidden, /SECRET_TOKEN/);
  assert.doesNotMatch(hidden, /hunter2-value/);
  const hiddenJson = await tend.ok(['describe', 'web-a', '--json']);
  assert.doesNotMatch(hiddenJson, /hunter2-value/);
  assert.match(await tend.ok(['describe', 'web-a', '--env']), /SECRET_TOKEN=hunter2-value/);
});

test('delete removes apps by several targets; kill stops everything and returns once all are gone', async () => {
  await startAll();
  const list = await tend.jlist();
  const webA = list.find((i) => i.name === 'web-a');
  assert.ok(webA?.pid);
  await tend.ok(['delete', String(webA.id), 'worker']);
  assert.equal(isAlive(webA.pid), false);
  assert.deepEqual((await tend.jlist()).map((i) => i.name), ['web-b']);

  await tend.ok(['start', join(FIXTURES, 'ignore-sigterm.js'), '--name', 'stubborn', ...FAST]);
  const running = await tend.waitFor((l) => l.length === 2 && l.every((i) => i.status === 'online'), 'two online');
  const pids = running.flatMap((i) => (i.pid ? [i.pid] : []));
  const daemonPid = tend.daemonPid();
  assert.ok(daemonPid);
  await tend.ok(['kill']);
  for (const pid of [...pids, daemonPid]) assert.equal(isAlive(pid), false, `${pid} is gone when kill returns`);
  assert.deepEqual(tend.processesOfThisHome(), []);
});
