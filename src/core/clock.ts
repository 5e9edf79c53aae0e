/** Time sources, injectable so decisions can be tested with fixed values. */
export interface Clock {
  /** Monotonic milliseconds, for durations and timers. */
  monotonicMs(): number;
  /** Wall-clock milliseconds since the epoch, for what people read. */
  wallMs(): number;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallMs: () => Date.now(),
};
