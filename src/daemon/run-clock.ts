import type { Clock } from '../core/clock.js';
import { TimerSet } from './timers.js';

/**
 * The clocks of an instance's current run: how long it has run, and the timers of its state.
 *
 * A process spawned at its start gate (fork-driver.ts) has not run a line before its go line,
 * so its run counts from then, and what measures the run (min_uptime, the readiness timeout,
 * the watchdog, probes) waits for it through whenRunning. Counted from the spawn, an app of a
 * large start (300 on 2 cores wait ~20 s) showed online before it ran, and one with wait_ready
 * could time out at its gate.
 *
 * Timers belong to the state that armed them: clearAll releases them, and drops what still
 * waits for the go line as well.
 */
export class RunClock<Name extends string> {
  private readonly timers = new TimerSet<Name>();
  /** Counts clearAll calls: what was put off for an earlier state never runs late. */
  private epoch = 0;
  /** Counts processes: the go line of an earlier one changes nothing. */
  private run = 0;
  /** Resolves once the current process left its start gate; null when it runs its own code. */
  private gate: Promise<void> | null = null;
  private startedAtMs = 0;

  constructor(private readonly clock: Clock) {}

  /** A new process: its run starts now, or once `released` resolves (it left its start gate). */
  begin(released?: Promise<void>): void {
    const run = ++this.run;
    this.startedAtMs = this.clock.monotonicMs();
    this.gate =
      released === undefined
        ? null
        : released.then(() => {
            if (run !== this.run) return;
            this.gate = null;
            this.startedAtMs = this.clock.monotonicMs();
          });
  }

  /** A process an earlier daemon started, which has run `ranMs` already. */
  resume(ranMs: number): void {
    this.run += 1;
    this.gate = null;
    this.startedAtMs = this.clock.monotonicMs() - ranMs;
  }

  /** The process is gone. */
  end(): void {
    this.run += 1;
    this.gate = null;
  }

  /** How long the current run has lasted; 0 while its process waits at its gate. */
  runMs(): number {
    return this.gate === null ? this.clock.monotonicMs() - this.startedAtMs : 0;
  }

  /** Runs `fn` now, or once the process has left its start gate, unless clearAll came first. */
  whenRunning(fn: () => void): void {
    const gate = this.gate;
    if (gate === null) {
      fn();
      return;
    }
    const epoch = this.epoch;
    void gate.then(() => {
      if (epoch === this.epoch) fn();
    });
  }

  arm(name: Name, delayMs: number, fire: () => void): void {
    this.timers.arm(name, delayMs, fire);
  }

  clearAll(): void {
    this.epoch += 1;
    this.timers.clearAll();
  }
}
