import assert from 'node:assert/strict';
import { chownSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';

let tend: TendHarness;
const extraFolders: string[] = [];
before(() => {
  tend = new TendHarness();
});
after(async () => {
  for (const folder of extraFolders) rmSync(folder, { recursive: true, force: true });
  await tend.cleanup();
});

test('TEND_HOME is 0700 and the socket 0600', async () => {
  rmSync(tend.home, { recursive: true });
  await tend.ok(['ping']);
  assert.equal(statSync(tend.home).mode & 0o777, 0o700);
  assert.equal(statSync(join(tend.home, 'tend.sock')).mode & 0o777, 0o600);
});

test('a TEND_HOME whose socket path would exceed 107 bytes is a clear error', async () => {
  const base = mkdtempSync(join(tmpdir(), 'tend-long-'));
  extraFolders.push(base);
  const home = join(base, 'x'.repeat(120 - base.length));
  const result = await tend.run(['ping'], { env: { TEND_HOME: home } });
  assert.equal(result.code, 1);
  assert.equal(result.stderr.trim().split('\n').length, 1);
  assert.match(result.stderr, /tend\.sock is \d+ bytes, over the OS limit of 107/);
});

test('a TEND_HOME owned by another user is refused', async (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('needs root to chown');
    return;
  }
  const home = mkdtempSync(join(tmpdir(), 'tend-foreign-'));
  extraFolders.push(home);
  chownSync(home, 65534, 65534);
  const result = await tend.run(['ping'], { env: { TEND_HOME: home } });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /belongs to uid 65534.*refusing/);
});
