import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DropFacts, type SpawnPlan, planPrivilegeDrop } from '../../../src/daemon/drop-privileges.js';

const ROOT: DropFacts = { daemonUid: 0, setpriv: '/usr/bin/setpriv', userKnown: true };
const app = (rest: Partial<SpawnPlan>): SpawnPlan => ({ file: '/usr/bin/node', argv: ['app.js'], viaSetpriv: false, ...rest });
const viaSetpriv = (uid: number, gid: number, groups: string): SpawnPlan => ({
  file: '/usr/bin/setpriv',
  argv: ['--reuid', String(uid), '--regid', String(gid), groups, '--', '/usr/bin/node', 'app.js'],
  viaSetpriv: true,
});

const cases: Array<[string, { uid: number | null; gid: number | null }, DropFacts, SpawnPlan]> = [
  ['no uid nor gid: the daemon\'s own ids', { uid: null, gid: null }, ROOT, app({})],
  ['root daemon, known user: setpriv with the user\'s groups', { uid: 101, gid: 104 }, ROOT, viaSetpriv(101, 104, '--init-groups')],
  ['root daemon, uid unknown to /etc/passwd: setpriv with no groups', { uid: 54321, gid: 5 }, { ...ROOT, userKnown: false }, viaSetpriv(54321, 5, '--clear-groups')],
  ['no setpriv on the machine: Node\'s uid and gid (no supplementary groups)', { uid: 101, gid: 104 }, { ...ROOT, setpriv: null }, app({ uid: 101, gid: 104 })],
  ['a daemon that is not root: Node\'s options, which fail clearly', { uid: 101, gid: 104 }, { ...ROOT, daemonUid: 1000 }, app({ uid: 101, gid: 104 })],
  ['gid alone: Node\'s gid, the daemon\'s uid', { uid: null, gid: 104 }, ROOT, app({ gid: 104 })],
];

for (const [name, ids, facts, expected] of cases) {
  test(name, () => {
    assert.deepEqual(planPrivilegeDrop('/usr/bin/node', ['app.js'], ids, facts), expected);
  });
}
