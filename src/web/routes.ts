import type { TendClient } from '../api/client.js';
import { type AuthVia, passesCsrfCheck, tokenCookie } from './auth.js';
import { HttpError, readJsonBody, sendJson, sendText } from './http-util.js';
import type { LiveFeed } from './live-feed.js';
import { type RequestContext, Router } from './router.js';
import type { SseHub } from './sse.js';
import type { StaticAssets } from './static-assets.js';

export type ActionName = 'restart' | 'reload' | 'stop' | 'start' | 'delete';

/** The only actions a page may ask for; a Map, so no name the client sends reaches a prototype. */
const ACTIONS = new Map<string, (client: TendClient, targets: string[]) => Promise<unknown>>([
  ['restart', (c, t) => c.restart(t)],
  ['reload', (c, t) => c.reload(t)],
  ['stop', (c, t) => c.stop(t)],
  // Start of a registered app: restart brings stopped instances up with their stored spec.
  ['start', (c, t) => c.restart(t)],
  ['delete', (c, t) => c.delete(t)],
]);

export interface RouteDeps {
  token: string;
  feed: LiveFeed;
  hub: SseHub;
  assets: StaticAssets;
}

export function buildRoutes(deps: RouteDeps): Router {
  const client = (): TendClient => deps.feed.client;
  return new Router()
    .add('GET', '/', (ctx) => servePage(ctx, deps))
    .add('GET', '/assets/:file', (ctx) => deps.assets.serve(ctx.req, ctx.res, ctx.params.file ?? ''))
    .add('GET', '/api/processes', async (ctx) => sendJson(ctx.res, 200, await client().list()))
    .add('GET', '/api/events', async (ctx) => {
      const app = ctx.url.searchParams.get('app');
      const stream = deps.hub.open(ctx.req, ctx.res, app && app.length > 0 ? app : null);
      await deps.feed.greet(stream);
    })
    .add('GET', '/api/history/:id', async (ctx) => {
      const id = Number(ctx.params.id);
      if (!Number.isSafeInteger(id) || id < 0) throw new HttpError(400, 'the id must be a whole number');
      sendJson(ctx.res, 200, await client().metricsHistory(id));
    })
    .add('GET', '/api/describe/:target', async (ctx) => {
      const described = await client().describe([ctx.params.target ?? '']);
      // Only what the page shows: env values and the spec stay out of the browser.
      sendJson(ctx.res, 200, described.map((d) => ({ info: d.info, history: d.history, recentStderr: d.recentStderr })));
    })
    .add('POST', '/api/actions', (ctx) => runAction(ctx, client()))
    .add('GET', '/metrics', async (ctx) => {
      const page = await client().prometheus();
      sendText(ctx.res, 200, page.text, page.contentType);
    });
}

function servePage(ctx: RequestContext, deps: RouteDeps): void {
  if (ctx.auth === 'query') {
    // Swap the URL token for a cookie and drop it from the address bar and history.
    ctx.res.writeHead(303, { Location: '/', 'Set-Cookie': tokenCookie(deps.token), 'Cache-Control': 'no-store' });
    ctx.res.end();
    return;
  }
  deps.assets.serve(ctx.req, ctx.res, 'index.html');
}

async function runAction(ctx: RequestContext, client: TendClient): Promise<void> {
  if (!passesCsrfCheck(ctx.req, ctx.auth as AuthVia)) {
    throw new HttpError(403, 'actions need the Authorization header, or the cookie with the X-Tend-Request header');
  }
  const body = await readJsonBody(ctx.req);
  const { action, target } = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const run = typeof action === 'string' ? ACTIONS.get(action) : undefined;
  if (!run) throw new HttpError(400, `action must be one of ${[...ACTIONS.keys()].join(', ')}`);
  if (typeof target !== 'string' || target.length === 0) throw new HttpError(400, 'target must be an app name or id');
  sendJson(ctx.res, 200, { action, target, result: await run(client, [target]) });
}
