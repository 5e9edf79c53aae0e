/** Named one-shot timers owned by one state holder, so leaving a state releases what it armed. */
export class TimerSet<Name extends string> {
  private readonly timers = new Map<Name, NodeJS.Timeout>();

  arm(name: Name, delayMs: number, fire: () => void): void {
    this.clear(name);
    const timer = setTimeout(() => {
      this.timers.delete(name);
      fire();
    }, Math.max(0, delayMs));
    this.timers.set(name, timer);
  }

  clear(name: Name): void {
    const timer = this.timers.get(name);
    if (timer) clearTimeout(timer);
    this.timers.delete(name);
  }

  isArmed(name: Name): boolean {
    return this.timers.has(name);
  }

  clearAll(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }
}
