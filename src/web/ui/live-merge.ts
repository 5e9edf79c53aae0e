import type { InstanceInfo, MetricsEvent } from './types.js';

/**
 * How the page's process table follows the stream: `processes` replaces it, `instance`
 * replaces one row, `metrics` changes cpu and memory of the rows it names, and the page's own
 * clock moves the uptimes on. Pure, so the merging is unit-tested without a browser.
 */

export function mergeInstance(list: readonly InstanceInfo[], info: InstanceInfo): InstanceInfo[] {
  const index = list.findIndex((i) => i.id === info.id);
  if (index === -1) return [...list, info].sort((a, b) => a.id - b.id);
  const next = list.slice();
  next[index] = info;
  return next;
}

/**
 * The daemon names only the instances whose figures changed: the other rows keep theirs, which
 * are still true. Ids the table does not hold are left out; their row comes with an `instance`
 * or `processes` event.
 */
export function applyMetrics(list: readonly InstanceInfo[], event: MetricsEvent): InstanceInfo[] {
  const changed = new Map<number, number>();
  event.ids.forEach((id, k) => changed.set(id, k));
  return list.map((row) => {
    const k = changed.get(row.id);
    if (k === undefined) return row;
    return { ...row, cpu: event.cpu[k] ?? row.cpu, memory: event.memory[k] ?? row.memory };
  });
}

/** Every row's uptime as `list` would give it at `atMs`; unchanged rows stay the same objects. */
export function withUptimes(list: readonly InstanceInfo[], atMs: number): InstanceInfo[] {
  return list.map((row) => {
    const uptime = uptimeAt(row, atMs);
    return uptime === row.uptime_ms ? row : { ...row, uptime_ms: uptime };
  });
}

/**
 * What `list` would say at `atMs` (the daemon's clock, so a browser with a wrong clock still
 * shows the right figure): time since the last start while the instance runs, else 0.
 */
export function uptimeAt(row: InstanceInfo, atMs: number): number {
  const running = row.status === 'online' || row.status === 'launching';
  return running && row.started_at !== null ? Math.max(0, atMs - row.started_at) : 0;
}
