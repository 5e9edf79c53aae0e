import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FileWriter } from '../../../src/logs/file-writer.js';
import {
  canWriteInline,
  NO_BACKOFF,
  afterInlineWrite,
  isLocalFileSystem,
  INLINE_BACKOFF_MS,
  MAX_INLINE_BYTES,
  SLOW_INLINE_WRITE_MS,
  type InlineWriteState,
} from '../../../src/logs/inline-write.js';
import { createLineCounter, type WriteEntry } from '../../../src/logs/line-counter.js';
import { mainThreadRunQueueWait } from '../../../src/logs/run-queue-wait.js';
import { makeManualClock, makeTempDir, readLines, waitFor } from './log-test-kit.js';

const ready: InlineWriteState = { idle: true, open: true, localFile: true, rotationDue: false, bytes: 65536, nowMs: 1000, offUntilMs: -Infinity };

test('canWriteInline: only an idle, open local file, no rotation due, a small batch, not backing off', () => {
  assert.equal(canWriteInline(ready), true);
  const refused: Array<Partial<InlineWriteState>> = [
    { idle: false },
    { open: false },
    { localFile: false },
    { rotationDue: true },
    { bytes: MAX_INLINE_BYTES + 1 },
    { offUntilMs: 1001 },
  ];
  for (const change of refused) assert.equal(canWriteInline({ ...ready, ...change }), false, JSON.stringify(change));
  assert.equal(canWriteInline({ ...ready, bytes: MAX_INLINE_BYTES, offUntilMs: 1000 }), true);
});

test('afterInlineWrite: two slow writes within the back-off turn inline writes off for it; one alone (a preemption) or a fast one does not', () => {
  const slow = SLOW_INLINE_WRITE_MS + 1;
  const once = afterInlineWrite(slow, 500, NO_BACKOFF);
  assert.deepEqual(once, { offUntilMs: -Infinity, lastSlowMs: 500 });
  assert.deepEqual(afterInlineWrite(slow, 500 + INLINE_BACKOFF_MS, once), { offUntilMs: 500 + 2 * INLINE_BACKOFF_MS, lastSlowMs: 500 + INLINE_BACKOFF_MS });
  assert.deepEqual(afterInlineWrite(slow, 501 + INLINE_BACKOFF_MS, once), { offUntilMs: -Infinity, lastSlowMs: 501 + INLINE_BACKOFF_MS }, 'slow writes a back-off apart are single ones');
  assert.equal(afterInlineWrite(SLOW_INLINE_WRITE_MS, 600, once), once);
  assert.equal(afterInlineWrite(0.05, 600, once), once);
});

test('afterInlineWrite: time the thread waited for a CPU is not the write\'s; what is left decides', () => {
  const once = afterInlineWrite(SLOW_INLINE_WRITE_MS + 1, 500, NO_BACKOFF);
  assert.equal(afterInlineWrite(40, 600, once, 35), once, 'preempted for most of it: not slow');
  assert.equal(afterInlineWrite(40, 600, once, 30), once, 'the write itself took 10 ms: not slow');
  assert.deepEqual(afterInlineWrite(40, 600, once, 29), { offUntilMs: 600 + INLINE_BACKOFF_MS, lastSlowMs: 600 }, 'the write itself took 11 ms: slow');
});

test('isLocalFileSystem: disk and memory file systems yes, network, FUSE and unknown ones no', { skip: process.platform !== 'linux' }, () => {
  for (const type of [0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630, BigInt(0xef53), 0x9123683e - 2 ** 32]) {
    assert.equal(isLocalFileSystem(type), true, type.toString(16));
  }
  // NFS, SMB2, CIFS, FUSE, 9p, and 0.
  for (const type of [0x6969, 0xfe534d42, 0xff534d42, 0x65735546, 0x01021997, 0]) {
    assert.equal(isLocalFileSystem(type), false, type.toString(16));
  }
});

function entry(text: string, counter = createLineCounter()): WriteEntry {
  const data = Buffer.from(text);
  return { parts: [data], bytes: data.length, counter };
}

test('once the file is open and nothing is queued, lines are on disk when enqueue returns', async (t) => {
  const file = join(makeTempDir(t), 'app.log');
  const counter = createLineCounter();
  const writer = new FileWriter(file, { clock: makeManualClock(0) });
  writer.enqueue(entry('first\n', counter));
  await waitFor(() => counter.writtenBytes === 6);
  writer.enqueue({ parts: [Buffer.from('second\n'), Buffer.from('third\n')], bytes: 13, counter });
  assert.equal(readFileSync(file, 'utf8'), 'first\nsecond\nthird\n');
  assert.equal(counter.writtenBytes, 19);
  await writer.close();
});

test('a backlog keeps its order: lines arriving behind queued ones wait their turn', async (t) => {
  const file = join(makeTempDir(t), 'app.log');
  const writer = new FileWriter(file, { clock: makeManualClock(0) });
  // The first lines queue while the file opens; the rest must not overtake them.
  for (let n = 0; n < 2000; n++) writer.enqueue(entry(`${n}\n`));
  await writer.close();
  assert.deepEqual(readLines(file), Array.from({ length: 2000 }, (_, n) => String(n)));
});

test('after two slow writes the next lines go through the queue, and still arrive', async (t) => {
  const file = join(makeTempDir(t), 'app.log');
  // Every reading of the clock is 20 ms after the previous one: each write looks slow.
  let now = 0;
  const clock = { wallMs: () => now, monotonicMs: () => (now += 2 * SLOW_INLINE_WRITE_MS) };
  const counter = createLineCounter();
  const writer = new FileWriter(file, { clock, runQueueWaitMs: null });
  writer.enqueue(entry('opens the file\n', counter));
  await waitFor(() => counter.writtenBytes === 'opens the file\n'.length);
  writer.enqueue(entry('inline, slow\n', counter));
  writer.enqueue(entry('inline, slow again\n', counter));
  const inline = 'opens the file\ninline, slow\ninline, slow again\n'.length;
  assert.equal(counter.writtenBytes, inline, 'one slow write alone (a preemption) keeps inline writes on');
  writer.enqueue(entry('queued\n', counter));
  assert.equal(counter.writtenBytes, inline, 'written at once despite the back-off');
  await writer.close();
  assert.deepEqual(readLines(file), ['opens the file', 'inline, slow', 'inline, slow again', 'queued']);
});

test('writes that look slow because the daemon waited for a CPU stay inline', async (t) => {
  const file = join(makeTempDir(t), 'app.log');
  // Each write looks 20 ms long, and the thread waited for a CPU through all of it.
  let now = 0;
  let waited = 0;
  const clock = { wallMs: () => now, monotonicMs: () => (now += 2 * SLOW_INLINE_WRITE_MS) };
  const runQueueWaitMs = (): number => (waited += SLOW_INLINE_WRITE_MS);
  const counter = createLineCounter();
  const writer = new FileWriter(file, { clock, runQueueWaitMs });
  writer.enqueue(entry('opens the file\n', counter));
  await waitFor(() => counter.writtenBytes === 'opens the file\n'.length);
  const lines = Array.from({ length: 5 }, (_, n) => `line ${n}\n`);
  let expected = counter.writtenBytes;
  for (const line of lines) {
    writer.enqueue(entry(line, counter));
    expected += line.length;
    assert.equal(counter.writtenBytes, expected, `${line.trim()} written when enqueue returned`);
  }
  await writer.close();
});

test('the main thread\'s wait for a CPU reads as a count that only grows', { skip: process.platform !== 'linux' }, () => {
  const read = mainThreadRunQueueWait();
  assert.ok(read !== null, '/proc/<pid>/task/<pid>/schedstat is readable here');
  const first = read();
  assert.ok(Number.isFinite(first) && first >= 0, String(first));
  const until = Date.now() + 30;
  while (Date.now() < until);
  assert.ok(read() >= first);
});

test('inlineWrites: false sends every batch through the queue', async (t) => {
  const file = join(makeTempDir(t), 'app.log');
  const counter = createLineCounter();
  const writer = new FileWriter(file, { clock: makeManualClock(0), inlineWrites: false });
  writer.enqueue(entry('a\n', counter));
  await waitFor(() => counter.writtenBytes === 2);
  writer.enqueue(entry('b\n', counter));
  assert.equal(statSync(file).size, 2);
  await writer.close();
  assert.deepEqual(readLines(file), ['a', 'b']);
});
