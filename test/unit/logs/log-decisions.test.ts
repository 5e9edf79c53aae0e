import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveLogPath } from '../../../src/logs/log-path.js';
import {
  isRotatedFileOf,
  isRotationDue,
  resolveRotation,
  rotatedFileName,
  selectFilesToPrune,
  type RotationOptions,
} from '../../../src/logs/rotation-policy.js';
import { formatTimestamp } from '../../../src/logs/timestamp-format.js';

test('resolveLogPath inserts the id only for unmerged multi-instance apps', () => {
  const cases: Array<[string, number, boolean, string]> = [
    ['/l/api-out.log', 1, false, '/l/api-out.log'],
    ['/l/api-out.log', 4, false, '/l/api-out-3.log'],
    ['/l/api-out.log', 4, true, '/l/api-out.log'],
    ['/l/api-out', 4, false, '/l/api-out-3'],
    ['/l.d/api', 4, false, '/l.d/api-3'],
    ['/dev/null', 4, false, '/dev/null'],
  ];
  for (const [base, instances, mergeLogs, expected] of cases) {
    assert.equal(resolveLogPath(base, { id: 3, instances, logs: { mergeLogs } }), expected, base);
  }
  assert.equal(resolveLogPath('x.log', { id: 0, instances: 1, logs: { mergeLogs: false } }, '/logs'), '/logs/x.log');
});

test('resolveLogPath: the choice made at start is kept when the app scales', () => {
  // Started alone, scaled to 3: still the plain name. Started with 2, scaled to 1: still -<id>.
  assert.equal(resolveLogPath('/l/a-out.log', { id: 0, instances: 3, logs: { mergeLogs: false, perInstanceFiles: false } }), '/l/a-out.log');
  assert.equal(resolveLogPath('/l/a-out.log', { id: 0, instances: 1, logs: { mergeLogs: false, perInstanceFiles: true } }), '/l/a-out-0.log');
});

test('formatTimestamp: tokens and the ISO default with offset', () => {
  const ms = new Date(2026, 10, 5, 7, 8, 9, 45).getTime();
  assert.equal(formatTimestamp(ms, 'YYYY-MM-DD HH:mm:ss.SSS'), '2026-11-05 07:08:09.045');
  assert.match(formatTimestamp(ms, null), /^2026-11-05T07:08:09\.045[+-]\d{2}:\d{2}$/);
  assert.equal(formatTimestamp(ms, '[HH]'), '[07]');
});

const options = (overrides: Partial<RotationOptions>): RotationOptions => ({
  maxSizeBytes: 0,
  retain: 3,
  compress: false,
  rotateIntervalMs: 0,
  ...overrides,
});

test('isRotationDue: size, period boundary, never an empty file', () => {
  const day = 86_400_000;
  const cases: Array<[Partial<RotationOptions>, number, number, number, boolean]> = [
    [{ maxSizeBytes: 100 }, 99, 0, 0, false],
    [{ maxSizeBytes: 100 }, 100, 0, 0, true],
    [{ maxSizeBytes: 0 }, 10 ** 12, 0, 0, false],
    [{ rotateIntervalMs: day }, 10, day + 5, day + 999, false],
    [{ rotateIntervalMs: day }, 10, day - 1, day + 1, true],
    [{ rotateIntervalMs: day }, 0, 0, 5 * day, false],
  ];
  for (const [opts, sizeBytes, periodStartMs, now, expected] of cases) {
    assert.equal(isRotationDue(options(opts), { sizeBytes, periodStartMs }, now), expected, JSON.stringify([opts, sizeBytes, now]));
  }
});

test('resolveRotation: app values win, unset falls back to daemon defaults', () => {
  const spec = { maxSizeBytes: 0, retain: 0, compress: false, rotateIntervalMs: 0 };
  assert.deepEqual(resolveRotation(spec, { maxSizeBytes: 10, retain: 5, compress: true }), options({ maxSizeBytes: 10, retain: 5, compress: true }));
  assert.deepEqual(resolveRotation({ ...spec, maxSizeBytes: 7, retain: 2 }, { maxSizeBytes: 10, retain: 5 }), options({ maxSizeBytes: 7, retain: 2 }));
  assert.equal(resolveRotation(spec).retain, 10);
});

test('rotated names sort by age and pruning keeps the newest, ours only', () => {
  const a = rotatedFileName('app-out.log', Date.UTC(2026, 0, 1, 0, 0, 0, 1));
  const b = rotatedFileName('app-out.log', Date.UTC(2026, 0, 1, 0, 0, 0, 2));
  const c = rotatedFileName('app-out.log', Date.UTC(2026, 0, 2));
  assert.equal(a, 'app-out.log.2026-01-01T00-00-00.001Z');
  const names = [c, `${a}.gz`, b, 'app-out.log', 'app-out.log.bak', 'app-out-1.log.2026-01-01T00-00-00.001Z', `${b}.gz.tmp`];
  assert.deepEqual(selectFilesToPrune('app-out.log', names, 2), [`${a}.gz`]);
  assert.deepEqual(selectFilesToPrune('app-out.log', names, 1), [b, `${a}.gz`]);
  assert.equal(isRotatedFileOf('app-out.log', 'app-out.log'), false);
  assert.equal(isRotatedFileOf('app-out.log', `${c}.gz`), true);
});
