import { pushBounded } from './history.js';

/** Lines kept per instance, more than any terminal shows, so switching apps shows history at once. */
export const LOG_LINES_PER_INSTANCE = 200;

export interface LogEntry {
  stream: 'out' | 'err';
  line: string;
}

/** The recent lines of every instance seen, by id, each list bounded. */
export class LogBuffer {
  private readonly lines = new Map<number, LogEntry[]>();

  constructor(private readonly capacity = LOG_LINES_PER_INSTANCE) {}

  append(id: number, entry: LogEntry): void {
    let list = this.lines.get(id);
    if (!list) {
      list = [];
      this.lines.set(id, list);
    }
    pushBounded(list, entry, this.capacity);
  }

  /** Puts older lines (a tail read from the log files) before the ones already streamed in. */
  prepend(id: number, older: readonly LogEntry[]): void {
    const merged = [...older, ...(this.lines.get(id) ?? [])];
    this.lines.set(id, merged.slice(-this.capacity));
  }

  has(id: number): boolean {
    return this.lines.has(id);
  }

  /** The last `count` lines of `id`, oldest first. */
  last(id: number, count: number): readonly LogEntry[] {
    if (count <= 0) return [];
    return (this.lines.get(id) ?? []).slice(-count);
  }

  forget(keep: ReadonlySet<number>): void {
    for (const id of [...this.lines.keys()]) if (!keep.has(id)) this.lines.delete(id);
  }
}

/**
 * An app's line made safe to draw: colour codes and other escapes removed (they would move
 * the cursor or change colours under ink), tabs widened, other control characters dropped.
 */
export function cleanLogLine(text: string): string {
  return text
    .replace(/\x1b\[[0-9;?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b\][^\x07\x1b]*(\x07|\x1b\\)/g, '')
    .replace(/\t/g, '    ')
    .replace(/[\x00-\x1f\x7f]/g, '');
}
