import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeShellStatus, parseExitCodeFile, parseStatusFile } from '../../../src/daemon/holder-script.js';

test('a shell status above 128 is a signal unless the app reported that very code', () => {
  assert.deepEqual(decodeShellStatus(137), { code: null, signal: 'SIGKILL' });
  assert.deepEqual(decodeShellStatus(130, 130), { code: 130, signal: null });
  assert.deepEqual(decodeShellStatus(137, 0), { code: null, signal: 'SIGKILL' }, 'a report of another code does not count');
  assert.deepEqual(decodeShellStatus(7, null), { code: 7, signal: null });
  assert.deepEqual(decodeShellStatus(255), { code: 255, signal: null }, 'no signal 127');
});

test('status and exit-code files: complete lines only', () => {
  assert.deepEqual(parseStatusFile('130\n', 130), { code: 130, signal: null });
  assert.deepEqual(parseStatusFile('130\n'), { code: null, signal: 'SIGINT' });
  assert.equal(parseStatusFile('13'), null);
  assert.equal(parseExitCodeFile('130\n'), 130);
  assert.equal(parseExitCodeFile('13'), null);
  assert.equal(parseExitCodeFile(''), null);
});
