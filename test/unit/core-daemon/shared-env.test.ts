import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSameEnv } from '../../../src/core/same-env.js';
import { shareEnv } from '../../../src/daemon/shared-env.js';

test('snapshots are the same only with the same variables and values', () => {
  const cases: [a: Record<string, string>, b: Record<string, string>, same: boolean][] = [
    [{}, {}, true],
    [{ A: '1', B: '2' }, { B: '2', A: '1' }, true],
    [{ A: '1' }, { A: '2' }, false],
    [{ A: '1' }, { A: '1', B: '' }, false],
    [{ A: '1', B: '' }, { A: '1' }, false],
    [{ A: '1' }, { B: '1' }, false],
    [{ toString: 'x' }, { valueOf: 'x' }, false],
  ];
  for (const [a, b, same] of cases) assert.equal(isSameEnv(a, b), same, `${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
});

test('an equal held snapshot is reused, otherwise the new one is kept', () => {
  const held: Record<string, string>[] = [{ PATH: '/bin' }, { PATH: '/usr/bin', HOME: '/root' }];
  assert.equal(shareEnv({ HOME: '/root', PATH: '/usr/bin' }, held), held[1]);
  const fresh = { PATH: '/sbin' };
  assert.equal(shareEnv(fresh, held), fresh);
  assert.equal(shareEnv(fresh, []), fresh);
});
