import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { OPERATIONS, planRounds, runKill9Rounds, setUpApps } from '../../helpers/kill9-rounds.js';
import { TendHarness } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-kill9-');
after(() => tend.cleanup());

// One round per command here; `npm run chaos` runs many more (TEND_FUZZ_SEED repeats a schedule).
test('daemon SIGKILL at a random moment of start, reload, save, scale and delete: same apps, no duplicates, no orphans, state intact', async () => {
  const seed = Number(process.env.TEND_FUZZ_SEED ?? Date.now() % 1_000_000);
  await setUpApps(tend);
  const outcome = await runKill9Rounds(tend, planRounds(OPERATIONS.length, seed));
  assert.equal(outcome.failure, null, `seed ${seed}`);
  assert.equal(outcome.rounds, OPERATIONS.length);
});
