import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive, until } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-stopped-');
after(() => tend.cleanup());

function state(pid: number): string {
  return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[0] ?? '';
}

test('a SIGSTOPped app: the daemon keeps answering, and stop ends it (SIGKILL at kill_timeout)', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'frozen', '--kill-timeout', '500ms']);
  const pid = (await tend.waitForStatus('frozen', 'online')).find((i) => i.name === 'frozen')?.pid as number;
  process.kill(pid, 'SIGSTOP');
  await until(() => state(pid) === 'T', 'the app stopped by SIGSTOP');
  await tend.ok(['ping']);
  await tend.ok(['stop', 'frozen']);
  assert.equal(isAlive(pid), false);
  const frozen = (await tend.jlist()).find((i) => i.name === 'frozen');
  assert.equal(frozen?.status, 'stopped');
});

test('an app with 200 children: stop leaves none of them', async () => {
  const script = 'for i in $(seq 200); do sleep 1000 & done; echo spawned; wait';
  await tend.ok(['start', '/bin/sh', '--name', 'parent200', '--kill-timeout', '2s', '--', '-c', script]);
  const pid = (await tend.waitForStatus('parent200', 'online')).find((i) => i.name === 'parent200')?.pid as number;
  const children = await until(() => {
    const found = tend.processesOfThisHome().filter((p) => readFileSync(`/proc/${p}/stat`, 'utf8').includes(`(sleep) S ${pid} `));
    return found.length === 200 ? found : null;
  }, '200 sleeping children', 30_000);
  await tend.ok(['stop', 'parent200']);
  assert.deepEqual(children.filter(isAlive), [], 'every child ended');
  assert.equal(isAlive(pid), false);
});
