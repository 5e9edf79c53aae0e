import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LifecycleState } from '../../../src/daemon/lifecycle/states.js';
import { type SettleVerdict, settleVerdict } from '../../../src/daemon/settle.js';

const clean = { code: null, signal: null };
const cases: Array<[string, LifecycleState, { code: number | null; signal: string | null }, SettleVerdict]> = [
  ['online is done', { name: 'online' }, clean, { ok: true }],
  ['a readiness timeout fails at once', { name: 'failing', reason: 'no ready within listen_timeout (500 ms)' }, clean, { ok: false, reason: 'no ready within listen_timeout (500 ms)' }],
  ['errored fails with its reason', { name: 'errored', reason: 'gave up' }, clean, { ok: false, reason: 'gave up' }],
  ['exited with a code', { name: 'exited' }, { code: 3, signal: null }, { ok: false, reason: 'exited with code 3 and is not restarted' }],
  ['exited by a signal', { name: 'exited' }, { code: null, signal: 'SIGKILL' }, { ok: false, reason: 'exited (killed by SIGKILL) and is not restarted' }],
  ['stopped meanwhile', { name: 'stopped' }, clean, { ok: false, reason: 'was stopped before it got online' }],
  ['starting waits', { name: 'starting' }, clean, null],
  ['a crash loop waits for the policy', { name: 'waiting', cause: 'crash' }, clean, null],
  ['held back by depends_on waits', { name: 'blocked', on: 'db', reason: 'waiting for db', origin: 'command', cause: null }, clean, null],
  [
    'held back by a dependency that will not come online by itself fails',
    { name: 'blocked', on: 'db', reason: 'waiting for db (errored)', stuck: true, origin: 'command', cause: null },
    clean,
    { ok: false, reason: 'waiting for db (errored)' },
  ],
  ['a spawn waits', { name: 'spawning', origin: 'command', cause: null, then: 'run', queued: null }, clean, null],
];

for (const [what, state, exit, expected] of cases) {
  test(`settleVerdict: ${what}`, () => assert.deepEqual(settleVerdict(state, exit), expected));
}
