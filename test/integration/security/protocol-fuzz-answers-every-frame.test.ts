import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fuzzControlSocket } from '../../helpers/fuzz-protocol.js';
import { FIXTURES, TendHarness, isAlive } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sec-fuzz-');
after(() => tend.cleanup());

// Two seconds here; `npm run chaos` runs the same fuzzer for longer (TEND_FUZZ_SEED repeats a run).
test('random frames on the control socket: every reply well formed, never INTERNAL, the daemon stays up and answers ping', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'keeper']);
  const daemonPid = tend.daemonPid() as number;
  const seed = process.env.TEND_FUZZ_SEED === undefined ? undefined : Number(process.env.TEND_FUZZ_SEED);
  const outcome = await fuzzControlSocket(join(tend.home, 'tend.sock'), 2000, seed === undefined ? {} : { seed });
  assert.equal(outcome.failure, null);
  assert.ok(outcome.frames > 20, `only ${outcome.frames} frames were sent`);
  assert.ok(isAlive(daemonPid));
  assert.equal(tend.daemonPid(), daemonPid, 'the same daemon answers');
  await tend.ok(['ping']);
});
