import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IpcClient } from '../../../src/ipc/client.js';
import { STOP_TURN_INSTANCES, TURN_INSTANCES } from '../../../src/daemon/supervisor.js';
import { TendHarness, delay, isAlive, until } from '../../helpers/tend-harness.js';

// A large start registers and starts its apps in turns (TURN_INSTANCES), and a large delete
// stops them in turns (STOP_TURN_INSTANCES), serving the sockets in between. A command that
// lands in one of those turns must leave nothing running that the delete ended, and nothing
// listed.

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

/** Writes an ecosystem file of `count` apps that sleep; returns its path. */
function writeSleepers(count: number): string {
  const apps = Array.from({ length: count }, (_, k) => ({ name: `nap${k}`, script: '/usr/bin/sleep', args: ['1000'], interpreter: 'none' }));
  const file = join(tend.home, `sleepers-${count}.config.cjs`);
  writeFileSync(file, `module.exports = ${JSON.stringify({ apps })};\n`);
  return file;
}

/** Processes of this home that are neither the daemon nor its guardian: apps and holders. */
function appProcesses(): number[] {
  const own = tend.tendProcessesOfThisHome();
  return tend.processesOfThisHome().filter((pid) => !own.includes(pid));
}

test('delete all during a start of several hundred apps leaves no app running and none listed', async () => {
  const file = writeSleepers(TURN_INSTANCES * 3);
  await tend.ok(['ping']);
  const client = await IpcClient.connect(join(tend.home, 'tend.sock'), { clientName: 'delete-during-start' });
  try {
    const starting = tend.run(['start', file], { timeoutMs: 120_000 });
    // As soon as the first apps are registered, and before the last ones are: ask without pause.
    let listed = 0;
    const deadline = Date.now() + 60_000;
    while (listed === 0) {
      if (Date.now() > deadline) throw new Error('no app of the start was listed within 60 s');
      listed = (await client.request('list')).length;
    }
    const deleted = await client.request('delete', { targets: ['all'] });
    const seenPids = deleted.map((i) => i.pid).filter((pid): pid is number => pid !== null);
    await starting;
    // Whatever the start registered after the delete runs and is listed; delete that too.
    await tend.ok(['delete', 'all']).catch(() => undefined);
    await until(async () => ((await client.request('list')).length === 0 ? true : undefined), 'an empty list', 60_000);
    await until(() => (appProcesses().length === 0 ? true : undefined), 'every app and holder process gone', 60_000).catch(() => undefined);
    assert.deepEqual(appProcesses(), [], `processes left after deleting everything (the first delete saw ${listed} listed)`);
    for (const pid of seenPids) assert.ok(!isAlive(pid), `pid ${pid} of a deleted instance still runs`);
    await delay(200);
    assert.deepEqual(await client.request('list'), []);
  } finally {
    client.close();
  }
});

test('restart all while delete all ends many apps leaves no app running and none listed', async () => {
  const count = STOP_TURN_INSTANCES * 3;
  await tend.ok(['start', writeSleepers(count)]);
  await tend.waitFor((list) => list.length === count && list.every((i) => i.pid !== null), `${count} apps running`, 60_000);
  const client = await IpcClient.connect(join(tend.home, 'tend.sock'), { clientName: 'restart-during-delete' });
  try {
    const deleting = client.request('delete', { targets: ['all'] });
    // Sent behind the delete: served in one of its turns, while most apps are not stopped yet.
    const restarting = client.request('restart', { targets: ['all'] }).catch((error: unknown) => error);
    await deleting;
    await restarting;
    await until(() => (appProcesses().length === 0 ? true : undefined), 'every app and holder process gone', 30_000).catch(() => undefined);
    assert.deepEqual(appProcesses(), [], 'processes left after the delete');
    assert.deepEqual(await client.request('list'), []);
  } finally {
    client.close();
  }
});
