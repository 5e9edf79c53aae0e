import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness();
});
after(() => tend.cleanup());

function daemonsOfThisHome(): number[] {
  return tend.processesOfThisHome().filter((pid) => {
    try {
      // The daemons themselves, not the guardian shells that run them (their command names the daemon too).
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      return cmdline.includes('tend-daemon') && !cmdline.includes('tend-guardian');
    } catch {
      return false;
    }
  });
}

test('four first commands started at the same instant end with exactly one daemon', async () => {
  const results = await Promise.all([1, 2, 3, 4].map(() => tend.run(['ping'])));
  for (const result of results) assert.equal(result.code, 0, result.stderr);
  const pids = new Set(results.map((r) => (JSON.parse(r.stdout) as { pid: number }).pid));
  assert.equal(pids.size, 1, `every ping answered by the same daemon: ${[...pids].join(', ')}`);
  // Losers of the race exit on their own; give them the time to notice.
  const deadline = Date.now() + 5000;
  let daemons = daemonsOfThisHome();
  while (daemons.length !== 1 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    daemons = daemonsOfThisHome();
  }
  assert.deepEqual(daemons, [...pids]);
  assert.equal(tend.daemonPid(), daemons[0]);
});
