import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { fuzzConfigLoader } from '../../helpers/fuzz-config.js';
import { makeTempDir } from './temp-dir.js';

const dir = makeTempDir();
after(() => dir.remove());

// 1.5 seconds here; `npm run chaos` runs the same fuzzer for longer (TEND_FUZZ_SEED repeats a run).
test('random ecosystem objects and text either load or fail with a one-line TendError', async () => {
  const seed = process.env.TEND_FUZZ_SEED === undefined ? undefined : Number(process.env.TEND_FUZZ_SEED);
  const outcome = await fuzzConfigLoader(dir.path, 1500, seed);
  assert.equal(outcome.failure, null);
  assert.ok(outcome.runs > 50, `only ${outcome.runs} cases ran`);
  assert.ok(outcome.loaded > 0, 'some cases load, so the fuzzer reaches past the first check');
});
