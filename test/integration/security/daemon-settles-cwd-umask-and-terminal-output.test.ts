import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TEND_BIN, TendHarness, until } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-sec-settle-');
const dir = mkdtempSync(join(tmpdir(), 'tend-sec-settle-cwd-'));
after(async () => {
  await tend.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function umaskOf(pid: number): string {
  return /^Umask:\s+(\d+)$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
}

test('the daemon works from / and gives apps umask 022, whatever the folder and umask of the command that started it', () => {
  // The first command runs in a folder of its own with umask 000.
  const started = spawnSync('/bin/sh', ['-c', `umask 000; exec "${process.execPath}" "${TEND_BIN}" start "${join(FIXTURES, 'idle.js')}" --name settled`], {
    cwd: dir,
    env: tend.env(),
    encoding: 'utf8',
  });
  assert.equal(started.status, 0, started.stderr);
  const daemon = tend.daemonPid() as number;
  assert.equal(readlinkSync(`/proc/${daemon}/cwd`), '/');
  const list = JSON.parse(spawnSync(process.execPath, [TEND_BIN, 'jlist'], { env: tend.env(), encoding: 'utf8' }).stdout) as Array<{ pid: number }>;
  assert.equal(umaskOf(list[0]?.pid as number), '0022');
});

test('the apps\' umask is set in config.json', async () => {
  await tend.ok(['kill']);
  writeFileSync(join(tend.home, 'config.json'), JSON.stringify({ umask: '027' }), { mode: 0o600 });
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'strict']);
  const [instance] = await tend.waitForStatus('strict', 'online');
  assert.equal(umaskOf(instance?.pid as number), '0027');
  await tend.ok(['delete', 'all']);
});

test('escape codes an app prints reach the terminal without their effects, colours kept', async () => {
  const script = join(dir, 'escapes.js');
  writeFileSync(script, "console.log('title\\x1b]0;owned\\x07 clear\\x1b[2J \\x1b[32mgreen\\x1b[0m');\nsetInterval(() => {}, 1 << 30);\n");
  await tend.ok(['start', script, '--name', 'escapes']);
  await tend.waitForStatus('escapes', 'online');
  // Online comes at min_uptime; under load the app may not have printed yet.
  const printed = await until(async () => (await tend.ok(['logs', 'escapes', '--nostream', '--raw', '--out'])) || undefined, 'the line the app prints');
  assert.equal(printed, 'title clear \x1b[32mgreen\x1b[0m\n');
  await tend.ok(['delete', 'escapes']);
});
