/**
 * The last lines of a file, read backwards in blocks so a multi-gigabyte log costs only the
 * blocks that hold those lines. Memory is bounded by `maxBytes` whatever `count` asks: the
 * oldest of the wanted lines that do not fit are left out (`truncated`), and a line longer
 * than `maxLineBytes` is returned cut to its last `maxLineBytes` bytes. Each block is read
 * once and the blocks joined once, so the cost grows with the bytes returned, not their square.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { DEFAULT_MAX_LINE_BYTES } from './line-framer.js';

const BLOCK_BYTES = 64 * 1024;
/** What one read may hold: a `tend logs` reply must also fit the protocol's 8 MiB frame. */
export const DEFAULT_MAX_TAIL_BYTES = 4 * 1024 * 1024;

export interface LastLines {
  lines: string[];
  /** Fewer lines than asked because they did not fit in `maxBytes`. */
  truncated: boolean;
}

export interface ReadLastLinesOptions {
  maxLineBytes?: number;
  maxBytes?: number;
}

export async function readLastLines(file: string, count: number, options: ReadLastLinesOptions = {}): Promise<LastLines> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_TAIL_BYTES;
  if (count <= 0) return { lines: [], truncated: false };
  // O_NOFOLLOW: a log path swapped for a link never makes the daemon read another file.
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const { size } = await handle.stat();
    const limit = Math.min(size, maxBytes, (count + 1) * maxLineBytes);
    const blocks: Buffer[] = [];
    let position = size;
    let newlines = 0;
    while (position > size - limit && newlines <= count) {
      const length = Math.min(BLOCK_BYTES, position - (size - limit));
      position -= length;
      const block = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(block, 0, length, position);
      const read = block.subarray(0, bytesRead);
      for (let at = read.indexOf(0x0a); at !== -1; at = read.indexOf(0x0a, at + 1)) newlines++;
      blocks.push(read);
    }
    const lines = lastLinesOf(Buffer.concat(blocks.reverse()), count, position > 0, maxLineBytes);
    const budgetCut = position > 0 && size - position >= maxBytes && lines.length < count;
    return { lines, truncated: budgetCut };
  } finally {
    await handle.close();
  }
}

/** `startsMidLine`: the buffer does not begin at the file's start, so its first line is cut. */
function lastLinesOf(data: Buffer, count: number, startsMidLine: boolean, maxLineBytes: number): string[] {
  const lines: string[] = [];
  let end = data.length;
  if (end > 0 && data[end - 1] === 0x0a) end -= 1;
  else if (end === 0) return [];
  while (lines.length < count) {
    // A negative offset would count from the buffer's end.
    const newline = end === 0 ? -1 : data.lastIndexOf(0x0a, end - 1);
    if (newline < 0 && startsMidLine) {
      // A line the read began inside: whole only when it is already longer than the cap.
      if (end >= maxLineBytes) lines.push(decodeLine(data, Math.max(0, end - maxLineBytes), end));
      break;
    }
    const start = newline + 1;
    lines.push(decodeLine(data, Math.max(start, end - maxLineBytes), end));
    if (newline < 0) break;
    end = newline;
  }
  return lines.reverse();
}

function decodeLine(data: Buffer, start: number, end: number): string {
  const line = data.toString('utf8', start, end);
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
