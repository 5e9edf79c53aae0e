// Free TCP ports for tests. A port derived from the test's pid can be held by anything on the
// machine (an outgoing connection's ephemeral port included); asking the kernel cannot collide
// at the moment of asking, and a test that binds right after rarely loses the race.
import { once } from 'node:events';
import { createServer } from 'node:net';

/** A port nothing listens on at 127.0.0.1 right now. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** The first of `count` consecutive free ports (increment_var gives instance n the port base + n). */
export async function findFreePortRun(count: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = await findFreePort();
    if (base + count - 1 > 65535) continue;
    let free = true;
    for (let offset = 1; offset < count && free; offset += 1) free = await isPortFree(base + offset);
    if (free) return base;
  }
  throw new Error(`no ${count} consecutive free ports`);
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}
