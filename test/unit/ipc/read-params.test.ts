import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TendError } from '../../../src/core/errors.js';
import { readParams } from '../../../src/ipc/handler-binding.js';
import type { Method } from '../../../src/ipc/methods.js';

const spec = { name: 'api', script: '/srv/a.js', cwd: '/srv', instances: 1, env: {}, logs: {} };

const refused: Array<[Method, unknown, RegExp]> = [
  ['stop', {}, /^stop: "targets" must be a list of strings, got nothing$/],
  ['stop', { targets: 'api' }, /^stop: "targets" must be a list of strings, got the string "api"$/],
  ['stop', { targets: ['api', 3] }, /^stop: "targets\[1\]" must be a string, got number 3$/],
  ['stop', [1], /^stop: its params must be an object, got a list$/],
  ['describe', { targets: [], env: 'yes' }, /^describe: "env" must be true or false/],
  ['logsTail', { targets: [], stream: 'all' }, /^logsTail: "stream" must be one of out, err, both, got the string "all"$/],
  ['start', { apps: [{ spec: { name: 'x' }, baseEnv: {} }] }, /^start: "apps\[0\]\.spec" must be an app spec/],
  ['start', { apps: [{ spec, baseEnv: { A: 1 } }] }, /^start: "apps\[0\]\.baseEnv\.A" must be a string, got number 1$/],
  ['start', { apps: [{ spec: { ...spec, name: '' }, baseEnv: {} }] }, /^start: "apps\[0\]\.spec\.name" must be a valid app name/],
  ['start', { apps: [{ spec, baseEnv: 0.5 }], envs: [{}] }, /^start: "apps\[0\]\.baseEnv" must be a whole number, got number 0.5$/],
  ['start', { apps: [{ spec, baseEnv: 0 }], envs: [{ A: 1 }] }, /^start: "envs\[0\]\.A" must be a string, got number 1$/],
  ['restart', { targets: ['a'], baseEnv: [] }, /^restart: "baseEnv" must be an object of strings, got a list$/],
  ['metrics.history', { id: '3' }, /^metrics\.history: "id" must be a number, got the string "3"$/],
  ['ping', 'hello', /^ping: its params must be an object or nothing/],
];

test('malformed params are INVALID_ARGUMENT naming the method and the field', () => {
  for (const [method, params, message] of refused) {
    assert.throws(
      () => readParams(method, params),
      (e: unknown) => e instanceof TendError && e.code === 'INVALID_ARGUMENT' && message.test(e.message),
      `${method} ${JSON.stringify(params)}`,
    );
  }
});

test('good params pass, normalised: unknown fields and null optionals are dropped', () => {
  assert.deepEqual(readParams('stop', { targets: ['api'], extra: 1 }), { targets: ['api'] });
  assert.deepEqual(readParams('logsTail', { targets: ['api'], lines: null, stream: 'err' }), { targets: ['api'], stream: 'err' });
  assert.deepEqual(readParams('flush', undefined), {});
  assert.equal(readParams('list', undefined), undefined);
  assert.deepEqual(readParams('start', { apps: [{ spec, baseEnv: { A: '1' } }] }), { apps: [{ spec, baseEnv: { A: '1' } }] });
  assert.deepEqual(readParams('start', { apps: [{ spec, baseEnv: 0 }], envs: [{ A: '1' }] }), { apps: [{ spec, baseEnv: 0 }], envs: [{ A: '1' }] });
  // An own key only: a prototype's name is no field.
  assert.deepEqual(readParams('save', JSON.parse('{"__proto__": {"force": true}}')), {});
});
