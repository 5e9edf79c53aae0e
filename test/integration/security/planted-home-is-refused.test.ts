import assert from 'node:assert/strict';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';
import { NOBODY, needsRoot, runAsOtherUser } from './support.js';

const tend = new TendHarness('tend-sec-home-');
const folders: string[] = [];
after(async () => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  await tend.cleanup();
});

function freshFolder(prefix: string): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  folders.push(folder);
  return folder;
}

/** One line on stderr, exit 1, no daemon started for that home. */
async function assertRefused(home: string, pattern: RegExp): Promise<void> {
  const result = await tend.run(['ping'], { env: { TEND_HOME: home } });
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
  assert.match(result.stderr, pattern);
  assert.equal(result.stdout, '');
}

test('a TEND_HOME others can write to is refused and left as it is, with what another user planted in it', async (t) => {
  if (!needsRoot(t)) return;
  const home = freshFolder('tend-sec-loose-');
  chmodSync(home, 0o777);
  // Another user plants a state file (it would name their script) and a web token.
  const planter = runAsOtherUser(
    `const fs = require('node:fs'); fs.writeFileSync(process.argv[1] + '/state.json', '{"version":1,"nextId":1,"apps":[],"extraProcesses":[]}'); fs.writeFileSync(process.argv[1] + '/web.token', 'x'.repeat(43)); console.log('planted');`,
    [home],
  );
  await planter.waitLine(/planted/);
  await assertRefused(home, /tend-sec-loose-\w+ is writable by group or others \(mode 0777\); refusing to use it/);
  assert.equal(statSync(home).mode & 0o777, 0o777, 'never chmod-ed behind the user');
  assert.equal(statSync(join(home, 'state.json')).uid, NOBODY.uid);
});

test('a private TEND_HOME holding a file of another user is refused', async (t) => {
  if (!needsRoot(t)) return;
  const home = freshFolder('tend-sec-foreign-file-');
  chmodSync(home, 0o700);
  writeFileSync(join(home, 'dump.json'), '{}', { mode: 0o600 });
  chownSync(join(home, 'dump.json'), NOBODY.uid, NOBODY.gid);
  await assertRefused(home, /dump\.json belongs to uid 65534, not to you \(uid 0\); refusing to use it/);
});

test('a web token others can read is refused, not chmod-ed', async () => {
  const home = freshFolder('tend-sec-token-');
  chmodSync(home, 0o700);
  writeFileSync(join(home, 'web.token'), `${'t'.repeat(43)}\n`);
  chmodSync(join(home, 'web.token'), 0o644);
  await assertRefused(home, /web\.token is readable by group or others \(mode 0644\)/);
  assert.equal(statSync(join(home, 'web.token')).mode & 0o777, 0o644);
});

test('a symlinked TEND_HOME is refused and its target left as it is', async () => {
  const target = freshFolder('tend-sec-target-');
  chmodSync(target, 0o755);
  const link = `${target}-link`;
  symlinkSync(target, link);
  folders.push(link);
  await assertRefused(link, /-link is a symbolic link; refusing to use it \(set TEND_HOME to the real folder\)/);
  assert.equal(statSync(target).mode & 0o777, 0o755);
});

test('a symlink in place of a file of the home is refused', async () => {
  const home = freshFolder('tend-sec-link-in-');
  chmodSync(home, 0o700);
  symlinkSync('/etc/passwd', join(home, 'state.json'));
  await assertRefused(home, /state\.json is a symbolic link; refusing to use it \(remove it\)/);
});

test('a home readable by others but writable only by its owner is used as it is', async () => {
  const home = freshFolder('tend-sec-readable-');
  chmodSync(home, 0o755);
  mkdirSync(join(home, 'logs'), { mode: 0o700 });
  const result = await tend.run(['ping'], { env: { TEND_HOME: home } });
  try {
    assert.equal(result.code, 0, result.stderr);
    assert.equal(statSync(home).mode & 0o777, 0o755);
    assert.equal(statSync(join(home, 'tend.sock')).mode & 0o777, 0o600);
  } finally {
    await tend.run(['kill'], { env: { TEND_HOME: home } });
  }
});
