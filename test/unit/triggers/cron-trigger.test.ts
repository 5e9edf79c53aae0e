import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTendError } from '../../../src/core/errors.js';
import { CronTrigger, nextRunTimes } from '../../../src/daemon/triggers/cron-trigger.js';
import { waitFor } from '../metrics/fixture-process.js';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

describe('nextRunTimes', () => {
  const from = new Date('2026-03-01T10:00:00.500Z');
  const cases: { pattern: string; timezone?: string; expected: string[] }[] = [
    { pattern: '*/2 * * * * *', timezone: 'UTC', expected: ['2026-03-01T10:00:02.000Z', '2026-03-01T10:00:04.000Z', '2026-03-01T10:00:06.000Z'] },
    { pattern: '0 */15 * * * *', timezone: 'UTC', expected: ['2026-03-01T10:15:00.000Z', '2026-03-01T10:30:00.000Z', '2026-03-01T10:45:00.000Z'] },
    { pattern: '30 2 * * *', timezone: 'UTC', expected: ['2026-03-02T02:30:00.000Z', '2026-03-03T02:30:00.000Z', '2026-03-04T02:30:00.000Z'] },
    // 03:00 in Paris is 02:00 UTC in winter.
    { pattern: '0 0 3 * * *', timezone: 'Europe/Paris', expected: ['2026-03-02T02:00:00.000Z', '2026-03-03T02:00:00.000Z', '2026-03-04T02:00:00.000Z'] },
  ];
  for (const { pattern, timezone, expected } of cases) {
    it(`${pattern} (${timezone}) fires at ${expected[0]}, ...`, () => {
      assert.deepEqual(iso(nextRunTimes(pattern, from, 3, timezone ? { timezone } : {})), expected);
    });
  }

  const invalid: { pattern: string; timezone?: string; mentions: RegExp }[] = [
    { pattern: 'every minute', mentions: /"every minute"/ },
    { pattern: '61 * * * *', mentions: /"61 \* \* \* \*"/ },
    { pattern: '* * *', mentions: /cron_restart/ },
    { pattern: '* * * * *', timezone: 'Mars/Olympus', mentions: /Mars\/Olympus/ },
  ];
  for (const { pattern, timezone, mentions } of invalid) {
    it(`rejects ${JSON.stringify(pattern)}${timezone ? ` in ${timezone}` : ''} with CONFIG_INVALID`, () => {
      assert.throws(
        () => nextRunTimes(pattern, from, 1, timezone ? { timezone } : {}),
        (error: unknown) => isTendError(error) && error.code === 'CONFIG_INVALID' && mentions.test(error.message),
      );
      assert.throws(() => new CronTrigger(pattern, timezone ? { timezone } : {}), mentions);
    });
  }
});

describe('CronTrigger', () => {
  it('fires every 2 seconds about on time', async () => {
    const trigger = new CronTrigger('*/2 * * * * *');
    const fired: Date[] = [];
    trigger.onFire((at) => fired.push(at));
    try {
      await waitFor('two firings', () => (fired.length >= 2 ? true : undefined), 8_000);
      for (const at of fired) {
        const msPastEvenSecond = at.getTime() % 2000;
        assert.ok(msPastEvenSecond < 300, `fired ${msPastEvenSecond} ms after its second`);
      }
      const gap = (fired[1] as Date).getTime() - (fired[0] as Date).getTime();
      assert.ok(gap > 1700 && gap < 2300, `gap ${gap} ms`);
    } finally {
      trigger.stop();
    }
    assert.equal(trigger.nextRun(), null);
  });
});
