/**
 * A fixed-capacity FIFO that overwrites its oldest entry when full. Storage is allocated once,
 * so a push costs no allocation beyond the item the caller made: the sampler pushes one sample
 * per instance per second for the daemon's whole life.
 */
export class RingBuffer<T> {
  readonly capacity: number;
  private readonly slots: (T | undefined)[];
  /** Index of the slot the next push writes. */
  private head = 0;
  private count = 0;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) {
      throw new RangeError(`RingBuffer capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.slots = new Array<T | undefined>(capacity).fill(undefined);
  }

  get size(): number {
    return this.count;
  }

  push(item: T): void {
    this.slots[this.head] = item;
    this.head = (this.head + 1) % this.capacity;
    if (this.count < this.capacity) this.count += 1;
  }

  /** The most recent item, or undefined when empty. */
  last(): T | undefined {
    if (this.count === 0) return undefined;
    return this.slots[(this.head - 1 + this.capacity) % this.capacity];
  }

  /** The item `index` places from the oldest (0 = oldest), or undefined when out of range. */
  at(index: number): T | undefined {
    if (!Number.isInteger(index) || index < 0 || index >= this.count) return undefined;
    return this.slots[(this.head - this.count + index + this.capacity) % this.capacity];
  }

  /** A copy, oldest first. Copying keeps callers from seeing later overwrites. */
  toArray(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.count; i += 1) out.push(this.at(i) as T);
    return out;
  }

  clear(): void {
    // Drop references so cleared samples can be collected.
    this.slots.fill(undefined);
    this.head = 0;
    this.count = 0;
  }
}
