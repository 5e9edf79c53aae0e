/**
 * Every log file of the daemon's apps. Writers are shared by path and reference-counted, so
 * merged instances (and out == err) append whole lines to one descriptor in one queue: lines
 * from different instances never interleave mid-line.
 *
 * Line events: `onLine` is called for every line, also for discarded files. Making a string
 * per line costs real CPU in a flood, so pass `hasListeners` (e.g. "does any `tend logs`
 * follower exist?"): it is asked once per chunk, and when it says no, lines are not even split.
 */
import { truncate } from 'node:fs/promises';
import { systemClock, type Clock } from '../core/clock.js';
import { FileWriter } from './file-writer.js';
import { Sink, type InstanceLogSink } from './instance-sink.js';
import { createLineCounter, type LineCounter } from './line-counter.js';
import { DEFAULT_MAX_LINE_BYTES } from './line-framer.js';
import { resolveLogPath } from './log-path.js';
import type { LogLineEvent, LogRoute } from './log-route.js';
import { resolveRotation, type RotationOptions } from './rotation-policy.js';

export const DEFAULT_CLOSE_WAIT_MS = 2000;

export interface LogManagerOptions {
  logsDir: string;
  onLine?: (event: LogLineEvent) => void;
  /** Asked once per chunk; when false, `onLine` is skipped. Omitted = always call `onLine`. */
  hasListeners?: () => boolean;
  clock?: Clock;
  /** Daemon-wide rotation, used where an app leaves an option unset (0/false). */
  defaults?: Partial<RotationOptions>;
  highWaterBytes?: number;
  retryDelayMs?: number;
  /** Let idle writers write small batches at once (default true; see inline-write.ts). */
  inlineWrites?: boolean;
  maxLineBytes?: number;
  closeWaitMs?: number;
  /**
   * Called after every `reclaimEveryBytes` of captured output. Each pipe read is a fresh
   * 64 KiB ArrayBuffer; the JS objects holding them are so small that V8 only collects them
   * on external-memory pressure, tens of MiB later. A minor GC here keeps that garbage small.
   * `bytes` is the output read since the previous call.
   */
  reclaim?: (bytes: number) => void;
  reclaimEveryBytes?: number;
}

/**
 * 2M 100-byte lines through the daemon (medians of 4): every 1 MiB cost ~90 ms more daemon
 * CPU than every 4 MiB (~520 vs ~430 ms; each forced scavenge is ~0.3-0.6 ms), for a peak
 * RSS growth of ~8 vs ~11 MiB; without it the daemon grew ~38 MiB.
 */
export const DEFAULT_RECLAIM_EVERY_BYTES = 4 * 1024 * 1024;

export interface LogStats {
  droppedLines: number;
  writtenBytes: number;
  lastError: string | null;
}

export class LogManager {
  private readonly writers = new Map<string, FileWriter>();
  /** Writers still emptying their queue after their last sink left, by path. */
  private readonly closing = new Map<string, Promise<void>>();
  private readonly sinks = new Map<Sink, LogRoute>();
  private readonly counters = new Map<number, LineCounter>();
  /** Last known route per id, so `flush` also empties files of stopped apps. */
  private readonly knownRoutes = new Map<number, { route: LogRoute; paths: string[] }>();
  private readonly clock: Clock;
  private bytesSinceReclaim = 0;

  constructor(private readonly options: LogManagerOptions) {
    this.clock = options.clock ?? systemClock;
  }

  open(route: LogRoute): InstanceLogSink {
    const { logs } = route;
    const resolve = (path: string | null): string | null =>
      path === null || path === '/dev/null' ? null : resolveLogPath(path, route, this.options.logsDir);
    const paths = { out: resolve(logs.outFile), err: resolve(logs.errorFile), combined: resolve(logs.combinedFile) };
    const rotation = resolveRotation(logs, this.options.defaults);
    const listener = this.options.onLine ?? null;
    const hasListeners = this.options.hasListeners;
    const sink: Sink = new Sink({
      route,
      paths,
      counter: this.counterFor(route.id),
      acquire: (path) => this.acquire(path, rotation),
      release: (writer) => this.release(writer),
      lineListener: () => (listener !== null && (hasListeners === undefined || hasListeners()) ? listener : null),
      wallMs: () => this.clock.wallMs(),
      maxLineBytes: this.options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
      closeWaitMs: this.options.closeWaitMs ?? DEFAULT_CLOSE_WAIT_MS,
      onClosed: () => this.sinks.delete(sink),
      noteBytesRead: (bytes) => this.noteBytesRead(bytes),
    });
    this.sinks.set(sink, route);
    const unique = [...new Set([paths.out, paths.err, paths.combined])].filter((p): p is string => p !== null);
    this.knownRoutes.set(route.id, { route, paths: unique });
    return sink;
  }

  /** Reopens every file by path (after an external logrotate moved them). */
  async reopenAll(): Promise<void> {
    await Promise.all([...this.writers.values()].map((writer) => writer.reopen()));
  }

  /** Empties the files of the matching routes (open or last known); returns their paths. */
  async flush(filter: (route: LogRoute) => boolean = () => true): Promise<string[]> {
    const paths = new Set<string>();
    for (const { route, paths: routePaths } of this.knownRoutes.values()) {
      if (filter(route)) for (const path of routePaths) paths.add(path);
    }
    for (const path of paths) {
      const writer = this.writers.get(path);
      if (writer !== undefined) await writer.truncateFile();
      else await truncate(path, 0).catch(() => undefined);
    }
    return [...paths];
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.sinks.keys()].map((sink) => sink.close()));
  }

  /**
   * The daemon hands its apps over to the next one (`tend update`): stops reading every pipe at
   * once, writes what was read, and closes the files. What is still in the pipes is left there
   * for the next daemon.
   */
  async handOverAll(): Promise<void> {
    await Promise.all([...this.sinks.keys()].map((sink) => sink.handOver()));
  }

  stats(id: number): LogStats {
    const { droppedLines, writtenBytes, lastError } = this.counterFor(id);
    return { droppedLines, writtenBytes, lastError };
  }

  private noteBytesRead(bytes: number): void {
    const { reclaim } = this.options;
    if (reclaim === undefined) return;
    this.bytesSinceReclaim += bytes;
    if (this.bytesSinceReclaim < (this.options.reclaimEveryBytes ?? DEFAULT_RECLAIM_EVERY_BYTES)) return;
    const read = this.bytesSinceReclaim;
    this.bytesSinceReclaim = 0;
    reclaim(read);
  }

  private counterFor(id: number): LineCounter {
    let counter = this.counters.get(id);
    if (counter === undefined) {
      counter = createLineCounter();
      this.counters.set(id, counter);
    }
    return counter;
  }

  private acquire(path: string, rotation: RotationOptions): FileWriter {
    let writer = this.writers.get(path);
    if (writer === undefined) {
      const { clock } = this;
      const { highWaterBytes, retryDelayMs, inlineWrites } = this.options;
      // A restarted process must not get ahead of its predecessor's last lines.
      const after = this.closing.get(path);
      writer = new FileWriter(path, { rotation, clock, highWaterBytes, retryDelayMs, after, inlineWrites });
      this.writers.set(path, writer);
    }
    writer.refs++;
    return writer;
  }

  private async release(writer: FileWriter): Promise<void> {
    writer.refs--;
    if (writer.refs > 0) return;
    if (this.writers.get(writer.path) === writer) this.writers.delete(writer.path);
    const closed = writer.close().finally(() => {
      if (this.closing.get(writer.path) === closed) this.closing.delete(writer.path);
    });
    this.closing.set(writer.path, closed);
    await closed;
  }
}
