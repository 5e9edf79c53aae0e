import { readFileSync, readdirSync } from 'node:fs';
import { readProcStat, type ProcStat } from './proc-stat.js';

/** Full rescans as a safety net, in case pid allocation wrapped a whole cycle between ticks. */
export const DEFAULT_FULL_SCAN_EVERY_TICKS = 30;

/** The last pid the kernel allocated (5th field of /proc/loadavg), or null when unreadable. */
export function readLastPid(procRoot = '/proc'): number | null {
  try {
    const text = readFileSync(`${procRoot}/loadavg`, 'latin1');
    const last = Number.parseInt(text.slice(text.lastIndexOf(' ') + 1), 10);
    return Number.isFinite(last) ? last : null;
  } catch {
    return null;
  }
}

/** True when `pid` was allocated after `afterPid` and up to `upToPid`, pids wrapping around. */
export function isAllocatedBetween(pid: number, afterPid: number, upToPid: number): boolean {
  if (afterPid === upToPid) return false;
  if (afterPid < upToPid) return pid > afterPid && pid <= upToPid;
  return pid > afterPid || pid <= upToPid;
}

/**
 * Reads /proc/<pid>/stat only for processes that may belong to a tracked tree. Reading a stat
 * file is the whole cost of a tick (~16 µs each, measured), and most processes on a host are
 * not tend's.
 *
 * A process seen outside every tree stays outside: it can only be re-parented to one of its
 * own ancestors or to init, never into a tree. So it is skipped until its pid is reused, which
 * the kernel's last allocated pid reveals: a pid allocated since the previous tick began is
 * read again. Tracking a new root changes the trees: callers `admit` it, which takes it and
 * its skipped descendants (known by the parent pid each had when read) out of the skipped set.
 * A start of 1,000 apps then costs no full scan per tick: each one read ~3,000 stat files,
 * tens of ms of the daemon's event loop every second while the apps started.
 */
export class ProcScanner {
  /** Processes outside every tree, skipped while their pid is not reused: pid -> parent pid. */
  private outsiders = new Map<number, number>();
  /** Roots tracked since the last scan that were outsiders (see admit). */
  private admitted: number[] = [];
  private lastPidAtPreviousTick: number | null = null;
  private ticksUntilFullScan = 0;

  constructor(
    private readonly procRoot = '/proc',
    private readonly fullScanEveryTicks = DEFAULT_FULL_SCAN_EVERY_TICKS,
  ) {}

  /**
   * `root` is tracked from now on: it and its descendants seen as outsiders are read again by
   * the next scan. A process that was not an outsider needs nothing: unseen, it and its children
   * are new pids. The roots are collected and let in by one pass at the next scan, not one pass
   * over every outsider per root (a start of 1,000 apps admits 1,000).
   */
  admit(root: number): void {
    if (this.outsiders.has(root)) this.admitted.push(root);
  }

  /** Takes the admitted roots and their descendants out of the outsiders. */
  private letAdmittedIn(): void {
    if (this.admitted.length === 0) return;
    const children = new Map<number, number[]>();
    for (const [pid, ppid] of this.outsiders) {
      const siblings = children.get(ppid);
      if (siblings === undefined) children.set(ppid, [pid]);
      else siblings.push(pid);
    }
    const pending = this.admitted;
    this.admitted = [];
    for (let pid = pending.pop(); pid !== undefined; pid = pending.pop()) {
      this.outsiders.delete(pid);
      pending.push(...(children.get(pid) ?? []));
    }
  }

  /** Stats of every process that may be in a tree; then call `settle` with the tree members. */
  scan(): ProcStat[] {
    const pass = this.begin();
    while (!pass.step(Number.POSITIVE_INFINITY));
    return pass.stats;
  }

  /**
   * A scan to be made a slice at a time (see ScanPass.step): with 1,000 apps each tick reads
   * ~1,000 stat files, 16-39 ms of one turn of the daemon's event loop on 2 busy cores.
   */
  begin(): ScanPass {
    this.letAdmittedIn();
    const lastPidBefore = readLastPid(this.procRoot);
    const entries = readdirSync(this.procRoot);
    // Read after readdir: every pid listed was allocated at or before this value.
    const lastPidAfter = readLastPid(this.procRoot);
    const windowStart = this.lastPidAtPreviousTick;
    const window =
      this.ticksUntilFullScan > 0 && windowStart !== null && lastPidAfter !== null
        ? { after: windowStart, upTo: lastPidAfter }
        : null;
    this.ticksUntilFullScan = window === null ? this.fullScanEveryTicks : this.ticksUntilFullScan - 1;
    this.lastPidAtPreviousTick = lastPidBefore;
    return new ScanPass(entries, window, this.outsiders, this.procRoot, (outsiders) => {
      this.outsiders = outsiders;
    });
  }

  /** Records which of the scanned processes are outside every tree, so later scans skip them. */
  settle(scanned: readonly ProcStat[], members: ReadonlySet<number>): void {
    for (const stat of scanned) if (!members.has(stat.pid)) this.outsiders.set(stat.pid, stat.ppid);
  }
}

/** One scan of /proc, read a slice at a time; its outsiders replace the scanner's when it is done. */
export class ScanPass {
  readonly stats: ProcStat[] = [];
  private readonly outsiders = new Map<number, number>();
  private next = 0;
  private finished = false;

  constructor(
    private readonly entries: readonly string[],
    private readonly window: { after: number; upTo: number } | null,
    private readonly previousOutsiders: ReadonlyMap<number, number>,
    private readonly procRoot: string,
    private readonly done: (outsiders: Map<number, number>) => void,
  ) {}

  /** Reads up to `reads` more stat files; true once every entry is seen. */
  step(reads: number): boolean {
    let left = reads;
    const { entries, window } = this;
    while (this.next < entries.length && left > 0) {
      const entry = entries[this.next++] as string;
      const code = entry.charCodeAt(0);
      if (code < 48 || code > 57) continue;
      const pid = Number(entry);
      const ppid = this.previousOutsiders.get(pid);
      if (window && ppid !== undefined && !isAllocatedBetween(pid, window.after, window.upTo)) {
        this.outsiders.set(pid, ppid);
        continue;
      }
      left -= 1;
      const stat = readProcStat(pid, this.procRoot);
      if (stat) this.stats.push(stat);
    }
    if (this.next < entries.length) return false;
    if (!this.finished) this.done(this.outsiders);
    this.finished = true;
    return true;
  }
}
