/** Shared helpers for the log integration tests: a tend world per file, app files, line checks. */
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { after } from 'node:test';
import { TendHarness } from '../../helpers/tend-harness.js';

export { FIXTURES } from '../../helpers/tend-harness.js';

/** A tend world and an app folder for one test file, both removed after it. */
export function useLogWorld(): { tend: TendHarness; dir: string; write(name: string, source: string): string } {
  const tend = new TendHarness('tend-logs-');
  const dir = mkdtempSync(join(tmpdir(), 'tend-logs-app-'));
  after(async () => {
    await tend.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (name: string, source: string): string => {
    const file = join(dir, name);
    writeFileSync(file, source);
    return file;
  };
  return { tend, dir, write };
}

/** A CommonJS app printing `<prefix> <n>` for n = 1..count, then exiting. */
export function numberedSource(count: number, prefix = "'i' + (process.env.NODE_APP_INSTANCE ?? '0')"): string {
  return [
    `const prefix = ${prefix};`,
    `for (let n = 1; n <= ${count}; n += 1) process.stdout.write(prefix + ' ' + n + '\\n');`,
    '',
  ].join('\n');
}

export function fileLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** Text of `base` and of its rotated files (gunzipped), oldest first. */
export function readWithRotated(folder: string, base: string): { text: string; files: string[] } {
  const rotated = readdirSync(folder)
    .filter((name) => name.startsWith(`${base}.`) && !name.endsWith('.tmp'))
    .sort((a, b) => a.replace(/\.gz$/, '').localeCompare(b.replace(/\.gz$/, '')));
  const parts = rotated.map((name) => {
    const data = readFileSync(join(folder, name));
    return (name.endsWith('.gz') ? gunzipSync(data) : data).toString('latin1');
  });
  parts.push(readFileSync(join(folder, base), 'latin1'));
  return { text: parts.join(''), files: [...rotated, base] };
}

export interface NumberedCheck {
  lines: number;
  lost: number;
  duplicated: number;
  outOfOrder: number;
}

/**
 * Checks lines that start with their number 0..total-1 (log-flood.js): what is missing, doubled
 * or out of place. Fed in chunks, so a 1 GB file never becomes one string.
 */
export class NumberedChecker {
  private readonly seen: Uint8Array;
  private lines = 0;
  private duplicated = 0;
  private outOfOrder = 0;
  private expected = 0;
  private partial = '';

  constructor(private readonly total: number) {
    this.seen = new Uint8Array(total);
  }

  feed(chunk: string): void {
    const text = this.partial + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      const n = Number.parseInt(text.slice(start, start + 12), 10);
      start = end + 1;
      this.lines++;
      if (!(n >= 0 && n < this.total)) continue;
      if (this.seen[n] === 1) this.duplicated++;
      this.seen[n] = 1;
      if (n !== this.expected) this.outOfOrder++;
      this.expected = n + 1;
    }
    this.partial = text.slice(start);
  }

  feedFile(path: string): void {
    const fd = openSync(path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(4 * 1024 * 1024);
      for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) this.feed(buffer.toString('latin1', 0, read));
    } finally {
      closeSync(fd);
    }
  }

  result(): NumberedCheck {
    let present = 0;
    for (const flag of this.seen) present += flag;
    return { lines: this.lines, lost: this.total - present, duplicated: this.duplicated, outOfOrder: this.outOfOrder };
  }
}

/** VmRSS of `pid` in bytes. */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match?.[1] ?? 0) * 1024;
}
