import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readProcStat } from '../../../src/metrics/proc-stat.js';
import { FIXTURES, TendHarness, isAlive, killQuietly, until } from '../../helpers/tend-harness.js';

const tend = new TendHarness('tend-pid-reuse-');
const decoys: ChildProcess[] = [];
after(async () => {
  for (const decoy of decoys) decoy.kill('SIGKILL');
  await tend.cleanup();
});

interface SavedInstance {
  process: { pid: number; startTimeTicks: number } | null;
  holder: { pid: number; startTimeTicks: number } | null;
}

/** A process of the same user that is not the app: what a recorded pid may name after a reboot or a wrap. */
function decoy(): ChildProcess {
  const child = spawn('/bin/sleep', ['600'], { stdio: 'ignore', env: { PATH: process.env.PATH } });
  decoys.push(child);
  return child;
}

test('a state file whose pids now name other processes (other start times): none is signalled or adopted, the app starts anew', async () => {
  await tend.ok(['start', join(FIXTURES, 'idle.js'), '--name', 'victim', '--min-uptime', '200ms']);
  const [before] = await tend.waitForStatus('victim', 'online');
  // Daemon, guardian, holder and app all gone, as after a reboot: their pids are free for others.
  for (const pid of tend.processesOfThisHome()) killQuietly(pid);
  await until(() => tend.processesOfThisHome().length === 0, 'every process of the home gone');

  const [app, holder] = [decoy(), decoy()];
  const stats = await until(() => {
    const [a, h] = [readProcStat(app.pid as number), readProcStat(holder.pid as number)];
    return a && h ? { a, h } : null;
  }, 'decoys in /proc');
  const file = join(tend.home, 'state.json');
  const state = JSON.parse(readFileSync(file, 'utf8')) as { apps: Array<{ instances: SavedInstance[] }> };
  const instance = state.apps[0]?.instances[0] as SavedInstance;
  // The recorded pids now belong to the decoys; the recorded start times are older than theirs.
  instance.process = { pid: stats.a.pid, startTimeTicks: stats.a.startTimeTicks - 50 };
  instance.holder = { ...instance.holder, pid: stats.h.pid, startTimeTicks: stats.h.startTimeTicks - 50 } as SavedInstance['holder'];
  writeFileSync(file, JSON.stringify(state));

  const [after] = await tend.waitForStatus('victim', 'online');
  assert.ok(after?.pid && after.pid !== before?.pid && after.pid !== app.pid && after.pid !== holder.pid, 'a new process, not a decoy');
  assert.equal(after.adopted_at, null, 'nothing adopted');
  for (const child of [app, holder]) {
    assert.ok(isAlive(child.pid as number), `decoy ${child.pid} untouched`);
    assert.notEqual(readProcStat(child.pid as number)?.state, 'T', `decoy ${child.pid} not stopped`);
    assert.equal(child.signalCode, null);
  }
});
