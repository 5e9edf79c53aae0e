import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Clock, systemClock } from '../../../src/core/clock.js';
import { SPAWN_SLICE_MS, SpawnQueue, SpawnTurns } from '../../../src/daemon/spawn-queue.js';

/** A job the test finishes by hand. */
function pendingJob(started: number[], finishers: Map<number, () => void>, n: number): () => Promise<void> {
  return () => {
    started.push(n);
    return new Promise<void>((resolve) => finishers.set(n, resolve));
  };
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A clock that stands still, for the tests of order and places: on the system clock a test
 * process preempted on a busy machine saw a slice end, and the queue gave a turn of the loop
 * more than the test waited for.
 */
const stillClock: Clock = { monotonicMs: () => 0, wallMs: () => 0 };

test('SpawnQueue: starts jobs in order, at most `concurrency` at once, the next as one finishes', async () => {
  const queue = new SpawnQueue(stillClock, 3);
  const started: number[] = [];
  const finishers = new Map<number, () => void>();
  for (let n = 0; n < 7; n++) queue.add(pendingJob(started, finishers, n));
  await turn();
  await turn();
  assert.deepEqual(started, [0, 1, 2]);
  finishers.get(1)?.();
  await turn();
  await turn();
  assert.deepEqual(started, [0, 1, 2, 3]);
  for (const n of [0, 2, 3]) finishers.get(n)?.();
  await turn();
  await turn();
  assert.deepEqual(started, [0, 1, 2, 3, 4, 5, 6]);
});

test('SpawnQueue: a failed job frees its place', async () => {
  const queue = new SpawnQueue(stillClock, 1);
  const ran: number[] = [];
  queue.add(() => Promise.reject(new Error('spawn failed')));
  queue.add(async () => {
    ran.push(1);
  });
  await turn();
  await turn();
  await turn();
  assert.deepEqual(ran, [1]);
});

test('SpawnQueue: jobs that block the event loop are cut into slices, with a turn of the loop between', async () => {
  const queue = new SpawnQueue(systemClock, 1);
  let turns = 0;
  let done = 0;
  const ticker = setInterval(() => (turns += 1), 0);
  const block = async (): Promise<void> => {
    const until = systemClock.monotonicMs() + SPAWN_SLICE_MS / 2;
    while (systemClock.monotonicMs() < until) {
      // busy, as a spawn call is
    }
    done += 1;
  };
  for (let n = 0; n < 10; n++) queue.add(block);
  while (done < 10) await new Promise((resolve) => setTimeout(resolve, 5));
  clearInterval(ticker);
  // 10 jobs of half a slice each: at least 4 slices, so timers ran between them.
  assert.ok(turns >= 3, `timers ran ${turns} times while the jobs ran`);
});

function busyFor(ms: number): void {
  const until = systemClock.monotonicMs() + ms;
  while (systemClock.monotonicMs() < until) {
    // busy, as a spawn call is
  }
}

test('SpawnTurns: within a slice spawns go at once; past it, one per turn, with timers served between', async () => {
  const turns = new SpawnTurns(systemClock);
  // The first take opens a slice in a later turn; the next ones within it go in the same turn.
  await turns.take();
  let immediateRan = false;
  setImmediate(() => (immediateRan = true));
  await turns.take();
  await turns.take();
  assert.equal(immediateRan, false, 'a take within the slice waited for a turn');
  // Four spawns of a whole slice each, asked for together (as four jobs' folders come back in
  // one turn): each runs in a turn of its own.
  let ticks = 0;
  const ticker = setInterval(() => (ticks += 1), 0);
  busyFor(SPAWN_SLICE_MS);
  const ticksAtSpawn: number[] = [];
  await Promise.all(
    [0, 1, 2, 3].map(async () => {
      await turns.take();
      ticksAtSpawn.push(ticks);
      busyFor(SPAWN_SLICE_MS);
    }),
  );
  clearInterval(ticker);
  assert.equal(ticksAtSpawn.length, 4);
  for (let k = 1; k < 4; k++) assert.ok((ticksAtSpawn[k] as number) > (ticksAtSpawn[k - 1] as number), `spawns ${k - 1} and ${k} ran with no timer between: ${ticksAtSpawn.join(',')}`);
});
