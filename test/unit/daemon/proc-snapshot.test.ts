import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ProcStat } from '../../../src/metrics/proc-stat.js';
import { ProcSnapshot } from '../../../src/daemon/proc-snapshot.js';

function stat(pid: number, startTimeTicks: number): ProcStat {
  return { pid, ppid: 1, pgid: pid, sid: pid, state: 'S', utimeTicks: 0, stimeTicks: 0, cutimeTicks: 0, cstimeTicks: 0, startTimeTicks, rssPages: 0 };
}

test('ProcSnapshot: one read of the table per turn of the event loop', async () => {
  let table = [stat(10, 100)];
  let reads = 0;
  const snapshot = new ProcSnapshot(() => {
    reads += 1;
    return table;
  }, () => []);
  const first = snapshot.all();
  assert.equal(snapshot.all(), first, 'the same turn shares one read');
  assert.equal(reads, 1);
  table = [stat(10, 100), stat(11, 200)];
  await nextTurn();
  assert.deepEqual(snapshot.all().map((s) => s.pid), [10, 11], 'the next turn reads afresh');
  assert.equal(reads, 2);
});

test('ProcSnapshot: an environment is read once per process, and forgotten when the process is gone', async () => {
  let table = [stat(10, 100)];
  const envReads: number[] = [];
  const snapshot = new ProcSnapshot(() => table, (pid) => {
    envReads.push(pid);
    return pid === 10 ? ['TEND_ID=3'] : null;
  });
  const [p] = snapshot.all();
  assert.ok(p);
  assert.deepEqual(snapshot.environ(p), new Set(['TEND_ID=3']));
  assert.deepEqual(snapshot.environ(p), new Set(['TEND_ID=3']));
  assert.deepEqual(envReads, [10]);
  // The pid is reused by another process (new start time): its environment is its own.
  table = [stat(10, 999)];
  await nextTurn();
  const [reused] = snapshot.all();
  assert.ok(reused);
  snapshot.environ(reused);
  assert.deepEqual(envReads, [10, 10]);
  // Unreadable environments are remembered as such, not retried on every scan.
  assert.equal(snapshot.environ(stat(12, 5)), null);
  assert.equal(snapshot.environ(stat(12, 5)), null);
  assert.deepEqual(envReads, [10, 10, 12]);
});
