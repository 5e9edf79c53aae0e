import { type Socket, createConnection } from 'node:net';
import { systemClock } from '../core/clock.js';
import { TendError, fromErrorPayload } from '../core/errors.js';
import { type FrameStream, NdjsonDecoder, encodeFrame } from './ndjson.js';
import type { EventArgs, Method, ParamsArgs, ResultOf } from './methods.js';
import { type HelloResult, PROTOCOL_VERSION, type ServerFrame, isEventFrame } from './protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** How long the daemon may stay silent while a request waits (see IpcClient's watchdog). */
export const DEFAULT_DEADLINE_MS = 20_000;

export interface IpcClientOptions {
  clientName?: string;
  deadlineMs?: number;
  /**
   * Return once connected, the hello sent but not yet answered (see IpcClient.greeting): the
   * first request then goes out with it instead of a round trip later. The daemon answers the
   * frames of a connection in order, so the hello's answer arrives first; a refused hello
   * (another protocol) also fails the requests sent behind it, none of which ran. The caller
   * must await `greeting` (a refusal is otherwise an unhandled rejection) and report its error
   * before theirs.
   */
  pipelineHello?: boolean;
}

/** One connection to the daemon: promise-based requests plus pushed events. */
export class IpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Requests whose result is wanted as a stream of bytes: how their successful reply frame begins. */
  private readonly streamedReplies = new Map<number, { head: string; write: (bytes: Buffer) => void; resolve: () => void }>();
  private readonly eventListeners = new Set<(...args: EventArgs) => void>();
  private closedError: Error | null = null;
  private lastHeardAt = systemClock.monotonicMs();
  private watchdog: NodeJS.Timeout | null = null;
  hello: HelloResult | null = null;
  /** The daemon's answer to hello, set by `connect`: settled before it returns unless `pipelineHello`. */
  greeting!: Promise<HelloResult>;

  private constructor(
    private readonly socket: Socket,
    private readonly deadlineMs: number,
  ) {
    const decoder = new NdjsonDecoder(undefined, (start) => this.claimStream(start));
    socket.on('data', (chunk: Buffer) => {
      this.lastHeardAt = systemClock.monotonicMs();
      for (const frame of decoder.push(chunk)) {
        if (frame.kind === 'value') this.receive(frame.value as ServerFrame);
        else this.abort(new TendError('REPLY_TOO_LARGE', `the daemon sent a reply the client cannot read (${frame.reason})`));
      }
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new TendError('DAEMON_UNREACHABLE', 'the connection to the daemon closed')));
  }

  /** Connects and says hello; rejects with the socket error (ENOENT, ECONNREFUSED...) as cause. */
  static async connect(socketPath: string, options: IpcClientOptions = {}): Promise<IpcClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const candidate = createConnection(socketPath);
      candidate.once('connect', () => {
        candidate.removeListener('error', reject);
        resolve(candidate);
      });
      candidate.once('error', reject);
    });
    const client = new IpcClient(socket, options.deadlineMs ?? DEFAULT_DEADLINE_MS);
    client.greeting = client.request('hello', { protocol: PROTOCOL_VERSION, client: options.clientName ?? 'tend' }).then((hello) => {
      client.hello = hello;
      return hello;
    });
    if (options.pipelineHello) return client;
    try {
      await client.greeting;
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  /** One request of the protocol: its params and reply are typed by the method (see methods.ts). */
  request<M extends Method>(method: M, ...params: ParamsArgs<M>): Promise<ResultOf<M>> {
    return this.send(method, params[0]) as Promise<ResultOf<M>>;
  }

  /** A request by any name, its reply unchecked: for tests of the transport itself. */
  send(method: string, params?: unknown): Promise<unknown> {
    return new Promise<unknown>((resolve, reject) => this.dispatch(method, params, { resolve, reject }));
  }

  /** Writes a request, its reply awaited by `pending`; its id, or null when the connection is gone. */
  private dispatch(method: string, params: unknown, pending: Pending): number | null {
    if (this.closedError) {
      pending.reject(this.closedError);
      return null;
    }
    const id = this.nextId++;
    this.pending.set(id, pending);
    this.socket.write(encodeFrame({ id, method, params }));
    this.armWatchdog();
    return id;
  }

  /**
   * A request whose result is wanted as the JSON text the daemon encoded, handed to `write`
   * piece by piece as it arrives: `tend jlist` prints ~1 MB for 1,000 apps without joining,
   * decoding, parsing or encoding it again (each a fresh megabyte of memory, ~15 ms of a CLI
   * run together). Resolves once all of it was written; an error reply rejects as `request`
   * does, before anything was written.
   */
  requestStream(method: Method, write: (bytes: Buffer) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let id: number | null = null;
      const forget = (): void => {
        if (id !== null) this.streamedReplies.delete(id);
      };
      id = this.dispatch(method, undefined, {
        // A reply the stream did not take (an error, or another encoding) comes here parsed.
        resolve: (result) => {
          forget();
          write(Buffer.from(JSON.stringify(result)));
          resolve();
        },
        reject: (error) => {
          forget();
          reject(error);
        },
      });
      if (id !== null) this.streamedReplies.set(id, { head: `{"id":${id},"ok":true,"result":`, write, resolve });
    });
  }

  /** Takes a successful reply to requestStream as a stream of its result's bytes. */
  private claimStream(start: string): FrameStream | null {
    for (const [id, wanted] of this.streamedReplies) {
      if (!start.startsWith(wanted.head)) continue;
      this.streamedReplies.delete(id);
      return {
        skip: wanted.head.length,
        trim: 1,
        write: wanted.write,
        end: () => {
          this.pending.delete(id);
          wanted.resolve();
        },
      };
    }
    return null;
  }

  /**
   * Every request has a deadline without cutting short a long one (a reload may rightly take
   * minutes): while a request waits, a daemon silent for half the deadline is pinged, and one
   * that still says nothing at the deadline is given up on with DAEMON_UNREACHABLE.
   */
  private armWatchdog(): void {
    if (this.watchdog !== null) return;
    this.lastHeardAt = systemClock.monotonicMs();
    this.watchdog = setInterval(() => this.checkSilence(), Math.max(10, this.deadlineMs / 4));
    this.watchdog.unref();
  }

  private checkSilence(): void {
    if (this.pending.size === 0) {
      if (this.watchdog !== null) clearInterval(this.watchdog);
      this.watchdog = null;
      return;
    }
    const silentMs = systemClock.monotonicMs() - this.lastHeardAt;
    if (silentMs > this.deadlineMs) {
      this.abort(new TendError('DAEMON_UNREACHABLE', `the tend daemon did not answer within ${(this.deadlineMs / 1000).toFixed(1)} s (it may be stuck or overloaded)`));
    } else if (silentMs > this.deadlineMs / 2 && this.socket.writable) {
      // Its reply (any frame) proves the daemon alive; the id matches no request.
      this.socket.write(encodeFrame({ id: this.nextId++, method: 'ping' }));
    }
  }

  private abort(error: Error): void {
    this.fail(error);
    this.socket.destroy();
  }

  onEvent(listener: (...args: EventArgs) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /** Resolves when the connection closes (for streaming commands). */
  closed(): Promise<void> {
    if (this.closedError) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.end();
    this.socket.unref();
  }

  private receive(frame: ServerFrame): void {
    if (isEventFrame(frame)) {
      for (const listener of this.eventListeners) listener(...([frame.event, frame.data] as EventArgs));
      return;
    }
    if (frame.id === null) return;
    const pending = this.pending.get(frame.id);
    if (!pending) return;
    this.pending.delete(frame.id);
    if (frame.ok) pending.resolve(frame.result);
    else pending.reject(fromErrorPayload(frame.error));
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    if (this.watchdog !== null) clearInterval(this.watchdog);
    this.watchdog = null;
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
