import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TendError } from '../../../src/core/errors.js';
import { resolveTargets } from '../../../src/daemon/targets.js';

const APPS = [
  { id: 0, name: 'api', namespace: 'web' },
  { id: 1, name: 'api', namespace: 'web' },
  { id: 2, name: 'worker', namespace: 'jobs' },
  { id: 3, name: 'jobs', namespace: 'other' },
  { id: 10, name: '7', namespace: 'default' },
];

const cases: Array<[name: string, targets: string[], expected: number[]]> = [
  ['an id', ['2'], [2]],
  ['a name with several instances', ['api'], [0, 1]],
  ['a namespace', ['web'], [0, 1]],
  ['a name wins over a namespace of the same word', ['jobs'], [3]],
  ['all', ['all'], [0, 1, 2, 3, 10]],
  ['several targets, deduplicated and in id order', ['worker', '0', 'api'], [0, 1, 2]],
  ['a number is an id, not a name', ['10'], [10]],
];
for (const [name, targets, expected] of cases) {
  test(`resolveTargets: ${name}`, () => {
    assert.deepEqual(resolveTargets(targets, APPS), expected);
  });
}

const errors: Array<[name: string, targets: string[], code: string, pattern: RegExp]> = [
  ['no target', [], 'INVALID_ARGUMENT', /no target/],
  ['an unknown name', ['nope'], 'APP_NOT_FOUND', /"nope"/],
  ['an unknown id', ['99'], 'APP_NOT_FOUND', /"99"/],
  ['one unknown among known ones', ['api', 'nope'], 'APP_NOT_FOUND', /"nope"/],
  ['a prototype name', ['__proto__'], 'APP_NOT_FOUND', /__proto__/],
];
for (const [name, targets, code, pattern] of errors) {
  test(`resolveTargets rejects ${name}`, () => {
    assert.throws(() => resolveTargets(targets, APPS), (error: unknown) => error instanceof TendError && error.code === code && pattern.test(error.message));
  });
}

test('resolveTargets: all with no apps is an empty selection (stop all on an empty list is not an error)', () => {
  assert.deepEqual(resolveTargets(['all'], []), []);
});
