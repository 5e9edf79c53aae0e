/**
 * Clock jumps: the wall clock may leap (NTP step, a VM resumed, an operator's `date -s`); the
 * daemon's uptimes, min_uptime verdicts and restart pacing run on the monotonic clock, so a
 * leap changes none of them. A real wall-clock step needs CAP_SYS_TIME over the whole machine
 * (and Linux time namespaces shift only the monotonic clocks), so the instance runs here with a
 * clock whose wall time the test jumps while the monotonic time moves as it would.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mock, test } from 'node:test';
import { adoptedRunMs } from '../../../src/daemon/adopted-run.js';
import { REPO_ROOT } from '../../helpers/tend-harness.js';
import { setup } from './instance-world.js';

const DAY_MS = 24 * 3600 * 1000;

/** Runs `body` with setTimeout under the test's control. */
async function withMockTimers(body: () => Promise<void>): Promise<void> {
  mock.timers.enable({ apis: ['setTimeout'] });
  try {
    await body();
  } finally {
    mock.timers.reset();
  }
}

async function flush(): Promise<void> {
  for (let n = 0; n < 5; n += 1) await Promise.resolve();
}

for (const jumpMs of [-DAY_MS, -3600_000, 3600_000, 365 * DAY_MS]) {
  test(`a wall clock jump of ${jumpMs / 3600_000} h changes neither uptime nor the min_uptime verdict`, () =>
    withMockTimers(async () => {
      const { instance, driver, now, wall } = setup({ minUptimeMs: 1000, maxRestarts: 1 });
      void instance.start();
      driver.complete(0);
      await flush();
      now.ms += 300;
      wall.offsetMs += jumpMs;
      assert.equal(instance.uptimeMs(), 300);
      // Two crashes 300 ms (monotonic) after their start: unstable whatever the wall clock says.
      driver.spawns[0]?.events.exited(1, null);
      assert.equal(instance.state, 'waiting', 'the first unstable exit restarts');
      mock.timers.tick(0);
      driver.complete(1);
      await flush();
      now.ms += 300;
      wall.offsetMs += jumpMs;
      driver.spawns[1]?.events.exited(1, null);
      assert.equal(instance.state, 'errored', 'max_restarts 1 of unstable runs: given up');
    }));

  test(`a run of 5 s (monotonic) is stable after a wall clock jump of ${jumpMs / 3600_000} h`, () =>
    withMockTimers(async () => {
      const { instance, driver, now, wall } = setup({ minUptimeMs: 1000, maxRestarts: 0 });
      void instance.start();
      driver.complete(0);
      await flush();
      now.ms += 5000;
      mock.timers.tick(5000);
      wall.offsetMs += jumpMs;
      assert.equal(instance.state, 'online');
      assert.equal(instance.uptimeMs(), 5000);
      driver.spawns[0]?.events.exited(1, null);
      assert.equal(instance.state, 'waiting', 'a stable run restarts even with max_restarts 0');
    }));
}

test('the decision modules never read the wall clock', () => {
  const modules = [
    'restart-policy.ts',
    'lifecycle/transition.ts',
    'lifecycle/transition-steps.ts',
    'lifecycle/after-exit.ts',
    'lifecycle/restart-budget.ts',
    'timers.ts',
    'spawn-queue.ts',
  ];
  for (const module of modules) {
    const source = readFileSync(join(REPO_ROOT, 'src/daemon', module), 'utf8');
    assert.doesNotMatch(source, /Date\.now\(|new Date\(|wallMs\(|performance\.timeOrigin/, module);
  }
});

test('an adopted process\'s run time comes from its /proc start time, whatever the wall clock did meanwhile', () => {
  // Started 50 s after boot, now 170 s after boot: 120 s, though the wall clock says -1 h or +1 day.
  for (const wallElapsedMs of [-3600_000, 5000, DAY_MS]) assert.equal(adoptedRunMs(5000, 170, wallElapsedMs), 120_000);
  assert.equal(adoptedRunMs(0, 170, 7000), 7000, 'no start time: the wall clock, as the previous daemon recorded');
  assert.equal(adoptedRunMs(5000, null, -7000), 0, 'no /proc/uptime and a wall clock gone back: never negative');
});
