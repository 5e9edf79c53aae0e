import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
let dir: string;
before(() => {
  tend = new TendHarness();
  dir = mkdtempSync(join(tmpdir(), 'tend-ipc-'));
});
after(async () => {
  await tend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

test('a fork-mode Node app has process.send without wait_ready; its unawaited ready is harmless', async () => {
  await tend.ok(['start', join(FIXTURES, 'send-ready.js'), '--name', 'ready-unawaited', '--min-uptime', '300ms']);
  const [row] = await tend.waitForStatus('ready-unawaited', 'online');
  assert.equal(row?.restarts, 0, 'did not crash on process.send');
  assert.equal(row?.exit_code, null);
});

test('the channel keeps no app alive: an app whose work is done exits by itself', async () => {
  const script = join(dir, 'done-soon.cjs');
  writeFileSync(script, "if (typeof process.send !== 'function') process.exit(3);\nsetTimeout(() => {}, 300);\n");
  await tend.ok(['start', script, '--name', 'done-soon', '--no-autorestart']);
  const list = await tend.waitFor((l) => l[l.length - 1]?.exit_code !== null, 'done-soon exited');
  const row = list.find((i) => i.name === 'done-soon');
  assert.deepEqual([row?.status, row?.exit_code], ['stopped', 0], 'exited 0 on its own, with process.send present');
});
