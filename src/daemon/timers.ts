/**
 * Node's timers hold at most 2^31-1 ms (~24.8 days); a longer delay fires after 1 ms. A
 * longer one is waited for in steps, so `kill_timeout: '30d'` means thirty days.
 */
export const MAX_TIMER_STEP_MS = 2 ** 31 - 1;

/** Named one-shot timers owned by one state holder, so leaving a state releases what it armed. */
export class TimerSet<Name extends string> {
  private readonly timers = new Map<Name, NodeJS.Timeout>();

  arm(name: Name, delayMs: number, fire: () => void): void {
    this.clear(name);
    const remaining = Math.max(0, delayMs);
    const step = Math.min(remaining, MAX_TIMER_STEP_MS);
    const timer = setTimeout(() => {
      this.timers.delete(name);
      if (remaining > step) this.arm(name, remaining - step, fire);
      else fire();
    }, step);
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

/**
 * Calls `fn` once the event loop has polled its sockets again. An immediate set while I/O
 * callbacks run (a request being handled, a spawn or file operation that finished) fires in
 * that same iteration of the loop, before the next poll, so a ping that arrived meanwhile still
 * waits; an immediate set from another immediate fires in the next iteration, after its poll.
 * Two in a row get past a poll from any phase.
 */
export function afterPollThen(fn: () => void): void {
  setImmediate(() => setImmediate(fn));
}

/** Resolves once the event loop has polled its sockets again (afterPollThen). */
export function afterPoll(): Promise<void> {
  return new Promise((resolve) => afterPollThen(resolve));
}
