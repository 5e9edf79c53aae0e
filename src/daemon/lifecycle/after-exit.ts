import type { RestartCause } from '../../core/instance-info.js';
import { decideOnExit } from '../restart-policy.js';
import type { Effect, Transition, TransitionFacts } from './states.js';

export interface FailedRun {
  /** The run never got ready (readiness timeout, exit before `ready`, spawn error): unstable whatever its length. */
  failedStart: boolean;
  /** Why, for describe and the give-up reason. */
  failReason: string | null;
  /** The cause the restart is recorded with. */
  cause: RestartCause;
  /** A process ran and exited (not a spawn that failed): its exit is noted and its leftovers killed. */
  running?: boolean;
  /** How long a process the daemon stopped itself (failed health check) had run. */
  ranMs?: number;
}

/**
 * An instance ended on its own (or could not be spawned by an automatic restart): the restart
 * policy decides between a restart after a delay, done, and giving up.
 */
export function afterExit(exit: { code: number | null; signal: string | null }, facts: TransitionFacts, run: FailedRun): Transition {
  const effects: Effect[] = [];
  if (run.running === true) {
    effects.push(
      { type: 'noteExit', code: exit.code, signal: exit.signal },
      { type: 'record', event: 'exited', cause: null, detail: null },
      { type: 'killLeftovers' },
      { type: 'releaseProcess' },
    );
  }
  const decision = decideOnExit(facts.policy, facts.policyHistory, { ...exit, uptimeMs: run.running === true ? facts.uptimeMs : (run.ranMs ?? 0), failedStart: run.failedStart });
  effects.push({ type: 'setPolicyHistory', history: decision.history });
  if (decision.action === 'restart') {
    effects.push(
      { type: 'record', event: 'restart-scheduled', cause: run.cause, detail: `in ${decision.delayMs} ms${run.failReason ? `: ${run.failReason}` : ''}` },
      { type: 'arm', timer: 'restart', delayMs: decision.delayMs },
    );
    return { next: { name: 'waiting', cause: run.cause }, effects };
  }
  if (decision.action === 'done') {
    effects.push({ type: 'settleStops' });
    return { next: { name: 'exited' }, effects };
  }
  const last = exit.signal !== null ? `signal ${exit.signal}` : exit.code !== null ? `code ${exit.code}` : null;
  const reason = [run.failReason, decision.reason, last !== null ? `last exit: ${last}` : null].filter((part) => part !== null).join('; ');
  effects.push({ type: 'record', event: 'errored', cause: null, detail: reason }, { type: 'settleStops' });
  return { next: { name: 'errored', reason }, effects };
}
