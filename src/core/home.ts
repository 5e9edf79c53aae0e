import { type Stats, lstatSync, mkdirSync } from 'node:fs';
import { TendError } from './errors.js';
import { MAX_SOCKET_PATH_BYTES, type TendPaths } from './paths.js';

/** Mode bits that let another user replace what is in a folder or change a file. */
const OTHERS_WRITE = 0o022;
/** Mode bits that let another user read a file at all. */
const OTHERS_ANY = 0o077;

/**
 * Creates TEND_HOME private to this user (0700), then checks it as `assertPrivateHome` does.
 * An existing home is never chmod'ed: one others could write to may already hold what they
 * planted, so it is refused instead (DESIGN.md §5).
 */
export function ensureHome(paths: TendPaths): void {
  assertSocketPathFits(paths.socket);
  // A umask only takes bits away: 0700 stays private under any umask, even 000.
  mkdirSync(paths.home, { recursive: true, mode: 0o700 });
  assertPrivateHome(paths);
  mkdirSync(paths.logsDir, { recursive: true, mode: 0o700 });
}

/**
 * Refuses a TEND_HOME someone else could have tampered with: a symbolic link, a folder owned
 * by another user or writable by group or others, and, inside it, a file tend reads (socket,
 * state, dump, token, config, lock) that is a link, belongs to another user or others may
 * write; secrets (state and dump hold environments, the web token is a password) may not be
 * readable by others either. A missing home passes: there is nothing in it to trust.
 */
export function assertPrivateHome(paths: TendPaths): void {
  const home = lstatOrNull(paths.home);
  if (home === null) return;
  checkEntry(paths.home, home, 'folder', OTHERS_WRITE, 'set TEND_HOME to the real folder');
  for (const [path, kind, forbidden] of homeEntries(paths)) {
    const stat = lstatOrNull(path);
    if (stat !== null) checkEntry(path, stat, kind, forbidden, 'remove it');
  }
}

/** The same check for one file tend is about to trust (a secret may not be readable by others). */
export function assertPrivateFile(path: string, secret: boolean): void {
  const stat = lstatOrNull(path);
  if (stat !== null) checkEntry(path, stat, 'file', secret ? OTHERS_ANY : OTHERS_WRITE, 'remove it');
}

type EntryKind = 'folder' | 'file' | 'socket';

function homeEntries(paths: TendPaths): Array<[string, EntryKind, number]> {
  return [
    [paths.socket, 'socket', OTHERS_ANY],
    [paths.lockSocket, 'socket', OTHERS_ANY],
    [paths.stateFile, 'file', OTHERS_ANY],
    [paths.dumpFile, 'file', OTHERS_ANY],
    [`${paths.dumpFile}.bak`, 'file', OTHERS_ANY],
    [paths.webToken, 'file', OTHERS_ANY],
    [paths.configFile, 'file', OTHERS_WRITE],
    [paths.pidFile, 'file', OTHERS_WRITE],
    [paths.logsDir, 'folder', OTHERS_WRITE],
  ];
}

function checkEntry(path: string, stat: Stats, kind: EntryKind, forbidden: number, linkFix: string): void {
  const refuse = (why: string, fix: string): never => {
    throw new TendError('HOME_INSECURE', `${path} ${why}; refusing to use it (${fix})`);
  };
  if (stat.isSymbolicLink()) refuse('is a symbolic link', linkFix);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) refuse(`belongs to uid ${stat.uid}, not to you (uid ${uid})`, 'use a TEND_HOME of your own');
  const isRightKind = kind === 'folder' ? stat.isDirectory() : kind === 'socket' ? stat.isSocket() : stat.isFile();
  if (!isRightKind) refuse(`is not a ${kind === 'file' ? 'regular file' : kind}`, 'remove it');
  const loose = stat.mode & forbidden;
  if (loose !== 0) {
    const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
    const who = loose & OTHERS_WRITE ? 'writable' : 'readable';
    refuse(`is ${who} by group or others (mode ${mode})`, `check what is in it, then chmod ${forbidden === OTHERS_ANY ? 'go-rwx' : 'go-w'} ${path}`);
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
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
