import { request } from 'node:http';
import { createServer } from 'node:net';
import { nowMs, until } from './time.js';

/** One GET on a fresh connection; the pid the fixture names in its body, or null on any failure. */
export function fetchServerPid(port: number, timeoutMs = 500): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/', agent: false, headers: { connection: 'close' }, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => {
        const match = /(\d+)$/.exec(body.trim());
        resolve(match?.[1] === undefined ? null : Number(match[1]));
      });
      res.on('error', () => resolve(null));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(null));
    req.end();
  });
}

/** Time from now until the port answers from a pid outside `oldPids`, polling as fast as a client would retry. */
export async function timeUntilServedByNewPid(port: number, oldPids: ReadonlySet<number>, killedAt: number, timeoutMs = 15_000): Promise<{ ms: number; pid: number }> {
  const pid = await until(
    async () => {
      const served = await fetchServerPid(port);
      return served !== null && !oldPids.has(served) ? served : undefined;
    },
    `port ${port} served by a new pid`,
    timeoutMs,
    2,
  );
  return { ms: nowMs() - killedAt, pid };
}

/** A port free right now on 127.0.0.1 (the kernel picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export async function waitServing(port: number, timeoutMs = 15_000): Promise<number> {
  return until(async () => (await fetchServerPid(port)) ?? undefined, `port ${port} serving`, timeoutMs, 20);
}
