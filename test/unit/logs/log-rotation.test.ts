import assert from 'node:assert/strict';
import { chmodSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import { LogManager } from '../../../src/logs/index.js';
import { compressFile } from '../../../src/logs/rotated-files.js';
import { makeLogSpec, makeManualClock, makeRoute, makeTempDir, readAllGenerations } from './log-test-kit.js';

/** Checks that `lines` are exactly `line 0` .. `line count-1`, each once and in order. */
function assertExactlyOnce(lines: string[], count: number): void {
  assert.equal(lines.length, count, 'line count');
  lines.forEach((line, n) => assert.equal(line, `line ${n} ${'y'.repeat(n % 90)}`));
}

test('rotation under a flood keeps every line exactly once across rotated files', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const sink = manager.open(makeRoute(makeLogSpec(dir, { maxSizeBytes: 64 * 1024, retain: 1000 })));
  const count = 40_000;
  let chunk = '';
  for (let n = 0; n < count; n++) {
    chunk += `line ${n} ${'y'.repeat(n % 90)}\n`;
    // Chunks that end mid-line, as pipes deliver them.
    if (chunk.length > 3000) {
      sink.write('out', Buffer.from(chunk.slice(0, 2999)));
      chunk = chunk.slice(2999);
    }
  }
  sink.write('out', Buffer.from(chunk));
  await sink.close();
  const { files, lines } = readAllGenerations(dir, 'app-out.log');
  assert.ok(files.length > 20, `expected many rotations, got ${files.length} files`);
  assertExactlyOnce(lines, count);
});

test('retain keeps the newest rotated files, compress gzips them', async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir, defaults: { compress: true } });
  const sink = manager.open(makeRoute(makeLogSpec(dir, { maxSizeBytes: 1000, retain: 3 })));
  const count = 1000;
  for (let n = 0; n < count; n++) sink.write('out', Buffer.from(`line ${n} ${'y'.repeat(n % 90)}\n`));
  await sink.close();
  const rotated = readdirSync(dir).filter((name) => name.startsWith('app-out.log.'));
  assert.equal(rotated.length, 3, rotated.join(' '));
  assert.ok(rotated.every((name) => name.endsWith('.gz')), rotated.join(' '));
  const { lines } = readAllGenerations(dir, 'app-out.log');
  // The kept files are the newest: together with the live file they end at the last line.
  const last = lines.at(-1) ?? '';
  assert.equal(last, `line ${count - 1} ${'y'.repeat((count - 1) % 90)}`);
  const first = Number(/^line (\d+)/.exec(lines[0] ?? '')?.[1]);
  assert.ok(first > 0, 'old lines were pruned');
  lines.forEach((line, k) => assert.equal(line, `line ${first + k} ${'y'.repeat((first + k) % 90)}`));
  assert.equal(first + lines.length, count);
});

test('compressFile: the archive replaces the file with its mode; a file pruned before its turn leaves nothing behind', async (t) => {
  const dir = makeTempDir(t);
  const kept = join(dir, 'app-out.log.2026-01-01T00-00-00.000Z');
  writeFileSync(kept, 'line 0\nline 1\n');
  chmodSync(kept, 0o640);
  await compressFile(kept);
  assert.deepEqual(readdirSync(dir), ['app-out.log.2026-01-01T00-00-00.000Z.gz']);
  assert.equal(gunzipSync(readFileSync(`${kept}.gz`)).toString(), 'line 0\nline 1\n');
  assert.equal(statSync(`${kept}.gz`).mode & 0o777, 0o640);
  // A burst of rotations runs ahead of the compressions, so pruning can delete a rotated file
  // whose compression is still queued: a `.gz.tmp` was once created after the cleanup ran.
  const gone = Array.from({ length: 50 }, (_, k) => join(dir, `app-err.log.2026-01-01T00-00-00.${String(k).padStart(3, '0')}Z`));
  const results = await Promise.allSettled(gone.map((path) => compressFile(path)));
  assert.ok(results.every((result) => result.status === 'rejected'));
  await new Promise((resolve) => setTimeout(resolve, 50));
  assert.deepEqual(readdirSync(dir), ['app-out.log.2026-01-01T00-00-00.000Z.gz']);
});

/** Resolves once `file` holds `text`: the writer has written it (no fixed sleep, which a loaded machine outlasts). */
async function written(file: string, text: string): Promise<void> {
  for (let waited = 0; ; waited += 5) {
    try {
      if (readFileSync(file, 'utf8').includes(text)) return;
    } catch {
      // Not created yet.
    }
    if (waited > 10_000) throw new Error(`${file} never got ${JSON.stringify(text)}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

test('time-based rotation follows the injected clock', async (t) => {
  const dir = makeTempDir(t);
  const hour = 3_600_000;
  const clock = makeManualClock(Date.UTC(2026, 0, 1, 10, 30));
  const manager = new LogManager({ logsDir: dir, clock, defaults: { rotateIntervalMs: hour } });
  const sink = manager.open(makeRoute(makeLogSpec(dir)));
  const live = join(dir, 'app-out.log');
  sink.write('out', Buffer.from('ten-thirty\n'));
  await written(live, 'ten-thirty');
  clock.advance(20 * 60_000);
  sink.write('out', Buffer.from('ten-fifty\n'));
  await written(live, 'ten-fifty');
  clock.advance(20 * 60_000);
  sink.write('out', Buffer.from('eleven-ten\n'));
  await sink.close();
  const { files, lines } = readAllGenerations(dir, 'app-out.log');
  assert.deepEqual(files, ['app-out.log.2026-01-01T11-10-00.000Z', 'app-out.log']);
  assert.deepEqual(lines, ['ten-thirty', 'ten-fifty', 'eleven-ten']);
  assert.deepEqual(readdirSync(join(dir)).sort(), ['app-out.log', 'app-out.log.2026-01-01T11-10-00.000Z']);
});
