import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WebAddress, WebListenOptions } from '../core/web.js';
import { authenticate } from './auth.js';
import { sendFavicon } from './favicon.js';
import { HttpError, sendError, sendJson, setSecurityHeaders } from './http-util.js';
import { LiveFeed } from './live-feed.js';
import { buildRoutes } from './routes.js';
import type { Router } from './router.js';
import { SseHub } from './sse.js';
import { StaticAssets } from './static-assets.js';

/**
 * Connections the dashboard keeps at once; more are closed as they arrive. Any local user can
 * reach a loopback port without the token, so this bounds the descriptors they can take from
 * the daemon, whose control socket and apps need their own.
 */
export const MAX_WEB_CONNECTIONS = 64;
/** A request's headers must arrive within this; a silent connection is closed. */
const HEADERS_TIMEOUT_MS = 10_000;
const REQUEST_TIMEOUT_MS = 30_000;
const KEEP_ALIVE_TIMEOUT_MS = 5_000;
/**
 * A connection with no traffic either way for this long is closed: one that never sends a
 * request holds a slot otherwise. Event streams write a heartbeat every 15 s, so they stay.
 */
const IDLE_SOCKET_TIMEOUT_MS = 40_000;

export interface WebServerOptions {
  /** TEND_HOME of the daemon this server runs in; the feed connects to its socket. */
  home: string;
}

interface Running {
  server: Server;
  feed: LiveFeed;
  hub: SseHub;
  address: WebAddress;
}

/**
 * The dashboard and /metrics over node:http. It fits the daemon's WebController interface by
 * shape (src/web may not import src/daemon); src/bin hands it to the daemon.
 */
export class WebServer {
  private running: Running | null = null;

  constructor(private readonly options: WebServerOptions) {}

  status(): WebAddress | null {
    return this.running?.address ?? null;
  }

  async start({ port, host, token }: WebListenOptions): Promise<WebAddress> {
    if (this.running) throw new Error(`the web server already listens on ${this.running.address.url}`);
    let feed: LiveFeed | null = null;
    const hub = new SseHub(() => feed?.clientsChanged());
    feed = new LiveFeed(this.options.home, hub);
    await feed.start();
    const routes = buildRoutes({ token, feed, hub, assets: new StaticAssets() });
    const server = createServer(
      { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS, connectionsCheckingInterval: 2_000 },
      (req, res) => void handle(req, res, routes, token),
    );
    server.maxConnections = MAX_WEB_CONNECTIONS;
    server.setTimeout(IDLE_SOCKET_TIMEOUT_MS);
    try {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => resolve());
      });
    } catch (error) {
      feed.stop();
      throw error;
    }
    const bound = (server.address() as AddressInfo).port;
    const address = { host, port: bound, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/` };
    this.running = { server, feed, hub, address };
    return address;
  }

  async stop(): Promise<void> {
    const running = this.running;
    if (!running) return;
    this.running = null;
    running.hub.closeAll();
    running.feed.stop();
    const closed = new Promise<void>((resolve) => running.server.close(() => resolve()));
    // Keep-alive sockets would hold close() open until they idle out.
    running.server.closeAllConnections();
    await closed;
  }
}

async function handle(req: IncomingMessage, res: ServerResponse, routes: Router, token: string): Promise<void> {
  setSecurityHeaders(res);
  try {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/favicon.ico' && (req.method === 'GET' || req.method === 'HEAD')) {
      sendFavicon(req, res);
      return;
    }
    const auth = authenticate(req, url, token);
    if (!auth) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="tend"');
      sendJson(res, 401, { error: { code: 'UNAUTHORIZED', message: 'open the URL `tend web` printed, or send Authorization: Bearer <token>' } });
      return;
    }
    const match = routes.match(req.method ?? 'GET', url.pathname);
    if (match === null) throw new HttpError(404, `no route for ${url.pathname}`);
    if (match === 'method-not-allowed') throw new HttpError(405, `${req.method ?? ''} is not allowed on ${url.pathname}`);
    await match.handler({ req, res, url, params: match.params, auth });
  } catch (error) {
    sendError(res, error);
  }
}
