import { type ProcStat, readAllProcStats } from '../metrics/proc-stat.js';
import { environSet, readEnviron } from './kill-tree.js';

/**
 * Reads of /proc shared by every instance of the daemon. Stopping ten apps at once used to
 * read the whole process table twenty times (5-7 ms each with ~135 processes) and the
 * environment of every younger process each time: `tend kill` of 10 idle apps spent ~0.4 s
 * there, one instance after another. Now the table is read at most once per turn of the event
 * loop (all instances stopped by one command share it), and a process's environment once per
 * process: it is set when the process is exec'd, and pid plus start time name the process.
 */
export class ProcSnapshot {
  private stats: ProcStat[] | null = null;
  /** By pid: the start time of the process read, and its environment as a set. */
  private readonly environs = new Map<number, { startTimeTicks: number; entries: ReadonlySet<string> | null }>();

  constructor(private readonly read: () => ProcStat[] = readAllProcStats, private readonly readEnv: (pid: number) => string[] | null = readEnviron) {}

  /** Every process now; the same array for everyone asking in this turn of the event loop. */
  all(): ProcStat[] {
    if (this.stats === null) {
      const stats = this.read();
      this.stats = stats;
      setImmediate(() => {
        if (this.stats === stats) this.stats = null;
      });
      this.forgetGone(stats);
    }
    return this.stats;
  }

  /** The process's environment entries (`NAME=value`), or null when it cannot be read. */
  environ(stat: ProcStat): ReadonlySet<string> | null {
    const known = this.environs.get(stat.pid);
    if (known !== undefined && known.startTimeTicks === stat.startTimeTicks) return known.entries;
    const entries = environSet(this.readEnv(stat.pid));
    this.environs.set(stat.pid, { startTimeTicks: stat.startTimeTicks, entries });
    return entries;
  }

  private forgetGone(stats: readonly ProcStat[]): void {
    if (this.environs.size === 0) return;
    const alive = new Map(stats.map((s) => [s.pid, s.startTimeTicks]));
    for (const [pid, known] of this.environs) if (alive.get(pid) !== known.startTimeTicks) this.environs.delete(pid);
  }
}

/** The daemon's one snapshot: /proc is one table, whoever reads it. */
export const sharedProcSnapshot = new ProcSnapshot();
