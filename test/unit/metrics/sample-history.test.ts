import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SampleHistory } from '../../../src/metrics/sample-history.js';
import type { Sample } from '../../../src/metrics/sampler.js';

/** Sample number k: fractional CPU, byte counts past 2^32 and epoch ms, all kept exactly. */
function sample(k: number): Sample {
  return { cpuPercent: k + 0.125, memoryBytes: 5_000_000_000 + k * 4096, at: 1_764_000_000_000 + k * 1000 };
}

describe('SampleHistory', () => {
  // Capacities below, at and past the initial store (16), so growth and wrapping both happen.
  const cases: { capacity: number; pushes: number; expected: number[] }[] = [
    { capacity: 3, pushes: 0, expected: [] },
    { capacity: 3, pushes: 2, expected: [0, 1] },
    { capacity: 3, pushes: 3, expected: [0, 1, 2] },
    { capacity: 3, pushes: 4, expected: [1, 2, 3] },
    { capacity: 3, pushes: 10, expected: [7, 8, 9] },
    { capacity: 1, pushes: 5, expected: [4] },
    { capacity: 16, pushes: 17, expected: Array.from({ length: 16 }, (_, k) => k + 1) },
    { capacity: 40, pushes: 33, expected: Array.from({ length: 33 }, (_, k) => k) },
    { capacity: 40, pushes: 100, expected: Array.from({ length: 40 }, (_, k) => k + 60) },
    { capacity: 600, pushes: 1234, expected: Array.from({ length: 600 }, (_, k) => k + 634) },
  ];
  for (const { capacity, pushes, expected } of cases) {
    it(`capacity ${capacity} after ${pushes} pushes holds samples ${expected.length > 4 ? `${expected[0]}..${expected.at(-1)}` : JSON.stringify(expected)}`, () => {
      const history = new SampleHistory(capacity);
      for (let k = 0; k < pushes; k += 1) history.push(sample(k));
      assert.deepEqual(history.toArray(), expected.map(sample));
      assert.equal(history.size, expected.length);
      assert.deepEqual(history.last(), expected.length > 0 ? sample(expected.at(-1) as number) : undefined);
    });
  }

  it('returns a copy', () => {
    const history = new SampleHistory(2);
    history.push(sample(1));
    const copy = history.toArray();
    history.push(sample(2));
    history.push(sample(3));
    assert.deepEqual(copy, [sample(1)]);
  });

  // Resized before, at and after wrapping, smaller and larger: the newest samples stay, in order.
  const resizes: { capacity: number; pushes: number; to: number; more: number; expected: number[] }[] = [
    { capacity: 10, pushes: 4, to: 2, more: 0, expected: [2, 3] },
    { capacity: 10, pushes: 4, to: 6, more: 0, expected: [0, 1, 2, 3] },
    { capacity: 10, pushes: 25, to: 4, more: 0, expected: [21, 22, 23, 24] },
    { capacity: 10, pushes: 25, to: 4, more: 3, expected: [24, 25, 26, 27] },
    { capacity: 4, pushes: 9, to: 7, more: 0, expected: [5, 6, 7, 8] },
    { capacity: 4, pushes: 9, to: 7, more: 5, expected: [7, 8, 9, 10, 11, 12, 13] },
    { capacity: 600, pushes: 700, to: 150, more: 1, expected: Array.from({ length: 150 }, (_, k) => k + 551) },
    { capacity: 150, pushes: 160, to: 600, more: 40, expected: Array.from({ length: 190 }, (_, k) => k + 10) },
    { capacity: 5, pushes: 5, to: 5, more: 1, expected: [1, 2, 3, 4, 5] },
  ];
  for (const { capacity, pushes, to, more, expected } of resizes) {
    it(`capacity ${capacity}, ${pushes} pushes, resized to ${to}, ${more} more: samples ${expected.length > 4 ? `${expected[0]}..${expected.at(-1)}` : JSON.stringify(expected)}`, () => {
      const history = new SampleHistory(capacity);
      for (let k = 0; k < pushes; k += 1) history.push(sample(k));
      history.resize(to);
      for (let k = pushes; k < pushes + more; k += 1) history.push(sample(k));
      assert.equal(history.capacity, to);
      assert.deepEqual(history.toArray(), expected.map(sample));
      assert.equal(history.size, expected.length);
      assert.deepEqual(history.last(), sample(expected.at(-1) as number));
    });
  }

  for (const capacity of [0, -1, 1.5, Number.NaN]) {
    it(`rejects capacity ${capacity}`, () => {
      assert.throws(() => new SampleHistory(capacity), RangeError);
    });
  }
});
