/** Keeps the last `capacity` items pushed. */
export class BoundedList<T> {
  private items: T[] = [];
  /** The last tail() answer, kept until the list changes: one array (and one cached JSON text of it) per change. */
  private lastTail: { count: number; items: readonly T[] } | null = null;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
    this.lastTail = null;
  }

  last(): T | undefined {
    return this.items[this.items.length - 1];
  }

  /** Oldest first, without a copy (a list row reads it for every instance). */
  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  toArray(): T[] {
    return [...this.items];
  }

  /**
   * The last `count` items, as the same frozen array until the list changes: the state file
   * keeps an instance's entry while its history is the same array (see PersistedInstances).
   */
  tail(count: number): readonly T[] {
    if (this.lastTail?.count !== count) this.lastTail = { count, items: Object.freeze(this.items.slice(-count)) };
    return this.lastTail.items;
  }

  clear(): void {
    this.items = [];
    this.lastTail = null;
  }
}
