/** Samples kept per instance: one a second, so about a minute of charts. */
export const DEFAULT_HISTORY_POINTS = 60;

/** Appends to a bounded list, dropping the oldest entries; returns the same array. */
export function pushBounded<T>(list: T[], value: T, capacity: number): T[] {
  list.push(value);
  if (list.length > capacity) list.splice(0, list.length - capacity);
  return list;
}

interface Series {
  cpu: number[];
  memoryBytes: number[];
}

export interface Sample {
  id: number;
  cpu: number;
  memory: number;
}

/**
 * CPU and memory per instance id, kept by the dashboard from its own once-a-second polling of
 * `list()`, so monit needs nothing from the daemon beyond the last sample.
 */
export class MetricsHistory {
  private readonly series = new Map<number, Series>();

  constructor(private readonly capacity = DEFAULT_HISTORY_POINTS) {}

  /** Records one poll; ids missing from it (deleted instances) are forgotten. */
  record(samples: readonly Sample[]): void {
    const seen = new Set<number>();
    for (const sample of samples) {
      seen.add(sample.id);
      let series = this.series.get(sample.id);
      if (!series) {
        series = { cpu: [], memoryBytes: [] };
        this.series.set(sample.id, series);
      }
      pushBounded(series.cpu, sample.cpu, this.capacity);
      pushBounded(series.memoryBytes, sample.memory, this.capacity);
    }
    for (const id of [...this.series.keys()]) if (!seen.has(id)) this.series.delete(id);
  }

  cpu(id: number): readonly number[] {
    return this.series.get(id)?.cpu ?? [];
  }

  memory(id: number): readonly number[] {
    return this.series.get(id)?.memoryBytes ?? [];
  }
}
