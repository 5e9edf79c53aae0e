import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLastLines } from '../../../src/logs/index.js';
import { makeTempDir } from './log-test-kit.js';

test('readLastLines on a big file returns the last N lines', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'big.log');
  const lines = Array.from({ length: 300_000 }, (_, n) => `line ${n} ${'w'.repeat(n % 70)}`);
  writeFileSync(file, lines.join('\n') + '\n');
  assert.deepEqual(await readLastLines(file, 15), lines.slice(-15));
  assert.deepEqual(await readLastLines(file, 5000), lines.slice(-5000));
});

test('readLastLines: no trailing newline, short files, CRLF, empty files', async (t) => {
  const dir = makeTempDir(t);
  const cases: Array<[string, number, string[]]> = [
    ['a\nb\nc', 2, ['b', 'c']],
    ['a\nb\n', 10, ['a', 'b']],
    ['a\r\nb\r\n', 1, ['b']],
    ['', 3, []],
    ['\n\n', 5, ['', '']],
    ['only', 1, ['only']],
  ];
  for (const [index, [content, count, expected]] of cases.entries()) {
    const file = join(dir, `f${index}.log`);
    writeFileSync(file, content);
    assert.deepEqual(await readLastLines(file, count), expected, JSON.stringify(content));
  }
});

test('readLastLines cuts a huge last line instead of reading it all', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'huge.log');
  writeFileSync(file, `start\n${'h'.repeat(5_000_000)}\n`);
  const [last] = await readLastLines(file, 1, 1024);
  assert.ok(last !== undefined && last.length <= 2048 && /^h+$/.test(last));
});
