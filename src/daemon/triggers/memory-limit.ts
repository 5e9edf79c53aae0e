/**
 * `max_memory_restart`: decided on every sample, not on a slow timer. A breach asks for one
 * restart of the process that breached; samples of that same process arriving while it is
 * being stopped must not ask again, and the next process starts with a clean slate.
 */

/** True when a tree's resident bytes pass the limit; no limit (null or <= 0) never triggers. */
export function isOverMemoryLimit(sampleBytes: number, limitBytes: number | null): boolean {
  if (limitBytes === null || !(limitBytes > 0)) return false;
  return sampleBytes > limitBytes;
}

export interface MemoryLimitState {
  /** The pid a restart was already asked for, or null. */
  restartRequestedForPid: number | null;
}

export interface MemoryLimitDecision {
  restart: boolean;
  state: MemoryLimitState;
  /** For the restart event: "memory 312 MB > limit 300 MB". */
  reason: string | null;
}

export const INITIAL_MEMORY_LIMIT_STATE: MemoryLimitState = { restartRequestedForPid: null };

const MB = 1024 * 1024;

/** Decides what one sample of instance `pid` means for its memory limit. */
export function decideMemoryRestart(
  state: MemoryLimitState,
  pid: number,
  sampleBytes: number,
  limitBytes: number | null,
): MemoryLimitDecision {
  if (state.restartRequestedForPid === pid) return { restart: false, state, reason: null };
  // A new pid means the old process is gone: forget the old breach.
  const fresh = state.restartRequestedForPid === null ? state : INITIAL_MEMORY_LIMIT_STATE;
  if (!isOverMemoryLimit(sampleBytes, limitBytes)) return { restart: false, state: fresh, reason: null };
  const reason = `memory ${(sampleBytes / MB).toFixed(1)} MB > limit ${((limitBytes ?? 0) / MB).toFixed(1)} MB`;
  return { restart: true, state: { restartRequestedForPid: pid }, reason };
}
