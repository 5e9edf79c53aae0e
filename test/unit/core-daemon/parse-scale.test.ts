import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TendError } from '../../../src/core/errors.js';
import { parseScale } from '../../../src/daemon/handlers.js';

const cases: Array<[value: string, current: number, expected: number]> = [
  ['4', 2, 4],
  ['0', 3, 0],
  ['+2', 2, 4],
  ['-1', 3, 2],
  ['-3', 3, 0],
  [' 5 ', 1, 5],
];
for (const [value, current, expected] of cases) {
  test(`parseScale("${value}") from ${current} is ${expected}`, () => {
    assert.equal(parseScale(value, current), expected);
  });
}

const invalid: Array<[value: string, current: number]> = [['', 1], ['lots', 1], ['1.5', 1], ['+-1', 1], ['-4', 3], ['2x', 1]];
for (const [value, current] of invalid) {
  test(`parseScale rejects "${value}" (have ${current})`, () => {
    assert.throws(() => parseScale(value, current), (e: unknown) => e instanceof TendError && e.code === 'INVALID_ARGUMENT' && e.message.includes(value.trim()));
  });
}
