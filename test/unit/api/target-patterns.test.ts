import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { TendError } from '../../../src/core/errors.js';
import { expandTargetPatterns } from '../../../src/api/target-patterns.js';

const row = (id: number, name: string, script: string) => ({ id, name, pm2_env: { pm_exec_path: script } }) as unknown as InstanceInfo;
const LIST = [row(0, 'api-a', '/srv/api.js'), row(1, 'api-b', '/srv/api.js'), row(2, 'worker', '/srv/worker.js'), row(3, 'API-c', '/srv/other.js')];
const files = new Set(['/srv/api.js', 'worker.js']);
const options = { cwd: '/srv', isFile: (p: string) => files.has(p) };

const cases: Array<[string, string[], string[]]> = [
  ['names, ids and all pass through', ['api-a', '2', 'all'], ['api-a', '2', 'all']],
  ['a regular expression over names', ['/^api-/'], ['0', '1']],
  ['a regular expression with flags', ['/^api-/i'], ['0', '1', '3']],
  ['an absolute script path', ['/srv/api.js'], ['0', '1']],
  ['a script path relative to the cwd', ['worker.js'], ['2']],
];
for (const [name, targets, expected] of cases) {
  test(`expandTargetPatterns: ${name}`, () => assert.deepEqual(expandTargetPatterns(targets, LIST, options), expected));
}

test('expandTargetPatterns: a pattern that matches nothing is APP_NOT_FOUND, a broken one INVALID_ARGUMENT', () => {
  assert.throws(() => expandTargetPatterns(['/^nope/'], LIST, options), (e: unknown) => e instanceof TendError && e.code === 'APP_NOT_FOUND');
  assert.throws(() => expandTargetPatterns(['/(/'], LIST, options), (e: unknown) => e instanceof TendError && e.code === 'INVALID_ARGUMENT');
});
