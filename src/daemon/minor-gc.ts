/**
 * A young-generation collection on demand, for the log path: each pipe read allocates a fresh
 * 64 KiB ArrayBuffer whose JS wrapper is tiny, so V8's own heuristics (new space filling up)
 * leave tens of MiB of dead read buffers until external-memory pressure triggers a scavenge.
 * A minor GC costs ~0.3 ms with the daemon's small heap (more on a busy machine); run every few
 * MiB of output (DEFAULT_RECLAIM_EVERY_BYTES), it keeps that garbage bounded (measured: 2M
 * 100-byte lines grew the daemon ~37 MiB without it).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/**
 * A function running a minor GC. The context that exposes `gc` costs about a MiB, so it is
 * made on the first collection asked for (after the first MiBs of app output, or the first
 * MAJOR_GC_EVERY_SPAWNS spawns), not when the daemon starts; when the runtime refuses to
 * expose `gc`, calls do nothing and V8's own heuristics apply.
 */
export function createMinorGc(): () => void {
  return () => gcFunction()?.({ type: 'minor' });
}

/**
 * How many spawns may pass between two major collections. A start of 1,000 apps leaves ~20 MiB
 * of dead objects in the old generation (spawn arguments, the objects of each spawn that
 * outlived two young collections): V8 collected them only once the old generation reached
 * ~44 MiB, and then kept those pages for ~40 s, so the daemon's RSS stood at 103-110 MiB after
 * such a start, instead of 84-93 MiB once it had settled. Each collection still pauses the
 * event loop 11-30 ms at its end: every 100 spawns, 14-16 pings over one connection waited more
 * than 50 ms during a 1,000-app start; every 250, 6-9; RSS 2 s after the start was 86 MiB and
 * 86-88 MiB (one-off probe, 2 runs each).
 */
export const MAJOR_GC_EVERY_SPAWNS = 250;

/**
 * A function to call after each spawn: every MAJOR_GC_EVERY_SPAWNS calls it starts a major
 * collection that runs incrementally and on V8's helper threads (`execution: 'async'`), so the
 * daemon's event loop pauses only for its short final steps.
 */
export function createSpawnReclaim(every = MAJOR_GC_EVERY_SPAWNS): () => void {
  let spawns = 0;
  return () => {
    spawns += 1;
    if (spawns % every === 0) gcFunction()?.({ type: 'major', execution: 'async' });
  };
}

let exposed: GcFunction | null | undefined;
function gcFunction(): GcFunction | null {
  if (exposed === undefined) exposed = exposeGc();
  return exposed;
}

function exposeGc(): GcFunction | null {
  try {
    setFlagsFromString('--expose-gc');
    // A new context sees the flag; the main context was created before it was set.
    const gc = runInNewContext('gc') as unknown;
    return typeof gc === 'function' ? (gc as GcFunction) : null;
  } catch {
    return null;
  }
}
