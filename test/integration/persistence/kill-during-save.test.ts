import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TendClient } from '../../../src/api/client.js';
import { validateDump } from '../../../src/daemon/dump.js';
import { FIXTURES, TendHarness, delay, isAlive, killQuietly, until } from '../../helpers/tend-harness.js';

let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-ks-');
});
after(() => tend.cleanup());

/** The dump as text, after checking it is a whole, valid dump. */
function readValidDump(file: string): string {
  const text = readFileSync(file, 'utf8');
  const check = validateDump(JSON.parse(text));
  assert.ok(check.ok, `dump.json is not a valid dump after SIGKILL: ${check.ok ? '' : check.reason}`);
  return text;
}

test('SIGKILL of the daemon at any moment during save leaves the old dump or the new one', async () => {
  // A large env makes each save a few hundred KiB, so kills land inside the write as well.
  const big = { BIG: 'x'.repeat(64 * 1024) };
  for (let n = 0; n < 4; n += 1) await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', `app${n}`], { env: big });
  await tend.ok(['save']);
  const file = join(tend.home, 'dump.json');
  let previous = readValidDump(file);
  const delaysMs = [0, 1, 2, 4, 8, 16, 32, 64, 128, 256];
  let sawNew = 0;
  for (const delayMs of delaysMs) {
    // A daemon just killed may leave a socket that resets the first connection: retry once.
    const client = await TendClient.connect({ home: tend.home }).catch(() => delay(50).then(() => TendClient.connect({ home: tend.home })));
    const pid = client.daemon.pid;
    const saving = client.save().catch(() => null);
    if (delayMs === 0) await new Promise((resolve) => setImmediate(resolve));
    else await delay(delayMs);
    killQuietly(pid);
    await saving;
    client.close();
    await until(() => !isAlive(pid), 'the killed daemon gone');
    const now = readValidDump(file);
    if (now !== previous) sawNew += 1;
    previous = now;
  }
  // The next daemon brings the apps back from its state file; the dump is still usable.
  await tend.waitFor((list) => list.length === 4, 'the 4 apps back after the kills');
  assert.match(await tend.ok(['resurrect']), /nothing to resurrect/);
  assert.ok(sawNew >= 1, 'some saves completed before the kill');
});
