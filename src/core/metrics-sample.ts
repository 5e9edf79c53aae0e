/** One instance's process tree at one sampler tick (also a point of `metrics.history`). */
export interface Sample {
  /** Percent of one core over the last interval, whole tree (may pass 100 on several cores). */
  cpuPercent: number;
  /** Resident bytes of the whole tree. */
  memoryBytes: number;
  /** Wall time, ms since the epoch. */
  at: number;
}

/** The machine at one sampler tick (the reply of `metrics.host`). */
export interface HostSample {
  /** Busy share of all cores together, 0-100. */
  cpuPercent: number;
  memoryTotalBytes: number;
  memoryAvailableBytes: number;
  at: number;
}
