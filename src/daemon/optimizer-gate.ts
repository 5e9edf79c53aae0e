/**
 * V8's optimizing compiler (TurboFan), held off until the daemon is busy.
 *
 * The first optimization pulls the compiler's code into memory and keeps its working memory:
 * measured here with 50 idle apps, the daemon's RSS 3 s after they started was 56.6 MiB with
 * the compiler and 52.7 without it (49.2 vs 54.6 once settled). The idle daemon gains nothing from it:
 * over 20 s with 50 apps it used 0.30-0.35% of a core without it and 0.45% with it (the compile
 * itself costs more than it saves). A busy daemon does need it: a flood of 2M 100-byte lines
 * cost 1450 ms of daemon CPU without it and 750 ms with it. So the daemon starts without it and
 * turns it on for good the first time it runs busy, which a start of 50 apps (about 5% of a core,
 * measured) never is.
 *
 * A log flood is recognised from its output rate as well, because judging CPU needs a 100 ms
 * window that the flood's first tens of MiB run through unoptimized: 2M 100-byte lines into a
 * fresh daemon took ~430 ms to reach the file when the CPU rule alone released the compiler,
 * ~365 ms with the compiler on from the start (the same app into `cat`: ~320 ms).
 *
 * V8 reads the flag at each tier-up decision, so it is flipped at run time both ways. It is
 * turned off only once the daemon has started, so start-up itself runs as usual.
 */
import { setFlagsFromString } from 'node:v8';
import { systemClock } from '../core/clock.js';

/** Share of one core over a window that counts as busy. */
export const BUSY_CPU_SHARE = 0.5;
/** Shorter windows are not judged: a single request may take a few ms of CPU. */
export const MIN_WINDOW_MS = 100;

/**
 * App output read at this rate or faster is a flood (8 MiB/s). Apps starting or serving write
 * KiB per second; only a flood reaches it, and it is judged over MiBs (see noteOutput).
 */
export const FLOOD_BYTES_PER_SECOND = 8 * 1024 * 1024;

/** True when `cpuMs` of CPU time over `wallMs` of wall time is a busy window. Pure. */
export function isBusyWindow(cpuMs: number, wallMs: number): boolean {
  return wallMs >= MIN_WINDOW_MS && cpuMs >= BUSY_CPU_SHARE * wallMs;
}

/** True when `bytes` of app output read within `wallMs` is a log flood. Pure. */
export function isFloodRate(bytes: number, wallMs: number): boolean {
  return bytes * 1000 >= FLOOD_BYTES_PER_SECOND * wallMs;
}

export interface OptimizerGate {
  /** Judges the time since the previous judged window; cheap enough to call on every tick. */
  check(): void;
  /**
   * `bytes` of app output were read since the previous call (called every few MiB): judged as
   * a rate over the time between two calls, so the first call only starts the clock.
   */
  noteOutput(bytes: number): void;
  /** True once the optimizer is on again. */
  readonly released: boolean;
}

export interface OptimizerGateOptions {
  setFlags?: (flags: string) => void;
  /** Process CPU time (user + system) in ms. */
  cpuMs?: () => number;
  /** Monotonic wall time in ms. */
  nowMs?: () => number;
}

/** Turns the optimizer off now, and returns the gate that turns it back on when busy. */
export function holdOptimizer(options: OptimizerGateOptions = {}): OptimizerGate {
  const setFlags = options.setFlags ?? setFlagsFromString;
  const cpuMs = options.cpuMs ?? processCpuMs;
  const nowMs = options.nowMs ?? systemClock.monotonicMs;
  let released = false;
  try {
    setFlags('--no-opt');
  } catch {
    // A runtime that refuses the flag keeps its optimizer: nothing to release.
    released = true;
  }
  let windowStartMs = nowMs();
  let windowStartCpuMs = cpuMs();
  let outputSinceMs: number | null = null;
  const release = (): void => {
    released = true;
    setFlags('--opt');
  };
  return {
    get released() {
      return released;
    },
    check() {
      if (released) return;
      const now = nowMs();
      if (now - windowStartMs < MIN_WINDOW_MS) return;
      const cpu = cpuMs();
      const busy = isBusyWindow(cpu - windowStartCpuMs, now - windowStartMs);
      windowStartMs = now;
      windowStartCpuMs = cpu;
      if (busy) release();
    },
    noteOutput(bytes) {
      if (released) return;
      const now = nowMs();
      const since = outputSinceMs;
      outputSinceMs = now;
      if (since !== null && isFloodRate(bytes, now - since)) release();
    },
  };
}

function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
