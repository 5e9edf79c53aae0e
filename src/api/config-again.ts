import type { IpcClient } from '../ipc/client.js';
import { resolveStart, type ResolvedStart, type StartInput } from './resolve-start.js';
import type { NoteListener } from './start-apps.js';

/**
 * A config file given again to `restart`, `reload` or `startOrRestart`: each registered app
 * keeps the env_<name> it was started with unless an env is named, so a production app never
 * falls back to its default env (and port) because a flag was forgotten. Says which env applies.
 */
export async function resolveConfigAgain(ipc: Pick<IpcClient, 'request'>, input: StartInput, onNote: NoteListener, resolved?: ResolvedStart): Promise<ResolvedStart> {
  const first = resolved ?? (await resolveStart(input));
  if (input.envName !== undefined) {
    onNote(`env_${input.envName} applies to ${first.apps.map((a) => a.spec.name).join(', ')}`);
    return first;
  }
  const registered = new Set((await ipc.request('list')).map((i) => i.name));
  const names = first.apps.map((a) => a.spec.name).filter((name) => registered.has(name));
  if (names.length === 0) return first;
  const remembered = new Map((await ipc.request('describe', { targets: names })).map((d) => [d.info.name, d.spec.envName ?? null]));
  const byEnv = new Map<string, ResolvedStart>();
  for (const envName of new Set([...remembered.values()].filter((e): e is string => e !== null))) {
    byEnv.set(envName, await resolveStart({ ...input, envName }));
  }
  const apps = first.apps.map((app) => {
    const envName = remembered.get(app.spec.name) ?? null;
    const again = envName === null ? undefined : byEnv.get(envName)?.apps.find((a) => a.spec.name === app.spec.name);
    if (!again) return app;
    onNote(`${app.spec.name}: env_${envName} applies, as when it was started (--env <name> picks another)`);
    return again;
  });
  return { ...first, apps };
}
