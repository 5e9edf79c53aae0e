import { openSync, readSync } from 'node:fs';
import { parseSchedstat } from '../core/schedstat.js';

/**
 * How long the daemon's main thread has waited, runnable, for a CPU: the second field of its
 * /proc/<pid>/task/<pid>/schedstat (ns, cumulative; the main thread's id is the pid). A write
 * that took long because the thread was preempted (a busy machine) is told apart from one the
 * disk held up (a blocked thread is not runnable, so it does not count here).
 *
 * Returns a reader of that figure in ms, or null where the kernel does not give it. The file is
 * opened once and read again at offset 0 (the kernel renders it afresh): ~3 µs a read here, one
 * per inline write (a 64 KiB chunk of a flood, or a single line of a quiet app).
 */
export function mainThreadRunQueueWait(): (() => number) | null {
  if (process.platform !== 'linux') return null;
  let fd: number;
  try {
    fd = openSync(`/proc/${process.pid}/task/${process.pid}/schedstat`, 'r');
  } catch {
    return null;
  }
  const buffer = Buffer.alloc(96);
  const read = (): number | null => {
    try {
      const stat = parseSchedstat(buffer.toString('latin1', 0, readSync(fd, buffer, 0, buffer.length, 0)));
      return stat === null ? null : stat.waitingNs / 1e6;
    } catch {
      return null;
    }
  };
  // A kernel without scheduler statistics gives 0 throughout: nothing is taken off a write then.
  if (read() === null) return null;
  return () => read() ?? 0;
}

let shared: (() => number) | null | undefined;

/** One reader for the whole process (its file stays open for the daemon's life). */
export function sharedRunQueueWait(): (() => number) | null {
  if (shared === undefined) shared = mainThreadRunQueueWait();
  return shared;
}
