import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { TendError } from './errors.js';
import { MAX_SOCKET_PATH_BYTES, type TendPaths } from './paths.js';

/**
 * Creates TEND_HOME private to this user (0700) and refuses one that belongs to someone else,
 * or whose socket path the OS would silently truncate.
 */
export function ensureHome(paths: TendPaths): void {
  assertSocketPathFits(paths.socket);
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  const stat = statSync(paths.home);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new TendError('HOME_INSECURE', `${paths.home} belongs to uid ${stat.uid}, not to you (uid ${uid}); refusing to use it`);
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(paths.home, 0o700);
  mkdirSync(paths.logsDir, { recursive: true, mode: 0o700 });
}

export function assertSocketPathFits(socketPath: string): void {
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new TendError(
      'SOCKET_PATH_TOO_LONG',
      `the control socket path ${socketPath} is ${bytes} bytes, over the OS limit of ${MAX_SOCKET_PATH_BYTES}; set TEND_HOME to a shorter folder`,
    );
  }
}

