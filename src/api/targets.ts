/**
 * What `stop`, `restart`, `reload`, `delete` and `reset` act on, for the CLI and the API alike:
 * names, ids, namespaces and `all` pass to the daemon; regular expressions and script paths
 * become ids; a config file stands for its apps (restart and reload also start those not
 * registered, as PM2 does); `updateEnv` replaces the saved environment.
 */
import { TendError } from '../core/errors.js';
import type { InstanceInfo } from '../core/instance-info.js';
import type { IpcClient } from '../ipc/client.js';
import type { StartEntry } from '../ipc/methods.js';
import type { ReloadResult } from '../ipc/replies.js';
import { isFile } from '../config/find-executable.js';
import { resolveConfigAgain } from './config-again.js';
import { isConfigTarget, resolveStart } from './resolve-start.js';
import { type NoteListener, startOrUpdate } from './start-apps.js';
import { expandTargetPatterns } from './target-patterns.js';

export type Verb = 'stop' | 'restart' | 'reload' | 'delete' | 'reset';

export interface TargetOptions {
  /** env_<name> of a config file given as the target. */
  env?: string;
  /** restart, reload: replace the saved environment with the caller's (with a config file: the file's apps as it says now). */
  updateEnv?: boolean;
  /** Where relative paths (config files, scripts) are read from; default process.cwd(). */
  cwd?: string;
  /** The caller's environment for `updateEnv` and config files; default process.env. */
  processEnv?: NodeJS.ProcessEnv;
  /** Remarks made on the way (which env applies...). */
  onNote?: NoteListener;
  /** restart (and apps a config file starts): resolve once every instance is online, or fail with its reason. */
  wait?: boolean;
}

type Ipc = Pick<IpcClient, 'request'>;

/** Runs `verb` on what the user named; the reply of `reload` also says which fork apps were restarted. */
export async function actOnTargets(ipc: Ipc, home: string, verb: Verb, given: readonly string[], options: TargetOptions): Promise<ReloadResult> {
  const note = options.onNote ?? (() => undefined);
  const cwd = options.cwd ?? process.cwd();
  const configFile = given.length === 1 && isConfigTarget(given[0] ?? '') ? (given[0] as string) : null;
  if (configFile === null) {
    if (options.env !== undefined) note(`--env ${options.env} applies only with a config file; the apps keep the env they were started with`);
    const targets = await expandTargets(ipc, verb, given, cwd);
    const baseEnv = options.updateEnv === true ? currentEnv(options.processEnv ?? process.env) : undefined;
    return send(ipc, verb, targets, { ...(baseEnv === undefined ? {} : { baseEnv }), wait: options.wait === true });
  }
  const input = { target: configFile, envName: options.env, home, cwd, processEnv: options.processEnv };
  const restarting = verb === 'restart' || verb === 'reload';
  const resolved = restarting ? await resolveConfigAgain(ipc, input, note) : await resolveStart(input);
  // As in PM2, restart/reload of a config file also starts the file's apps that are not registered.
  if (restarting) return startOrUpdate(ipc, resolved.apps, verb, options.wait === true);
  // stop/delete <file> act on the file's apps that are registered and skip the others, as PM2 does.
  const names = resolved.apps.map((a) => a.spec.name);
  return send(ipc, verb, await registeredOf(ipc, names, configFile), { wait: false });
}

async function send(ipc: Ipc, verb: Verb, targets: string[], update: { baseEnv?: Record<string, string>; apps?: StartEntry[]; wait: boolean }): Promise<ReloadResult> {
  const done = (instances: InstanceInfo[]): ReloadResult => ({ instances, restartedForkApps: [] });
  switch (verb) {
    case 'stop':
      return done(await ipc.request('stop', { targets }));
    case 'restart':
      return done(await ipc.request('restart', { targets, baseEnv: update.baseEnv, apps: update.apps, ...(update.wait ? { wait: true } : {}) }));
    case 'reload':
      // A reload waits by nature: each replacement is online before the next one starts.
      return ipc.request('reload', { targets, baseEnv: update.baseEnv, apps: update.apps });
    case 'delete':
      return done(await ipc.request('delete', { targets }));
    case 'reset':
      return done(await ipc.request('reset', { targets }));
  }
}

/**
 * Regular expressions and script paths become ids; `all` with nothing registered fails, as in
 * PM2, so a script can tell that its action touched nothing.
 */
async function expandTargets(ipc: Ipc, verb: Verb, targets: readonly string[], cwd: string): Promise<string[]> {
  const list = await ipc.request('list');
  if (list.length === 0 && targets.every((t) => t === 'all')) throw new TendError('APP_NOT_FOUND', `nothing to ${verb}: no app is registered`);
  return expandTargetPatterns(targets, list, { cwd, isFile });
}

async function registeredOf(ipc: Ipc, names: string[], file: string): Promise<string[]> {
  const registered = new Set((await ipc.request('list')).map((i) => i.name));
  const found = names.filter((name) => registered.has(name));
  if (found.length === 0) throw new TendError('APP_NOT_FOUND', `${file}: none of its apps (${names.join(', ')}) is registered`);
  return found;
}

/** The caller's environment as the new snapshot for `updateEnv`. */
function currentEnv(processEnv: NodeJS.ProcessEnv): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(processEnv)) if (value !== undefined) env[name] = value;
  return env;
}
