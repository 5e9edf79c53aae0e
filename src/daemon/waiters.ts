/** Callers waiting for one kind of moment (an instance stopped, a process started). */
export class Waiters {
  private pending: Array<() => void> = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.pending.push(resolve));
  }

  resolveAll(): void {
    const pending = this.pending;
    this.pending = [];
    for (const resolve of pending) resolve();
  }
}
