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
  const ppid = ppidOf(pid);
  if (ppid === null || !(ppid > 1)) return null;
  try {
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

/**
 * Ends the guardians of `home` for good and tells which daemons they had started already (a
 * guardian restarting a crashed daemon may be in the middle of it). Each guardian is stopped
 * (SIGSTOP) before its children are read, so it starts nothing after that, then killed. Its other
 * children (the pause's `sleep`, a subshell timing the run) are killed with it; a daemon it started
 * is left to the caller, to stop once it answers.
 */
export function endGuardians(home: string): { guardians: number[]; daemons: number[] } {
  const guardians = findGuardians(home);
  for (const pid of guardians) signalQuietly(pid, 'SIGSTOP');
  const children = childrenOf(new Set(guardians));
  const daemons = children.filter((pid) => isDaemonCommand(argvOf(pid)));
  for (const pid of guardians) signalQuietly(pid, 'SIGKILL');
  for (const pid of children) if (!daemons.includes(pid)) signalQuietly(pid, 'SIGKILL');
  return { guardians, daemons };
}

/** A daemon, by its title or, before it set one, by the script it runs. */
function isDaemonCommand(argv: string[]): boolean {
  return argv[0] === DAEMON_TITLE || argv.some((arg) => arg.endsWith('/tend-daemon.cjs'));
}

function argvOf(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'latin1').split('\0');
  } catch {
    return [];
  }
}

/** The live processes whose parent is one of `parents`. */
function childrenOf(parents: ReadonlySet<number>): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .map(Number)
    .filter((pid) => parents.has(ppidOf(pid) ?? 0));
}

/** The parent of `pid`, from /proc/<pid>/stat; null when it is gone. */
export function ppidOf(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return null;
  }
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
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
