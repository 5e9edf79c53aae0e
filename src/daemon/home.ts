import { type Server, createServer } from 'node:net';

/**
 * One daemon per TEND_HOME: an abstract-namespace socket named after the home is bound for the
 * daemon's whole life. The kernel frees it when the process dies, even by SIGKILL, so there is
 * no stale lock to clean up and no window where two daemons both win.
 */
export function acquireDaemonLock(home: string): Promise<Server | null> {
  const name = `\0tend-${process.getuid?.() ?? 0}-${hashHomePath(home)}`;
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') resolve(null);
      else reject(error);
    });
    server.listen(name, () => resolve(server));
  });
}

const FNV_OFFSET_64 = 0xcbf29ce484222325n;
const FNV_PRIME_64 = 0x100000001b3n;
const MASK_64 = 0xffffffffffffffffn;

/**
 * 16 hex digits naming a home in the lock's socket name, which must stay under the 107 bytes
 * an abstract socket name may hold whatever the path's length. FNV-1a over the UTF-8 bytes:
 * the name needs no secrecy (any path's name can be computed, whatever the hash), only few
 * collisions, and hashing without node:crypto keeps its ~20 modules (0.4 MiB of RSS,
 * measured) out of the idle daemon.
 */
export function hashHomePath(home: string): string {
  let hash = FNV_OFFSET_64;
  for (const byte of Buffer.from(home, 'utf8')) hash = ((hash ^ BigInt(byte)) * FNV_PRIME_64) & MASK_64;
  return hash.toString(16).padStart(16, '0');
}
