import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readLastLines } from '../../../src/logs/index.js';
import { makeTempDir } from './log-test-kit.js';

test('readLastLines on a big file returns the last N lines', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'big.log');
  const lines = Array.from({ length: 300_000 }, (_, n) => `line ${n} ${'w'.repeat(n % 70)}`);
  writeFileSync(file, lines.join('\n') + '\n');
  assert.deepEqual(await readLastLines(file, 15), { lines: lines.slice(-15), truncated: false });
  assert.deepEqual(await readLastLines(file, 5000), { lines: lines.slice(-5000), truncated: false });
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
    assert.deepEqual((await readLastLines(file, count)).lines, expected, JSON.stringify(content));
  }
});

test('readLastLines cuts a huge last line instead of reading it all', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'huge.log');
  writeFileSync(file, `start\n${'h'.repeat(5_000_000)}\n`);
  const [last] = (await readLastLines(file, 1, { maxLineBytes: 1024 })).lines;
  assert.ok(last !== undefined && last.length <= 2048 && /^h+$/.test(last));
});

test('readLastLines keeps to its byte budget whatever the line count asked, and says so', async (t) => {
  const dir = makeTempDir(t);
  const file = join(dir, 'many.log');
  const lines = Array.from({ length: 200_000 }, (_, n) => `line ${String(n).padStart(7, '0')} ${'x'.repeat(40)}`);
  writeFileSync(file, lines.join('\n') + '\n');
  const budget = 256 * 1024;
  const read = await readLastLines(file, 1_000_000, { maxBytes: budget });
  assert.equal(read.truncated, true);
  const bytes = read.lines.reduce((sum, line) => sum + line.length + 1, 0);
  assert.ok(bytes <= budget, `${bytes} bytes over the ${budget} budget`);
  assert.ok(read.lines.length > 4000, `only ${read.lines.length} lines`);
  // The newest lines, complete and in order.
  assert.deepEqual(read.lines, lines.slice(-read.lines.length));
  assert.deepEqual(await readLastLines(file, 10, { maxBytes: budget }), { lines: lines.slice(-10), truncated: false });
});

test('readLastLines refuses to read through a symbolic link', async (t) => {
  const dir = makeTempDir(t);
  writeFileSync(join(dir, 'real.log'), 'secret\n');
  symlinkSync(join(dir, 'real.log'), join(dir, 'link.log'));
  await assert.rejects(readLastLines(join(dir, 'link.log'), 5), { code: 'ELOOP' });
});
