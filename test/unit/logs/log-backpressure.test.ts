import assert from 'node:assert/strict';
import { existsSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { once } from 'node:events';
import { test } from 'node:test';
import { LogManager } from '../../../src/logs/index.js';
import { makeLogSpec, makeRoute, makeTempDir, readLines, waitFor } from './log-test-kit.js';

test('a full device (/dev/full) drops and counts lines, never throws, never grows memory', { skip: !existsSync('/dev/full') }, async (t) => {
  const dir = makeTempDir(t);
  const manager = new LogManager({ logsDir: dir });
  const sink = manager.open(makeRoute(makeLogSpec(dir, { outFile: '/dev/full' })));
  const source = new PassThrough();
  sink.attach('out', source);
  const line = `${'z'.repeat(99)}\n`.repeat(1000);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 2000; i++) {
    // 200 MB in total; the source must never be left paused, or this loop would stall.
    if (!source.write(line)) await once(source, 'drain');
  }
  source.end();
  await sink.close();
  const stats = manager.stats(0);
  assert.equal(stats.writtenBytes, 0);
  assert.equal(stats.droppedLines, 2_000_000);
  assert.match(stats.lastError ?? '', /ENOSPC/);
  assert.ok(process.memoryUsage().rss - before < 64 * 1024 * 1024, 'memory grew');
});

test('writing resumes by itself once the file can be written again', async (t) => {
  const dir = makeTempDir(t);
  const blocker = join(dir, 'sub');
  writeFileSync(blocker, 'a file where the log folder should be');
  const manager = new LogManager({ logsDir: dir, retryDelayMs: 50 });
  const sink = manager.open(makeRoute(makeLogSpec(dir, { outFile: join(blocker, 'app-out.log') })));
  sink.write('out', Buffer.from('lost 1\n'));
  await waitFor(() => manager.stats(0).droppedLines === 1);
  sink.write('out', Buffer.from('lost 2\n'));
  rmSync(blocker);
  await new Promise((resolve) => setTimeout(resolve, 80));
  sink.write('out', Buffer.from('kept\n'));
  await sink.close();
  assert.deepEqual(readLines(join(blocker, 'app-out.log')), ['kept']);
  assert.deepEqual(manager.stats(0), { droppedLines: 2, writtenBytes: 'kept\n'.length, lastError: manager.stats(0).lastError });
  assert.match(manager.stats(0).lastError ?? '', /ENOTDIR|EEXIST/);
});

test('a source faster than the disk is paused: 200 MB pass with bounded memory', async (t) => {
  const dir = makeTempDir(t);
  // The queue path: inline writes would keep up with this source and never pause it.
  const manager = new LogManager({ logsDir: dir, highWaterBytes: 1024 * 1024, inlineWrites: false });
  const sink = manager.open(makeRoute(makeLogSpec(dir)));
  const source = new PassThrough();
  sink.attach('out', source);
  let pausedSeen = 0;
  const line = `${'q'.repeat(99)}\n`.repeat(1000);
  const before = process.memoryUsage().rss;
  let peak = before;
  for (let i = 0; i < 2000; i++) {
    if (source.isPaused()) pausedSeen++;
    if (!source.write(line)) await once(source, 'drain');
    if (i % 50 === 0) peak = Math.max(peak, process.memoryUsage().rss);
  }
  source.end();
  await sink.close();
  assert.ok(pausedSeen > 0, 'source was never paused');
  assert.ok(peak - before < 64 * 1024 * 1024, `RSS grew by ${(peak - before) >> 20} MiB`);
  assert.equal(statSync(join(dir, 'app-out.log')).size, 200_000_000);
  assert.deepEqual(manager.stats(0), { droppedLines: 0, writtenBytes: 200_000_000, lastError: null });
});
