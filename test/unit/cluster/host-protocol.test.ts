import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import { resolveHostPath } from '../../../src/cluster/host-path.js';
import { isHostToDaemon } from '../../../src/cluster/host-protocol.js';

test('isHostToDaemon accepts host messages and rejects anything else', () => {
  const cases: Array<[unknown, boolean]> = [
    [{ t: 'forked', key: 1, pid: 10 }, true],
    [{ t: 'exit', key: 2, code: 0, signal: null }, true],
    [{ t: 'outputPipe', key: 3, stream: 'out' }, true],
    [{ t: 'outputFifo', key: 3, dir: '/home/u/.tend/holders/w3-x' }, true],
    [{ t: 'workers', key: -1, workers: [] }, true],
    [{ t: 'output', key: 3, stream: 'out', data: new Uint8Array([104]) }, false],
    [{ t: 'fork', key: 1, env: {} }, false],
    [{ t: 'forked', pid: 10 }, false],
    [{ t: 'toString', key: 1 }, false],
    ['ready', false],
    [null, false],
  ];
  for (const [value, expected] of cases) assert.equal(isHostToDaemon(value), expected, JSON.stringify(value));
});

test('the host path resolves to the compiled cluster host', () => {
  const path = resolveHostPath();
  assert.match(path, /runtime\/cluster-host\.js$/);
  assert.equal(existsSync(path), true, 'run npm run build first');
});
