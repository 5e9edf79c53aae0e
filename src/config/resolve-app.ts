/**
 * One raw app (file entry or flags) to an AppSpec: validate, apply PM2's defaults, resolve
 * paths against the app's cwd, pick the interpreter and build the configured environment.
 */
import { basename, extname, isAbsolute, resolve } from 'node:path';
import {
  DEFAULT_INSTANCE_VAR,
  DEFAULT_KILL_SIGNAL,
  DEFAULT_KILL_TIMEOUT_MS,
  DEFAULT_LISTEN_TIMEOUT_MS,
  DEFAULT_MAX_RESTARTS,
  DEFAULT_MIN_UPTIME_MS,
  DEFAULT_NAMESPACE,
} from '../core/app-spec.js';
import { resolveAccount } from './accounts.js';
import { mergeAppEnv, readEnvFiles } from './env-build.js';
import { isDirectory } from './find-executable.js';
import { resolveHealthOptions } from './health-options.js';
import { chooseExecMode, resolveInstances } from './instances.js';
import { chooseInterpreter, type InterpreterChoice } from './interpreter.js';
import { buildLogSpec } from './log-spec.js';
import { configError, describeLocation, type AppLocation } from './messages.js';
import type { ParsedOptions } from './option-table.js';
import { parseAppOptions } from './parse-options.js';
import { locateScript } from './script-path.js';
import type { ResolveContext, ResolvedApp } from './types.js';

export const DEFAULT_IGNORE_WATCH = ['node_modules', '**/.*'];

export interface AppResolution {
  app: ResolvedApp;
  /** The name before append_env_to_name, which `--only` matches. */
  baseName: string;
  /** Whether the app defines env_<ctx.envName>. */
  hasSelectedEnv: boolean;
  warnings: string[];
}

export function resolveApp(raw: unknown, at: AppLocation, ctx: ResolveContext): AppResolution {
  const rawName = (raw as { name?: unknown } | null)?.name;
  if (typeof rawName === 'string') at = { ...at, name: rawName };
  const { options, envSets, warnings } = parseAppOptions(raw, at);
  if (options.script === undefined) throw configError(at, 'script is required (also accepted as exec, cmd or command)');
  const cwd = resolve(ctx.cwd, options.cwd ?? '.');
  if (!isDirectory(cwd)) throw configError(at, `cwd ${cwd} does not exist or is not a directory`);
  const pathVar = ctx.processEnv.PATH;

  const target = locateScript(options.script, cwd, pathVar, at);
  let script: string;
  let args = options.args ?? [];
  let choice: InterpreterChoice;
  if (target.kind === 'shell') {
    if (options.interpreter !== undefined || options.args !== undefined) {
      throw configError(at, `script "${target.command}" is a shell command; it cannot take interpreter or args (put them in the command)`);
    }
    script = target.shell;
    args = ['-c', target.command];
    choice = { interpreter: null, loaderArgs: [], envDefaults: {}, isNode: false };
    warnings.push(`${describeLocation(at)} script "${target.command}" is not a file; running it with ${target.shell} -c`);
  } else {
    script = target.path;
    choice = chooseInterpreter(script, options.interpreter, cwd, pathVar, at);
  }

  const baseName = options.name ?? (target.kind === 'shell' ? target.command : basename(script, extname(script)));
  const name = finalName(baseName, options, ctx.envName);
  checkName(name, { ...at, name });
  at = { ...at, name };

  const selected = ctx.envName === undefined ? undefined : envSets[ctx.envName];
  const env = mergeAppEnv({
    defaults: choice.envDefaults,
    files: readEnvFiles(options.env_file ?? [], cwd, at),
    env: options.env,
    selected,
    port: options.port,
  });
  const incrementVar = options.increment_var ?? null;
  if (incrementVar !== null && !/^-?\d+$/.test(env[incrementVar] ?? '')) {
    throw configError(at, `increment_var ${incrementVar} needs a numeric starting value in env (or port)`);
  }
  const account = resolveAccount(options.uid, options.gid, at);
  const execMode = chooseExecMode(options.exec_mode, options.instances !== undefined, choice.isNode, choice.interpreter, at);

  const app: ResolvedApp = {
    name,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    script,
    args,
    interpreter: choice.interpreter,
    interpreterArgs: [...choice.loaderArgs, ...(options.interpreter_args ?? [])],
    cwd,
    execMode,
    instances: resolveInstances(options.instances, ctx.cpuCount),
    env,
    instanceVar: options.instance_var ?? DEFAULT_INSTANCE_VAR,
    incrementVar,
    autorestart: options.autorestart ?? true,
    autostart: options.autostart ?? true,
    stopExitCodes: options.stop_exit_codes ?? [],
    minUptimeMs: options.min_uptime ?? DEFAULT_MIN_UPTIME_MS,
    maxRestarts: options.max_restarts ?? DEFAULT_MAX_RESTARTS,
    restartDelayMs: options.restart_delay ?? 0,
    expBackoffRestartDelayMs: options.exp_backoff_restart_delay ?? 0,
    killSignal: options.kill_signal ?? DEFAULT_KILL_SIGNAL,
    killTimeoutMs: options.kill_timeout ?? DEFAULT_KILL_TIMEOUT_MS,
    shutdownWithMessage: options.shutdown_with_message ?? false,
    waitReady: options.wait_ready ?? false,
    listenTimeoutMs: options.listen_timeout ?? DEFAULT_LISTEN_TIMEOUT_MS,
    treekill: options.treekill ?? true,
    ...resolveHealthOptions(options, execMode, cwd, at),
    logs: buildLogSpec(options, name, cwd, ctx.tendHome),
    maxMemoryRestartBytes: options.max_memory_restart ?? null,
    watch: resolveWatch(options.watch, cwd),
    ignoreWatch: options.ignore_watch ?? DEFAULT_IGNORE_WATCH,
    watchDelayMs: options.watch_delay ?? 0,
    cronRestart: options.cron_restart ?? null,
    uid: account.uid,
    gid: account.gid,
    force: options.force ?? false,
    configFile: ctx.configFile ?? null,
    filterEnv: options.filter_env ?? false,
  };
  return { app, baseName, hasSelectedEnv: selected !== undefined, warnings };
}

function finalName(base: string, options: ParsedOptions, envName: string | undefined): string {
  const prefixed = options.name_prefix === undefined ? base : `${options.name_prefix}:${base}`;
  return options.append_env_to_name === true && envName !== undefined ? `${prefixed}-${envName}` : prefixed;
}

function checkName(name: string, at: AppLocation): void {
  // Commands take ids, names and 'all' in one slot, so a name must not look like the others.
  if (/^\d+$/.test(name)) throw configError(at, 'name must not be only digits (it would be read as an id)');
  if (name === 'all') throw configError(at, 'name must not be "all" (it means every app)');
}

function resolveWatch(watch: boolean | string[] | undefined, cwd: string): string[] | null {
  if (watch === undefined || watch === false) return null;
  if (watch === true) return [cwd];
  return watch.map((path) => (isAbsolute(path) ? path : resolve(cwd, path)));
}
