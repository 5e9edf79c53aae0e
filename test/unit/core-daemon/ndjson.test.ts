import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type DecodedFrame, NdjsonDecoder, encodeFrame } from '../../../src/ipc/ndjson.js';

function decode(chunks: Array<string | Buffer>, maxFrameBytes?: number): DecodedFrame[] {
  const decoder = new NdjsonDecoder(maxFrameBytes);
  return chunks.flatMap((c) => decoder.push(typeof c === 'string' ? Buffer.from(c) : c));
}
const value = (v: unknown): DecodedFrame => ({ kind: 'value', value: v });

const cases: Array<[name: string, chunks: Array<string | Buffer>, expected: DecodedFrame[], max?: number]> = [
  ['one frame', ['{"a":1}\n'], [value({ a: 1 })]],
  ['two frames in one chunk', ['{"a":1}\n{"b":2}\n'], [value({ a: 1 }), value({ b: 2 })]],
  ['a frame split over chunks', ['{"a', '":', '1}', '\n'], [value({ a: 1 })]],
  ['no newline yet: nothing', ['{"a":1}'], []],
  ['blank lines are skipped', ['\n\n  \n{"a":1}\n'], [value({ a: 1 })]],
  ['a multi-byte character split between chunks', [Buffer.from('"é"\n').subarray(0, 2), Buffer.from('"é"\n').subarray(2)], [value('é')]],
  ['invalid JSON is an error, the next frame still decodes', ['{nope}\n{"a":1}\n'], [{ kind: 'error', reason: 'frame is not valid JSON' }, value({ a: 1 })]],
  ['an oversize line is one error, the next frame still decodes', ['x'.repeat(20), 'y'.repeat(20), '\n{"a":1}\n'], [{ kind: 'error', reason: 'frame larger than 16 bytes' }, value({ a: 1 })], 16],
  ['a line of exactly the cap is accepted', [`"${'x'.repeat(14)}"\n`], [value('x'.repeat(14))], 16],
  ['CRLF line endings decode', ['{"a":1}\r\n'], [value({ a: 1 })]],
];
for (const [name, chunks, expected, max] of cases) {
  test(`NdjsonDecoder: ${name}`, () => {
    assert.deepEqual(decode(chunks, max), expected);
  });
}

test('NdjsonDecoder: a huge frame fed byte by byte is reported once', () => {
  const decoder = new NdjsonDecoder(8);
  const frames: DecodedFrame[] = [];
  for (const byte of Buffer.from('0123456789abcdef\n1\n')) frames.push(...decoder.push(Buffer.from([byte])));
  assert.deepEqual(frames, [{ kind: 'error', reason: 'frame larger than 8 bytes' }, value(1)]);
});

test('encodeFrame: one line, newline-terminated, round-trips', () => {
  const text = encodeFrame({ id: 1, s: 'a\nb' });
  assert.equal(text.split('\n').length, 2);
  assert.deepEqual(decode([text]), [value({ id: 1, s: 'a\nb' })]);
});

/** Feeds `frames` as the given chunk sizes; a frame starting with `{"r":` is claimed as a stream. */
function streamThrough(input: string, chunkSize: number): { streamed: string[]; ends: number; frames: DecodedFrame[] } {
  const streamed: string[] = [];
  const pieces: Buffer[] = [];
  let ends = 0;
  const decoder = new NdjsonDecoder(100, (start) =>
    start.startsWith('{"r":')
      ? {
          skip: 5,
          trim: 1,
          write: (bytes) => pieces.push(Buffer.from(bytes)),
          end: () => {
            ends += 1;
            streamed.push(Buffer.concat(pieces.splice(0)).toString('utf8'));
          },
        }
      : null,
  );
  const bytes = Buffer.from(input);
  const frames: DecodedFrame[] = [];
  for (let at = 0; at < bytes.length; at += chunkSize) frames.push(...decoder.push(bytes.subarray(at, at + chunkSize)));
  return { streamed, ends, frames };
}

for (const chunkSize of [1, 2, 3, 7, 64, 100_000]) {
  test(`NdjsonDecoder: a claimed frame is handed on past its head and before its last byte, in chunks of ${chunkSize}`, () => {
    const long = `[${'"é",'.repeat(40)}1]`;
    const input = `{"a":1}\n{"r":${long}}\n{"r":[]}\n{"r":7}\n{"b":2}\n`;
    const { streamed, ends, frames } = streamThrough(input, chunkSize);
    assert.deepEqual(streamed, [long, '[]', '7']);
    assert.equal(ends, 3);
    assert.deepEqual(frames, [value({ a: 1 }), value({ b: 2 })], 'unclaimed frames are parsed as before');
  });
}

test('NdjsonDecoder: a claimed frame is not bound by the frame cap (it is never held), an unclaimed one still is', () => {
  const long = `"${'x'.repeat(200)}"`;
  const { streamed, frames } = streamThrough(`{"r":${long}}\n{"q":${long}}\n{"c":3}\n`, 50);
  assert.deepEqual(streamed, [long]);
  assert.deepEqual(frames, [{ kind: 'error', reason: 'frame larger than 100 bytes' }, value({ c: 3 })]);
});
