import type { TendClient } from '../api/client.js';
import { resolveStart, type ResolvedStart, type StartInput } from '../api/resolve-start.js';
import { printNote } from './output.js';

/**
 * A config file given again to `restart`, `reload` or `startOrRestart`: each registered app
 * keeps the env_<name> it was started with unless `--env` names another, so a production app
 * never falls back to its default env (and port) because a flag was forgotten. Says which env
 * applies.
 */
export async function resolveConfigAgain(client: TendClient, input: StartInput, resolved?: ResolvedStart): Promise<ResolvedStart> {
  const first = resolved ?? (await resolveStart(input));
  if (input.envName !== undefined) {
    printNote(`env_${input.envName} applies to ${first.apps.map((a) => a.spec.name).join(', ')}`);
    return first;
  }
  const registered = new Set((await client.list()).map((i) => i.name));
  const names = first.apps.map((a) => a.spec.name).filter((name) => registered.has(name));
  if (names.length === 0) return first;
  const remembered = new Map((await client.describe(names)).map((d) => [d.info.name, d.spec.envName ?? null]));
  const byEnv = new Map<string, ResolvedStart>();
  for (const envName of new Set([...remembered.values()].filter((e): e is string => e !== null))) {
    byEnv.set(envName, await resolveStart({ ...input, envName }));
  }
  const apps = first.apps.map((app) => {
    const envName = remembered.get(app.spec.name) ?? null;
    const again = envName === null ? undefined : byEnv.get(envName)?.apps.find((a) => a.spec.name === app.spec.name);
    if (!again) return app;
    printNote(`${app.spec.name}: env_${envName} applies, as when it was started (--env <name> picks another)`);
    return again;
  });
  return { ...first, apps };
}
