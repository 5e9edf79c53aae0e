import { createHash } from 'node:crypto';
import { type Server, createServer } from 'node:net';

/**
 * One daemon per TEND_HOME: an abstract-namespace socket named after the home is bound for the
 * daemon's whole life. The kernel frees it when the process dies, even by SIGKILL, so there is
 * no stale lock to clean up and no window where two daemons both win.
 */
export function acquireDaemonLock(home: string): Promise<Server | null> {
  const digest = createHash('sha256').update(home).digest('hex').slice(0, 32);
  const name = `\0tend-${process.getuid?.() ?? 0}-${digest}`;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(null);
      else reject(error);
    });
    server.listen(name, () => resolve(server));
  });
}
