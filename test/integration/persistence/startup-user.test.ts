import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-su-');
const config = mkdtempSync(join(tmpdir(), 'tend-xdg-'));
const runtime = mkdtempSync(join(tmpdir(), 'tend-run-'));
after(async () => {
  await tend.cleanup();
  rmSync(config, { recursive: true, force: true });
  rmSync(runtime, { recursive: true, force: true });
});

const user = userInfo().username;
const unitFile = join(config, 'systemd', 'user', 'tend.service');

/** `systemd-analyze --user verify`, which needs a runtime folder even where no user manager runs. */
function verify(file: string) {
  return spawnSync('systemd-analyze', ['--user', 'verify', file], { encoding: 'utf8', env: { ...process.env, XDG_RUNTIME_DIR: runtime } });
}

/** What logind says of this user, read here without tend's code. */
function lingering(): boolean {
  const shown = spawnSync('loginctl', ['show-user', user, '--property=Linger'], { encoding: 'utf8' });
  if (shown.status === 0 && /^Linger=(yes|no)$/m.test(shown.stdout)) return shown.stdout.includes('Linger=yes');
  return existsSync(join('/var/lib/systemd/linger', user));
}

test('startup --user writes a user unit under XDG_CONFIG_HOME that systemd-analyze --user verifies silently', async () => {
  const result = await tend.run(['startup', '--user'], { env: { XDG_CONFIG_HOME: config } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^wrote ${unitFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`, 'm'));
  const unit = readFileSync(unitFile, 'utf8');
  assert.match(unit, /^WantedBy=default.target$/m);
  assert.doesNotMatch(unit, /^User=/m);
  assert.match(unit, new RegExp(`^Environment="TEND_HOME=${tend.home}"$`, 'm'));

  const verified = verify(unitFile);
  assert.equal(verified.status, 0, verified.stderr);
  assert.equal(verified.stdout + verified.stderr, '', 'nothing printed');
  // The check has teeth: a relative ExecStart fails it.
  const broken = join(runtime, 'broken.service');
  writeFileSync(broken, unit.replace('ExecStart="', 'ExecStart="relative/'));
  assert.notEqual(verify(broken).status, 0);

  if (lingering()) assert.match(result.stdout, new RegExp(`^lingering is enabled for ${user}`, 'm'));
  else assert.match(result.stdout, new RegExp(`lingering is off for ${user}: the unit starts at login and stops at logout.*\\nloginctl enable-linger ${user}\\n`));
});

test('unstartup --user removes the unit', async () => {
  assert.ok(existsSync(unitFile));
  const result = await tend.run(['unstartup', '--user'], { env: { XDG_CONFIG_HOME: config } });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^removed .*tend\.service$/m);
  assert.equal(existsSync(unitFile), false);
});

test('--user takes no value: a user name after it is a usage error', async () => {
  const result = await tend.run(['startup', '--user', 'alice'], { env: { XDG_CONFIG_HOME: config } });
  assert.equal(result.code, 2);
  assert.match(result.stderr, /--user takes no value \(got "alice"\)/);
  assert.equal(existsSync(unitFile), false);
});
