import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RunClock } from '../../../src/daemon/run-clock.js';

function clockAt(): { now: number; monotonicMs: () => number; wallMs: () => number } {
  const clock = { now: 1000, monotonicMs: () => clock.now, wallMs: () => clock.now };
  return clock;
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Begins a run at its start gate; the returned function is its go line. */
function beginGated(run: RunClock<'t'>): () => void {
  let go = (): void => undefined;
  run.begin(new Promise<void>((resolve) => (go = resolve)));
  return go;
}

test('RunClock: a run without a gate counts from its begin; an adopted one from before', () => {
  const clock = clockAt();
  const run = new RunClock<'t'>(clock);
  run.begin();
  clock.now += 250;
  assert.equal(run.runMs(), 250);
  run.resume(5000);
  assert.equal(run.runMs(), 5000);
});

test('RunClock: at its start gate a run has lasted 0 ms and what waits for it waits; it counts from the go line', async () => {
  const clock = clockAt();
  const run = new RunClock<'t'>(clock);
  const go = beginGated(run);
  const ran: string[] = [];
  run.whenRunning(() => ran.push('probes'));
  clock.now += 3000;
  await settle();
  assert.equal(run.runMs(), 0);
  assert.equal(ran.length, 0);
  go();
  await settle();
  assert.deepEqual(ran, ['probes']);
  clock.now += 40;
  assert.equal(run.runMs(), 40);
  run.whenRunning(() => ran.push('at once'));
  assert.deepEqual(ran, ['probes', 'at once']);
});

test('RunClock: clearAll drops what waits for the go line; the go line of an earlier process changes nothing', async () => {
  const clock = clockAt();
  const run = new RunClock<'t'>(clock);
  const goFirst = beginGated(run);
  const ran: string[] = [];
  run.whenRunning(() => ran.push('armed for the old state'));
  run.clearAll();
  run.end();
  run.begin();
  clock.now += 100;
  goFirst();
  await settle();
  assert.equal(ran.length, 0);
  assert.equal(run.runMs(), 100, 'the new run keeps its own start');
});
