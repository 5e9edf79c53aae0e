/**
 * Per-instance counts shown by `describe`. Writers update them as batches land or drop.
 * What lands is counted in bytes: counting its lines would look at every newline of every
 * chunk on the hot path (2M lines: ~25 ms more before the last line was in the file, measured).
 * Lines are counted only when they are dropped, which is rare and must be exact.
 */
export interface LineCounter {
  writtenBytes: number;
  droppedLines: number;
  lastError: string | null;
}

export function createLineCounter(): LineCounter {
  return { writtenBytes: 0, droppedLines: 0, lastError: null };
}

/** Whole lines headed for one file; `counter` is null when another file already counts them. */
export interface WriteEntry {
  /** Written one after the other; each holds whole lines. */
  parts: Buffer[];
  /** Total length of `parts`. */
  bytes: number;
  counter: LineCounter | null;
}

/** Lines in `parts` (each part holds whole lines, each ended by LF). */
export function countLines(parts: readonly Buffer[]): number {
  let lines = 0;
  for (const part of parts) {
    for (let nl = part.indexOf(0x0a); nl !== -1; nl = part.indexOf(0x0a, nl + 1)) lines++;
  }
  return lines;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
