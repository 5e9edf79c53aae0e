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
 *
 * Output is a list of parts, each holding whole lines, so the common chunk (lines of normal
 * length, a partial line at its end) is passed on without copying it: only the line completed
 * by the chunk's first newline is copied (held-back bytes + its head). Gluing the held-back
 * bytes to the whole chunk instead copied every byte and doubled the 64 KiB buffers the
 * daemon allocates per pipe read (more garbage to collect under a flood).
 */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;

const LF = 0x0a;
const NEWLINE = Buffer.from([LF]);

/** One or more whole lines, each ended by LF, in one or more buffers (each of whole lines). */
export interface FramedLines {
  parts: Buffer[];
  bytes: number;
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
    const first = chunk.indexOf(LF);
    if (first === -1) return this.pushSlow(chunk);
    const last = chunk.lastIndexOf(LF);
    const held = this.pending?.length ?? 0;
    const max = this.maxLineBytes;
    // Every line short enough: the first (held bytes + head), those between the first and
    // last newline (each shorter than that span), and the new partial tail.
    if (held + first > max || last - first > max || chunk.length - last - 1 > max) return this.pushSlow(chunk);
    const parts = this.pending === null
      ? [chunk.subarray(0, last + 1)]
      : [Buffer.concat([this.pending, chunk.subarray(0, first + 1)]), chunk.subarray(first + 1, last + 1)];
    if (parts.length === 2 && (parts[1] as Buffer).length === 0) parts.pop();
    this.holdTail(chunk, last + 1);
    return { parts, bytes: held + last + 1 };
  }

  /** Releases the partial last line (newline added), or null when there is none. */
  flush(): FramedLines | null {
    const rest = this.pending;
    this.pending = null;
    if (rest === null) return null;
    const line = Buffer.concat([rest, NEWLINE]);
    return { parts: [line], bytes: line.length };
  }

  /** The general case (no newline, or a line over the cap somewhere): glue, then cut. */
  private pushSlow(chunk: Buffer): FramedLines | null {
    const data = this.pending === null ? chunk : Buffer.concat([this.pending, chunk]);
    const max = this.maxLineBytes;
    let start = 0;
    let cut = 0;
    let whole = false;
    let pieces: Buffer[] | null = null;
    for (;;) {
      const nl = data.indexOf(LF, start);
      const end = nl === -1 ? data.length : nl;
      while (end - start > max) {
        pieces ??= [];
        pieces.push(data.subarray(cut, start + max), NEWLINE);
        start += max;
        cut = start;
        whole = true;
      }
      if (nl === -1) break;
      whole = true;
      start = nl + 1;
    }
    this.holdTail(data, start);
    if (!whole) return null;
    if (pieces === null) return { parts: [data.subarray(0, start)], bytes: start };
    const joined = Buffer.concat([...pieces, data.subarray(cut, start)]);
    return { parts: [joined], bytes: joined.length };
  }

  /** Copies the tail, so a small partial line does not pin the whole (64 KiB) chunk in memory. */
  private holdTail(data: Buffer, from: number): void {
    this.pending = from < data.length ? Buffer.from(data.subarray(from)) : null;
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
