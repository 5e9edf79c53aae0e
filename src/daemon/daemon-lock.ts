import { lstatSync, mkdirSync, rmdirSync, statSync, unlinkSync } from 'node:fs';
import { type Server, createConnection, createServer } from 'node:net';
import type { TendPaths } from '../core/paths.js';
import { listenPrivately } from '../ipc/server.js';

/** A takeover older than this was left by a process that died in its middle. */
const TAKEOVER_STALE_MS = 5_000;
const RETRY_MS = 20;

/**
 * One daemon per TEND_HOME: a Unix socket bound at `TEND_HOME/tend.lock` for the daemon's
 * whole life. The home is 0700 and the socket 0600, so no other user can bind, replace or
 * even reach it (an abstract socket name, used before, could be bound by anyone who computed
 * it, which kept the daemon from ever starting). Binding a path that exists fails whatever
 * the mode, so two daemons never both win; a lock the kernel left behind (its daemon died,
 * even by SIGKILL) refuses connections and is taken over, one process at a time.
 *
 * The lock socket accepts nothing: a connection is closed as soon as it arrives.
 */
export async function acquireDaemonLock(paths: TendPaths): Promise<Server | null> {
  for (;;) {
    const server = await tryListen(paths.lockSocket);
    if (server !== null) return server;
    const stale = await staleLockInode(paths.lockSocket);
    if (stale === 'held') return null;
    if (stale !== 'gone') await takeOver(paths, stale);
  }
}

async function tryListen(path: string): Promise<Server | null> {
  const server = createServer((socket) => socket.destroy());
  server.maxConnections = 1;
  try {
    await listenPrivately(server, path);
    return server;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') return null;
    throw error;
  }
}

/** 'held' when a live process listens there, 'gone' when the file vanished, else its inode. */
async function staleLockInode(path: string): Promise<'held' | 'gone' | number> {
  let ino: number;
  try {
    ino = lstatSync(path).ino;
  } catch {
    return 'gone';
  }
  return (await isListening(path)) ? 'held' : ino;
}

/** Only ECONNREFUSED proves nobody listens: a full backlog (EAGAIN) is a live daemon. */
function isListening(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'));
  });
}

/**
 * Removes the dead lock at `ino`, under a takeover folder so that two processes finding the
 * same dead lock never both remove it (the second would remove the first one's live lock).
 * Inside, the lock is checked again: only that same dead inode is unlinked.
 */
async function takeOver(paths: TendPaths, ino: number): Promise<void> {
  const guard = `${paths.lockSocket}.takeover`;
  try {
    mkdirSync(guard, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    removeIfAbandoned(guard);
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    return;
  }
  try {
    if ((await staleLockInode(paths.lockSocket)) === ino) unlinkSync(paths.lockSocket);
  } finally {
    rmdirSync(guard);
  }
}

/** Whether the lock file is still there (TEND_HOME may have been deleted under the daemon). */
export function isLockInPlace(paths: TendPaths): boolean {
  try {
    return lstatSync(paths.lockSocket).isSocket();
  } catch {
    return false;
  }
}

function removeIfAbandoned(guard: string): void {
  try {
    if (Date.now() - statSync(guard).mtimeMs > TAKEOVER_STALE_MS) rmdirSync(guard);
  } catch {
    // Gone meanwhile: its owner finished.
  }
}
