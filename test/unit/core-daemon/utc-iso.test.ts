import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatUtcIso } from '../../../src/core/utc-iso.js';

test('formatUtcIso writes what Date#toISOString writes', () => {
  const cases = [0, 1, 999, 1_000, Date.UTC(2026, 10, 25, 16, 4, 5, 7), Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(9999, 11, 31, 23, 59, 59, 999), Date.UTC(0, 0, 1) - 0, -1, -62_198_755_200_000, 8.64e15, -8.64e15];
  for (const ms of cases) assert.equal(formatUtcIso(ms), new Date(ms).toISOString(), String(ms));
});

test('formatUtcIso refuses an invalid date as the built-in does', () => {
  assert.throws(() => formatUtcIso(Number.NaN), RangeError);
});
