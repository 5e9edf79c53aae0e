import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-su-');
const dir = mkdtempSync(join(tmpdir(), 'tend-unit-'));
after(async () => {
  await tend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

// systemd is a Debian package here (systemd-analyze); the check is skipped where it is absent.
const hasAnalyze = spawnSync('systemd-analyze', ['--version']).status === 0;

test('the generated unit passes systemd-analyze verify', { skip: !hasAnalyze && 'systemd-analyze is not installed' }, async () => {
  const user = userInfo().username;
  const unit = await tend.ok(['startup', 'systemd', '--print', '-u', user, '--hp', userInfo().homedir, '--service-name', 'tend-verify']);
  const file = join(dir, 'tend-verify.service');
  writeFileSync(file, unit);
  const verified = spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
  assert.equal(verified.status, 0, verified.stderr);
  assert.equal(verified.stderr.trim(), '');
  // The check has teeth: a broken line fails it.
  writeFileSync(file, unit.replace('ExecStart="', 'ExecStart="relative/'));
  assert.notEqual(spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' }).status, 0);
});

test('startup for another platform is a usage error', async () => {
  const result = await tend.run(['startup', 'upstart']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /only systemd is supported/);
});
