import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { HistoryEntry } from '../../../src/core/instance-info.js';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';

// The holder's shell reports 128+n both for signal n and for exit(128+n); a Node app under a
// holder says which code it exited with, so the two are told apart.
let tend: TendHarness;
before(() => {
  tend = new TendHarness('tend-exit-');
});
after(() => tend.cleanup());

async function lastExit(name: string): Promise<[number | null, string | null]> {
  const exited = await tend.waitFor(
    (list) => list.some((i) => i.name === name && i.status === 'stopped'),
    `${name} stopped after its exit`,
  );
  assert.ok(exited);
  const [described] = JSON.parse(await tend.ok(['describe', name, '--json'])) as Array<{ history: HistoryEntry[] }>;
  const exit = (described?.history ?? []).filter((h) => h.event === 'exited').at(-1);
  assert.ok(exit, 'an exit in the history');
  return [exit.exitCode, exit.signal];
}

test('a Node app that exits with code 130 shows exit code 130, not SIGINT', async () => {
  await tend.ok(['start', join(FIXTURES, 'exit-with-code.js'), '--name', 'code130', '--no-autorestart', '--min-uptime', '100ms'], { env: { EXIT_CODE: '130', EXIT_AFTER_MS: '300' } });
  assert.deepEqual(await lastExit('code130'), [130, null]);
});

test('a Node app killed by SIGKILL shows signal SIGKILL', async () => {
  const script = join(tend.home, 'kill-self.js');
  writeFileSync(script, "setTimeout(() => process.kill(process.pid, 'SIGKILL'), 300);\n");
  await tend.ok(['start', script, '--name', 'killed', '--no-autorestart', '--min-uptime', '100ms']);
  assert.deepEqual(await lastExit('killed'), [null, 'SIGKILL']);
});

test('a Node app that exits with code 7 shows code 7, and its environment has no TEND_EXIT_FILE', async () => {
  const script = join(tend.home, 'env-then-exit.js');
  writeFileSync(script, "console.log(JSON.stringify(Object.keys(process.env).filter((k) => k.startsWith('TEND_EXIT'))));\nsetTimeout(() => process.exit(7), 300);\n");
  await tend.ok(['start', script, '--name', 'seven', '--no-autorestart', '--min-uptime', '100ms']);
  assert.deepEqual(await lastExit('seven'), [7, null]);
  const log = await tend.ok(['logs', 'seven', '--lines', '5', '--nostream']);
  assert.match(log, /\[\]/);
});
