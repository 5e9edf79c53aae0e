import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Instances one daemon runs at most, all apps together, unless TEND_HOME/config.json says
 * otherwise: `{"limits": {"max_instances": 8000}}`. Each instance costs the daemon a few
 * descriptors and a little memory, so a typo like `instances: 100000` is refused with an error
 * instead of spawning until the machine gives out.
 */
export const DEFAULT_MAX_INSTANCES = 4096;

const cache = new Map<string, number>();

/** `limits.max_instances` of `tendHome`'s config.json, or the default; a bad value throws naming the key. */
export function readMaxInstances(tendHome: string): number {
  const cached = cache.get(tendHome);
  if (cached !== undefined) return cached;
  let text: string;
  try {
    text = readFileSync(join(tendHome, 'config.json'), 'utf8');
  } catch {
    return DEFAULT_MAX_INSTANCES;
  }
  const limits = (JSON.parse(text) as { limits?: { max_instances?: unknown } } | null)?.limits;
  const value = limits?.max_instances;
  if (value === undefined) return DEFAULT_MAX_INSTANCES;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw new RangeError(`${join(tendHome, 'config.json')}: limits.max_instances must be a whole number of 1 or more, got ${JSON.stringify(value)}`);
  }
  cache.set(tendHome, value);
  return value;
}

/** The one-line reason a count is refused. */
export function instanceLimitMessage(wanted: number, max: number): string {
  return `${wanted} instances would be over the limit of ${max} (limits.max_instances in TEND_HOME/config.json)`;
}
