/**
 * Cuts a byte stream into whole lines. Works on Buffers only (no string conversion) because
 * this is the hot path: a flood of 2 million lines must cost about as much as `cat`.
 *
 * Policy, decided here once:
 * - A line ends at LF. CR is kept as a byte (files get exactly what the app wrote; the
 *   decorators strip a trailing CR where a line becomes text).
 * - A partial line waits for its newline; `flush()` releases it at close with a newline added.
 * - A line longer than `maxLineBytes` is cut into pieces of that size, each ended by a newline,
 *   so one app printing a huge blob without newlines cannot grow the daemon's memory.
 * - Bytes are never interpreted here, so binary output passes through untouched.
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const LF = 0x0a;
const NEWLINE = Buffer.from([LF]);

/** One or more whole lines, each ended by LF, in one contiguous buffer. */
export interface FramedLines {
  data: Buffer;
  lines: number;
}

export class LineFramer {
  private pending: Buffer | null = null;

  constructor(private readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    if (!(maxLineBytes > 0)) throw new RangeError(`maxLineBytes must be > 0, got ${maxLineBytes}`);
  }

  /** Bytes held back waiting for a newline. */
  pendingBytes(): number {
    return this.pending?.length ?? 0;
  }

  /** Feeds a chunk; returns the whole lines it completes, or null when none. */
  push(chunk: Buffer): FramedLines | null {
    if (chunk.length === 0) return null;
    const data = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    const max = this.maxLineBytes;
    let start = 0;
    let cut = 0;
    let lines = 0;
    let pieces: Buffer[] | null = null;
    for (;;) {
      const nl = data.indexOf(LF, start);
      const end = nl === -1 ? data.length : nl;
      while (end - start > max) {
        pieces ??= [];
        pieces.push(data.subarray(cut, start + max), NEWLINE);
        start += max;
        cut = start;
        lines++;
      }
      if (nl === -1) break;
      lines++;
      start = nl + 1;
    }
    // Copy the tail so a small partial line does not pin the whole (64 KiB) chunk in memory.
    this.pending = start < data.length ? Buffer.from(data.subarray(start)) : null;
    if (lines === 0) return null;
    if (pieces === null) return { data: data.subarray(0, start), lines };
    pieces.push(data.subarray(cut, start));
    return { data: Buffer.concat(pieces), lines };
  }

  /** Releases the partial last line (newline added), or null when there is none. */
  flush(): FramedLines | null {
    const rest = this.pending;
    this.pending = null;
    if (rest === null) return null;
    return { data: Buffer.concat([rest, NEWLINE]), lines: 1 };
  }
}

/** Splits framed data into lines without their LF (and without a trailing CR). */
export function splitLines(data: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    let nl = data.indexOf(LF, start);
    if (nl === -1) nl = data.length;
    const end = nl > start && data[nl - 1] === 0x0d ? nl - 1 : nl;
    out.push(data.subarray(start, end));
    start = nl + 1;
  }
  return out;
}
