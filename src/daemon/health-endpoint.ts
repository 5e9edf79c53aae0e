import { createServer, type Server } from 'node:http';

export interface HealthState {
  /** The runtime is up and supervising (false once it is shutting down for good). */
  isLive(): boolean;
  /** Every instance is online and the runtime is not draining. */
  isReady(): boolean;
}

/**
 * GET /live and /ready for an orchestrator's probes (tend-runtime --health-port): 200 or 503,
 * with a one-word body. Bound to every address, since the kubelet probes the pod's IP.
 */
export async function startHealthEndpoint(port: number, state: HealthState): Promise<Server> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const check = path === '/live' ? state.isLive() : path === '/ready' ? state.isReady() : null;
    if (check === null) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    response.writeHead(check ? 200 : 503, { 'content-type': 'text/plain', connection: 'close' }).end(check ? 'ok\n' : 'not ready\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  server.unref();
  return server;
}
