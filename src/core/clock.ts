/** Time sources, injectable so decisions can be tested with fixed values. */
export interface Clock {
  /** Monotonic milliseconds, for durations and timers. */
  monotonicMs(): number;
  /** Wall-clock milliseconds since the epoch, for what people read. */
  wallMs(): number;
}

export const systemClock: Clock = {
  // process.hrtime rather than performance.now: the `performance` global loads perf_hooks and
  // its ~10 internal modules on first use (0.25 MiB of the daemon's RSS, measured).
  monotonicMs: () => Number(process.hrtime.bigint()) / 1e6,
  wallMs: () => Date.now(),
};
