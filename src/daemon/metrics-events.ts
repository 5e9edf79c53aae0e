import type { Clock } from '../core/clock.js';
import type { InstanceInfo } from '../core/instance-info.js';
import type { MetricsEvent } from '../core/web.js';

/**
 * Every other tick of the 1 s sampler: the pace the dashboard always had (2 s), with room for
 * timer jitter between two ticks.
 */
export const METRICS_EVENT_MIN_GAP_MS = 1500;

/** The figures of every listed instance at one tick, in `list` order. */
export interface MetricsSnapshot {
  ids: number[];
  cpu: number[];
  memory: number[];
}

export function snapshotOf(list: readonly InstanceInfo[]): MetricsSnapshot {
  const snapshot: MetricsSnapshot = { ids: [], cpu: [], memory: [] };
  for (const info of list) {
    snapshot.ids.push(info.id);
    snapshot.cpu.push(info.cpu);
    snapshot.memory.push(info.memory);
  }
  return snapshot;
}

/**
 * The event that brings a subscriber from `previous` (what the last event left it with) to
 * `current`, or null when nothing changed. When instances came or went, or there is no
 * previous event, it names every instance and says `listChanged`.
 */
export function diffMetrics(previous: MetricsSnapshot | null, current: MetricsSnapshot, at: number): MetricsEvent | null {
  if (previous === null || !sameIds(previous.ids, current.ids)) return { at, ...current, listChanged: true };
  const event: MetricsEvent = { at, ids: [], cpu: [], memory: [], listChanged: false };
  current.ids.forEach((id, k) => {
    const cpu = current.cpu[k] ?? 0;
    const memory = current.memory[k] ?? 0;
    if (cpu === previous.cpu[k] && memory === previous.memory[k]) return;
    event.ids.push(id);
    event.cpu.push(cpu);
    event.memory.push(memory);
  });
  return event.ids.length > 0 ? event : null;
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((id, k) => id === b[k]);
}

export interface MetricsEventsDeps {
  /** The rows `list` would return now. */
  list(): InstanceInfo[];
  hasSubscribers(): boolean;
  send(event: MetricsEvent): void;
  clock: Clock;
}

/**
 * Pushes `metrics` events after sampler ticks while a connection subscribes (the dashboard,
 * while a page is open). A push rides on the sampler's own wake-up, and nothing is sent while
 * the figures stay the same. The dashboard used to ask for the whole list every 2 s: with 50
 * idle apps that request, its reply and the re-encoding for the page cost the daemon about a
 * tenth of its own CPU (issue 8), and so did a compact reply, since the wake-up and the round
 * trip were most of it.
 */
export class MetricsEvents {
  private previous: MetricsSnapshot | null = null;
  private lastCheckAt = -Infinity;

  constructor(private readonly deps: MetricsEventsDeps) {}

  /** Call after every sampler tick. */
  sampled(): void {
    if (!this.deps.hasSubscribers()) {
      // The next subscriber starts from nothing: its first event lists every instance.
      this.previous = null;
      return;
    }
    const now = this.deps.clock.monotonicMs();
    if (now - this.lastCheckAt < METRICS_EVENT_MIN_GAP_MS) return;
    this.lastCheckAt = now;
    const current = snapshotOf(this.deps.list());
    const event = diffMetrics(this.previous, current, this.deps.clock.wallMs());
    if (!event) return;
    this.previous = current;
    this.deps.send(event);
  }
}
