import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type FoundRun, type LiveProcess, type SavedRun, planRecovery } from '../../../src/daemon/recovery-plan.js';

const ME = 1000;
const proc = { pid: 200, startTimeTicks: 5000 };
const holder = { pid: 100, startTimeTicks: 4990, dir: '/home/u/.tend/holders/0-abc' };
const mine = (ppid: number): LiveProcess => ({ uid: ME, ppid });
const theirs = (ppid: number): LiveProcess => ({ uid: 0, ppid });

const cases: Array<[string, SavedRun, FoundRun, ReturnType<typeof planRecovery>]> = [
  ['running under its holder: adopted', { wanted: true, appUid: ME, process: proc, holder }, { app: mine(100), holder: mine(1) }, 'adopt'],
  ['exited while no daemon ran, holder waiting: adopted (the holder reports the exit)', { wanted: true, appUid: ME, process: proc, holder }, { app: null, holder: mine(1) }, 'adopt'],
  ['holder killed, app alive: ended (nothing could report its exit)', { wanted: true, appUid: ME, process: proc, holder }, { app: mine(1), holder: null }, 'end'],
  ['holder and app gone: started again', { wanted: true, appUid: ME, process: proc, holder }, { app: null, holder: null }, 'start'],
  ['no holder (cluster worker, other user), alive: ended', { wanted: true, appUid: ME, process: proc, holder: null }, { app: mine(1), holder: null }, 'end'],
  ['no holder, gone: started', { wanted: true, appUid: ME, process: proc, holder: null }, { app: null, holder: null }, 'start'],
  ['never spawned (waiting for a restart): started', { wanted: true, appUid: ME, process: null, holder: null }, { app: null, holder: null }, 'start'],
  ['stopping when the daemon died: ended, not adopted', { wanted: false, appUid: ME, process: proc, holder }, { app: mine(100), holder: mine(1) }, 'end'],
  ['the pid now names a process of another user: never touched', { wanted: true, appUid: ME, process: proc, holder }, { app: theirs(1), holder: null }, 'start'],
  ['the holder pid is another user’s: not adopted, the app ended', { wanted: true, appUid: ME, process: proc, holder }, { app: mine(100), holder: theirs(1) }, 'end'],
  ['the app is not the holder’s child (pid reused under another parent): not adopted', { wanted: true, appUid: ME, process: proc, holder }, { app: mine(77), holder: mine(1) }, 'end'],
  ['the app is another user’s under our holder: not adopted, not signalled', { wanted: true, appUid: ME, process: proc, holder }, { app: theirs(100), holder: mine(1) }, 'start'],
  ['an app run as another user (its uid option), no holder: ended as that user’s', { wanted: true, appUid: 33, process: proc, holder: null }, { app: { uid: 33, ppid: 1 }, holder: null }, 'end'],
  ['an app of uid 33 whose pid now belongs to us: not touched', { wanted: true, appUid: 33, process: proc, holder: null }, { app: mine(1), holder: null }, 'start'],
];

for (const [name, saved, found, expected] of cases) {
  test(`recovery: ${name}`, () => {
    assert.equal(planRecovery(saved, found, ME), expected);
  });
}
