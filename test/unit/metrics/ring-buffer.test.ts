import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RingBuffer } from '../../../src/metrics/ring-buffer.js';

describe('RingBuffer', () => {
  const cases: { capacity: number; pushes: number; expected: number[] }[] = [
    { capacity: 3, pushes: 0, expected: [] },
    { capacity: 3, pushes: 2, expected: [0, 1] },
    { capacity: 3, pushes: 3, expected: [0, 1, 2] },
    { capacity: 3, pushes: 4, expected: [1, 2, 3] },
    { capacity: 3, pushes: 10, expected: [7, 8, 9] },
    { capacity: 1, pushes: 5, expected: [4] },
  ];
  for (const { capacity, pushes, expected } of cases) {
    it(`capacity ${capacity} after ${pushes} pushes holds ${JSON.stringify(expected)}`, () => {
      const ring = new RingBuffer<number>(capacity);
      for (let i = 0; i < pushes; i += 1) ring.push(i);
      assert.deepEqual(ring.toArray(), expected);
      assert.equal(ring.size, expected.length);
      assert.equal(ring.last(), expected.at(-1));
      assert.equal(ring.at(0), expected[0]);
      assert.equal(ring.at(expected.length), undefined);
      assert.equal(ring.at(-1), undefined);
    });
  }

  it('returns a copy, and clear empties it', () => {
    const ring = new RingBuffer<number>(2);
    ring.push(1);
    const copy = ring.toArray();
    ring.push(2);
    assert.deepEqual(copy, [1]);
    ring.clear();
    assert.equal(ring.size, 0);
    assert.equal(ring.last(), undefined);
  });

  for (const capacity of [0, -1, 1.5, Number.NaN]) {
    it(`rejects capacity ${capacity}`, () => {
      assert.throws(() => new RingBuffer<number>(capacity), RangeError);
    });
  }
});
