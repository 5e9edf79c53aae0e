import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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
    const [instance] = await tend.waitForStatus(name, 'online');
    const pid = instance?.pid as number;
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
