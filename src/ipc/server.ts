import { chmodSync, rmSync, statSync } from 'node:fs';
import { type Server, type Socket, createServer } from 'node:net';
import { TendError, toErrorPayload } from '../core/errors.js';
import { NdjsonDecoder, encodeFrame } from './ndjson.js';
import { type HelloResult, PROTOCOL_VERSION, type ReplyFrame, parseRequestFrame } from './protocol.js';

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

export interface IpcServerOptions {
  /** The only methods a client may call, by name. */
  handlers: ReadonlyMap<string, Handler>;
  hello: () => HelloResult;
  onConnectionClosed?: (connection: Connection) => void;
  onProtocolError?: (reason: string) => void;
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
    await new Promise<void>((resolve, reject) => {
      listener.once('error', reject);
      listener.listen(path, () => {
        listener.off('error', reject);
        resolve();
      });
    });
    chmodSync(path, 0o600);
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

  broadcast(event: string, data: unknown): void {
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
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.kind === 'error') this.replyProtocolError(connection, null, 'PROTOCOL_ERROR', frame.reason);
        else void this.dispatch(connection, frame.value);
      }
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
    connection.write(reply);
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

class ConnectionImpl implements Connection {
  readonly subscriptions = new Set<string>();
  greeted = false;
  droppedEvents = 0;

  constructor(
    readonly id: number,
    private readonly socket: Socket,
  ) {}

  write(frame: unknown): void {
    if (!this.socket.writable) return;
    this.socket.write(encodeFrame(frame));
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
