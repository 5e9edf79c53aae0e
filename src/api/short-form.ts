/**
 * The API in one call per command, for scripts: each call connects (starting the daemon when
 * none runs), does what the CLI verb does, and closes. `import * as tend from 'tend'` then
 * `await tend.start('ecosystem.config.js', { env: 'production', wait: true })`. A program that
 * makes several calls, or follows events, keeps one `TendClient` instead.
 */
import type { InstanceInfo } from '../core/instance-info.js';
import type { ReloadResult } from '../ipc/replies.js';
import { type ConnectOptions, type RestartOptions, type StartOptions, type StartResult, type StartTarget, TendClient } from './client.js';
import type { TargetOptions } from './targets.js';

/** Runs `action` with a connected client and closes it after, whatever happens. */
export async function withTend<T>(action: (client: TendClient) => Promise<T>, options: ConnectOptions = {}): Promise<T> {
  const client = await TendClient.connect(options);
  try {
    return await action(client);
  } finally {
    client.close();
  }
}

type Targets = string | readonly string[];

function connectOptions(options: ConnectOptions): ConnectOptions {
  return { ...(options.home === undefined ? {} : { home: options.home }), ...(options.autoStart === undefined ? {} : { autoStart: options.autoStart }) };
}

export function start(target: StartTarget, options: StartOptions & ConnectOptions = {}): Promise<StartResult> {
  return withTend((client) => client.start(target, options), connectOptions(options));
}

export function stop(targets: Targets, options: TargetOptions & ConnectOptions = {}): Promise<InstanceInfo[]> {
  return withTend((client) => client.stop(targets, options), connectOptions(options));
}

export function restart(targets: Targets, options: RestartOptions & ConnectOptions = {}): Promise<InstanceInfo[]> {
  return withTend((client) => client.restart(targets, options), connectOptions(options));
}

export function reload(targets: Targets, options: RestartOptions & ConnectOptions = {}): Promise<ReloadResult> {
  return withTend((client) => client.reload(targets, options), connectOptions(options));
}

function deleteTargets(targets: Targets, options: TargetOptions & ConnectOptions = {}): Promise<InstanceInfo[]> {
  return withTend((client) => client.delete(targets, options), connectOptions(options));
}
export { deleteTargets as delete };

export function startOrRestart(configFile: string, options: Omit<StartOptions, 'options' | 'args'> & ConnectOptions = {}): Promise<ReloadResult> {
  return withTend((client) => client.startOrRestart(configFile, options), connectOptions(options));
}

export function startOrReload(configFile: string, options: Omit<StartOptions, 'options' | 'args'> & ConnectOptions = {}): Promise<ReloadResult> {
  return withTend((client) => client.startOrReload(configFile, options), connectOptions(options));
}

export function list(options: ConnectOptions = {}): Promise<InstanceInfo[]> {
  return withTend((client) => client.list(), connectOptions(options));
}
