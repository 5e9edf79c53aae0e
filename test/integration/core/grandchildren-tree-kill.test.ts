import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness, isAlive, killQuietly, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
const started: number[] = [];
before(() => {
  tend = new TendHarness();
});
after(async () => {
  for (const pid of started) killQuietly(pid);
  await tend.cleanup();
});

interface Grandchildren {
  setsid: number;
  doubleForked: number;
}

/** Starts the fixture and returns its pid and the two grandchildren it left outside its group. */
async function startSpawner(name: string): Promise<{ pid: number; grandchildren: Grandchildren }> {
  const pidsFile = join(tend.home, `${name}.pids.json`);
  await tend.ok(['start', join(FIXTURES, 'spawn-grandchildren.js'), '--name', name, '--kill-timeout', '300ms', '--min-uptime', '200ms'], {
    env: { PIDS_OUT_FILE: pidsFile },
  });
  const grandchildren = await until(() => {
    try {
      return JSON.parse(readFileSync(pidsFile, 'utf8')) as Grandchildren;
    } catch {
      return undefined;
    }
  }, `${name} wrote its grandchildren pids`);
  started.push(grandchildren.setsid, grandchildren.doubleForked);
  const info = (await tend.waitForStatus(name, 'online')).find((i) => i.name === name);
  assert.ok(info?.pid);
  // The double fork really left: its parent is no longer the app.
  assert.notEqual(readFileSync(`/proc/${grandchildren.doubleForked}/stat`, 'utf8').split(') ')[1]?.split(' ')[1], String(info.pid));
  assert.ok(isAlive(grandchildren.setsid) && isAlive(grandchildren.doubleForked));
  return { pid: info.pid, grandchildren };
}

function assertAllGone(pid: number, grandchildren: Grandchildren): void {
  assert.equal(isAlive(pid), false, 'the app is gone');
  assert.equal(isAlive(grandchildren.setsid), false, 'the setsid grandchild is gone');
  assert.equal(isAlive(grandchildren.doubleForked), false, 'the double-forked grandchild is gone');
}

test('stop leaves no grandchild behind (setsid and double-forked)', async () => {
  const { pid, grandchildren } = await startSpawner('spawner-stop');
  await tend.ok(['stop', 'spawner-stop']);
  assertAllGone(pid, grandchildren);
  assert.equal((await tend.jlist()).find((i) => i.name === 'spawner-stop')?.status, 'stopped');
});

test('delete leaves no grandchild behind (setsid and double-forked)', async () => {
  const { pid, grandchildren } = await startSpawner('spawner-delete');
  await tend.ok(['delete', 'spawner-delete']);
  assertAllGone(pid, grandchildren);
  assert.equal((await tend.jlist()).some((i) => i.name === 'spawner-delete'), false);
});
