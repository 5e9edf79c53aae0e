/** Keeps the last `capacity` items pushed. */
export class BoundedList<T> {
  private items: T[] = [];

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    this.items.push(item);
    if (this.items.length > this.capacity) this.items.splice(0, this.items.length - this.capacity);
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

  clear(): void {
    this.items = [];
  }
}
