import type { WebAddress, WebListenOptions } from '../core/web.js';
import type { WebServer } from './server.js';

/**
 * The daemon's web controller, loading node:http and the server code on the first start only:
 * a daemon whose dashboard is never opened pays no memory for it.
 */
export function createLazyWebServer(home: string): {
  start(options: WebListenOptions): Promise<WebAddress>;
  stop(): Promise<void>;
  status(): WebAddress | null;
} {
  let server: WebServer | null = null;
  return {
    async start(options) {
      if (!server) {
        const { WebServer } = await import('./server.js');
        server ??= new WebServer({ home });
      }
      return server.start(options);
    },
    stop: async () => server?.stop(),
    status: () => server?.status() ?? null,
  };
}
