/**
 * The last lines of a file, read backwards in blocks so a multi-gigabyte log costs only the
 * blocks that hold those lines. Memory is bounded by `count` lines of at most `maxLineBytes`
 * each: a longer line is returned cut to its last `maxLineBytes` bytes.
 */
import { open } from 'node:fs/promises';
import { DEFAULT_MAX_LINE_BYTES } from './line-framer.js';

const BLOCK_BYTES = 64 * 1024;

export async function readLastLines(file: string, count: number, maxLineBytes = DEFAULT_MAX_LINE_BYTES): Promise<string[]> {
  if (count <= 0) return [];
  const handle = await open(file, 'r');
  try {
    const { size } = await handle.stat();
    const limit = Math.min(size, (count + 1) * maxLineBytes);
    let position = size;
    let tail = Buffer.alloc(0);
    let newlines = 0;
    while (position > size - limit && newlines <= count) {
      const length = Math.min(BLOCK_BYTES, position - (size - limit));
      position -= length;
      const block = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(block, 0, length, position);
      const read = block.subarray(0, bytesRead);
      for (let at = read.indexOf(0x0a); at !== -1; at = read.indexOf(0x0a, at + 1)) newlines++;
      tail = Buffer.concat([read, tail]);
    }
    return lastLinesOf(tail, count, position > 0);
  } finally {
    await handle.close();
  }
}

/** `startsMidLine`: the buffer does not begin at the file's start, so its first line is cut. */
function lastLinesOf(data: Buffer, count: number, startsMidLine: boolean): string[] {
  const text = data.toString('utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  if (startsMidLine && lines.length > count) lines.shift();
  return lines.slice(-count).map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
