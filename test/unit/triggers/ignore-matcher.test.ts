import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createIgnoreMatcher, DEFAULT_IGNORE_WATCH, globToRegExp } from '../../../src/daemon/triggers/ignore-matcher.js';

describe('globToRegExp', () => {
  const cases: [string, string, boolean][] = [
    ['*.log', 'out.log', true],
    ['*.log', 'dir/out.log', false],
    ['**/*.log', 'dir/sub/out.log', true],
    ['**/*.log', 'out.log', true],
    ['logs/**', 'logs/a/b.txt', true],
    ['file?.js', 'file1.js', true],
    ['file?.js', 'file10.js', false],
    ['*.{js,ts}', 'a.ts', true],
    ['*.{js,ts}', 'a.md', false],
    ['[!a]*', 'abc', false],
    ['[!a]*', 'bcd', true],
    ['a.b', 'axb', false],
    ['\\*', '*', true],
    ['(x)+', '(x)+', true],
  ];
  for (const [glob, path, expected] of cases) {
    it(`${glob} ${expected ? 'matches' : 'does not match'} ${path}`, () => {
      assert.equal(globToRegExp(glob).test(path), expected);
    });
  }
});

describe('createIgnoreMatcher', () => {
  const root = '/home/u/.apps/proj';
  const cases: [patterns: (string | RegExp)[], path: string, expected: boolean][] = [
    [[...DEFAULT_IGNORE_WATCH], root, false],
    [[...DEFAULT_IGNORE_WATCH], `${root}/index.js`, false],
    [[...DEFAULT_IGNORE_WATCH], `${root}/node_modules`, true],
    [[...DEFAULT_IGNORE_WATCH], `${root}/lib/node_modules/x/y.js`, true],
    [[...DEFAULT_IGNORE_WATCH], `${root}/.git/HEAD`, true],
    [[...DEFAULT_IGNORE_WATCH], `${root}/src/.env`, true],
    [['logs'], `${root}/logs/app.log`, true],
    [['logs'], `${root}/src/logs.js`, false],
    [['*.log'], `${root}/deep/a.log`, true],
    [['src/generated/**'], `${root}/src/generated/a.js`, true],
    [['./src/generated/'], `${root}/src/generated`, true],
    [['src/generated/**'], `${root}/other/src/generated/a.js`, false],
    [[`${root}/tmp/**`], `${root}/tmp/x`, true],
    [[/\.tmp$/], `${root}/a.tmp`, true],
    [[/\.tmp$/], `${root}/a.js`, false],
  ];
  for (const [patterns, path, expected] of cases) {
    it(`${patterns.map(String).join(' ')}: ${path} -> ${expected}`, () => {
      assert.equal(createIgnoreMatcher([root], patterns)(path), expected);
    });
  }
});
