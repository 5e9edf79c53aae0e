import assert from 'node:assert/strict';
import { test } from 'node:test';
import { editDistance, suggestCommand } from '../../../src/cli/pm2-verbs.js';

const COMMANDS = ['start', 'stop', 'restart', 'reload', 'delete', 'del', 'list', 'ls', 'save', 'logs', 'monit', 'describe', 'resurrect', 'status'];

const cases: Array<[string, string | null]> = [
  ['lsit', 'list'],
  ['restrat', 'restart'],
  ['stat', 'start'],
  ['resurect', 'resurrect'],
  ['deploy', null],
  ['serve', null],
  ['frobnicate', null],
];
for (const [word, expected] of cases) {
  test(`suggestCommand: ${word} -> ${String(expected)}`, () => assert.equal(suggestCommand(word, COMMANDS), expected));
}

test('editDistance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('ab', 'ba'), 1);
  assert.equal(editDistance('deploy', 'del'), 3);
  assert.equal(editDistance('', 'abc'), 3);
});
