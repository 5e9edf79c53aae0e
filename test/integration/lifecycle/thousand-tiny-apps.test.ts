import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness, isAlive } from '../../helpers/tend-harness.js';

// 1,000 tiny apps from one file: all of them come online with their own pid, the daemon keeps
// answering while they start, and `kill` leaves none behind. Speed and memory at this size are
// measured by `npm run bench -- scale`, not asserted here.
const APPS = 1000;
const tend = new TendHarness('tend-1k-');
after(() => tend.cleanup());

test(`${APPS} tiny apps start from one file, all online with their own pid, and kill ends every one`, async () => {
  const file = join(tend.home, 'many.json');
  const apps = Array.from({ length: APPS }, (_, k) => ({ name: `tiny${k}`, script: '/usr/bin/sleep', args: ['1000000'], interpreter: 'none' }));
  writeFileSync(file, JSON.stringify({ apps }));

  const starting = tend.run(['start', file], { timeoutMs: 180_000 });
  // The control socket answers while the apps start (how fast is the bench's business).
  for (let k = 0; k < 3; k += 1) assert.match(await tend.ok(['ping']), /"pong":true/);
  const started = await starting;
  assert.equal(started.code, 0, started.stderr);

  const list = await tend.waitFor((l) => l.length === APPS && l.every((i) => i.status === 'online'), `${APPS} apps online`, 180_000);
  const pids = list.map((i) => i.pid);
  assert.ok(pids.every((pid) => typeof pid === 'number' && isAlive(pid)));
  assert.equal(new Set(pids).size, APPS, 'every app has its own process');
  assert.equal(new Set(list.map((i) => i.name)).size, APPS);

  const killed = await tend.run(['kill'], { timeoutMs: 120_000 });
  assert.equal(killed.code, 0, killed.stderr);
  assert.deepEqual(pids.filter((pid) => isAlive(pid as number)), [], 'kill ends every app');
  assert.deepEqual(tend.processesOfThisHome(), [], 'nothing of this home is left');
});
