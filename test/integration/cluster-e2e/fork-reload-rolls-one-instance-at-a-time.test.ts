import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { FIXTURES, TendHarness } from '../../helpers/tend-harness.js';
import { instancesOf } from './support.js';
import { readProcStat } from '../../../src/metrics/proc-stat.js';

let tend: TendHarness;
let startLog: string;
beforeEach(() => {
  tend = new TendHarness();
  startLog = join(tend.home, 'starts.log');
});
afterEach(() => tend.cleanup());

const MIN_UPTIME_MS = 500;

function starts(): Array<{ instance: number; pid: number; at: number }> {
  return readFileSync(startLog, 'utf8')
    .trim()
    .split('\n')
    .map((line) => line.split(' ').map(Number))
    .map(([instance, pid, at]) => ({ instance: instance ?? -1, pid: pid ?? 0, at: at ?? 0 }));
}

async function startThree(): Promise<number[]> {
  const args = ['start', join(FIXTURES, 'note-start.js'), '--name', 'rolling', '-x', '-i', '3', '--min-uptime', `${MIN_UPTIME_MS}ms`];
  await tend.ok(args, { env: { START_LOG: startLog } });
  const list = await tend.waitForStatus('rolling', 'online', 3);
  return instancesOf(list, 'rolling').map((i) => i.pid as number);
}

test('reload of a fork-mode app restarts its instances one at a time, each once the previous is online', async () => {
  const oldPids = await startThree();
  const out = await tend.ok(['reload', 'rolling']);
  assert.match(out, /rolling runs in fork mode: restarted one instance at a time/);
  const fresh = starts().filter((s) => !oldPids.includes(s.pid));
  assert.deepEqual(fresh.map((s) => s.instance), [0, 1, 2], 'restarted in order, once each');
  // Each new process started only after the one before it had survived min_uptime (online). The
  // kernel's start times (10 ms ticks) are compared, not the times the apps noted: Node's own
  // start-up varies by hundreds of ms on a loaded machine.
  const startedMs = fresh.map((s) => (readProcStat(s.pid)?.startTimeTicks ?? Number.NaN) * 10);
  for (let k = 1; k < fresh.length; k++) {
    const gap = (startedMs[k] ?? 0) - (startedMs[k - 1] ?? 0);
    assert.ok(gap >= MIN_UPTIME_MS - 20, `instance ${k} started ${gap} ms after instance ${k - 1}`);
  }
  const after = instancesOf(await tend.jlist(), 'rolling');
  assert.ok(after.every((i) => i.status === 'online' && !oldPids.includes(i.pid as number)), JSON.stringify(after));
});

test('a fork-mode instance that does not come back aborts the reload; the others keep their old processes', async () => {
  const oldPids = await startThree();
  const reload = await tend.run(['reload', 'rolling', '--update-env'], { env: { START_LOG: startLog, CRASH_ON_START: '1' } });
  assert.notEqual(reload.code, 0);
  assert.match(reload.stderr, /reload of rolling \(id \d+\) aborted: .*instances not reloaded yet keep running/);
  const list = instancesOf(await tend.jlist(), 'rolling');
  assert.equal(list.filter((i) => i.status === 'online' && oldPids.includes(i.pid as number)).length, 2, JSON.stringify(list));
});
