import { CLOCK_TICKS_PER_SECOND, PAGE_SIZE_BYTES, type ProcStat } from './proc-stat.js';

/** What one process tree uses at one instant. */
export interface TreeUsage {
  /**
   * Cumulative CPU ticks of the tree: for every live member its own time plus the time of the
   * children it has reaped. A child that exits inside an interval is not lost: its time moves
   * into its parent's cutime/cstime, so the difference of two totals is the tree's work.
   */
  cpuTicks: number;
  rssBytes: number;
  processCount: number;
}

/**
 * Sums a tree from one snapshot. Zombies count for CPU (their time has not moved to the parent
 * yet) and have no RSS. The walk is iterative and visits each pid once, so a malformed snapshot
 * (a cycle) cannot loop forever.
 */
export function sumTreeUsage(
  root: ProcStat,
  children: ReadonlyMap<number, readonly ProcStat[]>,
  /** Receives every member's pid, so one set can collect the members of all trees. */
  members: Set<number> = new Set<number>(),
): TreeUsage {
  let cpuTicks = 0;
  let rssPages = 0;
  let processCount = 0;
  const seen = new Set<number>();
  const stack: ProcStat[] = [root];
  while (stack.length > 0) {
    const stat = stack.pop() as ProcStat;
    if (seen.has(stat.pid)) continue;
    seen.add(stat.pid);
    members.add(stat.pid);
    processCount += 1;
    cpuTicks += stat.utimeTicks + stat.stimeTicks + stat.cutimeTicks + stat.cstimeTicks;
    rssPages += stat.rssPages;
    const kids = children.get(stat.pid);
    if (kids) for (const kid of kids) stack.push(kid);
  }
  return { cpuTicks, rssBytes: rssPages * PAGE_SIZE_BYTES, processCount };
}

/**
 * Percent of one core used between two totals. Never negative: the total can drop when a
 * member leaves the tree without being reaped inside it (an orphan adopted by init), and that
 * is a departure, not negative work.
 */
export function cpuPercentBetween(previousTicks: number, currentTicks: number, elapsedMs: number): number {
  if (elapsedMs <= 0) return 0;
  const ticks = currentTicks - previousTicks;
  if (ticks <= 0) return 0;
  return (ticks / CLOCK_TICKS_PER_SECOND / (elapsedMs / 1000)) * 100;
}

/** Average percent of one core over the root's whole life, for a tree's first sample. */
export function cpuPercentSinceStart(cpuTicks: number, rootStartTicks: number, uptimeSeconds: number): number {
  const lifeSeconds = uptimeSeconds - rootStartTicks / CLOCK_TICKS_PER_SECOND;
  if (lifeSeconds <= 0 || cpuTicks <= 0) return 0;
  return (cpuTicks / CLOCK_TICKS_PER_SECOND / lifeSeconds) * 100;
}
