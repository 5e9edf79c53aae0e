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
 * made on the first call (after the first MiBs of app output), not when the daemon starts; when
 * the runtime refuses to expose `gc`, calls do nothing and V8's own heuristics apply.
 */
export function createMinorGc(): () => void {
  let gc: GcFunction | null | undefined;
  return () => {
    if (gc === undefined) gc = exposeGc();
    gc?.({ type: 'minor' });
  };
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
