import { statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * An app run as another user (`uid`, `gid`) under a holder: the holder, the daemon's user,
 * makes the FIFOs in its 0700 folder and opens them, then the app's process drops to the app's
 * user with util-linux `setpriv` (which execs in place: same pid) just before the app. The
 * app gets only the open write ends, never a path into TEND_HOME. Groups as for an app spawned
 * directly (libuv): supplementary groups cleared, gid set when given.
 */
export function dropPrivilegesArgv(setpriv: string, uid: number | null, gid: number | null): string[] {
  return [setpriv, ...(gid !== null ? [`--regid=${gid}`] : []), ...(uid !== null ? [`--reuid=${uid}`] : []), '--clear-groups', '--'];
}

/**
 * Whether `uid`/`gid` may run `path` (search every folder above it, execute it), by the mode
 * bits as the kernel checks them (no ACLs): the checks the kernel would make at the app's
 * exec, made before its gate so that a command its user may not run is a clear start error.
 * Null ids are the daemon's own.
 */
export function mayExecuteAs(path: string, uid: number | null, gid: number | null): boolean {
  const user = uid ?? process.getuid?.() ?? 0;
  const group = gid ?? process.getgid?.() ?? 0;
  if (user === 0) return true;
  const allows = (file: string): boolean => {
    const stat = statSync(file);
    const bits = stat.uid === user ? (stat.mode >> 6) & 1 : stat.gid === group ? (stat.mode >> 3) & 1 : stat.mode & 1;
    return bits === 1;
  };
  for (let folder = dirname(path); ; folder = dirname(folder)) {
    if (!allows(folder)) return false;
    if (dirname(folder) === folder) break;
  }
  return allows(path);
}
