import type { IncomingMessage, ServerResponse } from 'node:http';

/** Comment lines keep proxies and the browser from timing the stream out. */
export const SSE_HEARTBEAT_MS = 15_000;
/** Tells EventSource how long to wait before reconnecting after the stream drops. */
export const SSE_RETRY_MS = 2_000;
/** A client this far behind is cut off; EventSource reconnects and gets a fresh snapshot. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

/** One event in the text/event-stream format; JSON holds no raw newline, so `data` is one line. */
export function encodeEvent(id: number, event: string, data: unknown): string {
  return `id: ${id}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

export class SseClient {
  constructor(
    private readonly res: ServerResponse,
    /** The app whose log lines this client wants, if any. */
    readonly app: string | null,
  ) {}

  /** Writes one encoded event (see encodeEvent). */
  send(frame: string): void {
    if (this.res.writableLength > MAX_BUFFERED_BYTES) {
      this.res.destroy();
      return;
    }
    this.res.write(frame);
  }

  comment(text: string): void {
    this.res.write(`: ${text}\n\n`);
  }

  end(): void {
    this.res.end();
  }
}

/** The open event streams. Every page has exactly one, whatever it shows. */
export class SseHub {
  private readonly clients = new Set<SseClient>();
  private heartbeat: NodeJS.Timeout | null = null;
  private nextId = 1;

  /** `onChange` runs whenever a stream opens or closes, so the feed can start or stop work. */
  constructor(private readonly onChange: () => void) {}

  get size(): number {
    return this.clients.size;
  }

  all(): ReadonlySet<SseClient> {
    return this.clients;
  }

  open(req: IncomingMessage, res: ServerResponse, app: string | null): SseClient {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // Stops nginx and similar from buffering the stream.
      'X-Accel-Buffering': 'no',
    });
    res.write(`retry: ${SSE_RETRY_MS}\n\n`);
    const client = new SseClient(res, app);
    this.clients.add(client);
    const close = (): void => {
      if (!this.clients.delete(client)) return;
      this.updateHeartbeat();
      this.onChange();
    };
    req.on('close', close);
    res.on('close', close);
    this.updateHeartbeat();
    this.onChange();
    return client;
  }

  /** Sends to every client, or to those `accept` picks; the event is encoded once for all. */
  broadcast(event: string, data: unknown, accept?: (client: SseClient) => boolean): void {
    let frame: string | null = null;
    const id = this.nextId++;
    for (const client of this.clients) {
      if (accept && !accept(client)) continue;
      frame ??= encodeEvent(id, event, data);
      client.send(frame);
    }
  }

  sendTo(client: SseClient, event: string, data: unknown): void {
    client.send(encodeEvent(this.nextId++, event, data));
  }

  closeAll(): void {
    for (const client of this.clients) client.end();
    this.clients.clear();
    this.updateHeartbeat();
  }

  private updateHeartbeat(): void {
    if (this.clients.size > 0 && !this.heartbeat) {
      // unref: an idle stream must not keep the daemon alive on its own.
      this.heartbeat = setInterval(() => {
        for (const client of this.clients) client.comment('heartbeat');
      }, SSE_HEARTBEAT_MS).unref();
    } else if (this.clients.size === 0 && this.heartbeat) {
      clearInterval(this.heartbeat);
      this.heartbeat = null;
    }
  }
}
