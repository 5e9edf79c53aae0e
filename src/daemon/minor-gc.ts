/**
 * A young-generation collection on demand, for the log path: each pipe read allocates a fresh
 * 64 KiB ArrayBuffer whose JS wrapper is tiny, so V8's own heuristics (new space filling up)
 * leave tens of MiB of dead read buffers until external-memory pressure triggers a scavenge.
 * A minor GC costs ~0.1 ms with the daemon's small heap; run every few MiB of output, it keeps
 * that garbage bounded (measured: 2M 100-byte lines grew the daemon ~37 MiB without it).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

type GcFunction = (options: { type: 'minor' | 'major'; execution?: 'sync' | 'async' }) => void;

/** Null when this runtime refuses to expose `gc` (then V8's own heuristics apply). */
export function createMinorGc(): (() => void) | null {
  try {
    setFlagsFromString('--expose-gc');
    // A new context sees the flag; the main context was created before it was set.
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc !== 'function') return null;
    return () => (gc as GcFunction)({ type: 'minor' });
  } catch {
    return null;
  }
}
