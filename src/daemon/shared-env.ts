import { isSameEnv } from '../core/same-env.js';

/**
 * Apps started by one command carry the same environment snapshot, each as its own copy from
 * the wire (or from the state file). Snapshots are never mutated (an update replaces one), so
 * equal ones can be one object: a shell's environment of 35 variables and 1.3 KB costs the
 * daemon about 3.5 KB per copy (dictionary-mode object and its strings, from heap snapshots),
 * and real environments are often several times larger.
 */
export type EnvSnapshot = Readonly<Record<string, string>>;

/** An already held snapshot equal to `env`, or `env` itself. */
export function shareEnv<T extends EnvSnapshot>(env: T, held: Iterable<T>): T {
  for (const candidate of held) if (isSameEnv(env, candidate)) return candidate;
  return env;
}
