import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LineFramer, splitLines } from '../../../src/logs/line-framer.js';

/** Feeds chunks and returns every output (and the flush) as strings, '|' between outputs. */
function frame(chunks: Array<string | Buffer>, maxLineBytes?: number): { outputs: string[]; lines: number } {
  const framer = new LineFramer(maxLineBytes);
  const outputs: string[] = [];
  let lines = 0;
  for (const chunk of chunks) {
    const framed = framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (framed !== null) {
      outputs.push(framed.data.toString('latin1'));
      lines += framed.lines;
    }
  }
  const rest = framer.flush();
  if (rest !== null) {
    outputs.push(`flush:${rest.data.toString('latin1')}`);
    lines += rest.lines;
  }
  return { outputs, lines };
}

const cases: Array<{ name: string; chunks: Array<string | Buffer>; max?: number; outputs: string[]; lines: number }> = [
  { name: 'one whole line', chunks: ['a\n'], outputs: ['a\n'], lines: 1 },
  { name: 'several lines in one chunk', chunks: ['a\nb\nc\n'], outputs: ['a\nb\nc\n'], lines: 3 },
  { name: 'line split across chunks', chunks: ['he', 'll', 'o\nwor', 'ld\n'], outputs: ['hello\n', 'world\n'], lines: 2 },
  { name: 'partial last line flushed at close', chunks: ['a\nb'], outputs: ['a\n', 'flush:b\n'], lines: 2 },
  { name: 'empty chunks are ignored', chunks: ['', 'a', '', '\n', ''], outputs: ['a\n'], lines: 1 },
  { name: 'empty lines are lines', chunks: ['\n\n'], outputs: ['\n\n'], lines: 2 },
  { name: 'CRLF kept as bytes', chunks: ['a\r\nb\r', '\n'], outputs: ['a\r\n', 'b\r\n'], lines: 2 },
  { name: 'long line without newline split at the cap', chunks: ['abcdefghij'], max: 4, outputs: ['abcd\nefgh\n', 'flush:ij\n'], lines: 3 },
  { name: 'long line inside a chunk split at the cap', chunks: ['abcdefghij\nxy\n'], max: 4, outputs: ['abcd\nefgh\nij\nxy\n'], lines: 4 },
  { name: 'line exactly at the cap is not split', chunks: ['abcd\n'], max: 4, outputs: ['abcd\n'], lines: 1 },
  { name: 'long partial grows over chunks', chunks: ['ab', 'cd', 'ef'], max: 4, outputs: ['abcd\n', 'flush:ef\n'], lines: 2 },
  {
    name: 'binary and invalid UTF-8 pass through unchanged',
    chunks: [Buffer.from([0xff, 0x00, 0xc3, 0x0a, 0xfe])],
    outputs: ['\xff\x00\xc3\n', 'flush:\xfe\n'],
    lines: 2,
  },
];

for (const c of cases) {
  test(`line framing: ${c.name}`, () => {
    assert.deepEqual(frame(c.chunks, c.max), { outputs: c.outputs, lines: c.lines });
  });
}

test('flush with nothing pending returns null', () => {
  const framer = new LineFramer();
  framer.push(Buffer.from('a\n'));
  assert.equal(framer.flush(), null);
});

test('splitLines drops LF and a trailing CR', () => {
  assert.deepEqual(splitLines(Buffer.from('a\r\n\nb\n')).map(String), ['a', '', 'b']);
});
