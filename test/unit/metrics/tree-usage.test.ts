import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAllocatedBetween } from '../../../src/metrics/proc-scanner.js';
import { indexChildren, type ProcStat } from '../../../src/metrics/proc-stat.js';
import { cpuPercentBetween, cpuPercentSinceStart, sumTreeUsage } from '../../../src/metrics/tree-usage.js';

function proc(pid: number, ppid: number, ticks: number, rssPages: number, state = 'S'): ProcStat {
  return {
    pid, ppid, pgid: pid, sid: pid, state, utimeTicks: ticks, stimeTicks: 0,
    cutimeTicks: 0, cstimeTicks: 0, startTimeTicks: 1, rssPages,
  };
}

describe('sumTreeUsage', () => {
  it('adds CPU and RSS of every level, and of nothing outside the tree', () => {
    const stats = [proc(10, 1, 5, 100), proc(11, 10, 7, 200), proc(12, 11, 1, 300), proc(20, 1, 99, 999)];
    const members = new Set<number>();
    const usage = sumTreeUsage(stats[0] as ProcStat, indexChildren(stats), members);
    assert.deepEqual(usage, { cpuTicks: 13, rssBytes: 600 * 4096, processCount: 3 });
    assert.deepEqual([...members].sort(), [10, 11, 12]);
  });

  it('counts reaped children through cutime/cstime, so a child that exits is not lost', () => {
    const before = [proc(10, 1, 5, 1), proc(11, 10, 40, 1)];
    const root = { ...proc(10, 1, 6, 1), cutimeTicks: 45, cstimeTicks: 5 };
    const after = [root];
    const t0 = sumTreeUsage(before[0] as ProcStat, indexChildren(before)).cpuTicks;
    const t1 = sumTreeUsage(root, indexChildren(after)).cpuTicks;
    assert.equal(t1 - t0, 11);
  });

  it('stops on a cycle instead of looping', () => {
    const stats = [proc(10, 11, 1, 1), proc(11, 10, 1, 1)];
    assert.equal(sumTreeUsage(stats[0] as ProcStat, indexChildren(stats)).processCount, 2);
  });
});

describe('cpu percent', () => {
  const cases = [
    { prev: 0, cur: 100, ms: 1000, expected: 100 },
    { prev: 0, cur: 50, ms: 1000, expected: 50 },
    { prev: 100, cur: 90, ms: 1000, expected: 0 },
    { prev: 0, cur: 10, ms: 0, expected: 0 },
    { prev: 0, cur: 200, ms: 1000, expected: 200 },
  ];
  for (const { prev, cur, ms, expected } of cases) {
    it(`${prev}->${cur} ticks in ${ms} ms is ${expected}%`, () => {
      assert.equal(cpuPercentBetween(prev, cur, ms), expected);
    });
  }

  it('averages over the life of the root for a first sample', () => {
    assert.equal(cpuPercentSinceStart(500, 1000, 20), 50);
    assert.equal(cpuPercentSinceStart(500, 3000, 20), 0);
  });
});

describe('isAllocatedBetween', () => {
  const cases: [number, number, number, boolean][] = [
    [105, 100, 110, true],
    [100, 100, 110, false],
    [110, 100, 110, true],
    [111, 100, 110, false],
    [50, 100, 100, false],
    [32000, 31000, 400, true],
    [350, 31000, 400, true],
    [500, 31000, 400, false],
  ];
  for (const [pid, after, upTo, expected] of cases) {
    it(`pid ${pid} in (${after}, ${upTo}] is ${expected}`, () => {
      assert.equal(isAllocatedBetween(pid, after, upTo), expected);
    });
  }
});
