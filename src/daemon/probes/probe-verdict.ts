/**
 * Kubernetes' threshold rule for one probe, as a pure step: a probe turns passing after
 * success_threshold passes in a row and failing after failure_threshold failures in a row;
 * until the first verdict it is neither.
 */
export interface ProbeCounter {
  passing: boolean | null;
  successes: number;
  failures: number;
}

export const INITIAL_COUNTER: ProbeCounter = { passing: null, successes: 0, failures: 0 };

export interface Thresholds {
  successThreshold: number;
  failureThreshold: number;
}

/** The counter after one check, and the verdict when it turns: once per streak that reaches its threshold. */
export function countCheck(counter: ProbeCounter, ok: boolean, limits: Thresholds): { counter: ProbeCounter; verdict: 'passed' | 'failed' | null } {
  if (ok) {
    const successes = counter.successes + 1;
    const turns = successes === limits.successThreshold && counter.passing !== true;
    return { counter: { passing: successes >= limits.successThreshold ? true : counter.passing, successes, failures: 0 }, verdict: turns ? 'passed' : null };
  }
  const failures = counter.failures + 1;
  const turns = failures === limits.failureThreshold;
  return { counter: { passing: failures >= limits.failureThreshold ? false : counter.passing, successes: 0, failures }, verdict: turns ? 'failed' : null };
}
