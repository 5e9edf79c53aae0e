import type { AppSpec } from '../../core/app-spec.js';
import type { TransitionFacts } from './states.js';

type ReadinessSpec = Pick<AppSpec, 'waitReady' | 'readyProtocol' | 'readiness' | 'listenTimeoutMs'>;

/** The app's one explicit readiness contract, if it has one (config allows only one). */
export function readyContract(spec: ReadinessSpec): TransitionFacts['readyKind'] {
  if (spec.readiness) return 'probe';
  if (spec.readyProtocol) return spec.readyProtocol;
  return spec.waitReady ? 'ready' : null;
}

/**
 * How long a start may take to meet its contract: listen_timeout, and for a readiness probe
 * at least the time its first success_threshold checks need (initial delay, periods, timeout),
 * so a probe every 10 s is not failed by a 3 s listen_timeout before it could ever pass.
 */
export function readyTimeoutMs(spec: ReadinessSpec): number {
  const probe = spec.readiness;
  if (!probe) return spec.listenTimeoutMs;
  return Math.max(spec.listenTimeoutMs, probe.initialDelayMs + probe.periodMs * probe.successThreshold + probe.timeoutMs);
}

const CONTRACT_WORDS: Record<NonNullable<TransitionFacts['readyKind']>, string> = {
  ready: 'did not send "ready"',
  notify: 'did not send READY=1 (sd_notify)',
  fd: 'did not write a line to READY_FD',
  probe: 'did not pass its readiness probe',
};

export function describeUnready(facts: TransitionFacts): string {
  return facts.readyKind === null ? 'was not ready' : CONTRACT_WORDS[facts.readyKind];
}
