import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import type { Clock } from '../../../src/core/clock.js';
import { parseSchedstat } from '../../../src/core/schedstat.js';
import { BOOT_WINDOW_MS, BUSY_SHARE, MAX_COUNTED_GAP_MS, MAX_WINDOW, PACE_POLL_MS, ReleasePacer, lookAt, nextPace, stillBooting } from '../../../src/daemon/release-pacer.js';

test('nextPace: as many at once as there are cores; apps that leave the CPU before the next look widen the window', () => {
  const look = { queued: 100, booting: 0, lastReleased: 0, window: 2, cpus: 2 };
  assert.deepEqual(nextPace(look), { release: 2, window: 2 }, 'the first look of a burst');
  assert.deepEqual(nextPace({ ...look, booting: 1, lastReleased: 2 }), { release: 1, window: 2 }, 'one still booting');
  assert.deepEqual(nextPace({ ...look, booting: 2, lastReleased: 2 }), { release: 0, window: 2 });
  assert.deepEqual(nextPace({ ...look, booting: 5, lastReleased: 0, window: 8 }), { release: 0, window: 2 }, 'a boot under way narrows the window to the cores');
  assert.deepEqual(nextPace({ ...look, lastReleased: 2 }), { release: 4, window: 4 }, 'all left the CPU: twice as many');
  assert.deepEqual(nextPace({ ...look, lastReleased: 8, window: 8 }), { release: 16, window: 16 });
  assert.deepEqual(nextPace({ ...look, lastReleased: 16, window: MAX_WINDOW }), { release: MAX_WINDOW, window: MAX_WINDOW }, 'never more than MAX_WINDOW');
  assert.deepEqual(nextPace({ ...look, queued: 3, lastReleased: 8, window: 8 }), { release: 3, window: 16 }, 'never more than wait');
  assert.deepEqual(nextPace({ ...look, queued: 0 }).release, 0);
});

/** A pacer whose apps are on a CPU while the test says so, on a clock the test moves. */
function pacerUnderTest(cpus: number): { pacer: ReleasePacer; onCpu: Set<number>; went: number[]; clock: { now: number } & Clock } {
  const onCpu = new Set<number>();
  const went: number[] = [];
  const clock = { now: 0, monotonicMs: () => clock.now, wallMs: () => clock.now };
  return { pacer: new ReleasePacer(clock, cpus, (pid) => ({ running: onCpu.has(pid), demandNs: 0 })), onCpu, went, clock };
}

const apps = (pids: number[], went: number[]) => pids.map((pid) => ({ pid, go: () => went.push(pid) }));

test('ReleasePacer: lets the next app go as one booting leaves the CPU, in the order handed in', async () => {
  const { pacer, onCpu, went } = pacerUnderTest(2);
  for (const pid of [1, 2, 3, 4, 5]) onCpu.add(pid);
  pacer.release(apps([1, 2, 3], went));
  pacer.release(apps([4, 5], went));
  assert.deepEqual(went, [1, 2], 'two cores: two at once');
  await delay(PACE_POLL_MS * 4);
  assert.deepEqual(went, [1, 2], 'both still booting: the rest wait');
  onCpu.delete(1);
  await delay(PACE_POLL_MS * 4);
  assert.deepEqual(went, [1, 2, 3]);
  onCpu.delete(2);
  onCpu.delete(3);
  await delay(PACE_POLL_MS * 4);
  assert.deepEqual(went, [1, 2, 3, 4, 5]);
});

test('ReleasePacer: apps that take no CPU go as fast as they come; one spinning for good holds the rest only BOOT_WINDOW_MS', async () => {
  const { pacer, onCpu, went, clock } = pacerUnderTest(1);
  pacer.release(apps([1, 2, 3], went));
  await delay(PACE_POLL_MS * 6);
  assert.deepEqual(went, [1, 2, 3], 'never on a CPU: none held back');
  onCpu.add(4);
  onCpu.add(5);
  pacer.release(apps([4, 5], went));
  await delay(PACE_POLL_MS * 4);
  assert.deepEqual(went, [1, 2, 3, 4]);
  // The window counts the time the pacer watched: a look at most MAX_COUNTED_GAP_MS after the last.
  for (let watched = 0; watched < BOOT_WINDOW_MS; watched += MAX_COUNTED_GAP_MS) {
    assert.deepEqual(went, [1, 2, 3, 4], `app 4 still booting after ${watched} ms`);
    clock.now += MAX_COUNTED_GAP_MS;
    await delay(PACE_POLL_MS * 3);
  }
  assert.deepEqual(went, [1, 2, 3, 4, 5], 'app 4 still spins, but its boot window is over');
});

test('ReleasePacer: a stall of the whole machine does not end the boots under way (the window counts the time watched)', async () => {
  const { pacer, onCpu, went, clock } = pacerUnderTest(1);
  onCpu.add(1);
  onCpu.add(2);
  pacer.release(apps([1, 2], went));
  await delay(PACE_POLL_MS * 3);
  assert.deepEqual(went, [1]);
  // The daemon and app 1 stood still for longer than the window (a VM not scheduled by its host).
  clock.now += BOOT_WINDOW_MS * 3;
  await delay(PACE_POLL_MS * 3);
  assert.deepEqual(went, [1], 'app 1 is found on a CPU after the stall: still booting');
  onCpu.delete(1);
  await delay(PACE_POLL_MS * 3);
  assert.deepEqual(went, [1, 2]);
});

test('stillBooting: running now, or on or waiting for a CPU for BUSY_SHARE of the time since the last look', () => {
  assert.equal(stillBooting({ running: true, demandNs: null }, null, 5), true);
  assert.equal(stillBooting(null, 0, 5), false, 'gone');
  const share = (ns: number) => stillBooting({ running: false, demandNs: 1_000_000 + ns }, 1_000_000, 10);
  assert.equal(share(BUSY_SHARE * 10 * 1e6), true, 'asleep at the look, but busy since the last one');
  assert.equal(share(BUSY_SHARE * 10 * 1e6 - 1), false);
  assert.equal(share(0), false, 'asleep and idle: booted');
  assert.equal(stillBooting({ running: false, demandNs: null }, null, 10), false, 'no CPU time to go by');
});

test('lookAt: a process spinning is running and its demand for a CPU grows; one sleeping is not running; one gone is null', async () => {
  const spinner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  const sleeper = spawn('sleep', ['30'], { stdio: 'ignore' });
  try {
    await delay(300);
    // Two cores shared with the rest of the machine: the spinner may wait for one, which counts.
    const first = lookAt(spinner.pid as number);
    assert.equal(first?.running, true);
    await delay(100);
    const second = lookAt(spinner.pid as number);
    if (first?.demandNs != null && second?.demandNs != null) assert.ok(second.demandNs > first.demandNs, 'its time on or waiting for a CPU grows');
    assert.equal(lookAt(sleeper.pid as number)?.running, false);
  } finally {
    spinner.kill('SIGKILL');
    sleeper.kill('SIGKILL');
  }
  await new Promise((resolve) => sleeper.once('exit', resolve));
  assert.equal(lookAt(sleeper.pid as number), null, 'gone (reaped)');
});

test('parseSchedstat: time on a CPU and time waiting for one, in ns; anything else is null', () => {
  assert.deepEqual(parseSchedstat('3913498 3746231 2\n'), { onCpuNs: 3913498, waitingNs: 3746231 });
  assert.deepEqual(parseSchedstat('0 0 0\n'), { onCpuNs: 0, waitingNs: 0 });
  assert.equal(parseSchedstat(''), null);
  assert.equal(parseSchedstat('12\n'), null);
  assert.equal(parseSchedstat('x y z'), null);
});
