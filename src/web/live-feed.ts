import { TendClient } from '../api/client.js';
import type { InstanceInfo } from '../core/instance-info.js';
import type { LogLine } from '../api/types.js';
import type { MetricsEvent } from '../api/web-types.js';
import type { SseClient, SseHub } from './sse.js';

/** Lines of backlog a page gets when it selects an app. */
export const LOG_BACKLOG_LINES = 50;

/**
 * Bridges the daemon's event stream to the pages' SSE streams. The server runs inside the
 * daemon but may not import it (DESIGN.md §2), so it is a client of its own daemon's socket.
 *
 * Work is done only while pages are open, and then only when something changes: the first page
 * opens a `live` connection subscribed to `instance` and `metrics` events, the last one closes
 * it (which ends the daemon's pushing). The daemon sends `metrics` after a sampler tick only
 * with the figures that changed, so idle apps cost neither side anything; this feed passes
 * them on as they are, encoded once for all pages. Each page's first frame is the whole list,
 * read on the same connection, so no event can overtake it.
 */
export class LiveFeed {
  /** For the pages' requests (history, describe, actions, /metrics). */
  private main: TendClient | null = null;
  private live: Promise<TendClient> | null = null;
  /** A separate connection, so closing it ends the daemon's log broadcasting to us. */
  private logs: Promise<TendClient> | null = null;

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
  }

  stop(): void {
    this.closeLive();
    this.closeLogs();
    this.main?.close();
    this.main = null;
  }

  /** Called by the hub whenever a page connects or leaves. */
  clientsChanged(): void {
    if (this.hub.size > 0 && !this.live) {
      const live = this.openLive();
      // A failed connect is tried again with the next page, not kept for good.
      live.catch(() => this.live === live && (this.live = null));
      this.live = live;
    } else if (this.hub.size === 0) this.closeLive();
    const wantsLogs = [...this.hub.all()].some((c) => c.app !== null);
    if (wantsLogs && !this.logs) this.logs = this.openLogs();
    else if (!wantsLogs) this.closeLogs();
  }

  /** The first frames of a new stream: the whole table, then the selected app's recent lines. */
  async greet(client: SseClient): Promise<void> {
    const live = this.live ? await this.live : this.client;
    this.hub.sendTo(client, 'processes', { at: Date.now(), list: await live.list() });
    if (client.app === null) return;
    const tails = await this.client.logsTail([client.app], LOG_BACKLOG_LINES).catch(() => []);
    for (const tail of tails) {
      const lines = [...tail.out.map((line) => ({ stream: 'out', line })), ...tail.err.map((line) => ({ stream: 'err', line }))];
      this.hub.sendTo(client, 'backlog', { app: tail.name, id: tail.id, instance: tail.instance, lines });
    }
  }

  private async openLive(): Promise<TendClient> {
    const client = await TendClient.connect({ home: this.home, autoStart: false });
    await client.subscribe(['instance', 'metrics'], (event: string, data: unknown) => {
      if (event === 'instance') this.hub.broadcast('instance', data as InstanceInfo);
      else if (event === 'metrics') this.forwardMetrics(client, data as MetricsEvent);
    });
    return client;
  }

  private forwardMetrics(client: TendClient, event: MetricsEvent): void {
    if (!event.listChanged) {
      this.hub.broadcast('metrics', event);
      return;
    }
    // Rows came or went: the pages take the whole list (rare: starts, deletes, scaling).
    client.list().then(
      (list) => this.hub.broadcast('processes', { at: event.at, list }),
      () => undefined, // The daemon is going away; its shutdown stops this feed.
    );
  }

  private closeLive(): void {
    const pending = this.live;
    this.live = null;
    pending?.then((client) => client.close()).catch(() => undefined);
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
