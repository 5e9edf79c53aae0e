import type { Metric } from './report.js';

export interface Scenario {
  name: string;
  /** One line for `--list` and the README. */
  summary: string;
  run(log: (line: string) => void): Promise<Metric[]>;
}

/** Thrown by a scenario whose feature the build does not have yet: reported as skipped, not failed. */
export class SkipScenario extends Error {}
