import { rmSync, statSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { TendError, toErrorPayload } from '../core/errors.js';
import type { EventName, EventPayloads } from './methods.js';
import { EncodedJson } from './encoded-json.js';
import { NdjsonDecoder, encodeFrame } from './ndjson.js';
import { type HelloResult, MAX_FRAME_BYTES, PROTOCOL_VERSION, type ReplyFrame, parseRequestFrame } from './protocol.js';

/** A client connection as handlers see it. */
export interface Connection {
  readonly id: number;
  /** Event names this connection asked for ('*' = all). */
  readonly subscriptions: Set<string>;
  sendEvent(event: string, data: unknown): void;
  close(): void;
}

export type Handler = (params: unknown, connection: Connection) => Promise<unknown> | unknown;

/** A slow reader may hold this much unsent output before its events are dropped. */
const MAX_BUFFERED_EVENT_BYTES = 16 * 1024 * 1024;
/**
 * Past this much unsent output the daemon stops reading a connection's requests until the
 * client reads: a client that sends and never reads costs a bounded amount of memory.
 */
const PAUSE_READING_BYTES = 1024 * 1024;
/** Requests of one connection being answered at once, and read but waiting for their turn. */
const MAX_IN_FLIGHT = 64;
const MAX_BACKLOG_FRAMES = 4096;
/** Unsent output past which a connection is closed (the event cap is below it). */
const MAX_UNSENT_BYTES = 32 * 1024 * 1024;
/** Connections the control socket keeps at once; more are closed as they arrive. */
export const DEFAULT_MAX_CONNECTIONS = 256;

export interface IpcServerOptions {
  /** The only methods a client may call, by name. */
  handlers: ReadonlyMap<string, Handler>;
  hello: () => HelloResult;
  onConnectionClosed?: (connection: Connection) => void;
  onProtocolError?: (reason: string) => void;
  /** Connections kept at once (DEFAULT_MAX_CONNECTIONS): each costs the daemon a descriptor. */
  maxConnections?: number;
}

/** NDJSON request/reply server with an event stream per connection (DESIGN.md §5). */
export class IpcServer {
  private listener: Server | null = null;
  /** Inode of the socket file this server created, to tell when it was removed or replaced. */
  private socketIno: number | null = null;
  private readonly connections = new Set<ConnectionImpl>();
  private nextConnectionId = 1;

  constructor(private readonly options: IpcServerOptions) {}

  /**
   * Listens on a new socket file at `path` (0600), replacing whatever file is there: the caller
   * holds the daemon lock, so one left there is stale. Called again after the file was removed,
   * it swaps the listener and keeps every open connection (log followers, dashboards).
   */
  async listen(path: string): Promise<void> {
    // Closed first: libuv unlinks a listening socket's path as it closes it, which would
    // remove the new socket file once it sits at the same path.
    this.listener?.close();
    this.listener = null;
    rmSync(path, { force: true });
    const listener = createServer((socket) => this.accept(socket));
    listener.maxConnections = this.options.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
    await listenPrivately(listener, path);
    this.listener = listener;
    this.socketIno = statSync(path).ino;
  }

  /** True while the socket file at `path` is still the one this server listens on. */
  isListeningAt(path: string): boolean {
    try {
      return this.listener !== null && statSync(path).ino === this.socketIno;
    } catch {
      return false;
    }
  }

  /** Sends an event of the protocol (methods.ts says its payload) to the connections subscribed to it. */
  broadcast<E extends EventName>(event: E, data: EventPayloads[E]): void {
    for (const connection of this.connections) {
      if (connection.subscriptions.has(event) || connection.subscriptions.has('*')) connection.sendEvent(event, data);
    }
  }

  hasSubscribers(event: string): boolean {
    for (const connection of this.connections) {
      if (connection.subscriptions.has(event) || connection.subscriptions.has('*')) return true;
    }
    return false;
  }

  closeAll(): void {
    for (const connection of this.connections) connection.close();
    this.listener?.close();
  }

  private accept(socket: Socket): void {
    const connection = new ConnectionImpl(this.nextConnectionId++, socket);
    this.connections.add(connection);
    const decoder = new NdjsonDecoder();
    // Requests of one connection wait here while it has MAX_IN_FLIGHT unanswered or its replies
    // pile up unsent: one 64 KiB chunk holds thousands of requests, and answering all of them at
    // once built ~100 MB of replies for a client that never reads.
    const backlog: unknown[] = [];
    let inFlight = 0;
    const pump = (): void => {
      while (backlog.length > 0 && inFlight < MAX_IN_FLIGHT && !socket.destroyed && socket.writableLength <= PAUSE_READING_BYTES) {
        const frame = backlog.shift() as { kind: 'error'; reason: string } | { kind: 'value'; value: unknown };
        if (frame.kind === 'error') {
          this.replyProtocolError(connection, null, 'PROTOCOL_ERROR', frame.reason);
          continue;
        }
        inFlight += 1;
        void this.dispatch(connection, frame.value).finally(() => {
          inFlight -= 1;
          pump();
        });
      }
      if (socket.isPaused() && backlog.length < MAX_BACKLOG_FRAMES / 2 && socket.writableLength <= PAUSE_READING_BYTES) socket.resume();
    };
    socket.on('drain', () => {
      socket.resume();
      pump();
    });
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) backlog.push(frame);
      // Requests not yet answered are held here, not in the kernel: stop reading more of them.
      if (backlog.length > MAX_BACKLOG_FRAMES) socket.pause();
      pump();
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.connections.delete(connection);
      this.options.onConnectionClosed?.(connection);
    });
  }

  private async dispatch(connection: ConnectionImpl, value: unknown): Promise<void> {
    const request = parseRequestFrame(value);
    if (typeof request === 'string') {
      this.replyProtocolError(connection, null, 'PROTOCOL_ERROR', request);
      return;
    }
    let reply: ReplyFrame;
    try {
      reply = { id: request.id, ok: true, result: await this.run(connection, request.method, request.params) };
    } catch (error) {
      reply = { id: request.id, ok: false, error: toErrorPayload(error) };
    }
    connection.reply(reply);
  }

  private async run(connection: ConnectionImpl, method: string, params: unknown): Promise<unknown> {
    if (method === 'hello') {
      const protocol = (params as { protocol?: unknown } | undefined)?.protocol;
      if (protocol !== PROTOCOL_VERSION) {
        throw new TendError('PROTOCOL_MISMATCH', `the daemon speaks protocol ${PROTOCOL_VERSION}, the client ${String(protocol)}; run \`tend update\``);
      }
      connection.greeted = true;
      return this.options.hello();
    }
    if (!connection.greeted) throw new TendError('PROTOCOL_ERROR', 'send "hello" with the protocol version first');
    // A Map lookup: a name like "__proto__" or "constructor" finds nothing.
    const handler = this.options.handlers.get(method);
    if (!handler) throw new TendError('UNKNOWN_METHOD', `unknown method "${method.slice(0, 64)}"`);
    return handler(params, connection);
  }

  private replyProtocolError(connection: ConnectionImpl, id: number | null, code: 'PROTOCOL_ERROR', message: string): void {
    this.options.onProtocolError?.(message);
    connection.write({ id, ok: false, error: { code, message } });
  }
}

/**
 * Binds a Unix socket born 0600: a socket chmod'ed after its bind is open to everyone for a
 * moment, and a client checking its mode then would rightly refuse it. Node binds a path
 * inside `listen()` itself, so the umask set around that call is the one the bind sees.
 */
export function listenPrivately(server: Server, path: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    const umask = process.umask(0o177);
    try {
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    } finally {
      process.umask(umask);
    }
  });
}

class ConnectionImpl implements Connection {
  readonly subscriptions = new Set<string>();
  greeted = false;
  droppedEvents = 0;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
  ) {}

  write(frame: unknown): void {
    this.writeText(encodeFrame(frame));
  }

  /**
   * A reply is one frame, and a frame over the cap would be skipped by the client's decoder,
   * leaving its request unanswered forever: such a reply becomes an error naming its size.
   */
  reply(frame: ReplyFrame): void {
    if (frame.ok && frame.result instanceof EncodedJson) {
      this.replyEncoded(frame.id, frame.result);
      return;
    }
    const text = encodeFrame(frame);
    const bytes = Buffer.byteLength(text);
    if (bytes <= MAX_FRAME_BYTES) {
      this.writeText(text);
      return;
    }
    this.replyTooLarge(frame.id, bytes);
  }

  private replyEncoded(id: number | null, result: EncodedJson<unknown>): void {
    const head = `{"id":${JSON.stringify(id)},"ok":true,"result":`;
    const { json } = result;
    if (typeof json === 'string') {
      result.written();
      const text = `${head}${json}}\n`;
      const bytes = Buffer.byteLength(text);
      if (bytes <= MAX_FRAME_BYTES) this.writeText(text);
      else this.replyTooLarge(id, bytes);
      return;
    }
    const bytes = head.length + json.length + 2;
    if (bytes > MAX_FRAME_BYTES || !this.socket.writable) {
      result.written();
      if (bytes > MAX_FRAME_BYTES) this.replyTooLarge(id, bytes);
      return;
    }
    // One writev; the buffer is handed back once the socket is done with it (or has failed).
    this.socket.cork();
    this.socket.write(head);
    this.socket.write(json, () => result.written());
    this.socket.write('}\n');
    this.socket.uncork();
    this.limitUnsent();
  }

  private replyTooLarge(id: number | null, bytes: number): void {
    const mib = (bytes / 1024 / 1024).toFixed(1);
    const message = `the reply is ${mib} MiB, over the ${MAX_FRAME_BYTES / 1024 / 1024} MiB frame cap; ask for fewer targets or lines`;
    this.write({ id, ok: false, error: { code: 'REPLY_TOO_LARGE', message } });
  }

  private writeText(text: string): void {
    if (!this.socket.writable) return;
    this.socket.write(text);
    this.limitUnsent();
  }

  private limitUnsent(): void {
    const unsent = this.socket.writableLength;
    // A client that sends and never reads: its requests wait in the kernel ('drain' resumes),
    // and one that still piles up replies is cut off.
    if (unsent > MAX_UNSENT_BYTES) this.socket.destroy();
    else if (unsent > PAUSE_READING_BYTES) this.socket.pause();
  }

  sendEvent(event: string, data: unknown): void {
    if (this.socket.writableLength > MAX_BUFFERED_EVENT_BYTES) {
      this.droppedEvents += 1;
      return;
    }
    if (this.droppedEvents > 0) {
      this.write({ event: 'dropped', data: { count: this.droppedEvents } });
      this.droppedEvents = 0;
    }
    this.write({ event, data });
  }

  close(): void {
    this.socket.end();
  }
}
