import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { InstanceInfo } from '../../../src/core/instance-info.js';
import { findRunningCopy } from '../../../src/api/start-apps.js';
import { foregroundStartArgv, splitStartOperands } from '../../../src/cli/start-targets.js';

const files = new Set(['a.js', 'b.js', 'c.py']);
const isFile = (p: string) => files.has(p);

const cases: Array<[string, string | undefined, string[], string[], { targets: Array<string | undefined>; args: string[] }]> = [
  ['one script', 'a.js', [], [], { targets: ['a.js'], args: [] }],
  ['several scripts', 'a.js', ['b.js', 'c.py'], [], { targets: ['a.js', 'b.js', 'c.py'], args: [] }],
  ['several scripts, arguments after --', 'a.js', ['b.js', '--port', '3'], ['--port', '3'], { targets: ['a.js', 'b.js'], args: ['--port', '3'] }],
  ['words that are not files are arguments', 'a.js', ['serve', 'b.js'], [], { targets: ['a.js'], args: ['serve', 'b.js'] }],
  ['a file after -- is an argument', 'a.js', ['b.js'], ['b.js'], { targets: ['a.js'], args: ['b.js'] }],
  ['no target', undefined, [], [], { targets: [undefined], args: [] }],
];
for (const [name, target, operands, afterDash, expected] of cases) {
  test(`splitStartOperands: ${name}`, () => assert.deepEqual(splitStartOperands(target, operands, afterDash, isFile), expected));
}

test('findRunningCopy: the same script running under another name, not stopped ones nor itself', () => {
  const row = (name: string, status: string, script: string) => ({ name, status, pm2_env: { pm_exec_path: script } }) as unknown as InstanceInfo;
  const list = [row('py', 'online', '/srv/app.py'), row('old', 'stopped', '/srv/old.py')];
  assert.equal(findRunningCopy(list, '/srv/app.py', 'py2')?.name, 'py');
  assert.equal(findRunningCopy(list, '/srv/app.py', 'py'), undefined);
  assert.equal(findRunningCopy(list, '/srv/old.py', 'new'), undefined);
});

test('foregroundStartArgv: start --no-daemon is runtime with the same operands; other commands unchanged', () => {
  assert.deepEqual(foregroundStartArgv(['node', 'tend', 'start', 'a.js', '--no-daemon', '-i', '2']), ['node', 'tend', 'runtime', 'a.js', '-i', '2']);
  assert.deepEqual(foregroundStartArgv(['node', 'tend', 'start', 'a.js', '--', '--no-daemon']), ['node', 'tend', 'start', 'a.js', '--', '--no-daemon']);
  assert.deepEqual(foregroundStartArgv(['node', 'tend', 'ls']), ['node', 'tend', 'ls']);
});
