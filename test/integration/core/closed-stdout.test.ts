import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { REPO_ROOT, TendHarness } from '../../helpers/tend-harness.js';

// `tend jlist | head -1`: the reader goes away before tend has written all it has. The write
// fails with EPIPE (Node ignores SIGPIPE); tend ends quietly instead of with a stack trace.

const LAUNCHER = join(REPO_ROOT, 'dist/bin/tend');
let tend: TendHarness;
before(async () => {
  tend = new TendHarness();
  // jlist is several times what a pipe holds (64 KiB): some write always meets the closed pipe,
  // also when it is closed only after the first bytes were read. A long second argument (zero
  // seconds more, for sleep) makes each row ~3 KiB.
  await tend.ok(['start', '/usr/bin/sleep', '--name', 'many', '-i', '100', '--', '100000', `${'0'.repeat(2000)}0`]);
});
after(() => tend.cleanup());

/** Runs the launcher with stdout a pipe whose reading end is closed after `keepBytes` bytes (at once: -1). */
function runIntoClosedPipe(args: string[], keepBytes: number): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string; read: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(LAUNCHER, args, { env: tend.env(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let read = 0;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    if (keepBytes < 0) child.stdout.destroy();
    child.stdout.on('data', (d: Buffer) => {
      read += d.length;
      if (read >= keepBytes) child.stdout.destroy();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stderr, read }));
  });
}

for (const [args, keepBytes] of [
  [['jlist'], 100],
  [['jlist'], -1],
  [['ls'], -1],
  [['describe', 'many'], -1],
] as Array<[string[], number]>) {
  test(`tend ${args.join(' ')} into a pipe closed ${keepBytes < 0 ? 'at once' : `after ${keepBytes} bytes`}: ends quietly with 0`, async () => {
    const result = await runIntoClosedPipe(args, keepBytes);
    assert.equal(result.stderr, '', 'no stack trace, no message');
    assert.equal(result.signal, null);
    assert.equal(result.code, 0);
  });
}

test('the apps are untouched by it', async () => {
  const list = await tend.jlist();
  assert.equal(list.filter((i) => i.name === 'many' && i.status === 'online').length, 100);
});
