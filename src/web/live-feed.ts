import { TendClient } from '../api/client.js';
import type { InstanceInfo } from '../core/instance-info.js';
import type { LogLine } from '../api/types.js';
import type { SseClient, SseHub } from './sse.js';

/** How often open pages get a fresh process list with cpu and memory (the sampler ticks at 1 s). */
export const METRICS_TICK_MS = 2_000;
/** Lines of backlog a page gets when it selects an app. */
export const LOG_BACKLOG_LINES = 50;

/**
 * Bridges the daemon's event stream to the pages' SSE streams. The server runs inside the
 * daemon but may not import it (DESIGN.md §2), so it is a client of its own daemon's socket.
 * Work is done only while pages are open: the metrics tick and the log subscription start with
 * the first stream and stop with the last, so an idle dashboard costs the daemon nothing.
 */
export class LiveFeed {
  private main: TendClient | null = null;
  /** A separate connection, so closing it ends the daemon's log broadcasting to us. */
  private logs: Promise<TendClient> | null = null;
  private tick: NodeJS.Timeout | null = null;

  constructor(
    private readonly home: string,
    private readonly hub: SseHub,
  ) {}

  get client(): TendClient {
    if (!this.main) throw new Error('the live feed is not started');
    return this.main;
  }

  async start(): Promise<void> {
    this.main = await TendClient.connect({ home: this.home, autoStart: false });
    await this.main.subscribe(['instance'], (event: string, data: unknown) => {
      if (event === 'instance' && this.hub.size > 0) this.hub.broadcast('instance', data as InstanceInfo);
    });
  }

  stop(): void {
    if (this.tick) clearInterval(this.tick);
    this.tick = null;
    this.closeLogs();
    this.main?.close();
    this.main = null;
  }

  /** Called by the hub whenever a page connects or leaves. */
  clientsChanged(): void {
    if (this.hub.size > 0 && !this.tick) {
      this.tick = setInterval(() => void this.sendProcesses(), METRICS_TICK_MS).unref();
    } else if (this.hub.size === 0 && this.tick) {
      clearInterval(this.tick);
      this.tick = null;
    }
    const wantsLogs = [...this.hub.all()].some((c) => c.app !== null);
    if (wantsLogs && !this.logs) this.logs = this.openLogs();
    else if (!wantsLogs) this.closeLogs();
  }

  /** The first frames of a new stream: the whole table, then the selected app's recent lines. */
  async greet(client: SseClient): Promise<void> {
    this.hub.sendTo(client, 'processes', { at: Date.now(), list: await this.client.list() });
    if (client.app === null) return;
    const tails = await this.client.logsTail([client.app], LOG_BACKLOG_LINES).catch(() => []);
    for (const tail of tails) {
      const lines = [...tail.out.map((line) => ({ stream: 'out', line })), ...tail.err.map((line) => ({ stream: 'err', line }))];
      this.hub.sendTo(client, 'backlog', { app: tail.name, id: tail.id, instance: tail.instance, lines });
    }
  }

  private async sendProcesses(): Promise<void> {
    try {
      this.hub.broadcast('processes', { at: Date.now(), list: await this.client.list() });
    } catch {
      // The daemon is going away; its shutdown stops this feed.
    }
  }

  private async openLogs(): Promise<TendClient> {
    const client = await TendClient.connect({ home: this.home, autoStart: false });
    await client.subscribe(['log'], (event: string, data: unknown) => {
      if (event !== 'log') return;
      const line = data as LogLine;
      this.hub.broadcast('log', line, (c) => c.app === line.app);
    });
    return client;
  }

  private closeLogs(): void {
    const pending = this.logs;
    this.logs = null;
    pending?.then((client) => client.close()).catch(() => undefined);
  }
}
