import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countLines } from '../../../src/logs/line-counter.js';
import { LineFramer, splitLines, type FramedLines } from '../../../src/logs/line-framer.js';

/** Joins an output's parts, checking that each holds whole lines and that `bytes` adds up. */
function joined(framed: FramedLines): string {
  for (const part of framed.parts) assert.equal(part.at(-1), 0x0a, `part ${JSON.stringify(part.toString('latin1'))} ends mid-line`);
  const data = Buffer.concat(framed.parts);
  assert.equal(framed.bytes, data.length);
  return data.toString('latin1');
}

/** Feeds chunks and returns every output (and the flush) as strings. */
function frame(chunks: Array<string | Buffer>, maxLineBytes?: number): { outputs: string[]; lines: number } {
  const framer = new LineFramer(maxLineBytes);
  const outputs: string[] = [];
  let lines = 0;
  for (const chunk of chunks) {
    const framed = framer.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    if (framed !== null) {
      outputs.push(joined(framed));
      lines += countLines(framed.parts);
    }
  }
  const rest = framer.flush();
  if (rest !== null) {
    outputs.push(`flush:${joined(rest)}`);
    lines += countLines(rest.parts);
  }
  return { outputs, lines };
}

const cases: Array<{ name: string; chunks: Array<string | Buffer>; max?: number; outputs: string[]; lines: number }> = [
  { name: 'one whole line', chunks: ['a\n'], outputs: ['a\n'], lines: 1 },
  { name: 'several lines in one chunk', chunks: ['a\nb\nc\n'], outputs: ['a\nb\nc\n'], lines: 3 },
  { name: 'held bytes completed, then more lines and a new partial', chunks: ['ab', 'c\nd\ne\nf'], outputs: ['abc\nd\ne\n', 'flush:f\n'], lines: 4 },
  { name: 'held bytes completed by a lone newline', chunks: ['ab', '\n'], outputs: ['ab\n'], lines: 1 },
  { name: 'line split across chunks', chunks: ['he', 'll', 'o\nwor', 'ld\n'], outputs: ['hello\n', 'world\n'], lines: 2 },
  { name: 'partial last line flushed at close', chunks: ['a\nb'], outputs: ['a\n', 'flush:b\n'], lines: 2 },
  { name: 'empty chunks are ignored', chunks: ['', 'a', '', '\n', ''], outputs: ['a\n'], lines: 1 },
  { name: 'empty lines are lines', chunks: ['\n\n'], outputs: ['\n\n'], lines: 2 },
  { name: 'CRLF kept as bytes', chunks: ['a\r\nb\r', '\n'], outputs: ['a\r\n', 'b\r\n'], lines: 2 },
  { name: 'long line without newline split at the cap', chunks: ['abcdefghij'], max: 4, outputs: ['abcd\nefgh\n', 'flush:ij\n'], lines: 3 },
  { name: 'long line inside a chunk split at the cap', chunks: ['abcdefghij\nxy\n'], max: 4, outputs: ['abcd\nefgh\nij\nxy\n'], lines: 4 },
  { name: 'held bytes plus head over the cap', chunks: ['abc', 'de\nx\n'], max: 4, outputs: ['abcd\ne\nx\n'], lines: 3 },
  { name: 'long line between short ones split at the cap', chunks: ['a\nbcdefg\nh\n'], max: 4, outputs: ['a\nbcde\nfg\nh\n'], lines: 4 },
  { name: 'long tail after the last newline cut at once', chunks: ['a\nbcdefg'], max: 4, outputs: ['a\nbcde\n', 'flush:fg\n'], lines: 3 },
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

test('lines of a chunk are passed on without copying them', () => {
  const framer = new LineFramer();
  framer.push(Buffer.from('held'));
  const chunk = Buffer.from(' line\nsecond\nthird\npartial');
  const framed = framer.push(chunk) as FramedLines;
  assert.deepEqual(framed.parts.map(String), ['held line\n', 'second\nthird\n']);
  const body = framed.parts[1] as Buffer;
  assert.equal(body.buffer, chunk.buffer);
  assert.equal(body.byteOffset, chunk.byteOffset + chunk.indexOf('second'));
  assert.equal(framer.pendingBytes(), 'partial'.length);
});

test('flush with nothing pending returns null', () => {
  const framer = new LineFramer();
  framer.push(Buffer.from('a\n'));
  assert.equal(framer.flush(), null);
});

test('splitLines drops LF and a trailing CR', () => {
  assert.deepEqual(splitLines(Buffer.from('a\r\n\nb\n')).map(String), ['a', '', 'b']);
});
