import assert from 'node:assert/strict';
import { test } from 'node:test';
import { terminalSafe } from '../../../src/cli/terminal-safe.js';
import { nameProblem } from '../../../src/core/app-name.js';

test('terminalSafe keeps text and colours, removes every other escape sequence and control', () => {
  const cases: Array<[string, string]> = [
    ['plain text', 'plain text'],
    ['\x1b[31mred\x1b[0m', '\x1b[31mred\x1b[0m'],
    ['a\x1b]0;new title\x07b', 'ab'],
    ['a\x1b]52;c;c2VjcmV0\x1b\\b', 'ab'],
    ['a\x1b[2J\x1b[Hb', 'ab'],
    ['a\x1b[1Ab', 'ab'],
    ['over\rwrite\bx\ttab', 'overwritex\ttab'],
    ['c1\x9b31m', 'c131m'],
    ['reset\x1bc', 'reset'],
  ];
  for (const [input, expected] of cases) assert.equal(terminalSafe(input), expected, JSON.stringify(input));
});

test('app names: length, characters and the shapes commands read otherwise', () => {
  for (const good of ['api', 'web-1', 'ns:worker', 'Api Server', 'x'.repeat(100), 'café']) assert.equal(nameProblem(good), null, good);
  const bad: Array<[string, RegExp]> = [
    ['', /empty/],
    ['x'.repeat(101), /101 characters long, over the limit of 100/],
    ['a\x1b[31m', /control characters/],
    ['a\nb', /control characters/],
    ['a/b', /must not contain \//],
    ['..', /must not start/],
    ['-x', /must not start/],
    ['42', /only digits/],
    ['all', /"all"/],
  ];
  for (const [name, pattern] of bad) assert.match(nameProblem(name) ?? '', pattern, JSON.stringify(name));
});
