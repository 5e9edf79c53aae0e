/**
 * One open log file: a bounded queue of whole-line batches, written in order by a single
 * loop, with rotation between batches (so a line never straddles two files). When the queue is
 * empty and nothing else is in flight, a batch is written at once on the event loop instead
 * (see inline-write.ts for when, and why that is cheaper).
 *
 * Memory is bounded twice: above `highWaterBytes` the writer reports `isBehind()` so sinks
 * pause their sources (the app then blocks on its pipe, like with `cat > file`); above
 * a hard limit (4x, at least 8 MiB: callers that ignore backpressure) entries are dropped and counted.
 * On a write error (ENOSPC, EIO, EACCES...) the queue is dropped and counted, the file is
 * closed, and for `retryDelayMs` new lines are dropped at once instead of blocking the app;
 * the next line after that tries again, so writing resumes by itself when space returns.
 */
import { writeSync, writevSync } from 'node:fs';
import { mkdir, rename, statfs, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { systemClock, type Clock } from '../core/clock.js';
import { countLines, describeError, type WriteEntry } from './line-counter.js';
import { NO_BACKOFF, SLOW_INLINE_WRITE_MS, afterInlineWrite, canWriteInline, isLocalFileSystem } from './inline-write.js';
import { sharedRunQueueWait } from './run-queue-wait.js';
import { finishRotation, pickRotatedPath } from './rotated-files.js';
import { isRotationDue, NO_ROTATION, type RotationOptions } from './rotation-policy.js';
import { SerialQueue } from './serial-queue.js';
import { openForAppend, truncateNoFollow } from './no-follow.js';

/** Measured with 2M 100-byte lines: 512 KiB beat 2 MiB (~0.78 s vs ~1.1 s, less CPU), cache-friendlier. */
export const DEFAULT_HIGH_WATER_BYTES = 512 * 1024;
export const DEFAULT_RETRY_DELAY_MS = 1000;
/** Bytes per writev: large enough to amortise the syscall, small enough to bound overshoot. */
const MAX_BATCH_BYTES = 1024 * 1024;
/** Buffers per writev (IOV_MAX on Linux). */
const MAX_BATCH_BUFFERS = 1024;
/** Callers of write() that ignore isBehind() may queue this much before lines are dropped. */
const MIN_HARD_LIMIT_BYTES = 8 * 1024 * 1024;

export interface FileWriterOptions {
  rotation?: RotationOptions;
  clock?: Clock;
  highWaterBytes?: number;
  retryDelayMs?: number;
  /** Settles when a previous writer of the same path has finished; the first open waits. */
  after?: Promise<void> | undefined;
  /** Write small batches at once when idle (default); false sends everything through the queue. */
  inlineWrites?: boolean;
  /**
   * The daemon thread's cumulative time waiting for a CPU, in ms (run-queue-wait.ts), so that a
   * write slowed by preemption is not taken for a slow disk; null when unknown.
   */
  runQueueWaitMs?: (() => number) | null;
}

export class FileWriter {
  /** Sinks sharing this file (merged instances, out == err); closed when it drops to 0. */
  refs = 0;
  private handle: FileHandle | null = null;
  private isRegularFile = true;
  private isLocalFile = false;
  private readonly queue: WriteEntry[] = [];
  private queuedBytes = 0;
  private sizeBytes = 0;
  private periodStartMs = 0;
  private lastStampMs = 0;
  private failedUntilMs = -Infinity;
  /** Why the last write failed; kept as the reason for lines dropped while waiting to retry. */
  private failure = '';
  private pumping = false;
  /** File operations queued or running (writes, open, rotate, reopen, truncate, close). */
  private inFlight = 0;
  private inlineBackoff = NO_BACKOFF;
  private readonly inlineWrites: boolean;
  private readonly runQueueWaitMs: (() => number) | null;
  private drainWaiters: Array<() => void> = [];
  private readonly serial = new SerialQueue();
  private background: Promise<void> = Promise.resolve();
  private readonly rotation: RotationOptions;
  private readonly clock: Clock;
  private readonly highWaterBytes: number;
  private readonly hardLimitBytes: number;
  private readonly retryDelayMs: number;
  private after: Promise<void> | undefined;

  constructor(readonly path: string, options: FileWriterOptions = {}) {
    this.rotation = options.rotation ?? NO_ROTATION;
    this.clock = options.clock ?? systemClock;
    this.highWaterBytes = options.highWaterBytes ?? DEFAULT_HIGH_WATER_BYTES;
    this.hardLimitBytes = Math.max(this.highWaterBytes * 4, MIN_HARD_LIMIT_BYTES);
    this.retryDelayMs = options.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    this.after = options.after;
    this.inlineWrites = options.inlineWrites ?? true;
    this.runQueueWaitMs = options.runQueueWaitMs === undefined ? sharedRunQueueWait() : options.runQueueWaitMs;
  }

  enqueue(entry: WriteEntry): void {
    const now = this.clock.monotonicMs();
    const failing = now < this.failedUntilMs;
    if (failing || this.queuedBytes + entry.bytes > this.hardLimitBytes) {
      dropEntries([entry], failing ? this.failure : `${this.path}: writer overloaded, line dropped`);
      return;
    }
    if (this.mayWriteInline(entry, now)) {
      this.writeInline(entry, now);
      return;
    }
    this.queue.push(entry);
    this.queuedBytes += entry.bytes;
    this.pump();
  }

  /**
   * Resolves once the file is open and nothing is queued, when the next small batch is written
   * at once (see inline-write.ts); the first call opens it. A failed open resolves too (the
   * lines that follow are dropped and counted as for any write error).
   */
  ready(): Promise<void> {
    if (this.handle !== null && this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return this.run(async () => {
      if (this.handle === null) await this.openHandle();
    }).catch(() => undefined);
  }

  isBehind(): boolean {
    return this.queuedBytes >= this.highWaterBytes;
  }

  /** Calls `callback` once the queue is below half the high-water mark (or was dropped). */
  onDrain(callback: () => void): void {
    if (!this.isBehind()) queueMicrotask(callback);
    else this.drainWaiters.push(callback);
  }

  /** Closes the file; the next batch opens it again (an external logrotate moved it). */
  reopen(): Promise<void> {
    return this.run(() => this.closeHandle());
  }

  /** Empties the file (`flush`); rotated files are left alone. */
  truncateFile(): Promise<void> {
    return this.run(async () => {
      if (this.handle !== null) await this.handle.truncate(0);
      else await truncateNoFollow(this.path);
      this.sizeBytes = 0;
    });
  }

  /** Writes what is queued, closes the file, waits for compression and pruning. */
  async close(): Promise<void> {
    await this.run(() => this.writeQueued());
    await this.run(() => this.closeHandle());
    await this.background;
  }

  /** Every file operation goes through here, so an inline write never runs beside one. */
  private async run<T>(task: () => Promise<T>): Promise<T> {
    this.inFlight++;
    try {
      return await this.serial.run(task);
    } finally {
      this.inFlight--;
    }
  }

  private mayWriteInline(entry: WriteEntry, nowMs: number): boolean {
    return (
      this.inlineWrites &&
      canWriteInline({
        idle: this.queue.length === 0 && this.inFlight === 0 && !this.pumping,
        open: this.handle !== null,
        localFile: this.isLocalFile,
        rotationDue: this.isRotationDue(),
        bytes: entry.bytes,
        nowMs,
        offUntilMs: this.inlineBackoff.offUntilMs,
      })
    );
  }

  private writeInline(entry: WriteEntry, startedMs: number): void {
    const waitedBeforeMs = this.runQueueWaitMs?.() ?? 0;
    try {
      writeFullySync((this.handle as FileHandle).fd, entry.parts, entry.bytes);
    } catch (error) {
      dropEntries([entry], `${this.path}: ${describeError(error)}`);
      this.failNow(error);
      void this.run(() => this.cleanUpAfterFailure());
      return;
    }
    const now = this.clock.monotonicMs();
    const elapsedMs = now - startedMs;
    // The wait is read again only for a write that looked slow: one read per write otherwise.
    const preemptedMs = elapsedMs > SLOW_INLINE_WRITE_MS && this.runQueueWaitMs !== null ? this.runQueueWaitMs() - waitedBeforeMs : 0;
    this.inlineBackoff = afterInlineWrite(elapsedMs, now, this.inlineBackoff, preemptedMs);
    this.sizeBytes += entry.bytes;
    if (entry.counter !== null) entry.counter.writtenBytes += entry.bytes;
  }

  private pump(): void {
    if (this.pumping) return;
    this.pumping = true;
    void this.run(() => this.writeQueued()).finally(() => {
      this.pumping = false;
      if (this.queue.length > 0 && this.clock.monotonicMs() >= this.failedUntilMs) this.pump();
    });
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      try {
        if (this.handle === null) await this.openHandle();
        if (this.isRotationDue()) await this.rotate();
        await this.writeBatch();
      } catch (error) {
        await this.fail(error);
        return;
      }
    }
  }

  private async writeBatch(): Promise<void> {
    const handle = this.handle;
    if (handle === null) return;
    let bytes = 0;
    let count = 0;
    // Stop at the size limit too, so a file overshoots `maxSizeBytes` by one entry at most.
    const room = this.rotation.maxSizeBytes > 0 ? this.rotation.maxSizeBytes - this.sizeBytes : Infinity;
    const limit = Math.min(MAX_BATCH_BYTES, room);
    const buffers: Buffer[] = [];
    while (count < this.queue.length) {
      const entry = this.queue[count] as WriteEntry;
      if (count > 0 && (bytes + entry.bytes > limit || buffers.length + entry.parts.length > MAX_BATCH_BUFFERS)) break;
      bytes += entry.bytes;
      buffers.push(...entry.parts);
      count++;
    }
    const batch = this.queue.slice(0, count);
    await writeFully(handle, buffers, bytes);
    this.queue.splice(0, count);
    this.queuedBytes -= bytes;
    this.sizeBytes += bytes;
    for (const entry of batch) if (entry.counter !== null) entry.counter.writtenBytes += entry.bytes;
    if (this.queuedBytes < this.highWaterBytes / 2) this.releaseWaiters();
  }

  private async openHandle(): Promise<void> {
    if (this.after !== undefined) await this.after.catch(() => undefined);
    this.after = undefined;
    // 0700: a folder tend creates for logs (TEND_HOME/logs above all) is private, whatever the umask.
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await openForAppend(this.path);
    const stat = await handle.stat();
    const local = stat.isFile() && this.inlineWrites && (await isOnLocalFileSystem(this.path));
    this.handle = handle;
    this.isRegularFile = stat.isFile();
    this.isLocalFile = local;
    this.sizeBytes = stat.isFile() ? stat.size : 0;
    // An existing file started its period when it was last written, so a daily rotation
    // still happens for a file left over from yesterday by a previous daemon.
    this.periodStartMs = this.sizeBytes > 0 ? stat.mtimeMs : this.clock.wallMs();
  }

  private isRotationDue(): boolean {
    const file = { sizeBytes: this.sizeBytes, periodStartMs: this.periodStartMs };
    return this.isRegularFile && isRotationDue(this.rotation, file, this.clock.wallMs());
  }

  private async rotate(): Promise<void> {
    await this.closeHandle();
    const picked = await pickRotatedPath(this.path, this.clock.wallMs(), this.lastStampMs + 1);
    this.lastStampMs = picked.stampMs;
    await rename(this.path, picked.path);
    await this.openHandle();
    this.periodStartMs = this.clock.wallMs();
    const { compress, retain } = this.rotation;
    this.background = this.background.then(() => finishRotation(picked.path, this.path, compress, retain));
  }

  private async fail(error: unknown): Promise<void> {
    this.failNow(error);
    await this.cleanUpAfterFailure();
  }

  /** Drops the queue and refuses lines for `retryDelayMs`. */
  private failNow(error: unknown): void {
    this.failure = `${this.path}: ${describeError(error)}`;
    dropEntries(this.queue.splice(0), this.failure);
    this.queuedBytes = 0;
    this.failedUntilMs = this.clock.monotonicMs() + this.retryDelayMs;
  }

  private async cleanUpAfterFailure(): Promise<void> {
    // A write cut short (ENOSPC mid-batch) leaves a partial line that the next line would be
    // glued to; the batch is counted as dropped, so take its bytes back (best effort).
    if (this.handle !== null && this.isRegularFile) await this.handle.truncate(this.sizeBytes).catch(() => undefined);
    await this.closeHandle().catch(() => undefined);
    this.releaseWaiters();
  }

  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    if (handle !== null) await handle.close();
  }

  private releaseWaiters(): void {
    const waiters = this.drainWaiters;
    this.drainWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

async function isOnLocalFileSystem(path: string): Promise<boolean> {
  try {
    return isLocalFileSystem((await statfs(path)).type);
  } catch {
    return false;
  }
}

function dropEntries(entries: readonly WriteEntry[], reason: string): void {
  for (const entry of entries) {
    if (entry.counter === null) continue;
    entry.counter.droppedLines += countLines(entry.parts);
    entry.counter.lastError = reason;
  }
}

/** writev until every byte is on disk (regular files may take a short write, e.g. at ENOSPC). */
async function writeFully(handle: FileHandle, buffers: Buffer[], total: number): Promise<void> {
  let written = (await handle.writev(buffers)).bytesWritten;
  while (written < total) {
    const rest = Buffer.concat(buffers).subarray(written);
    const { bytesWritten } = await handle.write(rest);
    if (bytesWritten === 0) throw new Error('short write: no progress');
    written += bytesWritten;
  }
}

/** The same, synchronously; errors (ENOSPC...) are thrown as fs.writeSync throws them. */
function writeFullySync(fd: number, buffers: Buffer[], total: number): void {
  let written = buffers.length === 1 ? writeSync(fd, buffers[0] as Buffer) : writevSync(fd, buffers);
  if (written >= total) return;
  const rest = Buffer.concat(buffers).subarray(written);
  written = 0;
  while (written < rest.length) {
    const bytesWritten = writeSync(fd, rest, written);
    if (bytesWritten === 0) throw new Error('short write: no progress');
    written += bytesWritten;
  }
}
