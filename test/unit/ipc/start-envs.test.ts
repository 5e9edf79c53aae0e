import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppSpec } from '../../../src/core/app-spec.js';
import { packStartEntries, unpackStartEntries } from '../../../src/ipc/start-envs.js';

const spec = (name: string) => ({ name }) as unknown as AppSpec;

test('packStartEntries: each distinct snapshot goes once; unpacking gives every app its own back', () => {
  const shell = { PATH: '/bin', HOME: '/root' };
  // Equal snapshots built apart (one per app, as resolveStart builds them) are sent once too.
  const apps = [
    { spec: spec('a'), baseEnv: shell },
    { spec: spec('b'), baseEnv: { ...shell } },
    { spec: spec('c'), baseEnv: { PATH: '/bin' } },
    { spec: spec('d'), baseEnv: shell },
  ];
  const packed = packStartEntries(apps);
  assert.deepEqual(packed.envs, [shell, { PATH: '/bin' }]);
  assert.deepEqual(packed.apps.map((a) => a.baseEnv), [0, 0, 1, 0]);
  assert.deepEqual(unpackStartEntries(JSON.parse(JSON.stringify(packed))), apps);
});

test('packStartEntries: a single app carries its snapshot itself', () => {
  const packed = packStartEntries([{ spec: spec('a'), baseEnv: { A: '1' } }]);
  assert.equal(packed.envs, undefined);
  assert.deepEqual(unpackStartEntries(packed), [{ spec: spec('a'), baseEnv: { A: '1' } }]);
});

test('unpackStartEntries: an index that names no snapshot is an error naming the app', () => {
  assert.equal(unpackStartEntries({ apps: [{ spec: spec('a'), baseEnv: { A: '1' } }, { spec: spec('b'), baseEnv: 2 }], envs: [{}] }), 'apps[1].baseEnv: names snapshot 2, but envs holds 1');
  assert.equal(unpackStartEntries({ apps: [{ spec: spec('a'), baseEnv: 0 }] }), 'apps[0].baseEnv: names snapshot 0, but envs holds 0');
});
