import type { AppSpec } from '../core/app-spec.js';

/**
 * The exact environment one instance gets: the CLI's snapshot, then the configured env, then
 * tend's documented variables. Nothing else of the daemon's own environment leaks in.
 */
export function buildInstanceEnv(
  baseEnv: Readonly<Record<string, string>>,
  spec: Pick<AppSpec, 'env' | 'name' | 'instanceVar' | 'incrementVar'>,
  id: number,
  instance: number,
): Record<string, string> {
  const env: Record<string, string> = { ...baseEnv, ...spec.env };
  env.TEND_APP_NAME = spec.name;
  env.TEND_ID = String(id);
  env[spec.instanceVar] = String(instance);
  if (spec.incrementVar) {
    const start = Number(env[spec.incrementVar]);
    if (Number.isFinite(start)) env[spec.incrementVar] = String(start + instance);
  }
  return env;
}
