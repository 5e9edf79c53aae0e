/** Shared helpers for the log tests: temp folders, routes, waiting, reading rotated files. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { LogSpec } from '../../../src/core/app-spec.js';
import type { LogRoute } from '../../../src/logs/index.js';

export function makeTempDir(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'tend-logs-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeLogSpec(dir: string, overrides: Partial<LogSpec> = {}): LogSpec {
  return {
    outFile: join(dir, 'app-out.log'),
    errorFile: join(dir, 'app-error.log'),
    combinedFile: null,
    mergeLogs: false,
    time: false,
    dateFormat: null,
    logType: 'raw',
    maxSizeBytes: 0,
    retain: 0,
    compress: false,
    rotateIntervalMs: 0,
    ...overrides,
  };
}

export function makeRoute(logs: LogSpec, overrides: Partial<LogRoute> = {}): LogRoute {
  return { appName: 'app', namespace: 'default', id: 0, instance: 0, instances: 1, logs, ...overrides };
}

/** Lines of a file (without the empty string after the last newline). */
export function readLines(path: string): string[] {
  const text = readFileSync(path, 'utf8');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines;
}

/** The live file and every rotated file of it (gunzipped), oldest first, as lines. */
export function readAllGenerations(dir: string, baseName: string): { files: string[]; lines: string[] } {
  const rotated = readdirSync(dir)
    .filter((name) => name.startsWith(`${baseName}.`) && !name.endsWith('.tmp'))
    .sort((a, b) => a.replace(/\.gz$/, '').localeCompare(b.replace(/\.gz$/, '')));
  const files = [...rotated, baseName];
  const lines: string[] = [];
  for (const name of files) {
    const raw = readFileSync(join(dir, name));
    const text = (name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    for (const line of text.split('\n')) if (line !== '') lines.push(line);
  }
  return { files, lines };
}

export async function waitFor(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** A clock whose time tests move by hand. */
export function makeManualClock(startMs: number): { wallMs(): number; monotonicMs(): number; advance(ms: number): void } {
  let now = startMs;
  return { wallMs: () => now, monotonicMs: () => now, advance: (ms) => void (now += ms) };
}
