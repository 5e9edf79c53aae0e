import { availableParallelism } from 'node:os';
import type { Clock } from '../core/clock.js';
import { readProcStat } from '../metrics/proc-stat.js';

/**
 * How long an app counts as booting after its go line. One still on a CPU after this no longer
 * holds the next ones back (an app that spins from its start would otherwise hold them for good).
 */
export const BOOT_WINDOW_MS = 1000;
/** How often a queue of apps waiting to go looks at the ones booting. */
export const PACE_POLL_MS = 5;

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
  /** Apps let go within BOOT_WINDOW_MS that were on a CPU (or waiting for one) at every look since. */
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
 * Paced, the same 300 were online after ~6 s. Apps that leave the CPU before the next look
 * (idle apps, a binary that sleeps, apps that wait on their disk or network as they start) take
 * no core: each such look doubles the window, up to MAX_WINDOW, so 1,000 of them go about as
 * fast as they are spawned. One still booting at a look puts the window back to the cores.
 */
export function nextPace(input: PaceInput): Pace {
  const window = input.booting > 0 ? input.cpus : input.lastReleased > 0 ? Math.min(MAX_WINDOW, input.window * 2) : input.window;
  return { release: Math.min(input.queued, Math.max(0, window - input.booting)), window };
}

/** Whether a process is on a CPU or waiting for one ('R'), or in an uninterruptible wait ('D'). */
export function usesCpu(pid: number): boolean {
  const state = readProcStat(pid)?.state;
  return state === 'R' || state === 'D';
}

/**
 * Lets apps out of their start gates in the order handed in, at the pace nextPace sets
 * (see there why). A queue that cannot be read (no /proc) counts no app as booting.
 */
export class ReleasePacer {
  private readonly queue: GatedApp[] = [];
  private readonly booting: Array<{ pid: number; sinceMs: number }> = [];
  private polling = false;
  private lastReleased = 0;
  private window: number;

  constructor(
    private readonly clock: Clock,
    private readonly cpus = availableParallelism(),
    private readonly isOnCpu: (pid: number) => boolean = usesCpu,
  ) {
    this.window = cpus;
  }

  release(apps: readonly GatedApp[]): void {
    this.queue.push(...apps);
    this.drain();
  }

  private drain(): void {
    const now = this.clock.monotonicMs();
    // An app seen off the CPU has booted or waits on something else than a core: it is let
    // go of, so the list stays as short as the boots under way.
    for (let n = this.booting.length - 1; n >= 0; n -= 1) {
      const app = this.booting[n] as { pid: number; sinceMs: number };
      if (now - app.sinceMs >= BOOT_WINDOW_MS || !this.isOnCpu(app.pid)) this.booting.splice(n, 1);
    }
    const pace = nextPace({ queued: this.queue.length, booting: this.booting.length, lastReleased: this.lastReleased, window: this.window, cpus: this.cpus });
    const batch = this.queue.splice(0, pace.release);
    for (const app of batch) {
      this.booting.push({ pid: app.pid, sinceMs: now });
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
