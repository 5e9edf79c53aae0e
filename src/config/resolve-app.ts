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
import { type Account, resolveAccount } from './accounts.js';
import { mergeAppEnv, readEnvFiles } from './env-build.js';
import { isDirectory, isFile } from './find-executable.js';
import { distPath } from '../core/dist-path.js';
import { resolveHealthOptions } from './health-options.js';
import { chooseExecMode, resolveInstances } from './instances.js';
import { chooseInterpreter, type InterpreterChoice } from './interpreter.js';
import { buildLogSpec } from './log-spec.js';
import { configError, describeLocation, type AppLocation } from './messages.js';
import type { ParsedOptions } from './option-table.js';
import { parseAppOptions } from './parse-options.js';
import { readPm2EnvOptions, withPm2EnvDefaults } from './pm2-env-options.js';
import { locateScript } from './script-path.js';
import type { ResolveContext, ResolvedApp } from './types.js';
import { instanceLimitMessage, readMaxInstances } from '../core/limits.js';
import { nameProblem } from '../core/app-name.js';

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
  const { options: given, envSets, warnings, problems, failed } = parseAppOptions(raw, at);
  const options = withPm2EnvDefaults(given, problems.attempt(() => readPm2EnvOptions(ctx.processEnv)) ?? {});
  if (options.script === undefined && !failed.has('script')) problems.add(configError(at, 'script is required (also accepted as exec, cmd or command)'));
  const cwd = resolve(ctx.cwd, options.cwd ?? '.');
  const cwdOk = !failed.has('cwd') && problems.attempt(() => checkCwd(cwd, at)) !== undefined;
  const runnable = options.script !== undefined && cwdOk ? problems.attempt(() => resolveRunnable(options, cwd, ctx, at, warnings)) : undefined;

  const baseName = options.name ?? (runnable ? runnable.defaultName : 'app');
  const name = finalName(baseName, options, ctx.envName);
  problems.attempt(() => checkName(name, { ...at, name }));
  at = { ...at, name };

  const selected = ctx.envName === undefined ? undefined : envSets[ctx.envName];
  const envFiles = cwdOk ? problems.attempt(() => readEnvFiles(options.env_file ?? [], cwd, at)) : undefined;
  const account = problems.attempt(() => resolveAccount(options.uid, options.gid, at));
  // force_color, and the user's HOME, USER and LOGNAME under uid (not the caller's); the app's env still wins.
  const envDefaults = { ...(runnable?.choice.envDefaults ?? {}), ...(account?.env ?? {}) };
  const env = mergeAppEnv({
    defaults: options.force_color === true ? { ...envDefaults, FORCE_COLOR: '1', CLICOLOR_FORCE: '1' } : envDefaults,
    files: envFiles ?? [],
    env: options.env,
    selected,
    port: options.port,
  });
  const incrementVar = options.increment_var ?? null;
  if (incrementVar !== null && !/^-?\d+$/.test(env[incrementVar] ?? '')) {
    problems.add(configError(at, `increment_var ${incrementVar} needs a numeric starting value in env (or port)`));
  }
  const execMode = runnable && problems.attempt(() => chooseExecMode(options.exec_mode, options.instances !== undefined, runnable.choice.isNode, runnable.choice.interpreter, at));
  if (execMode?.warning) warnings.push(execMode.warning);
  const instances = resolveInstances(options.instances, ctx.cpuCount);
  const maxInstances = readMaxInstances(ctx.tendHome);
  if (instances > maxInstances) problems.add(configError(at, `instances: ${instanceLimitMessage(instances, maxInstances)}`));
  problems.throwIfAny(warnings);
  // Every value below was checked above: no problem means each step produced its value.
  const { script, args, choice } = runnable as Runnable;

  const app: ResolvedApp = {
    name,
    namespace: options.namespace ?? DEFAULT_NAMESPACE,
    script,
    args,
    interpreter: choice.interpreter,
    interpreterArgs: [...choice.loaderArgs, ...(options.interpreter_args ?? []), ...sourceMapArgs(options.source_map_support, choice.isNode, options.interpreter_args)],
    cwd,
    execMode: (execMode as NonNullable<typeof execMode>).mode,
    instances,
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
    waitReady: options.wait_ready ?? (runnable as Runnable).sendsReady ?? false,
    listenTimeoutMs: options.listen_timeout ?? DEFAULT_LISTEN_TIMEOUT_MS,
    treekill: options.treekill ?? true,
    ...resolveHealthOptions(options, (execMode as NonNullable<typeof execMode>).mode, cwd, at),
    logs: buildLogSpec(options, name, cwd, ctx.tendHome, instances),
    maxMemoryRestartBytes: options.max_memory_restart ?? null,
    watch: resolveWatch(options.watch, cwd),
    ignoreWatch: options.ignore_watch ?? DEFAULT_IGNORE_WATCH,
    watchDelayMs: options.watch_delay ?? 0,
    ...(options.watch_options === undefined ? {} : { watchOptions: options.watch_options }),
    cronRestart: options.cron_restart ?? null,
    uid: (account as Account).uid,
    gid: (account as Account).gid,
    force: options.force ?? false,
    configFile: ctx.configFile ?? null,
    envName: ctx.envName ?? null,
    filterEnv: options.filter_env ?? false,
    dependsOn: options.depends_on ?? [],
  };
  return { app, baseName, hasSelectedEnv: selected !== undefined, warnings };
}

interface Runnable {
  script: string;
  args: string[];
  choice: InterpreterChoice;
  /** The name an app without `name` gets. */
  defaultName: string;
  /** It says when it is ready (wait_ready's default). */
  sendsReady?: boolean;
}

/**
 * PM2's `script: 'serve'`: tend's static file server (what `tend serve` runs), configured by
 * PM2_SERVE_PATH, PM2_SERVE_PORT, PM2_SERVE_SPA, PM2_SERVE_HOMEPAGE and the basic auth ones
 * in `env`, and online once it listens.
 */
function staticServer(options: ParsedOptions, cwd: string, pathVar: string | undefined, at: AppLocation, warnings: string[]): Runnable {
  const script = distPath('runtime/static-server.js');
  if (options.args !== undefined) warnings.push(`${describeLocation(at)} script "serve" is tend's static file server, set by PM2_SERVE_* in env; its args are ignored`);
  return { script, args: [], choice: chooseInterpreter(script, undefined, cwd, pathVar, at), defaultName: 'serve', sendsReady: true };
}

function checkCwd(cwd: string, at: AppLocation): true {
  if (!isDirectory(cwd)) throw configError(at, `cwd ${cwd} does not exist or is not a directory`);
  return true;
}

/** The file (or shell command) to run, its arguments and its interpreter. */
function resolveRunnable(options: ParsedOptions, cwd: string, ctx: ResolveContext, at: AppLocation, warnings: string[]): Runnable {
  const pathVar = ctx.processEnv.PATH;
  if (options.script === 'serve' && !isFile(resolve(cwd, 'serve'))) return staticServer(options, cwd, pathVar, at, warnings);
  const target = locateScript(options.script as string, cwd, pathVar, at);
  if (target.kind === 'file') {
    const choice = chooseInterpreter(target.path, options.interpreter, cwd, pathVar, at);
    return { script: target.path, args: options.args ?? [], choice, defaultName: basename(target.path, extname(target.path)) };
  }
  if (options.interpreter !== undefined && options.interpreter !== 'none') {
    throw configError(at, `script "${target.command}" is a shell command; it cannot take an interpreter (put it in the command)`);
  }
  warnings.push(`${describeLocation(at)} script "${target.command}" is not a file; running it with ${target.shell} -c`);
  const choice = { interpreter: null, loaderArgs: [], envDefaults: {}, isNode: false };
  // args follow the command as positional parameters: passed as they are, never re-parsed.
  const args = options.args === undefined ? ['-c', target.command] : ['-c', `${target.command} "$@"`, target.command.split(' ')[0] ?? 'sh', ...options.args];
  return { script: target.shell, args, choice, defaultName: target.command };
}

function finalName(base: string, options: ParsedOptions, envName: string | undefined): string {
  const prefixed = options.name_prefix === undefined ? base : `${options.name_prefix}:${base}`;
  return options.append_env_to_name === true && envName !== undefined ? `${prefixed}-${envName}` : prefixed;
}

function checkName(name: string, at: AppLocation): void {
  const problem = nameProblem(name);
  if (problem !== null) throw configError(at, problem);
}

function resolveWatch(watch: boolean | string[] | undefined, cwd: string): string[] | null {
  if (watch === undefined || watch === false) return null;
  if (watch === true) return [cwd];
  return watch.map((path) => (isAbsolute(path) ? path : resolve(cwd, path)));
}

/** `source_map_support: true` is Node's own `--enable-source-maps` (once, and only for node). */
function sourceMapArgs(wanted: boolean | undefined, isNode: boolean, given: readonly string[] | undefined): string[] {
  return wanted === true && isNode && !(given ?? []).includes('--enable-source-maps') ? ['--enable-source-maps'] : [];
}
