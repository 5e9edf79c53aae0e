import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { IpcClient } from '../../../src/ipc/client.js';
import { TURN_INSTANCES } from '../../../src/daemon/supervisor.js';
import { TendHarness, delay, isAlive, until } from '../../helpers/tend-harness.js';

// A large start registers and starts its apps in turns of TURN_INSTANCES, serving the
// sockets in between. A `delete all` that lands in one of those turns must leave nothing
// running and nothing listed: an instance deleted before its start came round is not started.

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

test('delete all during a start of several hundred apps leaves no app running and none listed', async () => {
  const count = TURN_INSTANCES * 3;
  const apps = Array.from({ length: count }, (_, k) => ({ name: `nap${k}`, script: '/usr/bin/sleep', args: ['1000'], interpreter: 'none' }));
  const file = join(tend.home, 'many.config.cjs');
  writeFileSync(file, `module.exports = ${JSON.stringify({ apps })};\n`);
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
    const appProcesses = (): number[] => tend.processesOfThisHome().filter((pid) => !tend.tendProcessesOfThisHome().includes(pid));
    await until(() => (appProcesses().length === 0 ? true : undefined), 'every app and holder process gone', 60_000).catch(() => undefined);
    assert.deepEqual(appProcesses(), [], `processes left after deleting everything (the first delete saw ${listed} listed)`);
    for (const pid of seenPids) assert.ok(!isAlive(pid), `pid ${pid} of a deleted instance still runs`);
    await delay(200);
    assert.deepEqual(await client.request('list'), []);
  } finally {
    client.close();
  }
});
