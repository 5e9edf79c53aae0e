import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  decideMemoryRestart,
  INITIAL_MEMORY_LIMIT_STATE,
  isOverMemoryLimit,
  type MemoryLimitState,
} from '../../../src/daemon/triggers/memory-limit.js';
import { Sampler } from '../../../src/metrics/sampler.js';
import { killPids, startFixture, waitFor } from '../metrics/fixture-process.js';

const MB = 1024 * 1024;

describe('isOverMemoryLimit', () => {
  const cases: [number, number | null, boolean][] = [
    [100, 99, true],
    [100, 100, false],
    [100, 101, false],
    [1e12, null, false],
    [1e12, 0, false],
    [1e12, -5, false],
    [1e12, Number.NaN, false],
  ];
  for (const [bytes, limit, expected] of cases) {
    it(`${bytes} bytes against limit ${limit} -> ${expected}`, () => {
      assert.equal(isOverMemoryLimit(bytes, limit), expected);
    });
  }
});

describe('decideMemoryRestart', () => {
  it('asks once per breaching process, and again for the next process', () => {
    const samples: [pid: number, bytes: number, restart: boolean][] = [
      [10, 50 * MB, false],
      [10, 120 * MB, true],
      [10, 130 * MB, false], // still being stopped: same breach
      [10, 90 * MB, false],
      [11, 40 * MB, false], // restarted
      [11, 150 * MB, true],
      [12, 150 * MB, true], // a new process already over the limit
    ];
    let state: MemoryLimitState = INITIAL_MEMORY_LIMIT_STATE;
    for (const [pid, bytes, restart] of samples) {
      const decision = decideMemoryRestart(state, pid, bytes, 100 * MB);
      assert.equal(decision.restart, restart, `pid ${pid} at ${bytes / MB} MB`);
      assert.equal(decision.reason !== null, restart);
      state = decision.state;
    }
  });

  it('explains the breach in MB', () => {
    const decision = decideMemoryRestart(INITIAL_MEMORY_LIMIT_STATE, 1, 150 * MB, 100 * MB);
    assert.equal(decision.reason, 'memory 150.0 MB > limit 100.0 MB');
  });
});

describe('memory limit with a real growing process', () => {
  const pids: number[] = [];
  after(() => killPids(pids));

  it('crosses a 150 MB limit exactly once on the sampler', async () => {
    const app = startFixture('memory-grow.js', { STEP_MB: '20', STEP_MS: '50', MAX_MB: '300' });
    pids.push(app.pid);
    await app.ready;
    const sampler = new Sampler({ intervalMs: 100 });
    let state: MemoryLimitState = INITIAL_MEMORY_LIMIT_STATE;
    let restarts = 0;
    let ticksAfterBreach = 0;
    sampler.onSample((tick) => {
      const sample = tick.samples.get(1);
      if (!sample) return;
      const decision = decideMemoryRestart(state, app.pid, sample.memoryBytes, 150 * MB);
      state = decision.state;
      if (decision.restart) restarts += 1;
      if (restarts > 0) ticksAfterBreach += 1;
    });
    sampler.track(1, app.pid);
    sampler.start();
    try {
      await waitFor('breach and 5 more samples', () => (ticksAfterBreach >= 6 ? true : undefined));
      assert.equal(restarts, 1);
      assert.ok((sampler.latest(1)?.memoryBytes ?? 0) > 150 * MB);
    } finally {
      sampler.stop();
      killPids([app.pid]);
    }
  });
});
