/**
 * When a FileWriter may write on the event loop (a synchronous write(2)) instead of queueing
 * the lines for the thread pool.
 *
 * A flood's chunk is at most ~64 KiB (one pipe read); written to the page cache it takes tens
 * of microseconds, less than handing it to a pool thread and waking the loop afterwards.
 * Measured with 2M 100-byte lines (one app, a harness of the real classes, medians of 6 runs):
 * CPU ~700 -> ~590 ms from this alone, and the app's pipe is no longer paused and resumed
 * hundreds of times, because nothing queues up. The queue stays for everything
 * else: a backlog (order), an open/rotate/reopen in flight, a device or FIFO (a write there can
 * block for ever), a file system that is not known to be local (a write to NFS, SMB or FUSE can
 * wait for as long as the server is away), a big batch, and a disk that has just shown itself slow.
 */

/** Larger batches (JSON-decorated floods, merged files) go through the queue. */
export const MAX_INLINE_BYTES = 256 * 1024;
/**
 * A write to the page cache takes well under a millisecond; one taking longer than this means
 * the kernel is throttling or the disk (or network file system) is slow. Preemption on a busy
 * 2-core machine was measured at up to ~5 ms, so the threshold sits above that.
 */
export const SLOW_INLINE_WRITE_MS = 10;
/** After a slow write, every write goes through the queue for this long, then one is tried again. */
export const INLINE_BACKOFF_MS = 1000;

/**
 * Linux `statfs` magic numbers (linux/magic.h) of local disk and memory file systems. Anything
 * else, network and FUSE file systems included, and every other OS, keeps the queue.
 */
const LOCAL_FILE_SYSTEMS: ReadonlySet<number> = new Set([
  0xef53, // ext2, ext3, ext4
  0x58465342, // xfs
  0x9123683e, // btrfs
  0x2fc12fc1, // zfs
  0xf2f52010, // f2fs
  0xca451a4e, // bcachefs
  0x01021994, // tmpfs
  0x858458f6, // ramfs
  0x794c7630, // overlayfs (containers)
]);

/** True when `statfs().type` names a local file system where a write lands in the page cache. */
export function isLocalFileSystem(type: number | bigint): boolean {
  return process.platform === 'linux' && LOCAL_FILE_SYSTEMS.has(Number(type) >>> 0);
}

export interface InlineWriteState {
  /** Nothing queued and no file operation in flight, so writing now keeps the order. */
  idle: boolean;
  open: boolean;
  /** A regular file on a local file system (see isLocalFileSystem). */
  localFile: boolean;
  rotationDue: boolean;
  bytes: number;
  nowMs: number;
  /** Inline writes are off until then (after a slow one). */
  offUntilMs: number;
}

export function canWriteInline(state: InlineWriteState): boolean {
  return (
    state.idle &&
    state.open &&
    state.localFile &&
    !state.rotationDue &&
    state.bytes <= MAX_INLINE_BYTES &&
    state.nowMs >= state.offUntilMs
  );
}

/** When inline writes are off until, and when the last slow one was. */
export interface InlineBackoff {
  offUntilMs: number;
  lastSlowMs: number;
}

export const NO_BACKOFF: InlineBackoff = { offUntilMs: -Infinity, lastSlowMs: -Infinity };

/**
 * After an inline write that took `elapsedMs`, of which the daemon's thread spent `preemptedMs`
 * runnable but off its CPU (see run-queue-wait.ts; 0 where unknown): inline writes are turned
 * off for INLINE_BACKOFF_MS once two writes within that span were slow by themselves. Time the
 * thread waited for a CPU says nothing of the disk, and every switch to the queue opens a window
 * in which a SIGKILLed daemon loses the lines still queued: on a busy 2-core machine preemptions
 * of 10-30 ms come in runs, and counted as slow writes they put the log behind the queue for
 * seconds at a time. Where the wait is unknown, one slow write alone is still forgiven (most
 * often a preemption). A disk that is really slow is slow at every write, and is found by the
 * second.
 */
export function afterInlineWrite(elapsedMs: number, nowMs: number, state: InlineBackoff, preemptedMs = 0): InlineBackoff {
  if (elapsedMs - preemptedMs <= SLOW_INLINE_WRITE_MS) return state;
  const offUntilMs = nowMs - state.lastSlowMs <= INLINE_BACKOFF_MS ? nowMs + INLINE_BACKOFF_MS : state.offUntilMs;
  return { offUntilMs, lastSlowMs: nowMs };
}
