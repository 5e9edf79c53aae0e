/**
 * Every problem of a config, not only the first: `tend validate` lists them all, one line each,
 * while `start` and the other commands show the first (the error's own message stays one line).
 */
import { TendError } from '../core/errors.js';

/** A config error that carries each problem found; its message and code are the first one's. */
export class ConfigProblems extends TendError {
  readonly problems: readonly TendError[];
  /** Warnings found along the way (unknown options), which `validate` shows with the problems. */
  readonly warnings: readonly string[];

  constructor(problems: readonly TendError[], warnings: readonly string[] = []) {
    const first = problems[0];
    if (first === undefined) throw new Error('ConfigProblems needs at least one problem');
    super(first.code, first.message, { cause: first });
    this.problems = problems;
    this.warnings = warnings;
  }
}

/** Each problem an error stands for: the collected ones, or the error itself. */
export function problemsOf(error: TendError): readonly TendError[] {
  return error instanceof ConfigProblems ? error.problems : [error];
}

/**
 * Collects the TendErrors a sequence of checks throws. A check that fails yields undefined, so
 * the checks that depend on its value are skipped instead of reporting follow-on noise.
 */
export class ProblemList {
  readonly items: TendError[] = [];
  readonly warnings: string[] = [];

  attempt<T>(check: () => T): T | undefined {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof TendError)) throw error;
      this.items.push(...problemsOf(error));
      if (error instanceof ConfigProblems) this.warnings.push(...error.warnings);
      return undefined;
    }
  }

  add(error: TendError): void {
    this.items.push(error);
  }

  get isEmpty(): boolean {
    return this.items.length === 0;
  }

  /** Throws them all at once, when there is any, with the warnings gathered so far. */
  throwIfAny(warnings: readonly string[] = []): void {
    if (this.items.length > 0) throw new ConfigProblems(this.items, [...this.warnings, ...warnings]);
  }
}
