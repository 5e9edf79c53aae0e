import type { InstanceInfo } from '../core/instance-info.js';

/** Row fields that move while nothing happens to an instance: written afresh on every list. */
type LiveField = 'uptime_ms' | 'cpu' | 'memory' | 'recent_restarts' | 'monit';
const LIVE_FIELDS: ReadonlySet<string> = new Set<LiveField>(['uptime_ms', 'cpu', 'memory', 'recent_restarts', 'monit']);

interface Kept {
  row: InstanceInfo;
  facts: readonly unknown[];
  /** The row's JSON without its live fields and without its closing brace, and its UTF-8 length. */
  head: string;
  headBytes: number;
}

/** One row of a list: its kept part and its live fields, as JSON. */
export interface RowText {
  head: string;
  headBytes: number;
  /** ASCII: numbers and field names. */
  live: string;
}

/**
 * The `list` reply as JSON, each row's unchanging part encoded once, the whole written into a
 * buffer kept from one list to the next.
 *
 * Building and encoding 1,000 rows with their PM2 fields on every `list` took ~35 ms of the
 * daemon's turn, most of it in the garbage collector (the daemon runs with a 1 MiB young
 * generation, and all the rows lived until the reply was encoded). Here a row is still made
 * for each instance (cheap, and gone at once), and compared with the one its kept text was made
 * from: a field that differs, or a fact behind the PM2 fields that is not the same object,
 * makes the text again; otherwise only the live fields are written. Joining the rows as one
 * string, measuring it and converting it to UTF-8 for the socket then cost ~10 ms more: each a
 * fresh megabyte of memory, its pages faulted in one by one. The kept buffer's pages stay.
 *
 * The comparison walks the row's own fields, so a field added to the row is covered without
 * a change here. Fields are compared with `===`, one level deep for objects (`probes`).
 */
export class ListText<K extends object> {
  private readonly kept = new WeakMap<K, Kept>();
  /** The buffer for the next list; null while a reply still uses it. */
  private spare: Buffer | null = null;
  /** How long the last list was, in bytes. */
  private lastBytes = 0;

  /**
   * One instance's row. `facts`: what `withPm2` reads beyond the row (the spec, the newest
   * history entry), compared by identity. `withPm2` adds the PM2 fields to the row.
   */
  row(key: K, row: InstanceInfo, facts: readonly unknown[], withPm2: (row: InstanceInfo) => InstanceInfo): RowText {
    let kept = this.kept.get(key);
    if (!kept || !sameFacts(kept.facts, facts) || !sameRow(kept.row, row)) {
      const head = encodeWithoutLiveFields(withPm2(row));
      kept = { row, facts, head, headBytes: Buffer.byteLength(head) };
      this.kept.set(key, kept);
    }
    const { uptime_ms, cpu, memory } = row;
    const live = `,"uptime_ms":${num(uptime_ms)},"cpu":${num(cpu)},"memory":${num(memory)},"recent_restarts":${num(row.recent_restarts ?? 0)},"monit":{"memory":${num(memory)},"cpu":${num(cpu)}}}`;
    return { head: kept.head, headBytes: kept.headBytes, live };
  }

  /**
   * The rows of `items` as one JSON array, each row made by `rowOf` and written at once: no
   * row outlives its turn, so the young generation's collections find nothing to copy (with
   * all 1,000 rows alive until a final join, they cost ~2 ms of a ~5 ms list). The bytes may
   * be in the kept buffer: call `release` once they are no longer needed, so the next list can
   * use it (until then a list gets a buffer of its own).
   */
  encode<T>(items: readonly T[], rowOf: (item: T) => RowText): { bytes: Buffer; release: () => void } {
    let buffer = this.spare;
    this.spare = null;
    // Room for as much as the last list wrote, grown as needed.
    if (buffer === null) buffer = Buffer.allocUnsafeSlow(Math.max(4096, Math.ceil(this.lastBytes * 1.25)));
    let at = 0;
    buffer[at++] = 0x5b;
    for (let k = 0; k < items.length; k += 1) {
      const r = rowOf(items[k]!);
      // The comma, the row and the closing bracket.
      const need = at + 2 + r.headBytes + r.live.length;
      if (need > buffer.length) {
        const larger = Buffer.allocUnsafeSlow(Math.ceil(need * 1.5));
        buffer.copy(larger, 0, 0, at);
        buffer = larger;
      }
      if (k > 0) buffer[at++] = 0x2c;
      at += buffer.write(r.head, at, 'utf8');
      at += buffer.write(r.live, at, 'latin1');
    }
    buffer[at++] = 0x5d;
    this.lastBytes = at;
    // A reply much smaller than its buffer goes out as a copy of its own, and the buffer stays
    // for the next list: a client that never reads holds thousands of replies unsent (up to the
    // server's 1 MiB of unsent bytes), and each must cost its own size, not the buffer's.
    // One far larger than this list needs (the list was long once) is let go.
    if (buffer.length > 2 * at) {
      const exact = Buffer.allocUnsafeSlow(at);
      buffer.copy(exact, 0, 0, at);
      this.spare = buffer.length > 4 * at + 65536 ? null : buffer;
      return { bytes: exact, release: () => undefined };
    }
    const owned = buffer;
    let released = false;
    return {
      bytes: buffer.subarray(0, at),
      release: () => {
        if (released) return;
        released = true;
        this.spare = owned;
      },
    };
  }
}

function encodeWithoutLiveFields(row: InstanceInfo): string {
  const text = JSON.stringify(row, function (this: unknown, key: string, value: unknown) {
    return this === row && LIVE_FIELDS.has(key) ? undefined : value;
  });
  return text.slice(0, -1);
}

function sameFacts(a: readonly unknown[], b: readonly unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k += 1) if (a[k] !== b[k]) return false;
  return true;
}

function sameRow(kept: InstanceInfo, fresh: InstanceInfo): boolean {
  const a = kept as unknown as Record<string, unknown>;
  const b = fresh as unknown as Record<string, unknown>;
  for (const field in b) {
    if (LIVE_FIELDS.has(field)) continue;
    if (!sameValue(a[field], b[field])) return false;
  }
  return true;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  for (const field in y) if (x[field] !== y[field]) return false;
  for (const field in x) if (!(field in y)) return false;
  return true;
}

/** A number as JSON writes it (NaN and infinities as null). */
function num(value: number): string {
  return Number.isFinite(value) ? String(value) : 'null';
}
