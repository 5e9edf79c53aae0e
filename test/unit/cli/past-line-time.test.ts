import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mergePastLines, timeOfPastLine } from '../../../src/cli/past-line-time.js';

const cases: Array<[string, string | null]> = [
  ['2026-12-03T10:11:12.345+01:00 hello', '2026-12-03T09:11:12.345Z'],
  ['2026-12-03T10:11:12.345Z: hello', '2026-12-03T10:11:12.345Z'],
  ['{"time":"2026-12-03T10:11:12.000Z","message":"x"}', '2026-12-03T10:11:12.000Z'],
  ['{"message":"no time"}', null],
  ['{not json', null],
  ['plain line', null],
];
for (const [line, expected] of cases) test(`timeOfPastLine: ${line}`, () => assert.equal(timeOfPastLine(line), expected));

test('formatTimestamp: utc zone ends in Z, local in its offset', async () => {
  const { formatTimestamp } = await import('../../../src/core/timestamp-format.js');
  assert.equal(formatTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6), null, 'utc'), '2026-01-02T03:04:05.006Z');
  assert.match(formatTimestamp(Date.UTC(2026, 0, 2, 3, 4, 5, 6), null), /^2026-01-0\dT\d\d:04:05\.006[+-]\d\d:\d\d$/);
});

test('mergePastLines: time order when every line has a time, else stdout then stderr', () => {
  const out = ['2026-01-01T00:00:01.000Z: a', '2026-01-01T00:00:03.000Z: c'];
  const err = ['2026-01-01T00:00:02.000Z: b', '2026-01-01T00:00:03.000Z: d'];
  assert.deepEqual(mergePastLines(out, err).map((e) => `${e.stream}:${e.line.slice(-1)}`), ['out:a', 'err:b', 'out:c', 'err:d']);
  assert.deepEqual(mergePastLines(['x', 'y'], ['z']).map((e) => e.line), ['x', 'y', 'z']);
});
