import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import type { Clock } from '../core/clock.js';
import { parseSchedstat } from '../core/schedstat.js';
import { readProcStat } from '../metrics/proc-stat.js';

/**
 * How long an app counts as booting after its go line, in time the pacer watched it (see
 * MAX_COUNTED_GAP_MS). One still on a CPU after this no longer holds the next ones back (an app
 * that spins from its start would otherwise hold them for good).
 */
export const BOOT_WINDOW_MS = 1000;
/**
 * The most a gap between two looks adds to an app's time in its boot window. The window measures
 * the boot the pacer watched: after a stall of the whole machine (a VM not scheduled by its host,
 * a daemon stopped and continued), the apps booting are behind by as much as the daemon, and a
 * window counted in wall time let the next ones go at the first look after it, all at once.
 */
export const MAX_COUNTED_GAP_MS = 100;
/** How often a queue of apps waiting to go looks at the ones booting. */
export const PACE_POLL_MS = 5;
/**
 * The share of a core an app used or waited for since the last look that counts it as booting
 * still.
 */
export const BUSY_SHARE = 0.25;

/** One app at its start gate: its process, and what lets it go. */
export interface GatedApp {
  pid: number;
  go(): void;
}

/** The most apps let go at one look, once the apps before them showed they boot in no time. */
export const MAX_WINDOW = 16;

export interface PaceInput {
  /** Apps waiting for their go line. */
  queued: number;
  /** Apps let go less than BOOT_WINDOW_MS ago found booting at every look since (see stillBooting). */
  booting: number;
  /** How many apps let go at the last look (0 when none were). */
  lastReleased: number;
  /** How many apps may boot at once, as the last look left it. */
  window: number;
  cpus: number;
}

export interface Pace {
  /** How many of the waiting apps go now. */
  release: number;
  /** The window for the next look. */
  window: number;
}

/**
 * How many of the waiting apps may go now. Apps boot about as many at once as there are cores:
 * let go all at once, 300 Node apps queued 30-70 deep for the 2 CPUs of the test machine for
 * 18 s, and the daemon, one runnable task among them, got a share to match: a ping waited up to
 * 0.5-0.9 s, and so did every spawn, which blocks the daemon until the new process has exec'd.
 * Paced, the same 300 were online after ~4-7 s. Apps that leave the CPU before the next look
 * (idle apps, a binary that sleeps, apps that wait on their disk or network as they start) take
 * no core: each such look doubles the window, up to MAX_WINDOW, so 1,000 of them go about as
 * fast as they are spawned. One still booting at a look puts the window back to the cores.
 */
export function nextPace(input: PaceInput): Pace {
  const window = input.booting > 0 ? input.cpus : input.lastReleased > 0 ? Math.min(MAX_WINDOW, input.window * 2) : input.window;
  return { release: Math.min(input.queued, Math.max(0, window - input.booting)), window };
}

/** What a look at one app process finds; null when it is gone. */
export interface CpuLook {
  /** On a CPU or waiting for one ('R'), or in an uninterruptible wait ('D'). */
  running: boolean;
  /**
   * Its time on a CPU so far plus its time runnable in a queue for one, in ns (the first two
   * fields of /proc/<pid>/schedstat), or null where the kernel does not say. The wait counts: on
   * a machine busy with other work an app that boots gets a small share of a core, and its time
   * on a CPU alone looked like an app done with its boot.
   */
  demandNs: number | null;
}

export function lookAt(pid: number): CpuLook | null {
  const state = readProcStat(pid)?.state;
  if (state === undefined || state === 'Z') return null;
  return { running: state === 'R' || state === 'D', demandNs: readDemandNs(pid) };
}

function readDemandNs(pid: number): number | null {
  try {
    const stat = parseSchedstat(readFileSync(`/proc/${pid}/schedstat`, 'latin1'));
    return stat === null ? null : stat.onCpuNs + stat.waitingNs;
  } catch {
    return null;
  }
}

/**
 * Whether an app is still booting: running at this look, or on a CPU or waiting for one for at
 * least BUSY_SHARE of the time since the last one. A Node app sleeps for moments as it boots (its helper threads,
 * its disk), which one look at its state alone takes for the end of its boot.
 */
export function stillBooting(look: CpuLook | null, lastDemandNs: number | null, elapsedMs: number): boolean {
  if (look === null) return false;
  if (look.running) return true;
  if (look.demandNs === null || lastDemandNs === null) return false;
  const demandedNs = look.demandNs - lastDemandNs;
  return demandedNs > 0 && demandedNs >= BUSY_SHARE * elapsedMs * 1e6;
}

/** An app let go and found booting at every look since. */
interface BootUnderWay {
  pid: number;
  /** Its time in the boot window so far: the gaps between looks, each counted up to MAX_COUNTED_GAP_MS. */
  watchedMs: number;
  lookedAtMs: number;
  demandNs: number | null;
}

/**
 * Lets apps out of their start gates in the order handed in, at the pace nextPace sets
 * (see there why). A queue that cannot be read (no /proc) counts no app as booting.
 */
export class ReleasePacer {
  private readonly queue: GatedApp[] = [];
  private readonly booting: BootUnderWay[] = [];
  private polling = false;
  private lastReleased = 0;
  private window: number;

  constructor(
    private readonly clock: Clock,
    private readonly cpus = availableParallelism(),
    private readonly look: (pid: number) => CpuLook | null = lookAt,
  ) {
    this.window = cpus;
  }

  release(apps: readonly GatedApp[]): void {
    this.queue.push(...apps);
    this.drain();
  }

  private drain(): void {
    const now = this.clock.monotonicMs();
    // An app found done with its boot (or gone) is let go of, so the list stays as short as the
    // boots under way.
    for (let n = this.booting.length - 1; n >= 0; n -= 1) {
      const app = this.booting[n] as BootUnderWay;
      app.watchedMs += Math.min(now - app.lookedAtMs, MAX_COUNTED_GAP_MS);
      const look = app.watchedMs >= BOOT_WINDOW_MS ? null : this.look(app.pid);
      if (!stillBooting(look, app.demandNs, now - app.lookedAtMs)) {
        this.booting.splice(n, 1);
        continue;
      }
      app.lookedAtMs = now;
      app.demandNs = look?.demandNs ?? null;
    }
    const pace = nextPace({ queued: this.queue.length, booting: this.booting.length, lastReleased: this.lastReleased, window: this.window, cpus: this.cpus });
    const batch = this.queue.splice(0, pace.release);
    for (const app of batch) {
      // Still in its gate: the CPU it used so far is the holder's shell, the base for the next look.
      this.booting.push({ pid: app.pid, watchedMs: 0, lookedAtMs: now, demandNs: this.look(app.pid)?.demandNs ?? null });
      app.go();
    }
    // Each burst of starts begins with as many at once as there are cores.
    this.lastReleased = this.queue.length === 0 ? 0 : batch.length;
    this.window = this.queue.length === 0 ? this.cpus : pace.window;
    if (this.queue.length === 0 || this.polling) return;
    this.polling = true;
    setTimeout(() => {
      this.polling = false;
      this.drain();
    }, PACE_POLL_MS);
  }
}
