import { readFileSync, readdirSync, statSync } from 'node:fs';
import { TendError } from '../core/errors.js';
import { GUARDIAN_NAME } from './daemon-guardian.js';

const POLL_MS = 5;

/** A zombie counts as gone: it holds no lock and no socket any more. */
export function isAlive(pid: number): boolean {
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

/** The pid of the guardian running daemon `pid` (its parent, if that is a guardian), or null. */
export function guardianOf(pid: number): number | null {
  try {
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    if (!(ppid > 1)) return null;
    return readFileSync(`/proc/${ppid}/cmdline`, 'latin1').split('\0').includes(GUARDIAN_NAME) ? ppid : null;
  } catch {
    return null;
  }
}

/** Resolves once every pid is gone; fails after `deadlineMs`, naming `what`. */
export async function waitGone(pids: readonly number[], deadlineMs: number, what: string): Promise<void> {
  const deadline = performance.now() + deadlineMs;
  while (pids.some(isAlive)) {
    if (performance.now() > deadline) throw new TendError('INTERNAL', `${what} (pid ${pids.filter(isAlive).join(', ')}) did not stop within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Guardians of `home` that are alive (normally none without a daemon; one between a daemon's
 * crash and its restart). Found by name and by the TEND_HOME in their environment.
 */
export function findGuardians(home: string): number[] {
  return findProcessesOfHome(home, (argv) => argv.includes(GUARDIAN_NAME));
}

/** Daemons of `home` that are alive, by the title src/bin/tend-daemon.ts gives them. */
export function findDaemons(home: string): number[] {
  return findProcessesOfHome(home, (argv) => argv[0] === DAEMON_TITLE);
}

export const DAEMON_TITLE = 'tend-daemon';

/** This user's live processes whose argv matches and whose environment names `home`. */
function findProcessesOfHome(home: string, matches: (argv: string[]) => boolean): number[] {
  const marker = `TEND_HOME=${home}`;
  const uid = process.getuid?.();
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (uid !== undefined && statSync(`/proc/${entry}`).uid !== uid) continue;
      if (!matches(readFileSync(`/proc/${entry}/cmdline`, 'latin1').split('\0'))) continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(marker) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // Gone, or not ours.
    }
  }
  return found;
}
