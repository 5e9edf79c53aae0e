import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BUSY_CPU_SHARE, FLOOD_BYTES_PER_SECOND, MIN_WINDOW_MS, holdOptimizer, isBusyWindow, isFloodRate } from '../../../src/daemon/optimizer-gate.js';

test('a window is busy from half a core, once it is long enough to judge', () => {
  const cases: [cpuMs: number, wallMs: number, busy: boolean][] = [
    [0, 1000, false],
    [50, 1000, false], // a start of 50 apps, measured
    [499, 1000, false],
    [500, 1000, true],
    [1000, 1000, true],
    [MIN_WINDOW_MS, MIN_WINDOW_MS, true],
    [MIN_WINDOW_MS - 1, MIN_WINDOW_MS - 1, false], // too short to judge, even at full load
    [BUSY_CPU_SHARE * 200, 200, true],
  ];
  for (const [cpuMs, wallMs, busy] of cases) assert.equal(isBusyWindow(cpuMs, wallMs), busy, `${cpuMs} ms CPU over ${wallMs} ms`);
});

function fakeGate() {
  const flags: string[] = [];
  const clock = { now: 0, cpu: 0 };
  const gate = holdOptimizer({ setFlags: (f) => flags.push(f), nowMs: () => clock.now, cpuMs: () => clock.cpu });
  return { flags, clock, gate };
}

test('the optimizer is held at once, and stays held while the daemon idles', () => {
  const { flags, clock, gate } = fakeGate();
  assert.deepEqual(flags, ['--no-opt']);
  for (let tick = 0; tick < 60; tick++) {
    clock.now += 1000;
    clock.cpu += 5;
    gate.check();
  }
  assert.equal(gate.released, false);
  assert.deepEqual(flags, ['--no-opt']);
});

test('the first busy window releases the optimizer, for good', () => {
  const { flags, clock, gate } = fakeGate();
  clock.now += 1000;
  clock.cpu += 10;
  gate.check();
  // A flood: checks every few ms; judged once 100 ms have passed.
  for (let k = 0; k < 40; k++) {
    clock.now += 5;
    clock.cpu += 5;
    gate.check();
  }
  assert.equal(gate.released, true);
  assert.deepEqual(flags, ['--no-opt', '--opt']);
  clock.now += 1000;
  gate.check();
  assert.deepEqual(flags, ['--no-opt', '--opt']);
});

test('checks closer together than the shortest window neither judge nor restart it', () => {
  const { flags, clock, gate } = fakeGate();
  // 90 ms idle, then 60 ms at full load: the 150 ms window is 40% busy, not released...
  clock.now += 90;
  gate.check();
  clock.now += 60;
  clock.cpu += 60;
  gate.check();
  assert.equal(gate.released, false);
  // ...and the next window starts there.
  clock.now += 100;
  clock.cpu += 100;
  gate.check();
  assert.equal(gate.released, true);
  assert.deepEqual(flags, ['--no-opt', '--opt']);
});

test('a runtime that refuses the flag keeps its optimizer', () => {
  const gate = holdOptimizer({
    setFlags: () => {
      throw new Error('refused');
    },
  });
  assert.equal(gate.released, true);
  gate.check();
});

test('output read at a flood rate releases the optimizer before any CPU window is judged', () => {
  const rates: [bytes: number, wallMs: number, flood: boolean][] = [
    [FLOOD_BYTES_PER_SECOND, 1000, true],
    [FLOOD_BYTES_PER_SECOND - 1, 1000, false],
    [4 * 1024 * 1024, 10, true], // a 2M-line flood reads 4 MiB in a few ms
    [4 * 1024 * 1024, 60_000, false], // busy apps logging steadily
    [0, 0, true],
  ];
  for (const [bytes, wallMs, flood] of rates) assert.equal(isFloodRate(bytes, wallMs), flood, `${bytes} bytes over ${wallMs} ms`);

  const { flags, clock, gate } = fakeGate();
  clock.now += 3_600_000;
  // The first call only starts the clock: the first MiBs may have taken an hour.
  gate.noteOutput(4 * 1024 * 1024);
  assert.equal(gate.released, false);
  clock.now += 10;
  gate.noteOutput(4 * 1024 * 1024);
  assert.equal(gate.released, true);
  assert.deepEqual(flags, ['--no-opt', '--opt']);
});

test('steady output below the flood rate leaves the optimizer held', () => {
  const { flags, clock, gate } = fakeGate();
  for (let k = 0; k < 20; k++) {
    clock.now += 2000;
    gate.noteOutput(4 * 1024 * 1024);
  }
  assert.equal(gate.released, false);
  assert.deepEqual(flags, ['--no-opt']);
});
