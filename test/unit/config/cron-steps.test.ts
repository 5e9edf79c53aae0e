import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeCronSteps } from '../../../src/config/cron-steps.js';

const cases: Array<[string, string]> = [
  ['0 1/3 * * *', '0 1-23/3 * * *'],
  ['5/15 * * * *', '5-59/15 * * * *'],
  ['0 0/30 * * * *', '0 0-59/30 * * * *'],
  ['0 3 1/2 * 1/2', '0 3 1-31/2 * 1-6/2'],
  ['0 1/3,5 * * *', '0 1-23/3,5 * * *'],
  ['*/5 * * * *', '*/5 * * * *'],
  ['0 1-23/3 * * *', '0 1-23/3 * * *'],
  ['@daily', '@daily'],
];
for (const [pattern, expected] of cases) test(`normalizeCronSteps: ${pattern}`, () => assert.equal(normalizeCronSteps(pattern), expected));
