import { TendError } from '../core/errors.js';

export interface TargetCandidate {
  id: number;
  name: string;
  namespace: string;
}

/**
 * Resolves CLI targets (ids, names, namespaces, `all`) to instance ids, in id order. Every
 * target must match something, so a typo is an error rather than a silent no-op.
 */
export function resolveTargets(targets: readonly string[], candidates: readonly TargetCandidate[]): number[] {
  if (targets.length === 0) throw new TendError('INVALID_ARGUMENT', 'no target given (an id, a name, a namespace or "all")');
  const selected = new Set<number>();
  for (const target of targets) {
    const matches = matchTarget(target, candidates);
    // `all` with nothing registered is an empty selection, not a typo.
    if (matches.length === 0 && target !== 'all') throw new TendError('APP_NOT_FOUND', `no app or process matches "${target}"`);
    for (const id of matches) selected.add(id);
  }
  return [...selected].sort((a, b) => a - b);
}

function matchTarget(target: string, candidates: readonly TargetCandidate[]): number[] {
  if (target === 'all') return candidates.map((c) => c.id);
  if (/^\d+$/.test(target)) {
    const id = Number(target);
    return candidates.filter((c) => c.id === id).map((c) => c.id);
  }
  const byName = candidates.filter((c) => c.name === target);
  if (byName.length > 0) return byName.map((c) => c.id);
  return candidates.filter((c) => c.namespace === target).map((c) => c.id);
}
