import assert from 'node:assert/strict';
import { test } from 'node:test';
import { keyActions } from '../../../src/cli/monit/keys.js';

const cases: Array<[string, string, Record<string, boolean>, string[]]> = [
  ['one letter', 'j', {}, ['down']],
  ['letters arriving together are each a press', 'jjk', {}, ['down', 'down', 'up']],
  ['unknown letters among them are skipped', 'jxr', {}, ['down', 'restart']],
  ['an arrow', '', { downArrow: true }, ['down']],
  ['ctrl-c', 'c', { ctrl: true }, ['quit']],
  ['other ctrl keys', 'jj', { ctrl: true }, []],
  ['nothing known', 'x', {}, []],
];
for (const [name, input, key, expected] of cases) test(`keyActions: ${name}`, () => assert.deepEqual(keyActions(input, key), expected));
