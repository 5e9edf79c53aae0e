import http from 'node:http';

export interface FreshLoad {
  stop(): Promise<{ requests: number; failures: string[]; pids: Set<string> }>;
}

/**
 * Issue 18's client (shared with test/integration/handoff): a fresh connection every 10 ms (no keep-alive), each request waited for
 * up to 15 s, so a connection held in the shared backlog while no instance accepts is slow,
 * not failed. A refused or reset connection, or a non-200, is a failure.
 */
export function freshConnectionsEvery10Ms(port: number): FreshLoad {
  const failures: string[] = [];
  const pids = new Set<string>();
  const inFlight = new Set<Promise<void>>();
  let requests = 0;
  const once = (): Promise<void> =>
    new Promise((resolve) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: 15_000 }, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => {
          if (res.statusCode !== 200) failures.push(`HTTP ${res.statusCode}`);
          else pids.add(body.trim());
          resolve();
        });
        res.on('error', (error) => {
          failures.push(error.message);
          resolve();
        });
      });
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', (error: NodeJS.ErrnoException) => {
        failures.push(error.code ?? error.message);
        resolve();
      });
    });
  const timer = setInterval(() => {
    requests += 1;
    const p = once();
    inFlight.add(p);
    void p.then(() => inFlight.delete(p));
  }, 10);
  return {
    async stop() {
      clearInterval(timer);
      await Promise.all([...inFlight]);
      return { requests, failures, pids };
    },
  };
}
