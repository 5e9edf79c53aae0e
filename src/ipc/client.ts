import { type Socket, createConnection } from 'node:net';
import { TendError, fromErrorPayload } from '../core/errors.js';
import { NdjsonDecoder, encodeFrame } from './ndjson.js';
import { type HelloResult, PROTOCOL_VERSION, type ServerFrame, isEventFrame } from './protocol.js';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** One connection to the daemon: promise-based requests plus pushed events. */
export class IpcClient {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly eventListeners = new Set<(event: string, data: unknown) => void>();
  private closedError: Error | null = null;
  hello: HelloResult | null = null;

  private constructor(private readonly socket: Socket) {
    const decoder = new NdjsonDecoder();
    socket.on('data', (chunk: Buffer) => {
      for (const frame of decoder.push(chunk)) {
        if (frame.kind === 'value') this.receive(frame.value as ServerFrame);
      }
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new TendError('DAEMON_UNREACHABLE', 'the connection to the daemon closed')));
  }

  /** Connects and says hello; rejects with the socket error (ENOENT, ECONNREFUSED...) as cause. */
  static async connect(socketPath: string, clientName = 'tend'): Promise<IpcClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const candidate = createConnection(socketPath);
      candidate.once('connect', () => {
        candidate.removeListener('error', reject);
        resolve(candidate);
      });
      candidate.once('error', reject);
    });
    const client = new IpcClient(socket);
    try {
      client.hello = (await client.request('hello', { protocol: PROTOCOL_VERSION, client: clientName })) as HelloResult;
    } catch (error) {
      client.close();
      throw error;
    }
    return client;
  }

  request<T = unknown>(method: string, params?: unknown): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.write(encodeFrame({ id, method, params }));
    });
  }

  onEvent(listener: (event: string, data: unknown) => void): () => void {
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
      for (const listener of this.eventListeners) listener(frame.event, frame.data);
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
    for (const pending of this.pending.values()) pending.reject(error);
    this.pending.clear();
  }
}
