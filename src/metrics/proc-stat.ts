import { closeSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';

/** The fields of /proc/<pid>/stat that tend uses. Times are in clock ticks. */
export interface ProcStat {
  pid: number;
  ppid: number;
  pgid: number;
  sid: number;
  /** One-letter state: R S D Z T ... */
  state: string;
  utimeTicks: number;
  stimeTicks: number;
  /** CPU time of waited-for children, which moves here when a child of this process is reaped. */
  cutimeTicks: number;
  cstimeTicks: number;
  /** Start time after boot in clock ticks: with the pid, identifies one process for good. */
  startTimeTicks: number;
  rssPages: number;
}

/** Linux's USER_HZ; the same on every architecture Node supports. */
export const CLOCK_TICKS_PER_SECOND = 100;
export const PAGE_SIZE_BYTES = 4096;

/**
 * Parses the text of /proc/<pid>/stat. The command name (field 2) may hold spaces and
 * parentheses, so fields are counted from the last ')'.
 */
export function parseProcStat(text: string): ProcStat | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const pid = Number.parseInt(text, 10);
  const rest = text.slice(close + 2).split(' ');
  // rest[0] is field 3 (state); field N is rest[N - 3].
  const field = (n: number): number => Number(rest[n - 3]);
  const state = rest[0];
  if (!Number.isFinite(pid) || state === undefined) return null;
  return {
    pid,
    ppid: field(4),
    pgid: field(5),
    sid: field(6),
    state,
    utimeTicks: field(14),
    stimeTicks: field(15),
    cutimeTicks: field(16),
    cstimeTicks: field(17),
    startTimeTicks: field(22),
    rssPages: field(24),
  };
}

// One buffer for every read: the sampler reads ~100 of these a second, and open/read/close into
// a reused buffer costs fewer syscalls and no garbage compared with readFileSync (which also
// fstat()s and reads again to find EOF). A stat line is well under 1 KB.
const statBuffer = Buffer.alloc(4096);

/** Reads one process's stat, or null when it no longer exists. */
export function readProcStat(pid: number, procRoot = '/proc'): ProcStat | null {
  let fd: number;
  try {
    fd = openSync(`${procRoot}/${pid}/stat`, 'r');
  } catch {
    return null;
  }
  try {
    const length = readSync(fd, statBuffer, 0, statBuffer.length, 0);
    if (length < statBuffer.length) return parseProcStat(statBuffer.toString('latin1', 0, length));
    return parseProcStat(readFileSync(`${procRoot}/${pid}/stat`, 'latin1'));
  } catch {
    // ESRCH when the process exited between open and read.
    return null;
  } finally {
    closeSync(fd);
  }
}

/** Every process visible in /proc right now. */
export function readAllProcStats(procRoot = '/proc'): ProcStat[] {
  const stats: ProcStat[] = [];
  for (const entry of readdirSync(procRoot)) {
    const code = entry.charCodeAt(0);
    if (code < 48 || code > 57) continue;
    const stat = readProcStat(Number(entry), procRoot);
    if (stat) stats.push(stat);
  }
  return stats;
}

/** True when `pid` is alive, not a zombie, and is the same process that started at `startTimeTicks`. */
export function isSameProcess(pid: number, startTimeTicks: number): boolean {
  const stat = readProcStat(pid);
  return stat !== null && stat.startTimeTicks === startTimeTicks && stat.state !== 'Z';
}

/** The fields a process tree needs; lets callers pass their own records. */
export interface ProcLink {
  pid: number;
  ppid: number;
}

/** Children of every pid in a snapshot, built once so many trees can be walked from it. */
export function indexChildren<T extends ProcLink>(stats: readonly T[]): Map<number, T[]> {
  const children = new Map<number, T[]>();
  for (const stat of stats) {
    const list = children.get(stat.ppid);
    if (list) list.push(stat);
    else children.set(stat.ppid, [stat]);
  }
  return children;
}

/** Every descendant of `rootPid` in a children index (not including the root). */
export function findDescendantsIn<T extends ProcLink>(children: ReadonlyMap<number, readonly T[]>, rootPid: number): T[] {
  const found: T[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Every descendant of `rootPid` in a snapshot (not including the root). */
export function findDescendants<T extends ProcLink>(stats: readonly T[], rootPid: number): T[] {
  return findDescendantsIn(indexChildren(stats), rootPid);
}
