import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { NOBODY, needsRoot } from './support.js';

const tend = new TendHarness('tend-sec-uid-');
after(() => tend.cleanup());

function statusField(pid: number, field: string): string {
  return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]?.trim() ?? '';
}

function environ(pid: number): Record<string, string> {
  const pairs = readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').filter(Boolean);
  return Object.fromEntries(pairs.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
}

test('--uid without --gid, by name or number, runs with the user\'s own group and HOME, not root\'s', async (t) => {
  if (!needsRoot(t)) return;
  for (const [name, uid] of [['by-name', 'nobody'], ['by-number', String(NOBODY.uid)]] as const) {
    await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', name, '--uid', uid], { env: { HOME: '/root', USER: 'root' } });
    const pid = (await tend.waitForStatus(name, 'online')).find((i) => i.name === name)?.pid as number;
    assert.equal(statusField(pid, 'Uid').split(/\s+/)[0], String(NOBODY.uid), name);
    assert.deepEqual(statusField(pid, 'Gid').split(/\s+/), Array(4).fill(String(NOBODY.gid)), `${name}: every gid is nobody's, none is 0`);
    assert.ok(!statusField(pid, 'Groups').split(/\s+/).includes('0'), `${name}: no supplementary group 0`);
    const env = environ(pid);
    assert.equal(env.HOME, '/nonexistent', name);
    assert.equal(env.USER, 'nobody', name);
    assert.equal(env.LOGNAME, 'nobody', name);
  }
});

test('a numeric uid unknown to /etc/passwd needs a gid', async () => {
  const result = await tend.run(['start', join(FIXTURES, 'idle.js'), '--name', 'ghost', '--uid', '54321']);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /uid: no user with uid 54321 in \/etc\/passwd, so no group to run with; set gid too/);
});

/** A user of this machine who is a member of some group besides their own (postgres in ssl-cert, ...). */
function userWithSupplementaryGroups(): string | null {
  const users = new Set(readFileSync('/etc/passwd', 'utf8').split('\n').map((line) => line.split(':')[0]));
  for (const line of readFileSync('/etc/group', 'utf8').split('\n')) {
    const member = (line.split(':')[3] ?? '').split(',').find((name) => name !== '' && name !== 'root' && users.has(name));
    if (member) return member;
  }
  return null;
}

test('--uid alone gives the user\'s supplementary groups too, as su does (through setpriv)', async (t) => {
  if (!needsRoot(t)) return;
  const user = userWithSupplementaryGroups();
  if (user === null || !existsSync('/usr/bin/setpriv')) {
    t.skip('needs a user with a supplementary group in /etc/group, and util-linux setpriv');
    return;
  }
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'grouped', '--uid', user]);
  const pid = (await tend.waitForStatus('grouped', 'online')).find((i) => i.name === 'grouped')?.pid as number;
  const expected = execFileSync('id', ['-G', user], { encoding: 'utf8' }).trim().split(/\s+/).sort();
  assert.deepEqual(statusField(pid, 'Groups').split(/\s+/).filter(Boolean).sort(), expected, `the groups of ${user}, as id -G says`);
  assert.equal(statusField(pid, 'Uid').split(/\s+/)[0], execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
  assert.equal(statusField(pid, 'Gid').split(/\s+/)[0], execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
});
