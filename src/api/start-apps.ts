/**
 * What `start` does with resolved apps, for the CLI and the API alike: new apps start; an app
 * whose name is registered restarts (script starts, or `updateEnv`) or is started again if
 * stopped (config starts); a script that already runs under another name is refused.
 */
import type { InstanceInfo } from '../core/instance-info.js';
import { TendError } from '../core/errors.js';
import type { IpcClient } from '../ipc/client.js';
import type { StartEntry } from '../ipc/methods.js';
import type { ReloadResult } from '../ipc/replies.js';
import { packStartEntries } from '../ipc/start-envs.js';
import type { ResolvedStart } from './resolve-start.js';

/** Receives the remarks a command makes on the way (the CLI prints them on stderr). */
export type NoteListener = (note: string) => void;

type Ipc = Pick<IpcClient, 'request'>;

export interface StartBehaviour {
  /** The apps came from a script (not a config file): a registered name is restarted. */
  fromScript: boolean;
  /** The name was given (`--name`): another copy of a running script is wanted. */
  explicitName: boolean;
  /** Registered apps restart with this start's options and environment. */
  updateEnv: boolean;
  /** The daemon replies once every instance started is online, or fails with the reason one is not. */
  wait: boolean;
  onNote: NoteListener;
}

/** Starts resolved apps as `tend start` does; returns the instances started or restarted. */
export async function startResolvedApps(ipc: Ipc, resolved: ResolvedStart, how: StartBehaviour): Promise<InstanceInfo[]> {
  const list = await ipc.request('list');
  const registered = new Set(list.map((i) => i.name));
  const fresh = resolved.apps.filter((a) => !registered.has(a.spec.name));
  const known = resolved.apps.filter((a) => registered.has(a.spec.name));
  // An explicit --name asks for another copy; a name derived from the script does not.
  if (how.fromScript && !how.explicitName) {
    for (const { spec } of fresh) {
      const copy = spec.force ? undefined : findRunningCopy(list, spec.script, spec.name);
      if (copy) {
        throw new TendError('APP_EXISTS', `${spec.script} already runs as "${copy.name}" (id ${copy.id}); add -f to start another copy, or run \`tend restart ${copy.name}\``);
      }
    }
  }
  const wait = how.wait ? { wait: true } : {};
  const started = fresh.length > 0 ? await ipc.request('start', { ...packStartEntries(fresh), ...wait }) : [];
  if (known.length === 0) return started;
  const names = known.map((a) => a.spec.name);
  if (how.fromScript || how.updateEnv) {
    started.push(...(await ipc.request('restart', { targets: names, ...(how.updateEnv ? { apps: known } : {}), ...wait })));
    for (const name of names) {
      how.onNote(`${name} was already registered: restarted it ${how.updateEnv ? 'with the options and environment of this command' : "with its saved options and environment (--update-env applies this command's)"}`);
    }
    return started;
  }
  const running = new Set(list.filter((i) => i.status === 'online' || i.status === 'launching').map((i) => i.name));
  for (const name of names.filter((n) => running.has(n))) how.onNote(`${name} already runs: left as it is (\`tend restart <file>\` applies the file)`);
  started.push(...(await ipc.request('start', { ...packStartEntries(known), ...wait })));
  return started;
}

/**
 * The apps of a config file that are not registered are started; the others are restarted (or
 * reloaded) with the file's options and a fresh environment. This is PM2's meaning of
 * `startOrRestart <file>` and also of `restart <file>` / `reload <file>`, which deploy scripts
 * run right after adding an app to the file.
 */
export async function startOrUpdate(ipc: Ipc, apps: StartEntry[], action: 'restart' | 'reload', wait = false): Promise<ReloadResult> {
  const registered = new Set((await ipc.request('list')).map((i) => i.name));
  const fresh = apps.filter((a) => !registered.has(a.spec.name));
  const known = apps.filter((a) => registered.has(a.spec.name));
  const waiting = wait ? { wait: true } : {};
  const instances = fresh.length > 0 ? await ipc.request('start', { ...packStartEntries(fresh), ...waiting }) : [];
  if (known.length === 0) return { instances, restartedForkApps: [] };
  const targets = known.map((a) => a.spec.name);
  if (action === 'restart') {
    return { instances: [...instances, ...(await ipc.request('restart', { targets, apps: known, ...waiting }))], restartedForkApps: [] };
  }
  // A reload waits by nature: each replacement must be online before the next.
  const reloaded = await ipc.request('reload', { targets, apps: known });
  return { instances: [...instances, ...reloaded.instances], restartedForkApps: reloaded.restartedForkApps };
}

/**
 * The running app that already runs `script` (PM2 refuses to start a script twice without
 * `-f`: a second copy usually fights the first for its port).
 */
export function findRunningCopy(list: readonly InstanceInfo[], script: string, name: string): InstanceInfo | undefined {
  return list.find(
    (i) => i.name !== name && i.pm2_env?.pm_exec_path === script && (i.status === 'online' || i.status === 'launching' || i.status === 'waiting'),
  );
}

/**
 * Instances that are `errored` right after start could not be spawned at all (a command its
 * user may not run, a cwd that is gone): one line each, for START_FAILED.
 */
export function spawnFailures(started: readonly InstanceInfo[]): string[] {
  return started.filter((i) => i.status === 'errored').map((i) => `${i.name} (id ${i.id}): ${i.error ?? 'could not start'}`);
}
