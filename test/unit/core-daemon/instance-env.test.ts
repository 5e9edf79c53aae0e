import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildInstanceEnv } from '../../../src/daemon/instance-env.js';

const spec = (extra: Partial<{ env: Record<string, string>; instanceVar: string; incrementVar: string | null }> = {}) => ({
  name: 'api',
  env: {},
  instanceVar: 'NODE_APP_INSTANCE',
  incrementVar: null,
  ...extra,
});

const cases: Array<[name: string, base: Record<string, string>, s: ReturnType<typeof spec>, id: number, instance: number, expected: Record<string, string>]> = [
  ['snapshot plus tend variables', { FOO: '1' }, spec(), 4, 0, { FOO: '1', TEND_APP_NAME: 'api', TEND_ID: '4', NODE_APP_INSTANCE: '0' }],
  ['configured env overrides the snapshot', { FOO: '1' }, spec({ env: { FOO: '2', BAR: 'b' } }), 0, 0, { FOO: '2', BAR: 'b', TEND_APP_NAME: 'api', TEND_ID: '0', NODE_APP_INSTANCE: '0' }],
  ['instance_var renames NODE_APP_INSTANCE', {}, spec({ instanceVar: 'WORKER' }), 1, 2, { TEND_APP_NAME: 'api', TEND_ID: '1', WORKER: '2' }],
  ['increment_var adds the instance index', {}, spec({ env: { PORT: '3000' }, incrementVar: 'PORT' }), 5, 3, { PORT: '3003', TEND_APP_NAME: 'api', TEND_ID: '5', NODE_APP_INSTANCE: '3' }],
  ['a non-numeric increment_var is left alone', { PORT: 'x' }, spec({ incrementVar: 'PORT' }), 0, 1, { PORT: 'x', TEND_APP_NAME: 'api', TEND_ID: '0', NODE_APP_INSTANCE: '1' }],
  ['tend variables win over a stale snapshot', { TEND_ID: '99', TEND_APP_NAME: 'old' }, spec(), 2, 0, { TEND_APP_NAME: 'api', TEND_ID: '2', NODE_APP_INSTANCE: '0' }],
];
for (const [name, base, s, id, instance, expected] of cases) {
  test(`buildInstanceEnv: ${name}`, () => {
    assert.deepEqual(buildInstanceEnv(base, s, id, instance), expected);
  });
}

test('buildInstanceEnv: nothing of the daemon environment leaks in', () => {
  const env = buildInstanceEnv({}, spec(), 0, 0);
  assert.equal(env.PATH, undefined);
  assert.equal(env.TEND_HOME, undefined);
});

test('buildInstanceEnv: the snapshot is not mutated', () => {
  const base = { PORT: '1' };
  buildInstanceEnv(base, spec({ incrementVar: 'PORT' }), 0, 2);
  assert.deepEqual(base, { PORT: '1' });
});

test('buildInstanceEnv: TEND_HOME is the daemon\'s own home, unless the configured env sets it', () => {
  assert.equal(buildInstanceEnv({ TEND_HOME: '/elsewhere' }, spec(), 0, 0, '/home/u/.tend').TEND_HOME, '/home/u/.tend', 'a stale snapshot value is replaced');
  assert.equal(buildInstanceEnv({}, spec(), 0, 0, '/home/u/.tend').TEND_HOME, '/home/u/.tend', 'set when the snapshot has none (filter_env)');
  assert.equal(buildInstanceEnv({}, spec({ env: { TEND_HOME: '/other' } }), 0, 0, '/home/u/.tend').TEND_HOME, '/other');
});
