import { systemClock, type Clock } from '../core/clock.js';
import type { HostSample, Sample } from '../core/metrics-sample.js';
import { hostCpuPercent, readHostCpu, readHostMemory, readUptimeSeconds, type HostCpuTimes } from './host-stats.js';
import { ProcScanner } from './proc-scanner.js';
import { indexChildren, type ProcStat } from './proc-stat.js';
import { SampleHistory } from './sample-history.js';
import { cpuPercentBetween, cpuPercentSinceStart, sumTreeUsage } from './tree-usage.js';

export const DEFAULT_SAMPLE_INTERVAL_MS = 1000;
export const DEFAULT_HISTORY_MS = 10 * 60 * 1000;
/**
 * Samples all the histories keep together (24 bytes each: 3.4 MiB). Ten minutes at one sample
 * a second for 1,000 instances took 14 MiB, and the daemon's RSS passed 100 MiB ten minutes
 * after their start. Up to 250 instances keep their full history; beyond, each keeps an equal
 * share of the newest samples (150 each for 1,000), never under a minute's worth.
 */
export const HISTORY_BUDGET_SAMPLES = 150_000;
const MIN_HISTORY_SAMPLES = 60;

/** The samples each history keeps: the full length, or its share of the budget. */
export function historyCapacity(fullSize: number, histories: number): number {
  const share = Math.floor(HISTORY_BUDGET_SAMPLES / Math.max(1, histories));
  return Math.min(fullSize, Math.max(MIN_HISTORY_SAMPLES, share));
}
/**
 * Stat files a timer tick reads per turn of the event loop (~16 µs each on an idle machine):
 * with 1,000 apps a tick read ~1,000 in one turn, 16-39 ms on 2 busy cores, in the way of the
 * control socket every second.
 */
export const SCAN_SLICE_READS = 200;

export type { HostSample, Sample };

export interface SampleTick {
  /** Samples by instance id; instances whose process is gone are absent. */
  samples: ReadonlyMap<number, Sample>;
  host: HostSample | null;
}

export interface SamplerOptions {
  intervalMs?: number;
  historyMs?: number;
  clock?: Clock;
  /** Where procfs is mounted; tests may point it elsewhere. */
  procRoot?: string;
  /** Ticks between full /proc scans (see ProcScanner); tests raise it to prove the fast path. */
  fullScanEveryTicks?: number;
}

interface Tracked {
  pid: number;
  /** Start time of the root, so a recycled pid is never mistaken for the instance. */
  startTimeTicks: number | null;
  /** CPU total and monotonic time of the previous sample; null until there is a baseline. */
  baseline: { cpuTicks: number; atMs: number } | null;
  history: SampleHistory;
}

/** One tick's view of /proc, shared by every tracked tree. */
interface Snapshot {
  byPid: Map<number, ProcStat>;
  children: Map<number, ProcStat[]>;
  /** Read at most once per tick, and only if some tree has no baseline yet. */
  uptimeSeconds: number | null | undefined;
}

/**
 * The one sampling loop. Each tick reads /proc once (one readdir, then the stat files of the
 * processes that may be in a tree, see ProcScanner) and measures every tracked tree from that
 * snapshot. /proc is read synchronously on purpose:
 * ~100 small reads take about a millisecond, which is cheaper than a threadpool round trip each.
 */
export class Sampler {
  private readonly intervalMs: number;
  private readonly historySize: number;
  /** What each history keeps now (see historyCapacity). */
  private historyShare: number;
  private readonly clock: Clock;
  private readonly procRoot: string;
  private readonly scanner: ProcScanner;
  private readonly tracked = new Map<number, Tracked>();
  /** Histories of instances not running now (stopped, between restarts), kept until forgotten. */
  private readonly resting = new Map<number, SampleHistory>();
  private readonly listeners = new Set<(tick: SampleTick) => void>();
  private timer: NodeJS.Timeout | null = null;
  private scanning = false;
  private hostCpu: HostCpuTimes | null = null;
  private lastHost: HostSample | null = null;

  constructor(options: SamplerOptions = {}) {
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    if (!(this.intervalMs > 0)) throw new RangeError(`Sampler intervalMs must be > 0, got ${this.intervalMs}`);
    this.historySize = Math.max(1, Math.ceil((options.historyMs ?? DEFAULT_HISTORY_MS) / this.intervalMs));
    this.historyShare = this.historySize;
    this.clock = options.clock ?? systemClock;
    this.procRoot = options.procRoot ?? '/proc';
    this.scanner = new ProcScanner(this.procRoot, options.fullScanEveryTicks);
  }

  /** Starts measuring `pid` for `id`. Tracking an id again (a restart) keeps its history. */
  track(id: number, pid: number, startTimeTicks?: number): void {
    const history = this.tracked.get(id)?.history ?? this.resting.get(id) ?? new SampleHistory(this.historyShare);
    this.resting.delete(id);
    this.tracked.set(id, { pid, startTimeTicks: startTimeTicks ?? null, baseline: null, history });
    // The new root (and what it started) may have been skipped as outside every tree until now.
    this.scanner.admit(pid);
  }

  /** Stops measuring `id`; its history stays (charts run on across a restart) until forgotten. */
  untrack(id: number): void {
    const tracked = this.tracked.get(id);
    if (tracked === undefined) return;
    this.tracked.delete(id);
    this.resting.set(id, tracked.history);
  }

  /** Drops every id not in `ids` (deleted instances), history included. */
  forgetAllBut(ids: ReadonlySet<number>): void {
    for (const id of this.tracked.keys()) if (!ids.has(id)) this.tracked.delete(id);
    for (const id of this.resting.keys()) if (!ids.has(id)) this.resting.delete(id);
  }

  latest(id: number): Sample | null {
    return this.tracked.get(id)?.history.last() ?? null;
  }

  history(id: number): readonly Sample[] {
    return (this.tracked.get(id)?.history ?? this.resting.get(id))?.toArray() ?? [];
  }

  host(): HostSample | null {
    return this.lastHost;
  }

  /** Calls `listener` after every tick; returns a function that removes it. */
  onSample(listener: (tick: SampleTick) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  start(): void {
    if (this.timer) return;
    this.sampleNow();
    // unref: sampling alone must never keep a process alive.
    this.timer = setInterval(() => this.sampleInSlices(), this.intervalMs).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes one sample of everything now, stores it and tells the listeners. */
  sampleNow(): SampleTick {
    return this.finishTick(this.tracked.size > 0 ? this.scanner.scan() : null);
  }

  /**
   * A tick of the timer: the same as sampleNow, with /proc read SCAN_SLICE_READS stat files per
   * turn of the event loop. A tick still reading when the next is due lets that one pass.
   */
  private sampleInSlices(): void {
    if (this.scanning) return;
    if (this.tracked.size === 0) {
      this.finishTick(null);
      return;
    }
    const pass = this.scanner.begin();
    this.scanning = true;
    const readSlice = (): void => {
      if (this.timer === null) {
        this.scanning = false;
        return;
      }
      if (!pass.step(SCAN_SLICE_READS)) {
        setImmediate(readSlice);
        return;
      }
      this.scanning = false;
      this.finishTick(pass.stats);
    };
    readSlice();
  }

  /** Fits every history to its share of the budget once the number of histories changed it. */
  private shareHistoryBudget(): void {
    const share = historyCapacity(this.historySize, this.tracked.size + this.resting.size);
    if (share === this.historyShare) return;
    this.historyShare = share;
    for (const tracked of this.tracked.values()) tracked.history.resize(share);
    for (const history of this.resting.values()) history.resize(share);
  }

  /** Measures every tracked tree in `stats` (null: nothing tracked), stores and tells the listeners. */
  private finishTick(stats: ProcStat[] | null): SampleTick {
    this.shareHistoryBudget();
    const nowMs = this.clock.monotonicMs();
    const at = this.clock.wallMs();
    const samples = new Map<number, Sample>();
    if (stats !== null) {
      const snapshot: Snapshot = { byPid: new Map(), children: indexChildren(stats), uptimeSeconds: undefined };
      for (const stat of stats) snapshot.byPid.set(stat.pid, stat);
      const members = new Set<number>();
      for (const [id, tracked] of this.tracked) {
        const sample = this.measure(tracked, snapshot, members, nowMs, at);
        if (sample) samples.set(id, sample);
      }
      this.scanner.settle(stats, members);
    }
    const tick: SampleTick = { samples, host: this.sampleHost(at) };
    this.notify(tick);
    return tick;
  }

  private measure(tracked: Tracked, snapshot: Snapshot, members: Set<number>, nowMs: number, at: number): Sample | null {
    const root = snapshot.byPid.get(tracked.pid);
    if (!root || root.state === 'Z' || (tracked.startTimeTicks ?? root.startTimeTicks) !== root.startTimeTicks) {
      tracked.baseline = null;
      return null;
    }
    tracked.startTimeTicks = root.startTimeTicks;
    const usage = sumTreeUsage(root, snapshot.children, members);
    let cpuPercent: number;
    if (tracked.baseline) {
      cpuPercent = cpuPercentBetween(tracked.baseline.cpuTicks, usage.cpuTicks, nowMs - tracked.baseline.atMs);
    } else {
      // Read lazily: only trees without a baseline need the time since boot.
      if (snapshot.uptimeSeconds === undefined) snapshot.uptimeSeconds = readUptimeSeconds(this.procRoot);
      const uptime = snapshot.uptimeSeconds;
      cpuPercent = uptime === null ? 0 : cpuPercentSinceStart(usage.cpuTicks, root.startTimeTicks, uptime);
    }
    tracked.baseline = { cpuTicks: usage.cpuTicks, atMs: nowMs };
    const sample: Sample = { cpuPercent, memoryBytes: usage.rssBytes, at };
    tracked.history.push(sample);
    return sample;
  }

  private sampleHost(at: number): HostSample | null {
    const cpu = readHostCpu(this.procRoot);
    const memory = readHostMemory(this.procRoot);
    if (!cpu || !memory) return this.lastHost;
    // The first reading has no interval yet: the average since boot is the honest figure.
    const cpuPercent = hostCpuPercent(this.hostCpu ?? { busyTicks: 0, totalTicks: 0 }, cpu);
    this.hostCpu = cpu;
    this.lastHost = { cpuPercent, memoryTotalBytes: memory.totalBytes, memoryAvailableBytes: memory.availableBytes, at };
    return this.lastHost;
  }

  /** Every listener runs even if one throws; the first error is rethrown afterwards. */
  private notify(tick: SampleTick): void {
    let failure: { error: unknown } | null = null;
    for (const listener of this.listeners) {
      try {
        listener(tick);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
