/** Per-instance counts shown by `describe`. Writers update them as batches land or drop. */
export interface LineCounter {
  writtenLines: number;
  droppedLines: number;
  lastError: string | null;
}

export function createLineCounter(): LineCounter {
  return { writtenLines: 0, droppedLines: 0, lastError: null };
}

/** Whole lines headed for one file; `counter` is null when another file already counts them. */
export interface WriteEntry {
  /** Written one after the other; each holds whole lines. */
  parts: Buffer[];
  /** Total length of `parts`. */
  bytes: number;
  lines: number;
  counter: LineCounter | null;
}

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code !== undefined && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
