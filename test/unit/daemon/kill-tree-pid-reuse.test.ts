import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { after, test } from 'node:test';
import { collectTree, filterAlive, signalIfSame } from '../../../src/daemon/kill-tree.js';
import type { ProcStat } from '../../../src/metrics/proc-stat.js';
import { readProcStat } from '../../../src/metrics/proc-stat.js';
import { isAlive, killQuietly, until } from '../../helpers/tend-harness.js';

const started: ChildProcess[] = [];
after(() => started.forEach((child) => child.pid && killQuietly(-child.pid)));

/** A real process leading its own group, with a child in that group: what a reused pid may hold now. */
async function groupLeader(): Promise<{ leader: ProcStat; child: number }> {
  const shell = spawn('/bin/sh', ['-c', 'sleep 600 & echo $!; wait'], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
  started.push(shell);
  const child = await new Promise<number>((resolve) => shell.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  const leader = await until(() => readProcStat(shell.pid as number), 'the shell in /proc');
  return { leader, child };
}

test('a recorded pid now held by another process (another start time) is never signalled', async () => {
  const { leader, child } = await groupLeader();
  const recorded = { pid: leader.pid, startTimeTicks: leader.startTimeTicks - 100 };
  assert.equal(signalIfSame(recorded, 'SIGKILL'), false);
  assert.deepEqual(filterAlive([recorded]), [], 'not the recorded process, so not alive');
  assert.ok(isAlive(leader.pid) && isAlive(child));
});

test('the group of a reused pid is not collected as the recorded root\'s leftovers', async () => {
  const { leader, child } = await groupLeader();
  const recorded = { pid: leader.pid, startTimeTicks: leader.startTimeTicks - 100 };
  assert.deepEqual(collectTree(recorded, { group: true }), []);
  const same = collectTree({ pid: leader.pid, startTimeTicks: leader.startTimeTicks }, { group: true });
  assert.deepEqual(same.map((p) => p.pid), [child], 'the real root does own its group');
});

test('group leftovers of a root that is gone (no process holds its pid) are still collected', () => {
  const stat = (pid: number, pgid: number, startTimeTicks: number): ProcStat => ({ pid, ppid: 1, pgid, sid: pgid, state: 'S', utimeTicks: 0, stimeTicks: 0, cutimeTicks: 0, cstimeTicks: 0, startTimeTicks, rssPages: 0 });
  const stats = [stat(501, 500, 1010), stat(502, 500, 990)];
  assert.deepEqual(collectTree({ pid: 500, startTimeTicks: 1000 }, { group: true }, stats, () => null), [{ pid: 501, startTimeTicks: 1010 }], 'started before the root: not its own');
});
