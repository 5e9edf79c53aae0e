import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startFailureDetail } from '../../../src/api/daemon-launcher.js';

test('a daemon that died of an uncaught exception is reported by its error line, not by the Node.js version line', () => {
  const output = [
    'tend daemon 0.1.0 started (pid 10)',
    '/work/dist/bin/tend-daemon.cjs:4242',
    '      throw error;',
    '      ^',
    '',
    "Error: spawn EAGAIN",
    '    at ChildProcess.spawn (node:internal/child_process:421:11)',
    '    at spawn (node:child_process:761:9) {',
    '  errno: -11,',
    "  code: 'EAGAIN',",
    "  syscall: 'spawn'",
    '}',
    '',
    'Node.js v20.20.2',
    '',
  ].join('\n');
  assert.equal(startFailureDetail(output), 'Error: spawn EAGAIN');
  assert.equal(startFailureDetail('TypeError [ERR_INVALID_ARG_TYPE]: bad\n    at x (y.js:1:1)\n\nNode.js v20.20.2\n'), 'TypeError [ERR_INVALID_ARG_TYPE]: bad');
});

test('output without an error line gives its last plain line; empty output gives nothing', () => {
  assert.equal(startFailureDetail('tend: TEND_HOME /x is writable by others\n'), 'tend: TEND_HOME /x is writable by others');
  assert.equal(startFailureDetail('first\nsecond\n\n'), 'second');
  assert.equal(startFailureDetail(''), null);
  assert.equal(startFailureDetail('\nNode.js v20.20.2\n'), null);
});

test('an error of an earlier run in the same output is not taken for the last one', () => {
  assert.equal(startFailureDetail('Error: old crash\n    at a (b.js:1:1)\n\nNode.js v20.20.2\ntend: another daemon runs for this home\n'), 'tend: another daemon runs for this home');
});
