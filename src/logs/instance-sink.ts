/**
 * Where the output of one running process goes: frames each stream into whole lines,
 * decorates them, hands them to the (possibly shared) file writers, reports them as events,
 * and pauses the process's pipes while a writer is behind.
 */
import type { Readable } from 'node:stream';
import type { LogRoute, LogLineEvent } from './log-route.js';
import type { FileWriter } from './file-writer.js';
import type { LineCounter } from './line-counter.js';
import { decorateLines, needsDecoration, type DecorateOptions, type LogStream } from './line-decorator.js';
import { LineFramer, splitLines, type FramedLines } from './line-framer.js';
import { createTimestampFormatter } from './timestamp-format.js';

export interface InstanceLogSink {
  attach(stream: LogStream, source: Readable): void;
  write(stream: LogStream, chunk: Buffer): void;
  close(): Promise<void>;
  handOver(): Promise<void>;
  paths(): { out: string | null; err: string | null; combined: string | null };
}

/** What a sink needs from its manager. */
export interface SinkContext {
  route: LogRoute;
  paths: { out: string | null; err: string | null; combined: string | null };
  counter: LineCounter;
  acquire(path: string): FileWriter;
  release(writer: FileWriter): Promise<void>;
  /** The line listener, or null when nobody listens right now (checked once per chunk). */
  lineListener(): ((event: LogLineEvent) => void) | null;
  wallMs(): number;
  maxLineBytes: number;
  /** How long close() waits for attached pipes to end before flushing what it has. */
  closeWaitMs: number;
  onClosed(): void;
  /** Bytes just read from a process (drives the manager's garbage reclaim). */
  noteBytesRead?(bytes: number): void;
}

interface Target {
  writer: FileWriter;
  /** Only the first file of a stream counts what it writes, so the counts are not doubled. */
  counts: boolean;
}

export class Sink implements InstanceLogSink {
  private readonly framers: Record<LogStream, LineFramer>;
  private readonly targets: Record<LogStream, Target[]> = { out: [], err: [] };
  private readonly writers = new Set<FileWriter>();
  private readonly sources = new Map<Readable, { stream: LogStream; ended: Promise<void>; detach: () => void }>();
  private readonly held = new Set<Readable>();
  private readonly decorate: DecorateOptions;
  private readonly formatTime: (epochMs: number) => string;
  private closing: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly ctx: SinkContext) {
    const { logs } = ctx.route;
    this.framers = { out: new LineFramer(ctx.maxLineBytes), err: new LineFramer(ctx.maxLineBytes) };
    this.decorate = { logType: logs.logType, time: logs.time, app: ctx.route.appName, instance: ctx.route.instance };
    this.formatTime = createTimestampFormatter(logs.dateFormat, logs.dateZone ?? 'local');
    const combined = ctx.paths.combined === null ? null : this.use(ctx.paths.combined);
    for (const stream of ['out', 'err'] as const) {
      const path = ctx.paths[stream];
      if (path !== null) this.targets[stream].push({ writer: this.use(path), counts: true });
      if (combined !== null) this.targets[stream].push({ writer: combined, counts: path === null });
    }
  }

  paths(): { out: string | null; err: string | null; combined: string | null } {
    return { ...this.ctx.paths };
  }

  write(stream: LogStream, chunk: Buffer): void {
    if (this.closed) return;
    this.ctx.noteBytesRead?.(chunk.length);
    const framed = this.framers[stream].push(chunk);
    if (framed !== null) this.deliver(stream, framed);
  }

  attach(stream: LogStream, source: Readable): void {
    if (this.closed || this.sources.has(source)) return;
    const onData = (chunk: Buffer | string): void => {
      this.write(stream, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      this.holdWhileBehind(stream, source);
    };
    let detach = (): void => undefined;
    const ended = new Promise<void>((resolve) => {
      detach = () => {
        source.off('data', onData).off('end', detach).off('close', detach).off('error', detach);
        resolve();
      };
      // 'error' is listened to so a broken pipe can never become an uncaught exception.
      source.on('data', onData).once('end', detach).once('close', detach).once('error', detach);
    });
    this.sources.set(source, { stream, ended, detach });
    // A source made paused (an adopted app's FIFO, see openOutputFifo) is read from only once
    // its files are open: each chunk is then written in the tick it is read, never queued
    // behind an open, so a daemon killed meanwhile leaves the unread lines in the pipe.
    if (source.readableFlowing === false) {
      void Promise.all(this.targets[stream].map((target) => target.writer.ready())).then(() => {
        if (this.sources.has(source) && !this.held.has(source)) source.resume();
      });
    }
  }

  close(): Promise<void> {
    this.closing ??= this.finish();
    return this.closing;
  }

  /**
   * Stops reading now: what the stream had already read is written, what is still in the pipe
   * stays there for whoever opens it next (a holder keeps it open), then the sink closes.
   */
  handOver(): Promise<void> {
    for (const [source, { stream, detach }] of this.sources) {
      detach();
      source.pause();
      for (let chunk: unknown = source.read(); chunk !== null; chunk = source.read()) {
        this.write(stream, typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
      }
      source.destroy();
    }
    this.sources.clear();
    return this.close();
  }

  private use(path: string): FileWriter {
    const writer = this.ctx.acquire(path);
    this.writers.add(writer);
    return writer;
  }

  private deliver(stream: LogStream, framed: FramedLines): void {
    const listener = this.ctx.lineListener();
    const targets = this.targets[stream];
    if (targets.length === 0 && listener === null) return;
    const at = this.ctx.wallMs();
    let { parts, bytes } = framed;
    if (needsDecoration(this.decorate)) {
      const timestamp = this.formatTime(at);
      parts = parts.map((part) => decorateLines(part, stream, timestamp, this.decorate));
      bytes = parts.reduce((sum, part) => sum + part.length, 0);
    }
    for (const { writer, counts } of targets) {
      writer.enqueue({ parts, bytes, counter: counts ? this.ctx.counter : null });
    }
    if (listener !== null) this.emitLines(listener, stream, framed.parts, at);
  }

  private emitLines(listener: (event: LogLineEvent) => void, stream: LogStream, parts: Buffer[], at: number): void {
    const { appName: app, namespace, id, instance } = this.ctx.route;
    for (const part of parts) {
      for (const line of splitLines(part)) {
        listener({ app, namespace, id, instance, stream, line: line.toString('utf8'), at });
      }
    }
  }

  /** Pauses `source` until every file of `stream` has room again (the app blocks on its pipe). */
  private holdWhileBehind(stream: LogStream, source: Readable): void {
    if (this.held.has(source)) return;
    const behind = this.targets[stream].find((target) => target.writer.isBehind());
    if (behind === undefined) return;
    this.held.add(source);
    source.pause();
    behind.writer.onDrain(() => {
      this.held.delete(source);
      if (this.closed) return;
      source.resume();
      this.holdWhileBehind(stream, source);
    });
  }

  private async finish(): Promise<void> {
    await waitAtMost(Promise.all([...this.sources.values()].map((s) => s.ended)), this.ctx.closeWaitMs);
    // A pipe still open after the wait (a grandchild holds it) is drained into nothing, so
    // that process is never left blocked on a pipe nobody reads.
    for (const [source, { detach }] of this.sources) {
      detach();
      source.resume();
    }
    this.sources.clear();
    for (const stream of ['out', 'err'] as const) {
      const rest = this.framers[stream].flush();
      if (rest !== null) this.deliver(stream, rest);
    }
    this.closed = true;
    await Promise.all([...this.writers].map((writer) => this.ctx.release(writer)));
    this.ctx.onClosed();
  }
}

async function waitAtMost(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
    timer.unref();
  });
  await Promise.race([promise, timeout]);
  clearTimeout(timer);
}
