import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostCpuPercent, parseHostCpu, parseMeminfo } from '../../../src/metrics/host-stats.js';

describe('host stats', () => {
  it('splits /proc/stat into busy and total ticks (guest left out, already in user)', () => {
    const text = 'cpu  100 5 50 800 20 1 2 3 7 0\ncpu0 1 2 3 4 5 6 7 8 9 0\n';
    assert.deepEqual(parseHostCpu(text), { busyTicks: 161, totalTicks: 981 });
    assert.equal(parseHostCpu('intr 1 2 3'), null);
  });

  const percentCases = [
    { busy: [0, 50], total: [0, 100], expected: 50 },
    { busy: [10, 10], total: [100, 200], expected: 0 },
    { busy: [10, 10], total: [100, 100], expected: 0 },
    { busy: [50, 40], total: [100, 200], expected: 0 },
  ];
  for (const { busy, total, expected } of percentCases) {
    it(`busy ${busy.join('->')} of total ${total.join('->')} is ${expected}%`, () => {
      const at = (i: 0 | 1) => ({ busyTicks: busy[i] ?? 0, totalTicks: total[i] ?? 0 });
      assert.equal(hostCpuPercent(at(0), at(1)), expected);
    });
  }

  it('reads MemTotal and MemAvailable in bytes', () => {
    const text = 'MemTotal:       2048 kB\nMemFree:         512 kB\nMemAvailable:   1024 kB\n';
    assert.deepEqual(parseMeminfo(text), { totalBytes: 2048 * 1024, availableBytes: 1024 * 1024 });
    assert.equal(parseMeminfo('MemTotal: 1 kB\n'), null);
  });
});
